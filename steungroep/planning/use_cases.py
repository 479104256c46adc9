"""Dates: planning the meeting, moving an evaluation, the school's calendar, and what moves
when that calendar changes (a new region or studiedag: settings/use_cases.py)."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from steungroep import domain
from steungroep.cases.state import (
    current_cycle,
    ensure_open,
    note,
)
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import (
    Case,
    Cycle,
    DayOff,
    Evaluation,
    School,
    SupportGroup,
    User,
)
from steungroep.web.writes import use_case


def calendar_for(school: School) -> domain.RegionCalendar:
    """The school's calendar: weekends, public holidays, its region's school holidays and its
    own days off (studiedagen)."""
    days_off = db.session.execute(
        select(DayOff.day, DayOff.description).where(DayOff.school_id == school.id)
    ).all()
    return domain.RegionCalendar(school.region, {day: text for day, text in days_off})


MEETING_AHEAD_DAYS = 92


@use_case
def plan_meeting(case: Case, user: User, day: date | None, at: time | None) -> Cycle:
    """Put the coming group meeting in the diary (the time is optional)."""
    ensure_open(case)
    if case.group is None or case.group.confirmed_at is None:
        raise DomainError(N_("Bevestig eerst de groep; daarna plan je de bijeenkomst."))
    cycle = current_cycle(case)
    domain.check_meeting_open(cycle.meeting_completed_at is not None)
    if day is None:
        raise DomainError(N_("Vul de datum van de bijeenkomst in."), "day")
    if day < school_today():
        raise DomainError(N_("Die datum is al voorbij. Kies vandaag of een latere dag."), "day")
    if day > school_today() + timedelta(days=MEETING_AHEAD_DAYS):
        raise DomainError(
            N_("Plan de bijeenkomst binnen drie maanden: de groep helpt nu, niet later."), "day"
        )
    reason = calendar_for(case.school).closed_reason(day)
    if reason:
        raise DomainError(
            N_("%(day)s is geen schooldag (%(reason)s). Kies een andere dag."),
            day=_capital(domain.date_text(day)), reason=domain.reason_text(reason),
        )
    cycle.meeting_planned_on = day
    cycle.meeting_planned_time = at
    when = f"{day:%d-%m-%Y}" + (f" om {at:%H:%M}" if at else "")
    note(case, user, "bijeenkomst", f"Bijeenkomst ronde {cycle.number} gepland op {when}.")
    return cycle


@use_case
def move_evaluation(
    case: Case, user: User, evaluation: Evaluation, new_day: date | None, reason: str
) -> Evaluation:
    """Plan an evaluation on another school day, with a short reason in the timeline. The
    reminder follows the new date (it is keyed on the due date)."""
    ensure_open(case)
    if evaluation.held_on is not None:
        raise DomainError(N_("Deze evaluatie is al gehouden; verplaatsen kan niet meer."))
    if evaluation.cycle.decision is not None:
        raise DomainError(N_("Over deze ronde is al besloten; verplaatsen kan niet meer."))
    if new_day is None:
        raise DomainError(N_("Vul de nieuwe datum in."))
    reason = domain.clean_text(reason, "De reden", max_length=domain.SHORT_TEXT, field="reason")
    if new_day == evaluation.due_on:
        raise DomainError(N_("Dat is dezelfde datum. Kies een andere dag of laat het zo."))
    domain.check_new_due_date(
        new_day, school_today(), evaluation.cycle.meeting_on, calendar_for(case.school)
    )
    old = evaluation.due_on
    evaluation.due_on = new_day
    note(
        case,
        user,
        "verplaatst",
        f"{domain.EVALUATION_KINDS[evaluation.kind]} (ronde {evaluation.cycle.number}) verplaatst "
        f"van {old:%d-%m-%Y} naar {new_day:%d-%m-%Y}: {reason}",
    )
    return evaluation


def open_case_ids(school: School) -> list[int]:
    """The school's open cases: what a change to its calendar may move (and must lock)."""
    return list(db.session.scalars(
        select(Case.id).where(Case.school_id == school.id, Case.closed_at.is_(None))
    ))


def _waiting_evaluations(school: School) -> list[Evaluation]:
    """Evaluations of the school's open cases that are planned but not held yet."""
    return list(
        db.session.scalars(
            select(Evaluation)
            .join(Cycle, Cycle.id == Evaluation.cycle_id)
            .join(SupportGroup, SupportGroup.id == Cycle.group_id)
            .join(Case, Case.id == SupportGroup.case_id)
            .where(
                Case.school_id == school.id,
                Case.closed_at.is_(None),
                Cycle.decision.is_(None),
                Evaluation.held_on.is_(None),
                Evaluation.due_on >= school_today(),
            )
            .options(selectinload(Evaluation.cycle).selectinload(Cycle.group))
        )
    )


@use_case
def replan_closed_days(school: School, user: User) -> list[Evaluation | Cycle]:
    """After the school's calendar changed: every waiting evaluation, and every planned
    meeting, that now falls on a day without school moves to the next school day (noted in
    its case's timeline)."""
    calendar = calendar_for(school)
    moved: list[Evaluation | Cycle] = []
    for evaluation in _waiting_evaluations(school):
        reason = calendar.closed_reason(evaluation.due_on)
        if not reason:
            continue
        old = evaluation.due_on
        evaluation.due_on = domain.next_school_day(old, calendar)
        case = db.session.get(Case, evaluation.cycle.group.case_id)
        note(
            case,
            user,
            "verplaatst",
            f"{domain.EVALUATION_KINDS[evaluation.kind]} (ronde {evaluation.cycle.number}) "
            f"verplaatst van {old:%d-%m-%Y} naar {evaluation.due_on:%d-%m-%Y}: geen schooldag "
            f"({reason}).",
        )
        moved.append(evaluation)
    for cycle in _planned_meetings(school):
        reason = calendar.closed_reason(cycle.meeting_planned_on)
        if not reason:
            continue
        old = cycle.meeting_planned_on
        cycle.meeting_planned_on = domain.next_school_day(old, calendar)
        case = db.session.get(Case, cycle.group.case_id)
        note(
            case,
            user,
            "verplaatst",
            f"Bijeenkomst ronde {cycle.number} verplaatst van {old:%d-%m-%Y} naar "
            f"{cycle.meeting_planned_on:%d-%m-%Y}: geen schooldag ({reason}).",
        )
        moved.append(cycle)
    return moved


def _planned_meetings(school: School) -> list[Cycle]:
    return list(
        db.session.scalars(
            select(Cycle)
            .join(SupportGroup, SupportGroup.id == Cycle.group_id)
            .join(Case, Case.id == SupportGroup.case_id)
            .where(
                Case.school_id == school.id,
                Case.closed_at.is_(None),
                Cycle.meeting_completed_at.is_(None),
                Cycle.meeting_planned_on >= school_today(),
            )
            .options(selectinload(Cycle.group))
        )
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
