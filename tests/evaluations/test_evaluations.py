"""The evaluations and the decision after them (evaluations/): with the pupil after a
week, with the group after two, then a next round, closing or escalating; at most five
rounds."""

from __future__ import annotations

from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import Action, Cycle, Evaluation, GroupMember, Informed
from steungroep.web.pages import step_key

from .. import factories as f
from ..pages import add_to_group, count, expected_key, text_of


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
    add_to_group(client, case, world.pupils[12], "aanvoerder")
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


def test_double_tapped_decision_starts_one_round(client, world, login):
    """'Nieuwe ronde' posted twice starts exactly one new round."""
    case = f.case_at(world, "besluit")
    login(world.teacher)
    key = expected_key(client, f"/zaken/{case.id}/besluit")
    data = {"decision": "nieuwe_ronde", "expected": key}
    client.post(f"/zaken/{case.id}/besluit", data=data)
    second = client.post(f"/zaken/{case.id}/besluit", data=data)
    assert second.status_code == 302 and count(Cycle) == 2


def test_decision_needs_the_pupil_evaluation_too(client, world, login):
    """Closing straight after the meeting (no evaluations) is refused by the server."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/besluit", data={"decision": "afsluiten"})
    assert response.status_code == 422
    db.session.expire_all()
    assert not case.is_closed


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
