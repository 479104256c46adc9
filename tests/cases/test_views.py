"""The teacher's pages through the Flask test client, on every configured database."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.core.web import step_key
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import (
    Action,
    Case,
    Cycle,
    Evaluation,
    GroupMember,
    Informed,
    PupilTalk,
    TimelineEntry,
)

from .. import factories as f
from ..settings_form import save_settings


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def melding_form(pupil, **overrides):
    data = {
        "pupil_id": str(pupil.id),
        "reported_on": school_today().isoformat(),
        "source": "leerling",
        "forms": ["verbaal", "digitaal"],
        "description": "Wordt uitgescholden in de groepsapp.",
        "triage": "herhaald",
        "triage_note": "",
    }
    data.update(overrides)
    return data


# ---- logging in and access ------------------------------------------------------------


def test_login_wrong_password_gives_one_dutch_message(client, world):
    """A wrong password and an unknown e-mail get the same message, status 422."""
    wrong = client.post("/inloggen", data={"email": world.teacher.email, "password": "nee"})
    unknown = client.post("/inloggen", data={"email": "x@y.example", "password": "nee"})
    assert wrong.status_code == unknown.status_code == 422
    assert "horen niet bij elkaar" in text_of(wrong)
    assert "horen niet bij elkaar" in text_of(unknown)


def test_pages_need_login(client, world):
    """Anonymous visitors are sent to the login page; htmx requests get 401 + HX-Redirect."""
    case = f.new_case(world)
    response = client.get(f"/zaken/{case.id}")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    htmx = client.get(f"/zaken/{case.id}", headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"] == f"/inloggen?next=/zaken/{case.id}"


def test_login_next_only_follows_local_paths(client, world):
    """?next= never leads off the site after logging in."""
    response = client.post(
        "/inloggen?next=https://evil.example/x",
        data={"email": world.teacher.email, "password": f.PASSWORD},
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        ("teacher", True),
        ("colleague", False),
        ("coordinator", True),
        ("admin", False),
        ("other_teacher", False),
        ("other_coordinator", False),
    ],
)
def test_case_access(client, world, login, actor, sees):
    """The responsible teacher and the school's coordinators see a case; others get 404."""
    case = f.case_at(world, "bijeenkomst")
    login(getattr(world, actor))
    paths = [
        f"/zaken/{case.id}",
        f"/zaken/{case.id}/groep",
        f"/zaken/{case.id}/bijeenkomst",
        f"/zaken/{case.id}/uitnodigingen",
    ]
    for path in paths:
        assert client.get(path).status_code == (200 if sees else 404), path
    # the home page lists it for its teacher; a coordinator finds it in the overview (their
    # home lists only what is late or due this week: see test_coordinator_home_*)
    home = text_of(client.get("/"))
    assert (world.subject.first_name in home) is (actor == "teacher")
    if actor == "coordinator":
        assert world.subject.first_name in text_of(client.get("/overzicht"))


def test_coordinator_home_lists_their_own_and_what_is_due_at_their_schools(
        client, world, login):
    """A coordinator's home: their own cases, then others' cases that are late or due within
    a week (paged), and the overview one tap away with every open case counted."""
    from datetime import timedelta

    from steungroep.models import Case as CaseRow

    mine = f.case_at(world, "gesprek", teacher=world.coordinator, pupil=world.pupils[1])
    due_soon = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[2])
    far = f.case_at(world, "evaluatie_leerling", pupil=world.pupils[3])
    undated = f.case_at(world, "groep", pupil=world.pupils[4])
    db.session.get(CaseRow, far.id).group.current_cycle.evaluations[0].due_on = (
        school_today() + timedelta(days=30))
    db.session.commit()
    login(world.coordinator)
    page = client.get("/").get_data(as_text=True)
    own, _, rest = page.partition("Aan de beurt op je scholen")
    assert f'href="/zaken/{mine.id}"' in own
    assert f'href="/zaken/{due_soon.id}"' in rest
    assert f'href="/zaken/{far.id}"' not in page and f'href="/zaken/{undated.id}"' not in page
    assert "alle 4 open meldingen" in text_of(client.get("/"))


def test_coordinator_home_pages_through_what_is_due(client, world, login, monkeypatch):
    from steungroep.cases import home

    monkeypatch.setattr(home, "PER_PAGE", 2)
    cases = [f.case_at(world, "evaluatie_leerling", pupil=p) for p in world.pupils[1:6]]
    login(world.coordinator)
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/?pagina={number}").get_data(as_text=True)
        seen += [c.id for c in cases if f'href="/zaken/{c.id}"' in page]
    assert sorted(seen) == sorted(c.id for c in cases)
    assert "Pagina 3 van 3" in text_of(client.get("/?pagina=99"))


