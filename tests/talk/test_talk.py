"""The talk with the pupil (talk/): consent opens the group, no consent keeps the case
open or closes it with a reason, asking again has its limits."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.models import Notice, OutboxMessage, PupilTalk
from steungroep.planning import reminders
from steungroep.web.pages import step_key

from .. import factories as f
from ..pages import count, text_of
from ..services import free_port


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


def test_the_day_to_ask_again_is_reminded_once_and_leaves_when_asked(
        client, world, login, mail_to):
    """After 'not yet' the teacher is reminded on the morning of the day to ask again (a
    notice, and an e-mail when mail is set up); asking again ends the reminder."""
    mail_to(free_port())  # nobody listens: the e-mail waits in the outbox
    case = f.new_case(world)
    login(world.teacher)
    again_on = school_today() + timedelta(days=7)
    assert client.post(f"/zaken/{case.id}/gesprek", data={
        "held_on": school_today().isoformat(), "consent": "nee", "no_consent": "later",
        "follow_up_on": again_on.isoformat(), "expected": step_key(case)}).status_code == 302
    morning = datetime(again_on.year, again_on.month, again_on.day, 8, tzinfo=SCHOOL_TZ)
    assert reminders.scan(morning - timedelta(minutes=1)).reminded == 0
    assert reminders.scan(morning).reminded == 1
    assert reminders.scan(morning + timedelta(hours=1)).reminded == 0
    notice = db.session.scalars(select(Notice)).one()
    assert (notice.pupil_talk_id, notice.user_id, notice.due_on) == (
        f.fresh(case).talk.id, world.teacher.id, again_on)
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject == f"Vandaag: opnieuw vragen, {case.pupil.first_name} (groep 6)"
    assert mail.to_address == world.teacher.email and f"/zaken/{case.id}" in mail.body
    assert f"opnieuw vragen of {case.pupil.first_name} (groep 6) hulp wil" in text_of(
        client.get("/"))
    assert client.post(f"/zaken/{case.id}/gesprek", data={
        "held_on": school_today().isoformat(), "consent": "ja", "pupil_task": "Let op.",
        "expected": step_key(f.fresh(case))}).status_code == 302
    assert "opnieuw vragen" not in text_of(client.get("/"))
    assert reminders.scan(morning + timedelta(days=1)).reminded == 0


def test_a_no_that_leads_to_the_stappenplan_or_closes_is_not_reminded(client, world, login):
    for choice in ("stappenplan", "sluiten"):
        case = f.new_case(world, pupil=world.pupils[1 if choice == "sluiten" else 2])
        login(world.teacher)
        assert client.post(f"/zaken/{case.id}/gesprek", data={
            "held_on": school_today().isoformat(), "consent": "nee", "no_consent": choice,
            "no_consent_reason": "De leerling wil geen groep.",
            "expected": step_key(case)}).status_code == 302
    later = datetime.combine(school_today() + timedelta(days=60), time(9), tzinfo=SCHOOL_TZ)
    assert reminders.scan(later).reminded == 0


def test_the_talk_guide_follows_the_school_type_on_confidentiality(client, world, login):
    """Seed 001 (primary) agrees what stays confidential; seed 004 Bijlage 1 (secondary):
    never promise that something will not be told. The guide and the field say so."""
    from steungroep.domain import guide
    from steungroep.models import School

    from ..settings.form import save_settings

    assert "absoluut niet doorvertellen" in guide.TALK_CONFIDENTIAL_PO
    assert guide.TALK_CONFIDENTIAL_PO in guide.talk_questions("po")
    for kind in ("vo", "mbo"):
        questions = guide.talk_questions(kind)
        assert guide.TALK_CONFIDENTIAL_PO not in questions
        assert guide.TALK_CONFIDENTIAL_SECONDARY in questions
        assert len(questions) == len(guide.TALK_QUESTIONS)
    case = f.new_case(world)
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/gesprek"))
    assert "Wat mag ik absoluut niet doorvertellen?" in page
    assert "Wat blijft vertrouwelijk?" in page
    login(world.coordinator)
    save_settings(client, world.school, kind="vo")
    assert db.session.get(School, world.school.id).kind == "vo"
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/gesprek"))
    assert "Ik beloof niet dat ik niets doorvertel" in page
    assert "absoluut niet doorvertellen" not in page
    assert "geen belofte van geheimhouding" in page
