"""Where a case stands, and which step the teacher takes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from steungroep.domain.rounds import MAX_CYCLES


@dataclass(frozen=True)
class CaseSnapshot:
    """The facts about one case that decide its next step."""

    triage: str | None
    closed: bool
    outcome: str | None
    talk_held: bool
    consent: bool | None
    group_confirmed: bool
    member_count: int
    cycle_number: int  # 0 when no cycle has started
    meeting_completed: bool
    actions_count: int
    pupil_evaluation_held: bool
    group_evaluation_held: bool
    decision_made: bool
    pupil_evaluation_due: date | None
    group_evaluation_due: date | None
    talk_again_on: date | None = None  # the pupil said no for now: ask again on this day
    # After an escalation the case goes on with the school's stappenplan (its first step
    # not yet done, and when that step is planned); None when every step is done.
    escalated: bool = False
    plan_next: str | None = None
    plan_next_due: date | None = None
    # The one-off path: the restoring talk was recorded, and the check is due on this day.
    restore_held: bool = False
    check_due: date | None = None


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    due: date | None = None


CLOSED = Step("gesloten", "Afgesloten")


def next_step(s: CaseSnapshot) -> Step:
    """The one next step, following the method in order (no step can be skipped)."""
    if s.closed:
        return CLOSED
    if not s.triage:
        return Step("triage", "Triage kiezen")
    if s.escalated:
        if s.plan_next is None:
            return Step("plan_afronden", "Stappenplan afronden")
        return Step("stappenplan", f"Stappenplan: {s.plan_next}", s.plan_next_due)
    if s.triage == "eenmalig":
        if not s.restore_held:
            return Step("herstelgesprek", "Herstelgesprek vastleggen")
        return Step("controle", "Controle na twee weken", s.check_due)
    if s.triage != "herhaald":
        return CLOSED
    if not s.talk_held or s.consent is None:
        return Step("gesprek", "Gesprek met de leerling")
    if not s.consent:  # 'not yet': the case stays open until the pupil is asked again
        return Step("gesprek", "Opnieuw vragen of de leerling hulp wil", s.talk_again_on)
    if not s.group_confirmed:
        return Step("groep", "Steungroep samenstellen")
    if s.cycle_number == 0 or not s.meeting_completed:
        return Step("bijeenkomst", f"Bijeenkomst houden (ronde {max(s.cycle_number, 1)})")
    if not s.pupil_evaluation_held:
        return Step("evaluatie_leerling", "Evaluatie met de leerling", s.pupil_evaluation_due)
    if not s.group_evaluation_held:
        return Step("evaluatie_groep", "Evaluatie met de groep", s.group_evaluation_due)
    if not s.decision_made:
        return Step("besluit", "Besluiten: afsluiten of nieuwe ronde")
    return CLOSED


_LABELS = {
    "triage": "Triage kiezen",
    "plan_afronden": "Stappenplan afronden",
    "herstelgesprek": "Herstelgesprek vastleggen",
    "controle": "Controle na twee weken",
    "groep": "Steungroep samenstellen",
    "evaluatie_leerling": "Evaluatie met de leerling",
    "evaluatie_groep": "Evaluatie met de groep",
    "besluit": "Besluiten: afsluiten of nieuwe ronde",
    "gesloten": "Afgesloten",
}


def step_label(code: str, cycle_number: int, title: str = "",
               due: date | None = None) -> str:
    """The words of ``next_step`` from a case's stored status columns (``cases.step``,
    ``cycle_number``, ``step_title``, ``step_due_on``), for lists that read only those."""
    if code == "gesprek":
        return "Opnieuw vragen of de leerling hulp wil" if due else "Gesprek met de leerling"
    if code == "bijeenkomst":
        return f"Bijeenkomst houden (ronde {max(cycle_number, 1)})"
    if code == "stappenplan":
        return f"Stappenplan: {title}"
    return _LABELS.get(code, code)


def is_overdue(due_on: date | None, today: date) -> bool:
    """Te laat: the date of the next step (``step_date``: an evaluation's planned date, or
    the day the group meeting was planned) has passed. The one definition: the home page,
    the case page and the overview (``cases.step_due_on < today`` in SQL) all use it."""
    return due_on is not None and due_on < today


def can_start_next_cycle(cycle_number: int) -> bool:
    return cycle_number < MAX_CYCLES


def step_date(step: Step, meeting_planned_on: date | None) -> date | None:
    """The date the next step should happen: an evaluation's planned date, or the day the
    group meeting is planned; None when nothing is planned."""
    if step.code == "bijeenkomst":
        return meeting_planned_on
    return step.due