def test_unknown_ids_are_404_not_errors(client, world, login):
    """Unknown case or member ids answer 404 with the friendly page."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    assert client.get("/zaken/999999").status_code == 404
    response = client.post(f"/zaken/{case.id}/bijeenkomst/acties/999999", data={"text": "x"})
    assert response.status_code == 404
    assert "Niet gevonden" in text_of(response)
    assert client.post(f"/zaken/{case.id}/groep/leden/999999/weg").status_code == 404


def test_idle_session_asks_for_password_again(client, world, login):
    """After 15 idle minutes the shared tablet shows the lock page, then carries on."""
    login(world.teacher)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 16 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/vergrendeld" in response.headers["Location"]
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and "/vergrendeld" in htmx.headers["HX-Redirect"]
    assert client.post("/vergrendeld", data={"password": "fout"}).status_code == 422
    assert client.get("/").status_code == 302  # still locked
    client.post("/vergrendeld", data={"password": f.PASSWORD})
    assert client.get("/").status_code == 200


def test_logout_ends_session(client, world, login):
    """After logging out, pages ask for a login again."""
    login(world.teacher)
    client.post("/uitloggen")
    assert client.get("/").status_code == 302


def test_security_headers_on_pages(client, world, login):
    """Every page carries the CSP, a same-origin referrer policy and no-store caching."""
    login(world.teacher)
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_csrf_missing_token_is_400_and_changes_nothing(world):
    """With CSRF on, a form without a valid token answers 400 and stores nothing."""
    from flask import current_app

    from ..conftest import make_app

    app = make_app(
        current_app.config["SQLALCHEMY_DATABASE_URI"], current_app.instance_path,
        WTF_CSRF_ENABLED=True,
    )
    client = app.test_client()
    with app.app_context():
        page = text_of(client.get("/inloggen"))
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(
            "/inloggen",
            data={"email": world.teacher.email, "password": f.PASSWORD, "csrf_token": token},
        )
        response = client.post("/meldingen/nieuw", data=melding_form(world.subject))
        assert response.status_code == 400
        assert "beveiligingscode" in text_of(response)
        assert count(Case) == 0


# ---- home --------------------------------------------------------------------------------


def test_home_shows_next_step_per_case(client, world, login):
    """Home lists my open cases with the next step as a button, due dates included."""
    f.case_at(world, "gesprek")
    f.case_at(world, "evaluatie_leerling", pupil=world.pupils[10])
    login(world.teacher)
    page = text_of(client.get("/"))
    assert "Gesprek met de leerling" in page
    assert "Evaluatie met de leerling" in page
    assert "gepland" in page


def test_home_query_count_is_fixed(client, world, login, app):
    """The home page runs the same number of SQL statements for 2 and for 8 cases."""
    from sqlalchemy import event

    def statements_for_home() -> int:
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    for pupil in world.pupils[8:10]:
        f.case_at(world, "evaluatie_leerling", pupil=pupil)
    login(world.teacher)
    few = statements_for_home()
    login(world.coordinator)
    few_coordinator = statements_for_home()
    for pupil in world.pupils[10:14]:
        f.case_at(world, "evaluatie_leerling", pupil=pupil)
    login(world.teacher)
    many = statements_for_home()
    login(world.coordinator)
    many_coordinator = statements_for_home()
    assert few == many
    assert few_coordinator == many_coordinator


# ---- melding and triage ------------------------------------------------------------------


def test_melding_repeated_goes_to_talk(client, world, login):
    """A melding with triage 'herhaald' is stored and leads to the talk with the pupil."""
    login(world.teacher)
    response = client.post("/meldingen/nieuw", data=melding_form(world.subject))
    case = db.session.scalar(select(Case))
    assert response.headers["Location"].endswith(f"/zaken/{case.id}/gesprek")
    assert sorted(case.form_codes) == ["digitaal", "verbaal"]
    assert case.teacher_id == world.teacher.id and not case.is_closed
    assert [e.kind for e in case.timeline] == ["melding", "triage"]


def test_melding_without_bullying_is_recorded_and_closed(client, world, login):
    """'Geen pesten' is recorded and closed with a note."""
    login(world.teacher)
    client.post(
        "/meldingen/nieuw",
        data=melding_form(world.subject, triage="geen_pesten", triage_note="Een ruzie."),
    )
    case = db.session.scalar(select(Case))
    assert case.is_closed and case.outcome == "anders_afgehandeld"
    assert case.group is None


def test_a_one_off_melding_stays_open_for_its_restoring_talk(client, world, login):
    """The one-off path is not closed at once: the restoring talk and the check follow."""
    login(world.teacher)
    response = client.post(
        "/meldingen/nieuw",
        data=melding_form(world.subject, triage="eenmalig", triage_note="Eén keer geduwd."),
    )
    case = db.session.scalar(select(Case))
    assert response.location.endswith(f"/zaken/{case.id}#eenmalig")
    assert not case.is_closed and case.step == "herstelgesprek" and case.group is None


BAD_MELDINGEN = [
    ({"pupil_id": ""}, "Kies de leerling"),
    ({"description": "   "}, "is verplicht"),
    ({"description": "x" * 2001}, "2000"),
    ({"forms": []}, "minstens één vorm"),
    ({"source": "tovenaar"}, "Wie meldt het?"),
    ({"triage": ""}, "Triage"),
    ({"triage": "eenmalig", "triage_note": ""}, "is verplicht"),
    ({"reported_on": "2999-01-01"}, "toekomst"),
    ({"reported_on": "gisteren"}, "datum"),
]


@pytest.mark.parametrize(("override", "message"), BAD_MELDINGEN)
def test_bad_melding_gets_message_and_changes_nothing(client, world, login, override, message):
    """Empty, unknown, too long or impossible input: 422, a Dutch message, no new row,
    and what was typed stays in the form."""
    login(world.teacher)
    data = melding_form(world.subject, **override)
    response = client.post("/meldingen/nieuw", data=data)
    page = text_of(response)
    assert response.status_code == 422
    assert message in page
    assert count(Case) == 0 and count(TimelineEntry) == 0
    if data["description"].strip() and len(data["description"]) < 100:
        assert data["description"] in page


def test_melding_for_pupil_of_another_school_is_refused(client, world, login):
    """A teacher cannot file a melding about a pupil of another school."""
    login(world.teacher)
    response = client.post("/meldingen/nieuw", data=melding_form(world.other_pupils[0]))
    assert response.status_code == 422 and count(Case) == 0


def test_double_submitted_melding_is_stored_once(client, world, login):
    """The same form posted twice (double tap) creates one case."""
    login(world.teacher)
    key = re.search(r'name="submission_key" value="([0-9a-f]+)"',
                    text_of(client.get("/meldingen/nieuw"))).group(1)
    data = melding_form(world.subject, submission_key=key)
    first = client.post("/meldingen/nieuw", data=data)
    second = client.post("/meldingen/nieuw", data=data)
    assert count(Case) == 1
    assert first.headers["Location"] == second.headers["Location"]


# ---- the talk ------------------------------------------------------------------------------


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
            "expected": step_key(case)}
    assert client.post(f"/zaken/{case.id}/gesprek", data=form).status_code == 302
    db.session.expire_all()
    assert not case.is_closed and (case.step, case.step_due_on) == ("gesprek", again_on)
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


# ---- forming the group --------------------------------------------------------------------


def add(client, case, pupil, role="helper", htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/zaken/{case.id}/groep/leden",
                       data={"pupil_id": str(pupil.id), "role": role}, headers=headers)


def test_group_page_counts_and_balances(client, world, login):
    """Adding members updates the counter and the two sides (htmx gets only the panel)."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    add(client, case, world.pupils[1], "aanvoerder")
    response = add(client, case, world.pupils[2], "helper", htmx=True)
    page = text_of(response)
    assert response.status_code == 200
    assert "<html" not in page and 'id="group-panel"' in page
    assert "<strong>2</strong> van 6–8" in page


