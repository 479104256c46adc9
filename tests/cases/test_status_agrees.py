"""Where a case stands is decided once (domain.next_step): the case page reads it from the
records (cases/state.py snapshot), the lists from the stored columns (cases/status.py), and
the lists' words from domain.step_label. For every state the factories make, all three
agree."""

from __future__ import annotations

import pytest

from steungroep import domain
from steungroep.cases import state
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import Case

from .. import factories as f


def _made(world, made: str) -> Case:
    if made in ("gesprek", "groep", "bijeenkomst", "evaluatie_leerling", "besluit"):
        return f.case_at(world, made)
    if made == "evaluatie_groep":
        return f.with_pupil_evaluation(world, f.case_at(world, "evaluatie_leerling"))
    if made == "evaluatie_groep2":
        return f.group_again(world, f.case_at(world, "besluit"))
    if made == "besluit_na_groep2":
        case = f.group_again(world, f.case_at(world, "besluit"))
        with f.changing(case):
            evaluations.record_group_evaluation(case, world.teacher, school_today(),
                                                f.group_results(case), "", same_day=True)
        return case
    if made == "gesloten":
        case = f.case_at(world, "besluit")
        with f.changing(case):
            evaluations.decide(case, world.teacher, "afsluiten", "")
        return case
    if made == "volgende_ronde":
        return f.next_round(world, f.case_at(world, "besluit"))
    if made == "stappenplan":
        return f.escalated_case(world)
    if made == "herstelgesprek":
        return f.new_case(world, triage="eenmalig", note="Een herstelgesprek met beiden.")
    if made == "stappenplan_meteen":
        return f.new_case(world, triage="stappenplan", note="Had vorig jaar een steungroep.")
    if made == "geen_pesten":
        return f.new_case(world, triage="geen_pesten", note="Een gesprek met de ouders.")
    raise AssertionError(made)


@pytest.mark.parametrize("made", ["gesprek", "groep", "bijeenkomst", "evaluatie_leerling",
                                  "evaluatie_groep", "besluit", "evaluatie_groep2",
                                  "besluit_na_groep2", "gesloten", "volgende_ronde",
                                  "stappenplan", "stappenplan_meteen", "herstelgesprek",
                                  "geen_pesten"])
def test_the_case_page_the_stored_columns_and_the_labels_agree(world, made):
    case = _made(world, made)
    db.session.commit()
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    step = domain.next_step(state.snapshot(case))
    cycle = case.group.current_cycle if case.group else None
    assert case.step == step.code
    assert case.step_due_on == domain.step_date(step, cycle.meeting_planned_on if cycle else None)
    assert domain.step_label(case.step, case.cycle_number, case.step_title,
                             case.step_due_on) == step.label
    expected = {"evaluatie_groep2": "evaluatie_groep2", "besluit_na_groep2": "besluit"}
    if made in expected:
        assert step.code == expected[made]
        assert (step.due is not None) == (made == "evaluatie_groep2")
