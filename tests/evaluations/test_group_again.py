"""One last group evaluation a week after the first, without a new meeting, where the school
allows it (seed 002 stap 4, the JPS protocol): offered at the decision, planned a week on,
recorded like the first, then the round's decision. Reminded, on the card, in the feed, in the
report and the access copy like any group evaluation; refused where it is not allowed or
already held; a double tap plans one."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from babel.dates import format_date
from sqlalchemy import select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import EVAL_GROUP, EVAL_GROUP_AGAIN, Evaluation, MemberResult
from steungroep.planning import reminders
from steungroep.planning import use_cases as planning
from steungroep.web.pages import step_key

from .. import factories as f
from ..pages import count, expected_key, text_of, visible_text

OFFER = "Nog één evaluatie met de groep over een week"


def _allowing(world):
    world.school.group_eval_again = True
    db.session.commit()


def _week_on(case):
    return domain.add_school_days(school_today(), domain.GROUP_AGAIN_DAYS,
                                  planning.calendar_for(case.school))


def _results(case, **extra) -> dict:
    data = {"held_on": school_today().isoformat(), **extra}
    for position, member in enumerate(case.group.members, start=1):
        data[f"position-{member.id}"] = str(position)
        data[f"done-{member.id}"] = "ja" if position % 2 else "deels"
    return data


def test_a_school_that_does_not_allow_it_is_not_offered_it(client, world, login):
    case = f.case_at(world, "besluit")
    login(world.teacher)
    assert OFFER not in visible_text(client.get(f"/zaken/{case.id}/besluit"))
    refused = client.post(f"/zaken/{case.id}/besluit", data={
        "decision": "nog_een_evaluatie", "expected": step_key(case)})
    assert refused.status_code == 422
    assert "houdt geen extra evaluatie met de groep" in visible_text(refused)
    assert count(Evaluation, Evaluation.kind == EVAL_GROUP_AGAIN) == 0
    case = f.fresh(case)
    assert case.group.current_cycle.decision is None and case.step == "besluit"


def test_one_last_group_evaluation_a_week_on_then_the_decision(client, world, login):
    case = f.case_at(world, "besluit")
    _allowing(world)
    login(world.teacher)
    form = visible_text(client.get(f"/zaken/{case.id}/besluit"))
    assert OFFER in form and "tweede en laatste keer" in form
    saved = client.post(f"/zaken/{case.id}/besluit", data={
        "decision": "nog_een_evaluatie", "reason": "Twee kinderen deden hun actie nog niet.",
        "expected": expected_key(client, f"/zaken/{case.id}/besluit")})
    assert saved.status_code == 302 and saved.location.endswith(f"/zaken/{case.id}")
    due = _week_on(case)
    case = f.fresh(case)
    cycle = case.group.current_cycle
    assert cycle.decision is None and cycle.evaluation(EVAL_GROUP_AGAIN).due_on == due
    assert (case.step, case.step_due_on) == ("evaluatie_groep2", due)
    page = client.get(f"/zaken/{case.id}")
    text = visible_text(page)
    assert format_date(due, "EEEE d MMMM", locale="nl") in text  # the flash says when
    assert "Laatste evaluatie met de groep" in text
    assert f'href="/zaken/{case.id}/evaluatie-groep"' in text_of(page)
    assert any(f"nog één evaluatie met de groep op {due:%d-%m-%Y}" in e.text
               and "Twee kinderen" in e.text for e in case.timeline)
    # the form of the last group evaluation: its own title; on the first one's day it asks
    assert "Laatste evaluatie met de groep" in visible_text(
        client.get(f"/zaken/{case.id}/evaluatie-groep"))
    asked = client.post(f"/zaken/{case.id}/evaluatie-groep", data=_results(case))
    assert asked.status_code == 422 and "dezelfde dag als de eerste" in visible_text(asked)
    before = _results(case, held_on=(school_today() - timedelta(days=1)).isoformat(),
                      same_day="1")
    earlier = client.post(f"/zaken/{case.id}/evaluatie-groep", data=before)
    assert earlier.status_code == 422 and "niet vóór de eerste" in visible_text(earlier)
    assert db.session.scalar(select(Evaluation.held_on).where(
        Evaluation.kind == EVAL_GROUP_AGAIN)) is None
    held = client.post(f"/zaken/{case.id}/evaluatie-groep", data=_results(case, same_day="1"))
    assert held.location.endswith(f"/zaken/{case.id}/besluit")
    case = f.fresh(case)
    again = case.group.current_cycle.evaluation(EVAL_GROUP_AGAIN)
    assert again.held_on == school_today() and case.step == "besluit"
    assert [r.done for r in again.results][:2] == ["ja", "deels"]
    assert count(MemberResult) == 2 * len(case.group.members)  # the first one's are kept
    # once per round: not offered again, and refused when posted
    decision = visible_text(client.get(f"/zaken/{case.id}/besluit"))
    assert OFFER not in decision and "Na de laatste evaluatie met de groep" in decision
    assert "Acties gedaan: 4 van 7" in decision  # of the last one
    refused = client.post(f"/zaken/{case.id}/besluit", data={
        "decision": "nog_een_evaluatie", "expected": step_key(case)})
    assert refused.status_code == 422 and "al een laatste evaluatie" in visible_text(refused)
    closed = client.post(f"/zaken/{case.id}/besluit", data={
        "decision": "afsluiten", "expected": step_key(f.fresh(case))})
    assert closed.status_code == 302 and f.fresh(case).is_closed
    report = visible_text(client.get(f"/zaken/{case.id}/verslag"))
    assert "Evaluatie met de groep" in report and "Laatste evaluatie met de groep" in report


def test_a_double_tap_plans_one_last_evaluation(client, world, login):
    case = f.case_at(world, "besluit")
    _allowing(world)
    login(world.teacher)
    data = {"decision": "nog_een_evaluatie",
            "expected": expected_key(client, f"/zaken/{case.id}/besluit")}
    first = client.post(f"/zaken/{case.id}/besluit", data=data)
    second = client.post(f"/zaken/{case.id}/besluit", data=data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert count(Evaluation, Evaluation.kind == EVAL_GROUP_AGAIN) == 1
    assert sum("nog één evaluatie" in e.text for e in f.fresh(case).timeline) == 1


def test_it_is_reminded_moved_and_on_the_card_like_any_group_evaluation(client, world, login):
    case = f.group_again(world, f.case_at(world, "besluit"))
    again = f.fresh(case).group.current_cycle.evaluation(EVAL_GROUP_AGAIN)
    subject, body = reminders.due_message(world.teacher, again, case)
    assert subject.startswith("Vandaag: laatste gesprek met de steungroep van ")
    assert "nog één keer" in body and "besluit" in body
    assert not re.search(r"pest|aanvoerder|meeloper|slachtoffer", subject + body, re.I)
    login(world.teacher)
    new_day = domain.add_school_days(again.due_on, 1, planning.calendar_for(case.school))
    moved = client.post(f"/zaken/{case.id}/evaluaties/groep2/verplaatsen",
                        data={"due_on": new_day.isoformat(), "reason": "schoolreis"})
    assert moved.status_code == 302
    case = f.fresh(case)
    assert case.group.current_cycle.evaluation(EVAL_GROUP_AGAIN).due_on == new_day
    assert case.step_due_on == new_day
    assert any(e.text.startswith("Laatste evaluatie met de groep (ronde 1) verplaatst")
               for e in case.timeline)
    client.post("/agenda/nieuw")
    feed = re.search(r'value="https?://[^/"]+(/[^"]+\.ics)"',
                     text_of(client.get("/agenda"))).group(1)
    events = text_of(client.get(feed)).replace("\r\n ", "")
    assert f"SUMMARY:Laatste gesprek steungroep van {case.pupil.first_name}" in events
    # the card asks again, on the new day; the first group evaluation stays as it was
    member = case.group.members[0]
    card = visible_text(client.get(f"/k/{member.card_token}"))
    assert format_date(new_day, "EEEE d MMMM", locale="nl") in card
    assert case.group.current_cycle.evaluation(EVAL_GROUP).held_on == school_today()


def test_the_members_copy_holds_both_group_evaluations(client, world, login):
    case = f.group_again(world, f.case_at(world, "besluit"))
    with f.changing(case):
        evaluations.record_group_evaluation(case, world.teacher, school_today(),
                                            f.group_results(case, "nee"), "", same_day=True)
    member = case.group.members[0]
    login(world.coordinator)
    data = json.loads(client.get(f"/leerlingen/{member.pupil_id}/inzage.json").get_data())
    round_ = data["aanpakken"][0]["rondes"][0]
    assert round_["evaluatie_in_de_groep"]["actie_gedaan"] == "Gedaan"
    assert round_["laatste_evaluatie_in_de_groep"]["actie_gedaan"] == "Niet gedaan"
    page = visible_text(client.get(f"/leerlingen/{member.pupil_id}/inzage"))
    assert "Laatste evaluatie in de groep" in page
