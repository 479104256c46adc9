"""After the steungroep: the school's stappenplan as the next phase of the same case (seed
001 §6.1 stap 4–10; seed 002 "extra stap"; seed 004 §2.2). The group ends, the case stays
open with the school's steps; the coordinator closes it when the plan is done."""

from __future__ import annotations

from datetime import date, datetime

from steungroep import domain
from steungroep.cases.state import ensure_open, note
from steungroep.core.timeutil import school_today, utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import ROLE_COORDINATOR, Case, PlanStep, School, User
from steungroep.web.writes import use_case


def start_plan(case: Case, user: User, reason: str, now: datetime | None = None) -> None:
    """The steungroep (or the pupil's 'no') leads to the stappenplan: the school's steps are
    copied into the case, which stays open. Called inside the use case that decides it."""
    ensure_open(case)
    case.escalated_at = now or utcnow()
    for position, title in enumerate(domain.plan.plan_steps(case.school.plan_steps), start=1):
        case.plan_steps.append(PlanStep(position=position, title=title))
    note(case, user, "stappenplan", f"Verder met het stappenplan van de school: {reason}")


def _plan_step(case: Case, step_id: int | None) -> PlanStep:
    if case.escalated_at is None:
        raise DomainError(N_("Deze aanpak heeft geen stappenplan."))
    if case.is_closed:
        raise DomainError(N_("Deze aanpak is afgesloten: het stappenplan ligt vast."))
    step = next((s for s in case.plan_steps if s.id == step_id), None)
    if step is None:
        raise DomainError(N_("Die stap hoort niet bij dit stappenplan."))
    return step


@use_case
def record_step(case: Case, user: User, step_id: int | None, done_on: date | None,
                done_by: str, text: str) -> PlanStep:
    """A step of the plan is done: when, who did it, a note. Recording it again corrects it."""
    step = _plan_step(case, step_id)
    again = step.done_on is not None
    values = domain.plan.check_step_done(done_on, done_by, text, school_today())
    if again and values == (step.done_on, step.done_by, step.note):
        return step  # a double tap: already recorded just so
    step.done_on, step.done_by, step.note = values
    step.user = user
    what = "aangepast" if again else "gezet"
    note(case, user, "stappenplan", f"Stap {step.position} {what}: {step.title} "
         f"({step.done_on:%d-%m-%Y}, {step.done_by}).")
    return step


@use_case
def plan_step(case: Case, user: User, step_id: int | None, planned_on: date | None,
              owner: str = "") -> PlanStep:
    """Who takes a step that is not done yet (one of the school's functions) and when it is
    planned (the overview shows it)."""
    step = _plan_step(case, step_id)
    if step.done_on is not None:
        raise DomainError(N_("Deze stap is al gezet."), field="planned_on")
    functions = case.school.function_names
    if step.owner:  # a function renamed since keeps its step
        functions = [*functions, step.owner]
    owner, planned_on = domain.plan.check_step_planned(planned_on, owner, functions,
                                                        school_today())
    if (owner, planned_on) == (step.owner, step.planned_on):
        return step  # a double tap, or nothing changed
    step.owner, step.planned_on = owner, planned_on
    if planned_on and owner:
        what = f"gepland op {planned_on:%d-%m-%Y}, door {owner}"
    elif planned_on:
        what = f"gepland op {planned_on:%d-%m-%Y}"
    elif owner:
        what = f"is voor {owner}"
    else:
        what = "niet meer gepland"
    note(case, user, "stappenplan", f"Stap {step.position} {what}: {step.title}.")
    return step


@use_case
def add_step(case: Case, user: User, title: str) -> PlanStep:
    """One more step for this case (seed 001 §6.2: on repetition the plan goes on)."""
    if case.escalated_at is None or case.is_closed:
        raise DomainError(N_("Er kan alleen een stap bij een lopend stappenplan."))
    title = domain.clean_text(title, N_("De nieuwe stap"),
                              max_length=domain.plan.STEP_TITLE_LENGTH, field="title")
    same = next((s for s in case.plan_steps if s.title == title and s.done_on is None), None)
    if same is not None:  # a double tap: already added
        return same
    if len(case.plan_steps) >= domain.plan.MAX_PLAN_STEPS + 5:
        raise DomainError(N_("Dit stappenplan heeft al genoeg stappen."), field="title")
    position = max((s.position for s in case.plan_steps), default=0) + 1
    step = PlanStep(position=position, title=title)
    case.plan_steps.append(step)
    note(case, user, "stappenplan", f"Stap {position} toegevoegd: {title}.")
    return step


@use_case
def close_plan(case: Case, user: User, reason: str, outcome: str = "") -> None:
    """The coordinator closes the case when the plan is done, with how it ended (with
    steps open: a reason)."""
    if user.role != ROLE_COORDINATOR:
        raise DomainError(N_("Alleen een coördinator sluit een stappenplan af."))
    if case.escalated_at is None:
        raise DomainError(N_("Deze aanpak heeft geen stappenplan."))
    domain.check_open(case.is_closed)
    open_titles = [s.title for s in case.plan_steps if s.done_on is None]
    outcome, reason = domain.plan.check_plan_close(open_titles, reason, outcome)
    case.closed_at = utcnow()
    case.outcome, case.outcome_note = outcome, reason
    done = len(case.plan_steps) - len(open_titles)
    note(case, user, "gesloten", f"Stappenplan afgerond en de aanpak afgesloten ({done} van "
         f"{len(case.plan_steps)} stappen gezet): {domain.PLAN_ENDINGS[outcome]}."
         + (f" {reason}" if reason else ""))


@use_case
def set_plan_steps(school: School, text: str) -> None:
    """The school's stappenplan (one step per line); new plans copy it, running ones keep
    their own steps."""
    school.plan_steps = domain.plan.check_plan_text(text)