def test_group_member_rules_refuse_with_message(client, world, login):
    """The pupil concerned, a pupil twice, another school's pupil, a 9th member: refused."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    cases_ = [
        (world.subject, "zelf"),
        (world.other_pupils[0], "school"),
    ]
    for pupil, _ in cases_:
        response = add(client, case, pupil, htmx=True)
        assert response.status_code == 422
        assert 'role="alert"' in text_of(response)
    assert count(GroupMember) == 0
    # another school's pupil: the same answer as an id that does not exist, and no name
    world.other_pupils[0].first_name = "Bartholomeus"
    db.session.commit()
    foreign = add(client, case, world.other_pupils[0], htmx=True).get_data(as_text=True)
    unknown = client.post(f"/zaken/{case.id}/groep/leden", data={"pupil_id": "999999",
                          "role": "helper"}, headers={"HX-Request": "true"})
    assert "Kies een leerling uit de lijst." in foreign
    assert foreign == unknown.get_data(as_text=True)
    assert "Bartholomeus" not in foreign
    add(client, case, world.pupils[1])
    response = add(client, case, world.pupils[1], htmx=True)
    assert response.status_code == 422 and count(GroupMember) == 1
    for pupil in world.pupils[2:9]:
        add(client, case, pupil, "meeloper")
    assert count(GroupMember) == 8
    response = add(client, case, world.pupils[9], htmx=True)
    assert response.status_code == 422 and "vol" in text_of(response)
    assert count(GroupMember) == 8


def test_group_of_five_cannot_be_confirmed(client, world, login):
    """Confirming 5 members is refused with a message; no round starts."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    for pupil, role in zip(world.pupils[1:6], ["aanvoerder", "meeloper", "helper", "helper",
                                                 "omstander"], strict=True):
        add(client, case, pupil, role)
    response = client.post(f"/zaken/{case.id}/groep/bevestigen")
    assert response.status_code == 422 and "6" in text_of(response)
    assert count(Cycle) == 0


def test_group_needs_both_sides(client, world, login):
    """Seven helpers and no ringleader/follower side is refused."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    for pupil in world.pupils[1:8]:
        add(client, case, pupil, "helper")
    response = client.post(f"/zaken/{case.id}/groep/bevestigen")
    assert response.status_code == 422 and count(Cycle) == 0


def test_unbalanced_group_is_confirmed_with_warning(client, world, login):
    """A group off balance by more than one is allowed, with a warning."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    roles = ["aanvoerder"] + ["helper"] * 6
    for pupil, role in zip(world.pupils[1:8], roles, strict=True):
        add(client, case, pupil, role)
    response = client.post(f"/zaken/{case.id}/groep/bevestigen", follow_redirects=True)
    assert response.status_code == 200
    assert count(Cycle) == 1
    assert "flash-warning" in text_of(response)


def test_pupil_search_finds_by_name_and_hides_subject(client, world, login):
    """Type-ahead finds classmates by first name and never offers the pupil concerned."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    response = client.get(f"/zaken/{case.id}/groep/zoeken?q=no",
                          headers={"HX-Request": "true"})
    page = text_of(response)
    assert "Noor" in page and "<html" not in page
    subject = client.get(f"/zaken/{case.id}/groep/zoeken?q={world.subject.first_name}",
                         headers={"HX-Request": "true"})
    assert f'value="{world.subject.id}"' not in text_of(subject)


def test_warns_when_pupil_had_a_group_before(client, world, login):
    """A pupil who had a steungroep before gets a warning on the group page."""
    first = f.case_at(world, "bijeenkomst")
    first.closed_at = first.created_at
    db.session.commit()
    second = f.case_at(world, "groep")
    login(world.teacher)
    assert "al eerder een steungroep" in text_of(client.get(f"/zaken/{second.id}/groep"))


def test_invitations_do_not_say_why(client, world, login):
    """Invitation slips name the member and ask for help, without the pupil or roles."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/uitnodigingen?wanneer=dinsdag"))
    slips = page.split('class="slips"')[1]
    assert world.pupils[1].first_name in slips and "dinsdag" in slips
    assert world.subject.first_name not in slips
    for word in ("pest", "Aanvoerder", "Meeloper", "Omstander"):
        assert word.lower() not in slips.lower()


