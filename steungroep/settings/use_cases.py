"""The settings of a school, saved from its one form: region, kind of school, the cards'
language, the evaluation intervals, who is informed, the stappenplan's steps, how long data
is kept; and its studiedagen. A change to the calendar moves what now falls on a day without
school (planning's replan_closed_days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.domain import DomainError, parent_letter
from steungroep.domain.i18n import LANGUAGES, N_
from steungroep.models import Cycle, DayOff, Evaluation, School, User
from steungroep.planning.use_cases import calendar_for, replan_closed_days
from steungroep.records import use_cases as records_use_cases
from steungroep.stappenplan import use_cases as plan_use_cases
from steungroep.web.writes import use_case

DAY_OFF_AHEAD_DAYS = 730


@use_case
def set_region(school: School, user: User, region: str) -> list[Evaluation | Cycle]:
    region = domain.check_choice(region, domain.REGIONS, "De regio", "region")
    school.region = region
    db.session.flush()
    return replan_closed_days(school, user)


@use_case
def set_functions(school: School, text: str) -> None:
    """The school's own functions, one per line; what was recorded keeps the names of then."""
    school.functions = domain.functions.check_functions_text(text)


@use_case
def set_informed(school: School, keys: list[str]) -> None:
    """Who the teacher is prompted to inform when a steungroep starts: the parents and any of
    the school's functions."""
    school.informed = domain.functions.check_informed_list(keys, school.function_names)


@use_case
def set_kind(school: School, kind: str) -> None:
    """The school's type: the words pupils read on cards and the examples in the meeting."""
    school.kind = domain.check_choice(kind, domain.SCHOOL_KINDS, "Soort school", "kind")


@use_case
def set_pupil_language(school: School, language: str) -> None:
    """The language of the cards, their screens and sheets and the invitations."""
    school.language = domain.check_choice(language, LANGUAGES, N_("Taal"), "language")


@use_case
def set_first_road(school: School, road: str) -> None:
    """The road the school's protocol takes first when bullying repeats: the melding offers
    it first (the teacher still chooses per case)."""
    school.first_road = domain.check_choice(road, domain.FIRST_ROADS, N_("Eerste route"),
                                            "first_road")


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
    informed: list[str] | None
    plan_steps: str
    first_road: str
    retention_months: int | None
    dossier_roles: bool
    group_again: bool = False
    # The texts of the letters to parents as typed, by moment and 'route'; None: not sent.
    parent_letters: dict[str, str] | None = None
    # None where the form sent them back as they were shown: left as stored (a double tap
    # of a new school type does not undo the functions that type brought).
    functions: str | None = None


# What the audit trail names per setting, and the school's columns that hold it. The names
# are stored in audit rows, so they keep the prefix of the package the settings came from.
SETTING_COLUMNS = {
    "planning.region": ("region",),
    "planning.kind": ("kind",),
    "planning.language": ("language",),
    "planning.intervals": ("pupil_eval_days", "group_eval_days"),
    "planning.group_again": ("group_eval_again",),
    "contacts.parent_letters": ("parent_letters",),
    "planning.inform": ("informed",),
    "planning.functions": ("functions",),
    "planning.plan_steps": ("plan_steps",),
    "cases.first_road": ("first_road",),
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


def _defaults_follow_kind(school: School, typed: SchoolSettings) -> None:
    """A new school type brings its functions and who is informed, where the school still
    had the old type's defaults and the form left them as they were shown."""
    old, new = school.kind, typed.kind
    if new not in domain.SCHOOL_KINDS:
        return
    functions = domain.functions
    if typed.functions is None and school.functions == functions.default_functions_text(old):
        typed.functions = functions.default_functions_text(new)
        if typed.informed is None and school.informed == functions.default_informed_text(old):
            typed.informed = functions.default_informed_text(new).split("\n")


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
        _defaults_follow_kind(school, typed)
        problems.check(set_kind, school, typed.kind)
    if typed.language != school.language:
        problems.check(set_pupil_language, school, typed.language)
    if (typed.pupil_days, typed.group_days) != (school.pupil_eval_days, school.group_eval_days):
        problems.check(set_evaluation_intervals, school, typed.pupil_days, typed.group_days)
    if (typed.functions is not None
            and typed.functions.replace("\r\n", "\n").strip() != school.functions):
        problems.check(set_functions, school, typed.functions)
    if typed.informed is not None and "\n".join(typed.informed) != school.informed and not any(
            e.field == "functions" for e in problems.errors):
        problems.check(set_informed, school, typed.informed)
    if typed.plan_steps.replace("\r\n", "\n") != school.plan_steps:
        problems.check(plan_use_cases.set_plan_steps, school, typed.plan_steps)
    if typed.first_road != school.first_road:
        problems.check(set_first_road, school, typed.first_road)
    if typed.retention_months != school.retention_months:
        problems.check(records_use_cases.set_retention, school, typed.retention_months)
    if typed.dossier_roles != school.dossier_roles:
        school.dossier_roles = typed.dossier_roles
    if typed.group_again != school.group_eval_again:
        school.group_eval_again = typed.group_again
    if typed.parent_letters is not None:
        texts = {key: problems.check(parent_letter.clean_school_text, key, text) or ""
                 for key, text in typed.parent_letters.items()
                 if key in parent_letter.DEFAULT_TEXTS}
        kept = {key: text for key, text in texts.items() if text}
        if kept != (school.parent_letters or {}):
            school.parent_letters = kept
    problems.raise_any()
    after = _setting_values(school)
    return SettingsSaved([name for name in SETTING_COLUMNS if before[name] != after[name]],
                         moved or [])
