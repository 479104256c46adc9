"""The talk with the pupil (talk/): consent opens the group, no consent keeps the case
open or closes it with a reason, asking again has its limits."""

from __future__ import annotations

from datetime import timedelta

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import PupilTalk
from steungroep.web.pages import step_key

from .. import factories as f
from ..pages import count, text_of


def test_talk_with_consent_opens_the_group(client, world, login):
    """Consent leads to the group step; the letter is stored for the meeting."""
    case = f.new_case(world)
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/gesprek"))
    assert "Leidraad voor het gesprek" in page
    response = client.post(
        f"/zaken/{case.id}/gesprek",
        data={"held_on": school_today().isoformat(), "consent": "ja", "letter": "Lieve klas",
              "pupil_task": "Let op wie aardig is."},
    )
    assert response.headers["Location"].endswith(f"/zaken/{case.id}/groep")
    db.session.expire_all()
    assert case.group is not None and case.talk.letter == "Lieve klas"


def test_talk_without_consent_and_closing_needs_a_reason(client, world, login):
    """No consent: the teacher says what follows. Closing needs a reason; then there is no
    group and the case says why."""
    case = f.new_case(world)
    login(world.teacher)
    form = {"held_on": school_today().isoformat(), "consent": "nee", "expected": step_key(case)}
    unchosen = client.post(f"/zaken/{case.id}/gesprek", data=form)
    assert unchosen.status_code == 422 and "Kies hoe het verder gaat" in text_of(unchosen)
    no_reason = client.post(f"/zaken/{case.id}/gesprek", data={**form, "no_consent": "sluiten"})
    assert no_reason.status_code == 422 and "De reden is verplicht" in text_of(no_reason)
    closed = client.post(f"/zaken/{case.id}/gesprek", data={
        **form, "no_consent": "sluiten", "no_consent_reason": "Ouders regelen het zelf."})
    assert closed.status_code == 302
    db.session.expire_all()
    assert case.is_closed and case.outcome == "geen_toestemming" and case.group is None
    assert case.outcome_note == "Ouders regelen het zelf."


def test_no_consent_for_now_keeps_the_case_open_and_asks_again(client, world, login):
    """'Later opnieuw vragen': the case stays open with the talk again as its next step on
    the chosen day; asked again, the pupil says yes and the group follows."""
    case = f.new_case(world)
    login(world.teacher)
    again_on = school_today() + timedelta(days=7)
    form = {"held_on": school_today().isoformat(), "consent": "nee", "no_consent": "later",
            "follow_up_on": again_on.isoformat(), "letter": "Eerste brief",
            "pupil_task": "Zeg het als het weer gebeurt.", "expected": step_key(case)}
    assert client.post(f"/zaken/{case.id}/gesprek", data=form).status_code == 302
    db.session.expire_all()
    assert not case.is_closed and (case.step, case.step_due_on) == ("gesprek", again_on)
    assert case.talk.pupil_task == ""  # the small task belongs to a steungroep: none yet
    page = client.get(f"/zaken/{case.id}/gesprek")
    assert page.status_code == 200 and "Vraag het opnieuw" in text_of(page)
    assert "Eerste brief" in page.get_data(as_text=True)
    yes = client.post(f"/zaken/{case.id}/gesprek", data={
        "held_on": school_today().isoformat(), "consent": "ja", "pupil_task": "Let op.",
        "expected": step_key(case)})
    assert yes.headers["Location"].endswith(f"/zaken/{case.id}/groep")
    db.session.expire_all()
    assert case.talk.consent and case.group is not None and case.step == "groep"
    texts = [e.text for e in case.timeline]
    assert any("Opnieuw vragen op" in t for t in texts)
    assert any(t.startswith("Opnieuw gesprek met de leerling") for t in texts)


def test_no_consent_may_lead_to_the_stappenplan(client, world, login):
    case = f.new_case(world)
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/gesprek", data={
        "held_on": school_today().isoformat(), "consent": "nee", "no_consent": "stappenplan",
        "no_consent_reason": "Het gaat al maanden zo.", "expected": step_key(case)})
    assert response.status_code == 302
    db.session.expire_all()
    assert not case.is_closed and case.escalated_at is not None and case.step == "stappenplan"


def test_asking_again_more_than_six_weeks_later_is_refused(client, world, login):
    case = f.new_case(world)
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/gesprek", data={
        "held_on": school_today().isoformat(), "consent": "nee", "no_consent": "later",
        "follow_up_on": (school_today() + timedelta(days=60)).isoformat(),
        "expected": step_key(case)})
    assert response.status_code == 422 and "binnen zes weken" in text_of(response)
    db.session.expire_all()
    assert case.talk is None


def test_talk_without_consent_answer_is_refused(client, world, login):
    """The consent question must be answered; nothing is stored and the letter is kept."""
    case = f.new_case(world)
    login(world.teacher)
    response = client.post(
        f"/zaken/{case.id}/gesprek",
        data={"held_on": school_today().isoformat(), "letter": "Mijn brief"},
    )
    assert response.status_code == 422
    assert "hulp wil" in text_of(response) and "Mijn brief" in text_of(response)
    assert count(PupilTalk) == 0