# ---- meeting mode ----------------------------------------------------------------------------


def test_meeting_mode_shows_no_roles_and_no_notes(client, world, login):
    """Pupils sit next to the tablet: no role, no confidential text, no notes, no 'pest'."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/bijeenkomst"))
    visible = re.sub(r"<[^>]+>", " ", page)
    for word in ("Aanvoerder", "Meeloper", "Omstander", "Helper", "pest", "slachtoffer"):
        assert word.lower() not in visible.lower(), word
    assert "GEHEIM" not in page and "NOTITIE" not in page
    assert "Ik wil graag meedoen." in page  # the letter, to read aloud
    assert "0 van 7" in page


def test_action_is_saved_as_typed_and_fragment_returned(client, world, login):
    """An htmx autosave stores the action at once and answers with the status fragment."""
    case = f.case_at(world, "bijeenkomst")
    member = case.group.members[0]
    login(world.teacher)
    url = f"/zaken/{case.id}/bijeenkomst/acties/{member.id}"
    response = client.post(url, data={"text": "Ik ga gedag zeggen."},
                           headers={"HX-Request": "true"})
    page = text_of(response)
    assert response.status_code == 200 and "Opgeslagen" in page and "<html" not in page
    assert "1 van 7" in page
    action = db.session.scalar(select(Action))
    assert action.text == "Ik ga gedag zeggen."
    edit = client.post(url, data={"text": "Ik ga samen fietsen.", "action_id": str(action.id)},
                       headers={"HX-Request": "true"})
    assert edit.status_code == 200
    db.session.expire_all()
    assert count(Action) == 1 and db.session.scalar(select(Action.text)) == "Ik ga samen fietsen."


def test_second_action_for_member_is_refused(client, world, login):
    """A second action for a member in one round (e.g. from another tab) is refused."""
    case = f.case_at(world, "bijeenkomst")
    member = case.group.members[0]
    login(world.teacher)
    url = f"/zaken/{case.id}/bijeenkomst/acties/{member.id}"
    client.post(url, data={"text": "Eerste idee."})
    response = client.post(url, data={"text": "Tweede idee."})
    assert response.status_code == 422
    assert "al een actie" in text_of(response)
    assert "Tweede idee." in text_of(response)  # what was typed is not lost
    db.session.expire_all()
    assert count(Action) == 1 and db.session.scalar(select(Action.text)) == "Eerste idee."


def test_too_long_or_empty_action_is_refused(client, world, login):
    """Empty and over-long actions get a message and are not stored."""
    case = f.case_at(world, "bijeenkomst")
    member = case.group.members[0]
    login(world.teacher)
    url = f"/zaken/{case.id}/bijeenkomst/acties/{member.id}"
    assert client.post(url, data={"text": " "}).status_code == 422
    assert client.post(url, data={"text": "x" * 201}).status_code == 422
    assert count(Action) == 0


def test_meeting_cannot_complete_with_a_missing_action(client, world, login):
    """Afronden while a member has no action names who is missing; nothing is planned."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    for member in case.group.members[:6]:
        client.post(f"/zaken/{case.id}/bijeenkomst/acties/{member.id}", data={"text": "Idee"})
    response = client.post(f"/zaken/{case.id}/bijeenkomst/afronden")
    assert response.status_code == 422
    assert case.group.members[6].pupil.first_name in text_of(response)
    assert count(Evaluation) == 0
    db.session.expire_all()
    assert db.session.scalar(select(Cycle.meeting_completed_at)) is None


def test_completing_meeting_plans_evaluations_on_school_days(client, world, login):
    """Afronden records the date and plans the 1-week and 2-week talks on weekdays."""
    case = f.case_at(world, "bijeenkomst")
    f.with_actions(world, case)
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/bijeenkomst/afronden", data={"minutes": "38"})
    assert response.headers["Location"].endswith(f"/zaken/{case.id}/bijeenkomst/klaar")
    evaluations = db.session.scalars(select(Evaluation).order_by(Evaluation.kind)).all()
    assert [e.kind for e in evaluations] == ["groep", "leerling"]
    today = school_today()
    for evaluation, days in zip(evaluations, (14, 7), strict=True):
        assert evaluation.due_on.weekday() < 5
        assert 0 <= (evaluation.due_on - today).days - days <= 2
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Gepland op" in page


# ---- evaluations and decisions ---------------------------------------------------------------


def test_pupil_evaluation_before_meeting_is_refused(client, world, login):
    """An evaluation before its meeting changes nothing."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    response = client.post(
        f"/zaken/{case.id}/evaluatie-leerling",
        data={"held_on": school_today().isoformat(), "wellbeing": "4", "changed": "Beter",
              "improved": "ja"},
    )
    assert response.status_code == 422 and count(Evaluation) == 0


def test_pupil_evaluation_needs_wellbeing(client, world, login):
    """A missing wellbeing score is refused, what was typed stays, the row is unchanged."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.teacher)
    response = client.post(
        f"/zaken/{case.id}/evaluatie-leerling",
        data={"held_on": school_today().isoformat(), "changed": "Speelt nu mee", "improved": "ja"},
    )
    assert response.status_code == 422 and "Speelt nu mee" in text_of(response)
    assert db.session.scalar(select(Evaluation.held_on).where(Evaluation.kind == "leerling")) \
        is None


