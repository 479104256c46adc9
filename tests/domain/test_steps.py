"""Tests for steungroep.domain.steps: the next step the teacher sees for each case state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from steungroep.domain import (
    MAX_CYCLES,
    CaseSnapshot,
    Step,
    can_start_next_cycle,
    is_overdue,
    next_step,
    step_date,
)

PUPIL_DUE = date(2026, 3, 9)
GROUP_DUE = date(2026, 3, 16)

NEW = CaseSnapshot(
    triage=None,
    closed=False,
    outcome=None,
    talk_held=False,
    consent=None,
    group_confirmed=False,
    member_count=0,
    cycle_number=0,
    meeting_completed=False,
    actions_count=0,
    pupil_evaluation_held=False,
    group_evaluation_held=False,
    decision_made=False,
    pupil_evaluation_due=None,
    group_evaluation_due=None,
)
TALKED = replace(NEW, triage="herhaald", talk_held=True, consent=True)
CONFIRMED = replace(TALKED, group_confirmed=True, member_count=7)
MET = replace(
    CONFIRMED,
    cycle_number=1,
    meeting_completed=True,
    actions_count=7,
    pupil_evaluation_due=PUPIL_DUE,
    group_evaluation_due=GROUP_DUE,
)


def test_new_case_needs_triage():
    """A fresh melding starts with the triage choice."""
    assert next_step(NEW) == Step("triage", "Triage kiezen")


def test_no_bullying_ends_the_method_and_a_one_off_goes_to_its_restoring_talk():
    """Only repeated bullying runs the steungroepaanpak; 'geen pesten' ends here, the one-off
    path has its own restoring talk (see test_domain_plan)."""
    assert next_step(replace(NEW, triage="geen_pesten")).code == "gesloten"
    assert next_step(replace(NEW, triage="eenmalig")).code == "herstelgesprek"


def test_repeated_bullying_leads_to_talk():
    """After triage 'herhaald' comes the talk with the pupil."""
    assert next_step(replace(NEW, triage="herhaald")) == Step("gesprek", "Gesprek met de leerling")


def test_talk_without_consent_answer_is_still_the_talk():
    """A talk held but with no consent answer recorded keeps the step at the talk."""
    assert next_step(replace(TALKED, consent=None)).code == "gesprek"


def test_no_consent_for_now_asks_again_on_the_chosen_day():
    """The pupil does not want a group yet and the case stays open: its next step is the
    talk again, on the day the teacher chose; closed, nothing else happens."""
    step = next_step(replace(TALKED, consent=False, talk_again_on=date(2026, 12, 15)))
    assert (step.code, step.due) == ("gesprek", date(2026, 12, 15))
    assert "Opnieuw vragen" in step.label
    assert next_step(replace(TALKED, consent=False, closed=True)).code == "gesloten"


def test_consent_leads_to_forming_the_group():
    """With consent, the teacher composes the group."""
    assert next_step(TALKED) == Step("groep", "Steungroep samenstellen")


def test_confirmed_group_leads_to_first_meeting():
    """Without any cycle the meeting label still says round 1."""
    assert next_step(CONFIRMED) == Step("bijeenkomst", "Bijeenkomst houden (ronde 1)")


def test_open_meeting_of_later_round_shows_round_number():
    """A started but not completed 3rd cycle shows 'ronde 3'."""
    step = next_step(replace(MET, cycle_number=3, meeting_completed=False))
    assert step.label == "Bijeenkomst houden (ronde 3)"


def test_completed_meeting_leads_to_pupil_evaluation_with_due_date():
    """After the meeting comes the 1-week pupil talk, carrying its due date."""
    assert next_step(MET) == Step("evaluatie_leerling", "Evaluatie met de leerling", PUPIL_DUE)


def test_pupil_evaluation_stays_first_even_if_group_evaluation_held():
    """A held group talk does not skip the missing pupil talk."""
    step = next_step(replace(MET, group_evaluation_held=True))
    assert step.code == "evaluatie_leerling"


def test_after_pupil_evaluation_comes_group_evaluation():
    """The 2-week group talk follows, with its own due date."""
    step = next_step(replace(MET, pupil_evaluation_held=True))
    assert step == Step("evaluatie_groep", "Evaluatie met de groep", GROUP_DUE)


def test_after_both_evaluations_comes_decision():
    """With both talks held the teacher decides: close or another round."""
    done = replace(MET, pupil_evaluation_held=True, group_evaluation_held=True)
    assert next_step(done) == Step("besluit", "Besluiten: afsluiten of nieuwe ronde")
    assert next_step(replace(done, decision_made=True)).code == "gesloten"


def test_the_last_group_evaluation_is_a_step_of_its_own_then_the_decision():
    """Where the school allows one last group evaluation a week later (seed 002 stap 4), the
    decision waits for it, and the step says which group talk it is."""
    again = replace(MET, pupil_evaluation_held=True, group_evaluation_again=True,
                    group_evaluation_due=date(2026, 3, 23))
    assert next_step(again) == Step("evaluatie_groep2", "Laatste evaluatie met de groep",
                                    date(2026, 3, 23))
    assert next_step(replace(again, group_evaluation_held=True)).code == "besluit"


def test_closed_case_is_closed_whatever_else():
    """A closed case always reports 'Afgesloten', even halfway through a cycle."""
    assert next_step(replace(MET, closed=True, outcome="geescaleerd")) == Step(
        "gesloten", "Afgesloten"
    )


def test_overdue_only_after_due_date():
    """A step is overdue the day after its due date, not on it; no due date is never overdue."""
    step = Step("evaluatie_leerling", "Evaluatie met de leerling", PUPIL_DUE)
    assert not is_overdue(step_date(step, None), date(2026, 3, 9))
    assert is_overdue(step_date(step, None), date(2026, 3, 10))
    assert not is_overdue(step_date(Step("besluit", "Besluiten"), None), date(2027, 1, 1))
    meeting = Step("bijeenkomst", "Bijeenkomst houden (ronde 1)")
    assert is_overdue(step_date(meeting, date(2026, 3, 9)), date(2026, 3, 10))
    assert not is_overdue(step_date(meeting, None), date(2027, 1, 1))  # not planned: no date


def test_next_cycle_allowed_until_five():
    """Cycles 1–4 may be followed by another; after the 5th none."""
    assert [can_start_next_cycle(n) for n in range(1, MAX_CYCLES + 1)] == [
        True,
        True,
        True,
        True,
        False,
    ]
