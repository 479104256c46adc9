"""Dates: planning the meeting, moving an evaluation, and the school calendar
(region, studiedagen) with what moves when it changes; a school's settings saved at once."""

from __future__ import annotations

from dataclasses import dataclass
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
from steungroep.domain.i18n import LANGUAGES, N_
from steungroep.models import (
    EVAL_GROUP,
    EVAL_PUPIL,
    Case,
    Cycle,
    DayOff,
    Evaluation,
    School,
    SupportGroup,
    User,
)
from steungroep.records import use_cases as records_use_cases
from steungroep.stappenplan import use_cases as plan_use_cases
from steungroep.web.writes import use_case


def calendar_for(school: School) -> domain.RegionCalendar:
    """The school's calendar: weekends, public holidays, its region's school holidays and its
    own days off (studiedagen)."""
    days_off = db.session.execute(
        select(DayOff.day, DayOff.description).where(DayOff.school_id == school.id)
    ).all()
    return domain.RegionCalendar(school.region, {day: text for day, text in days_off})


MEETING_AHEAD_DAYS = 92


DAY_OFF_AHEAD_DAYS = 730


EVALUATION_LABELS = {EVAL_PUPIL: "Evaluatie met de leerling", EVAL_GROUP: "Evaluatie met de groep"}


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
        f"{EVALUATION_LABELS[evaluation.kind]} (ronde {evaluation.cycle.number}) verplaatst "
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
            f"{EVALUATION_LABELS[evaluation.kind]} (ronde {evaluation.cycle.number}) verplaatst "
            f"van {old:%d-%m-%Y} naar {evaluation.due_on:%d-%m-%Y}: geen schooldag ({reason}).",
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


@use_case
def set_region(school: School, user: User, region: str) -> list[Evaluation | Cycle]:
    region = domain.check_choice(region, domain.REGIONS, "De regio", "region")
    school.region = region
    db.session.flush()
    return replan_closed_days(school, user)


@use_case
def set_inform_parties(school: School, parties: list[str]) -> None:
    """Who the teacher is prompted to inform when a steungroep starts."""
    chosen = [code for code in domain.INFORMED_PARTIES if code in parties]
    if len(chosen) != len(set(parties)):
        raise DomainError(N_("Kies uit de lijst wie er geïnformeerd wordt."), "inform_parties")
    school.inform_parties = ",".join(chosen)


@use_case
def set_kind(school: School, kind: str) -> None:
    """The school's type: the words pupils read on cards and the examples in the meeting."""
    school.kind = domain.check_choice(kind, domain.SCHOOL_KINDS, "Soort school", "kind")


@use_case
def set_pupil_language(school: School, language: str) -> None:
    """The language of the cards, their screens and sheets and the invitations."""
    school.language = domain.check_choice(language, LANGUAGES, N_("Taal"), "language")


@use_case
def set_evaluation_intervals(school: School, pupil_days: int | None,
                             group_days: int | None) -> None:
    """The school's intervals (school days) for meetings held from now on; evaluations
    already planned keep their dates."""
    domain.check_evaluation_intervals(pupil_days, group_days)
    school.pupil_eval_days, school.group_eval_days = pupil_days, group_days


@use_case
def add_day_off(
    school: School, user: User, day: date | None, description: str
) -> list[Evaluation | Cycle]:
    """Add a studiedag; planned evaluations on that day move to the next school day."""
    if day is None:
        raise DomainError(N_("Vul de datum van de studiedag in."), "day")
    if day < school_today():
        raise DomainError(N_("Die datum is al voorbij."), "day")
    if day > school_today() + timedelta(days=DAY_OFF_AHEAD_DAYS):
        raise DomainError(N_("Voer studiedagen in tot twee jaar vooruit."), "day")
    description = domain.clean_text(
        description, "De omschrijving", max_length=100, required=False, field="description"
    )
    reason = calendar_for(school).closed_reason(day)
    if reason:
        raise DomainError(
            N_("Op %(day)s is er al geen school (%(reason)s)."), "day",
            day=domain.date_text(day), reason=domain.reason_text(reason),
        )
    db.session.add(DayOff(school_id=school.id, day=day, description=description))
    db.session.flush()
    return replan_closed_days(school, user)


@use_case
def remove_day_off(school: School, day_off: DayOff) -> None:
    """Remove a studiedag. Evaluations that were moved away from it stay where they are."""
    if day_off.school_id != school.id:
        raise DomainError(N_("Deze studiedag hoort niet bij deze school."))
    db.session.delete(day_off)


@dataclass
class SchoolSettings:
    """Everything the one settings form of a school holds, as typed."""

    region: str
    kind: str
    language: str
    pupil_days: int | None
    group_days: int | None
    inform_parties: list[str]
    plan_steps: str
    retention_months: int | None
    dossier_roles: bool


# What the audit trail names per setting, and the school's columns that hold it.
SETTING_COLUMNS = {
    "planning.region": ("region",),
    "planning.kind": ("kind",),
    "planning.language": ("language",),
    "planning.intervals": ("pupil_eval_days", "group_eval_days"),
    "planning.inform": ("inform_parties",),
    "planning.plan_steps": ("plan_steps",),
    "records.retention": ("retention_months",),
    "records.dossier_roles": ("dossier_roles",),
}


@dataclass
class SettingsSaved:
    changed: list[str]  # the keys of SETTING_COLUMNS whose value changed
    moved: list[Evaluation | Cycle]  # what a new region moved to the next school day


def _setting_values(school: School) -> dict[str, tuple]:
    return {name: tuple(getattr(school, column) for column in columns)
            for name, columns in SETTING_COLUMNS.items()}


@use_case
def save_school_settings(school: School, user: User, typed: SchoolSettings) -> SettingsSaved:
    """All of one school's settings at once, from its one form. What differs from the stored
    value goes through its own use case; every refusal is collected, each for its own field,
    and when there is one nothing is kept (the caller's unit of work rolls back what the
    other checks already set). A new region moves what now falls on a day without school
    (the caller locks the school's open cases first). A form sent as it was changes nothing,
    so a double submit writes nothing the second time."""
    before = _setting_values(school)
    problems = domain.Problems()
    moved = None
    if typed.region != school.region:
        moved = problems.check(set_region, school, user, typed.region)
    if typed.kind != school.kind:
        problems.check(set_kind, school, typed.kind)
    if typed.language != school.language:
        problems.check(set_pupil_language, school, typed.language)
    if (typed.pupil_days, typed.group_days) != (school.pupil_eval_days, school.group_eval_days):
        problems.check(set_evaluation_intervals, school, typed.pupil_days, typed.group_days)
    if ",".join(typed.inform_parties) != school.inform_parties:
        problems.check(set_inform_parties, school, typed.inform_parties)
    if typed.plan_steps.replace("\r\n", "\n") != school.plan_steps:
        problems.check(plan_use_cases.set_plan_steps, school, typed.plan_steps)
    if typed.retention_months != school.retention_months:
        problems.check(records_use_cases.set_retention, school, typed.retention_months)
    if typed.dossier_roles != school.dossier_roles:
        school.dossier_roles = typed.dossier_roles
    problems.raise_any()
    after = _setting_values(school)
    return SettingsSaved([name for name in SETTING_COLUMNS if before[name] != after[name]],
                         moved or [])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