def test_group_evaluation_requires_every_member(client, world, login):
    """The group evaluation needs a result for each member; the order set is kept."""
    case = f.case_at(world, "evaluatie_leerling")
    members = case.group.members
    login(world.teacher)
    data = {"held_on": school_today().isoformat(), "same_day": "1"}
    for position, member in enumerate(reversed(members), start=1):
        data[f"position-{member.id}"] = str(position)
        data[f"done-{member.id}"] = "ja"
    partial = dict(data)
    partial.pop(f"done-{members[0].id}")
    response = client.post(f"/zaken/{case.id}/evaluatie-groep", data=partial)
    assert response.status_code == 422 and members[0].pupil.first_name in text_of(response)
    response = client.post(f"/zaken/{case.id}/evaluatie-groep", data=data)
    assert response.headers["Location"].endswith(f"/zaken/{case.id}/besluit")
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.kind == "groep"))
    assert [r.member_id for r in evaluation.results] == [m.id for m in reversed(members)]


def test_next_round_keeps_group_and_allows_changes(client, world, login):
    """A new round starts with the same members; the group may change within 6–8."""
    case = f.case_at(world, "besluit")
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/besluit", data={"decision": "nieuwe_ronde"})
    assert response.headers["Location"].endswith(f"/zaken/{case.id}/groep")
    db.session.expire_all()
    assert [c.number for c in case.group.cycles] == [1, 2]
    leaving = case.group.members[0]
    client.post(f"/zaken/{case.id}/groep/leden/{leaving.id}/weg")
    add(client, case, world.pupils[12], "aanvoerder")
    db.session.expire_all()
    from steungroep.cases import state

    current = state.current_members(case.group)
    assert leaving not in current and len(current) == 7
    assert leaving.left_cycle == 2  # history of round 1 keeps them


def test_keep_previous_action_in_next_round(client, world, login):
    """In round 2 a member can keep last round's action with one tap."""
    case = f.case_at(world, "besluit")
    f.next_round(world, case)
    member = case.group.members[0]
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/bijeenkomst"))
    assert "Zelfde actie houden" in page
    client.post(f"/zaken/{case.id}/bijeenkomst/acties/{member.id}", data={"keep": "1"})
    texts = db.session.scalars(
        select(Action.text).where(Action.member_id == member.id).order_by(Action.id)
    ).all()
    assert len(texts) == 2 and texts[0] == texts[1]


def test_sixth_round_is_refused_by_any_route(client, world, login):
    """After round 5 'new round' is not offered, and posting it anyway is refused."""
    case = f.case_at(world, "besluit")
    for _ in range(4):
        f.next_round(world, case)
        f.with_meeting(world, case)
        f.with_evaluations(world, case)
    assert case.group.current_cycle.number == 5
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/besluit"))
    assert 'value="nieuwe_ronde"' not in page
    response = client.post(f"/zaken/{case.id}/besluit", data={"decision": "nieuwe_ronde"})
    assert response.status_code == 422 and "5" in text_of(response)
    assert count(Cycle) == 5
    db.session.expire_all()
    assert not case.is_closed


def test_escalation_needs_a_reason_and_ends_the_group(client, world, login):
    """Escalating requires a reason; the group ends and the case goes on with the plan."""
    case = f.case_at(world, "besluit")
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/besluit", data={"decision": "escaleren"})
    assert response.status_code == 422
    client.post(f"/zaken/{case.id}/besluit",
                data={"decision": "escaleren", "reason": "Ouders en directie ingeschakeld."})
    db.session.expire_all()
    assert not case.is_closed and case.escalated_at is not None
    assert case.group.current_cycle.decision == "escaleren"
    refused = client.post(f"/zaken/{case.id}/besluit", data={"decision": "nieuwe_ronde"})
    assert refused.status_code in (302, 422) and case.group.current_cycle.number == 1


def test_closed_group_cannot_change(client, world, login):
    """After closing, every change to the method is refused and the case stays readable
    (who was informed is a record and may still be added: see the informing test)."""
    case = f.case_at(world, "besluit")
    login(world.teacher)
    client.post(f"/zaken/{case.id}/besluit", data={"decision": "afsluiten"})
    member = case.group.members[0]
    before = (count(Action), count(GroupMember), count(Informed), count(Cycle))
    attempts = [
        client.post(f"/zaken/{case.id}/groep/leden",
                    data={"pupil_id": str(world.pupils[12].id), "role": "helper"}),
        client.post(f"/zaken/{case.id}/groep/leden/{member.id}/weg"),
        client.post(f"/zaken/{case.id}/bijeenkomst/acties/{member.id}", data={"text": "x"}),
        client.post(f"/zaken/{case.id}/besluit", data={"decision": "nieuwe_ronde"}),
    ]
    assert [r.status_code for r in attempts] == [422] * 4
    assert all("afgesloten" in text_of(r) for r in attempts)
    assert (count(Action), count(GroupMember), count(Informed), count(Cycle)) == before
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Afgesloten: het gaat beter" in page


def test_informed_is_recorded_on_case(client, world, login):
    """Who was informed and when is stored and shown; a future date is refused."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    bad = client.post(f"/zaken/{case.id}/geinformeerd",
                      data={"party": "directie", "informed_on": "2999-01-01"})
    assert bad.status_code == 422 and count(Informed) == 0
    client.post(f"/zaken/{case.id}/geinformeerd",
                data={"party": "directie", "informed_on": school_today().isoformat()})
    assert "Directie" in text_of(client.get(f"/zaken/{case.id}"))


def test_case_page_timeline_shows_who_did_what(client, world, login):
    """The case page shows each step with the person who did it."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.coordinator)
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Bijeenkomst ronde 1 gehouden" in page and "Juf Anne" in page


def expected_key(client, url: str) -> str:
    return re.search(r'name="expected" value="([^"]+)"', text_of(client.get(url))).group(1)


