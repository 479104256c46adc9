"""Double taps and two tabs on what surrounds the steungroep: the restoring talk, the check,
a talk, a pupil involved, a step of the plan and closing it. One record each, never a 500."""

from __future__ import annotations

from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import Case, CasePupil, CaseTalk, PlanStep, TimelineEntry
from steungroep.web.pages import step_key

from .. import factories as f
from ..live import Client, at_once, serving
from ..planning.days import restored_two_weeks_ago


def _count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _twice(client, url, form):
    answers = at_once((client, url, form), (client, url, form))
    assert [a[0] for a in answers if a[0] >= 400] == [], answers
    return answers


def test_the_one_off_path_tapped_twice_stores_each_talk_once(app, world):
    case = f.new_case(world, triage="eenmalig", note="Eén keer.")
    db.session.commit()
    with serving(app) as base:
        tablet = Client(base).log_in(world.teacher)
        _twice(tablet, f"/zaken/{case.id}/herstelgesprek", {
            "expected": step_key(case), "talk_pupil": world.pupils[5].id,
            "held_on": restored_two_weeks_ago(case).isoformat(), "summary": "Excuses gemaakt."})
        assert _count(CaseTalk, CaseTalk.kind == "herstelgesprek") == 1
        assert _count(CasePupil) == 1
        db.session.expire_all()
        case = db.session.get(Case, case.id)
        _twice(tablet, f"/zaken/{case.id}/controle", {
            "expected": step_key(case), "result": "gestopt",
            "held_on": school_today().isoformat(), "check_note": "Rustig."})
        assert _count(CaseTalk, CaseTalk.kind == "controle") == 1
        assert _count(TimelineEntry, TimelineEntry.kind == "gesloten") == 1


def test_a_talk_a_pupil_and_a_step_tapped_twice_are_stored_once(app, world):
    case = f.escalate(world, f.case_at(world, "besluit"))
    step_id = case.plan_steps[0].id
    db.session.commit()
    with serving(app) as base:
        tablet = Client(base).log_in(world.teacher)
        _twice(tablet, f"/zaken/{case.id}/gesprekken", {
            "submission_key": "a" * 32, "party": "smw",
            "held_on": school_today().isoformat(), "summary": "Overleg."})
        assert _count(CaseTalk) == 1
        _twice(tablet, f"/zaken/{case.id}/betrokken", {
            "involved_pupil": world.pupils[10].id, "involvement": "pestte"})
        assert _count(CasePupil) == 1
        _twice(tablet, f"/zaken/{case.id}/stappenplan/gezet", {
            "step_id": step_id, "done_on": school_today().isoformat(), "done_by": "Juf Anne"})
        assert _count(TimelineEntry, TimelineEntry.kind == "stappenplan",
                      TimelineEntry.text.like("Stap 1 %")) == 1
        _twice(tablet, f"/zaken/{case.id}/stappenplan/stap", {"title": "Extra gesprek"})
        assert _count(PlanStep, PlanStep.case_id == case.id) == 8


def test_two_coordinators_closing_the_plan_at_once_close_it_once(app, world):
    case = f.escalate(world, f.case_at(world, "besluit"))
    second = f.make_user("Ib Ilse", "ilse@a.example", "coordinator", world.school)
    db.session.commit()
    with serving(app) as base:
        one = Client(base).log_in(world.coordinator)
        other = Client(base).log_in(second)
        form = {"expected": step_key(case), "close_reason": "Plan klaar, stappen niet nodig.",
                "plan_outcome": "plan_beter"}
        url = f"/zaken/{case.id}/stappenplan/afsluiten"
        answers = at_once((one, url, form), (other, url, form))
        assert [a[0] for a in answers] == [302, 302], answers
        assert _count(TimelineEntry, TimelineEntry.case_id == case.id,
                      TimelineEntry.kind == "gesloten") == 1
