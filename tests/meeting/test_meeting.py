"""Meeting mode (meeting/): one action per member saved as typed, Afronden plans the
evaluations on school days, and the screen the group still sees shows no role and no note."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import Action, Cycle, Evaluation
from steungroep.planning import use_cases as planning

from .. import factories as f
from ..pages import count, expected_key, text_of
from ..sql import counted


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


def test_the_meetings_own_script_gets_what_it_needs_and_no_more(client, world, login):
    """The meeting screen's script (meeting.js) saves with Accept: application/json and reads
    the state and the text stored (and a refusal's message): the answer holds just that, and
    building it reads no more than saving needs."""
    case = f.case_at(world, "bijeenkomst")
    first, second = case.group.members[0], case.group.members[1]
    login(world.teacher)
    as_script = {"Accept": "application/json"}

    def save(member, text):
        return client.post(f"/zaken/{case.id}/bijeenkomst/acties/{member.id}",
                           data={"text": text}, headers=as_script)

    used, saved = counted(lambda: save(first, "Ik ga gedag zeggen."))
    assert saved.status_code == 200
    assert saved.get_json() == {"state": "saved", "stored": "Ik ga gedag zeggen."}
    refused = save(second, "")
    assert refused.status_code == 422
    assert set(refused.get_json()) == {"state", "message", "stored"}
    assert refused.get_json()["state"] == "refused"
    assert used <= 30  # the case loaded and locked, the action, the status, the audit row


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
    today, calendar = school_today(), planning.calendar_for(case.school)
    for evaluation, days in zip(evaluations, (10, 5), strict=True):  # school days, any weekday
        assert evaluation.due_on.weekday() < 5
        assert evaluation.due_on == domain.add_school_days(today, days, calendar)
        assert (evaluation.due_on - today).days > days  # a weekend day lies in between
    page = text_of(client.get(f"/zaken/{case.id}"))
    assert "Gepland op" in page


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


def test_a_later_rounds_meeting_has_its_own_script(client, world, login):
    case = f.next_round(world, f.case_at(world, "besluit"))
    login(world.teacher)
    page = text_of(client.get(f"/zaken/{case.id}/bijeenkomst"))
    assert "Bijeenkomst · ronde 2" in page and "Welkom terug" in page
    assert "waarom jullie hier zijn" not in page
    # the timer keeps the length the script announces ("ongeveer twintig minuten")
    assert "/ 15–25 min" in page and "/ 30–45 min" not in page
    assert 'data-late-minutes="25"' in client.get(
        f"/zaken/{case.id}/bijeenkomst").get_data(as_text=True)
    first = f.case_at(world, "bijeenkomst", pupil=world.pupils[9])
    assert "/ 30–45 min" in text_of(client.get(f"/zaken/{first.id}/bijeenkomst"))