def test_double_tapped_afronden_plans_once_and_shows_case(client, world, login):
    """Afronden tapped twice: one set of evaluations, and the second tap shows the case."""
    case = f.case_at(world, "bijeenkomst")
    f.with_actions(world, case)
    login(world.teacher)
    key = expected_key(client, f"/zaken/{case.id}/bijeenkomst")
    assert key == "bijeenkomst:1"
    first = client.post(f"/zaken/{case.id}/bijeenkomst/afronden", data={"expected": key})
    second = client.post(f"/zaken/{case.id}/bijeenkomst/afronden", data={"expected": key})
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith(f"/zaken/{case.id}/bijeenkomst/klaar")
    assert count(Evaluation) == 2


def test_double_tapped_decision_starts_one_round(client, world, login):
    """'Nieuwe ronde' posted twice starts exactly one new round."""
    case = f.case_at(world, "besluit")
    login(world.teacher)
    key = expected_key(client, f"/zaken/{case.id}/besluit")
    data = {"decision": "nieuwe_ronde", "expected": key}
    client.post(f"/zaken/{case.id}/besluit", data=data)
    second = client.post(f"/zaken/{case.id}/besluit", data=data)
    assert second.status_code == 302 and count(Cycle) == 2


# ---- found in review: what the screen shows after a meeting, group history, locks -------


def test_after_afronden_pupils_see_only_a_thank_you(client, world, login):
    """The screen after Afronden is still seen by the group: thanks and the next talk,
    no role, no confidential text, no note, no 'pest'."""
    case = f.case_at(world, "bijeenkomst")
    f.with_actions(world, case)
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/bijeenkomst/afronden", follow_redirects=True)
    page = text_of(response)
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "Dank jullie wel" in page
    for word in ("Aanvoerder", "Meeloper", "Omstander", "Helper", "pest", "GEHEIM", "NOTITIE"):
        assert word.lower() not in visible.lower(), word
    again = client.get(f"/zaken/{case.id}/bijeenkomst")
    assert again.headers["Location"].endswith("/bijeenkomst/klaar")


def test_incomplete_group_at_afronden_names_no_roles(client, world, login):
    """If the group broke the rules by Afronden, the message on the meeting screen names
    no role category (pupils are listening)."""
    case = f.case_at(world, "besluit")
    f.next_round(world, case)
    f.with_actions(world, case)
    for member in list(case.group.members):  # drop the whole ringleader side
        if member.role in ("aanvoerder", "meeloper"):
            member.left_cycle = 2
    db.session.commit()
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/bijeenkomst/afronden")
    page = re.sub(r"<[^>]+>", " ", text_of(response)).lower()
    assert response.status_code == 422 and "niet compleet" in page
    for word in ("aanvoerder", "meeloper", "omstander", "helper"):
        assert word not in page, word


def test_afronden_stores_texts_the_form_carries(client, world, login):
    """Texts sent with Afronden (last edits, or typed without JavaScript) are stored first."""
    case = f.case_at(world, "bijeenkomst")
    members = case.group.members
    login(world.teacher)
    data = {f"action-{m.id}": f"Ik ga helpen ({m.pupil.first_name})." for m in members}
    response = client.post(f"/zaken/{case.id}/bijeenkomst/afronden", data=data)
    assert response.status_code == 302 and count(Action) == 7 and count(Evaluation) == 2
    # an autosave of the same text arriving after Afronden is harmless
    late = client.post(f"/zaken/{case.id}/bijeenkomst/acties/{members[0].id}",
                       data={"text": data[f"action-{members[0].id}"]},
                       headers={"HX-Request": "true"})
    assert late.status_code == 200


def test_afronden_with_a_bad_card_keeps_every_typed_text(client, world, login):
    """A too-long text at Afronden: 422, nothing stored, every typed text shown again."""
    case = f.case_at(world, "bijeenkomst")
    members = case.group.members
    login(world.teacher)
    data = {f"action-{m.id}": f"Idee van {m.pupil.first_name}" for m in members}
    data[f"action-{members[3].id}"] = "x" * 300
    response = client.post(f"/zaken/{case.id}/bijeenkomst/afronden", data=data)
    assert response.status_code == 422
    assert f"Idee van {members[0].pupil.first_name}" in text_of(response)
    assert count(Action) == 0 and count(Evaluation) == 0


def test_former_member_cannot_return_or_leave_twice(client, world, login):
    """A pupil who left in an earlier round can't be re-added or removed again (that
    would rewrite the history of the rounds in between)."""
    case = f.case_at(world, "besluit")
    f.next_round(world, case)
    login(world.teacher)
    add(client, case, world.pupils[12], "helper")
    leaving = case.group.members[0]
    client.post(f"/zaken/{case.id}/groep/leden/{leaving.id}/weg")
    db.session.expire_all()
    assert leaving.left_cycle == 2
    again = add(client, case, leaving.pupil, "helper", htmx=True)
    assert again.status_code == 422 and "eerder mee" in text_of(again)
    twice = client.post(f"/zaken/{case.id}/groep/leden/{leaving.id}/weg")
    assert twice.status_code == 422
    db.session.expire_all()
    assert leaving.left_cycle == 2 and leaving.joined_cycle == 1


def test_confirmed_group_cannot_shrink_below_six(client, world, login):
    """After the group is fixed, removing members stops at six."""
    case = f.case_at(world, "bijeenkomst", )
    login(world.teacher)
    members = list(case.group.members)
    assert client.post(f"/zaken/{case.id}/groep/leden/{members[0].id}/weg").status_code == 302
    response = client.post(f"/zaken/{case.id}/groep/leden/{members[1].id}/weg")
    assert response.status_code == 422 and "minstens 6" in text_of(response)
    assert count(GroupMember) == 6


