"""Where a case stands, and which step the teacher takes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from steungroep.domain.i18n import N_, translate
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
    # The group evaluation above is the one last evaluation a week after the first (seed 002
    # stap 4), where the school allows it.
    group_evaluation_again: bool = False


@dataclass(frozen=True)
class Step:
    code: str
    label: str  # in the reader's language
    due: date | None = None


CLOSED = Step("gesloten", N_("Afgesloten"))


def _step(code: str, label: str, due: date | None = None, **values) -> Step:
    """A step with its label (marked with ``N_``) in the reader's language."""
    return Step(code, translate(label, **values), due)


# The words of each step, written once: the case page (``next_step``) and the lists
# (``step_label``, from the stored columns) both take them from here.
LABELS = {
    "triage": N_("Triage kiezen"),
    "plan_afronden": N_("Stappenplan afronden"),
    "stappenplan": N_("Stappenplan: %(title)s"),
    "herstelgesprek": N_("Herstelgesprek vastleggen"),
    "controle": N_("Controle na twee weken"),
    "gesprek": N_("Gesprek met de leerling"),
    "gesprek_opnieuw": N_("Opnieuw vragen of de leerling hulp wil"),
    "groep": N_("Steungroep samenstellen"),
    "bijeenkomst": N_("Bijeenkomst houden (ronde %(n)s)"),
    "evaluatie_leerling": N_("Evaluatie met de leerling"),
    "evaluatie_groep": N_("Evaluatie met de groep"),
    "evaluatie_groep2": N_("Laatste evaluatie met de groep"),
    "besluit": N_("Besluiten: afsluiten of nieuwe ronde"),
    CLOSED.code: CLOSED.label,
}


def _at(code: str, due: date | None = None, label: str | None = None, **values) -> Step:
    return _step(code, LABELS[label or code], due, **values)


def next_step(s: CaseSnapshot) -> Step:
    """The one next step, following the method in order (no step can be skipped)."""
    if s.closed:
        return _at(CLOSED.code)
    if not s.triage:
        return _at("triage")
    if s.escalated:
        if s.plan_next is None:
            return _at("plan_afronden")
        return _at("stappenplan", s.plan_next_due, title=s.plan_next)
    if s.triage == "eenmalig":
        if not s.restore_held:
            return _at("herstelgesprek")
        return _at("controle", s.check_due)
    if s.triage != "herhaald":
        return _at(CLOSED.code)
    if not s.talk_held or s.consent is None:
        return _at("gesprek")
    if not s.consent:  # 'not yet': the case stays open until the pupil is asked again
        return _at("gesprek", s.talk_again_on, label="gesprek_opnieuw")
    if not s.group_confirmed:
        return _at("groep")
    if s.cycle_number == 0 or not s.meeting_completed:
        return _at("bijeenkomst", n=max(s.cycle_number, 1))
    if not s.pupil_evaluation_held:
        return _at("evaluatie_leerling", s.pupil_evaluation_due)
    if not s.group_evaluation_held:
        code = "evaluatie_groep2" if s.group_evaluation_again else "evaluatie_groep"
        return _at(code, s.group_evaluation_due)
    if not s.decision_made:
        return _at("besluit")
    return _at(CLOSED.code)


def step_label(code: str, cycle_number: int, title: str = "",
               due: date | None = None) -> str:
    """The words of ``next_step`` from a case's stored status columns (``cases.step``,
    ``cycle_number``, ``step_title``, ``step_due_on``), for lists that read only those; in
    the reader's language."""
    if code not in LABELS:
        return code
    key = "gesprek_opnieuw" if code == "gesprek" and due else code
    return translate(LABELS[key], n=max(cycle_number, 1), title=title)


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