def test_decision_needs_the_pupil_evaluation_too(client, world, login):
    """Closing straight after the meeting (no evaluations) is refused by the server."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/besluit", data={"decision": "afsluiten"})
    assert response.status_code == 422
    db.session.expire_all()
    assert not case.is_closed


def test_htmx_request_after_idle_lock_returns_to_its_page(client, world, login):
    """An htmx request on a locked session redirects to the lock page with the page the
    request came from as next, and unlocking goes back there."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 16 * 60
    response = client.post(
        f"/zaken/{case.id}/bijeenkomst/acties/{case.group.members[0].id}",
        data={"text": "x"},
        headers={"HX-Request": "true",
                 "HX-Current-URL": f"http://localhost/zaken/{case.id}/bijeenkomst"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/vergrendeld?next=/zaken/{case.id}/bijeenkomst"
    unlocked = client.post(f"/vergrendeld?next=/zaken/{case.id}/bijeenkomst",
                           data={"password": f.PASSWORD})
    assert unlocked.headers["Location"] == f"/zaken/{case.id}/bijeenkomst"


def test_lock_page_has_no_idle_timer_and_next_cannot_loop(client, world, login):
    """The lock page runs no idle timer of its own, and next= never points at it."""
    login(world.teacher)
    assert "data-idle-minutes" in text_of(client.get("/"))
    with client.session_transaction() as session:
        session["locked"] = True
    page = text_of(client.get("/vergrendeld"))
    assert "data-idle-minutes" not in page
    response = client.post("/vergrendeld?next=/vergrendeld", data={"password": f.PASSWORD})
    assert response.headers["Location"] == "/"


def test_five_wrong_unlocks_log_out(client, world, login):
    """A pupil guessing at a locked tablet is logged out after five wrong passwords."""
    login(world.teacher)
    with client.session_transaction() as session:
        session["locked"] = True
    for _ in range(4):
        assert client.post("/vergrendeld", data={"password": "raden"}).status_code == 422
    final = client.post("/vergrendeld", data={"password": "raden"})
    assert final.headers["Location"] == "/inloggen"
    assert client.get("/").headers["Location"].startswith("/inloggen")


def test_keep_alive_holds_off_the_idle_lock(client, world, login):
    """The page's keep-alive (sent while the teacher taps and types) counts as activity."""
    login(world.teacher)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 14 * 60
    assert client.get("/actief").status_code == 204
    with client.session_transaction() as session:
        assert time.time() - session["seen"] < 5


def test_meeting_refuses_another_members_name_and_says_so_without_private_words(
        client, world, login):
    """In front of the group: an action that names another member is refused with a message
    that names no role and no forbidden word; the pupil the group is for may be named."""
    case = f.case_at(world, "bijeenkomst")
    members = case.group.members
    first, other = members[0], members[1]
    login(world.teacher)
    url = f"/zaken/{case.id}/bijeenkomst/acties/{first.id}"
    other_name = other.pupil.first_name
    response = client.post(url, data={"text": f"Ik ga {other_name} zeggen dat het stopt."},
                           headers={"HX-Request": "true"})
    page = text_of(response)
    assert response.status_code == 422 and f"ook de naam {other_name}" in page
    response = client.post(url, data={"text": "Ik ga stoppen met pesten."},
                           headers={"HX-Request": "true"})
    page = text_of(response).lower()
    assert response.status_code == 422
    assert "pest" not in page.replace("stoppen met pesten", "") and "dader" not in page
    assert db.session.scalar(select(func.count(Action.id))) == 0
    subject = case.pupil.first_name
    assert client.post(url, data={"text": f"Ik ga naast {subject} zitten."},
                       headers={"HX-Request": "true"}).status_code == 200


def test_an_empty_melding_gets_every_message_at_once_next_to_its_field(client, world, login):
    """One try tells everything: the pupil, the date, who reports it, the forms, the
    description and the triage, each by its field and with the screen's own words."""
    login(world.teacher)
    before = count(Case)
    response = client.post("/meldingen/nieuw", data={"reported_on": ""})
    page = text_of(response)
    assert response.status_code == 422
    for message in ("Kies de leerling", "Vul de datum", "bij &#39;Wie meldt het?&#39;",
                    "Kies minstens één vorm", "Korte beschrijving is verplicht",
                    "bij &#39;Triage: wat is de volgende stap?&#39;"):
        assert message in page, message
    assert "Bron" not in page
    html = response.get_data(as_text=True)
    for field in ("pupil_id", "reported_on", "source", "forms", "description", "triage"):
        assert f'id="{field}-error"' in html, field
    assert html.count('aria-invalid="true"') >= 4
    assert count(Case) == before


def test_an_evaluation_on_the_meeting_day_asks_for_confirmation(client, world, login):
    """The meeting was today: recording the pupil evaluation today too gives the group no
    week to help. It is refused with a question and a tick box; ticked, it is stored."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.teacher)
    form = {"held_on": school_today().isoformat(), "wellbeing": "4", "changed": "Beter",
            "improved": "ja", "expected": step_key(case)}
    first = client.post(f"/zaken/{case.id}/evaluatie-leerling", data=form)
    assert first.status_code == 422 and "dag van de bijeenkomst zelf" in text_of(first)
    assert 'name="same_day"' in first.get_data(as_text=True) and "Beter" in text_of(first)
    assert db.session.scalar(select(Evaluation.held_on).where(Evaluation.kind == "leerling")) \
        is None
    second = client.post(f"/zaken/{case.id}/evaluatie-leerling", data={**form, "same_day": "1"})
    assert second.status_code == 302
    assert db.session.scalar(select(Evaluation.held_on).where(Evaluation.kind == "leerling")) \
        == school_today()


def test_a_later_rounds_meeting_has_its_own_script(client, world, login):
    case = f.next_round(world, f.case_at(world, "besluit"))
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/bijeenkomst"))
    assert "Bijeenkomst · ronde 2" in page and "Welkom terug" in page
    assert "waarom jullie hier zijn" not in page


def test_closing_as_better_when_the_pupil_said_no_needs_a_reason(client, world, login):
    case = f.case_at(world, "evaluatie_leerling")
    f.with_evaluations(world, case, improved="nee")
    login(world.teacher)
    form = {"decision": "afsluiten", "reason": "", "expected": step_key(case)}
    refused = client.post(f"/zaken/{case.id}/besluit", data=form)
    assert refused.status_code == 422
    assert "zei bij de laatste evaluatie dat het niet beter gaat" in text_of(refused)
    db.session.expire_all()
    assert not case.is_closed
    closed = client.post(f"/zaken/{case.id}/besluit", data={
        **form, "reason": "Ouders en mentor zien dat het goed gaat; de leerling wil stoppen."})
    assert closed.status_code == 302
    db.session.expire_all()
    assert case.is_closed and case.outcome == "opgelost"


def test_the_melding_records_its_facts_and_they_stay_with_staff(client, world, login):
    """Where, how often, since when, do the parents know, what was done before: optional,
    checked, on the case page and the dossier report, never on the meeting screen."""
    login(world.teacher)
    form = melding_form(world.subject, fact_where="Op het plein, in de pauze",
                        fact_frequency="vaak", fact_since="Sinds de herfstvakantie",
                        fact_parents_know="ja", fact_earlier="Gesprek met de klas in oktober.")
    response = client.post("/meldingen/nieuw", data=form)
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert (case.fact_where, case.fact_frequency, case.fact_parents_know) == (
        "Op het plein, in de pauze", "vaak", "ja")
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Vaak (elke week)" in page and "Sinds de herfstvakantie" in page
    assert "Gesprek met de klas in oktober." in text_of(client.get(f"/zaken/{case.id}/verslag"))


def test_bad_facts_are_refused_with_the_rest_and_nothing_is_stored(client, world, login):
    login(world.teacher)
    form = melding_form(world.subject, fact_frequency="altijd", fact_parents_know="misschien",
                        fact_where="x" * 201, description="")
    response = client.post("/meldingen/nieuw", data=form)
    page = text_of(response)
    assert response.status_code == 422
    assert "Hoe vaak?" in page and "Weten de ouders ervan?" in page and "200 tekens" in page
    assert "Korte beschrijving is verplicht" in page
    assert count(Case) == 0


def test_the_triage_can_change_after_the_talk_until_the_group_is_formed(client, world, login):
    case = f.case_at(world, "groep")
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Triage aanpassen" in page
    refused = client.post(f"/zaken/{case.id}/triage", data={"triage": "herhaald"})
    assert refused.status_code == 422 and "Kies een andere beoordeling" in text_of(refused)
    assert "De reden is verplicht" in text_of(refused)
    changed = client.post(f"/zaken/{case.id}/triage", data={
        "triage": "eenmalig", "triage_note": "Het bleek één incident op het plein."})
    assert changed.status_code == 302
    db.session.expire_all()
    assert not case.is_closed and case.triage == "eenmalig" and case.step == "herstelgesprek"
    assert any("Triage gewijzigd van" in e.text for e in case.timeline)
    ended = client.post(f"/zaken/{case.id}/triage", data={
        "triage": "geen_pesten", "triage_note": "Het bleek één ruzie op het plein."})
    assert ended.status_code == 302
    db.session.expire_all()
    assert case.is_closed and case.outcome == "anders_afgehandeld"
    formed = f.case_at(world, "bijeenkomst", pupil=world.pupils[3])
    assert "Triage aanpassen" not in text_of(client.get(f"/zaken/{formed.id}"))
    late = client.post(f"/zaken/{formed.id}/triage", data={"triage": "eenmalig",
                                                          "triage_note": "x"})
    assert late.status_code == 422 and "ligt nu vast" in text_of(late)


def test_the_case_page_prompts_who_to_inform_when_the_group_starts(client, world, login):
    """Once the pupil wants a group, the page lists the school's parties not yet informed,
    each a tap away; the school chooses the list; closed cases still take the record."""
    case = f.case_at(world, "groep")
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "informeer volgens het protocol van de school ook" in page
    assert "directie, intern begeleider, schoolmaatschappelijk werk, ouders/verzorgers" in page
    tapped = client.post(f"/zaken/{case.id}/geinformeerd",
                         data={"party": "ouders", "informed_on": school_today().isoformat()})
    assert tapped.status_code == 302
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Ouders/verzorgers vandaag geïnformeerd" not in page
    assert "Directie vandaag geïnformeerd" in page and "Intern begeleider vandaag" in page
    login(world.coordinator)
    save_settings(client, world.school, party=["directie", "ouders"])
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Directie vandaag geïnformeerd" in page and "Intern begeleider vandaag" not in page
    closed = f.case_at(world, "besluit", pupil=world.pupils[4])
    with f.changing(closed):
        evaluations.decide(closed, world.teacher, "afsluiten", "")
    after = client.post(f"/zaken/{closed.id}/geinformeerd",
                        data={"party": "ib", "informed_on": school_today().isoformat()})
    assert after.status_code == 302
    db.session.expire_all()
    assert [i.party for i in closed.informed] == ["ib"]
