"""The archive's cases from the database: count and page in two queries, the filter options
in one, whatever the number of cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, null, or_, select
from sqlalchemy.orm import aliased

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, local_day
from steungroep.domain import overview as rules
from steungroep.domain.statistics import Period
from steungroep.models import Case, CasePupil, Pupil, School, SchoolClass, User, short_name
from steungroep.web.pages import visible_cases


@dataclass(frozen=True)
class Filters:
    query: str = ""
    year: Period | None = None  # closed in this school year
    outcome: str = ""
    class_name: str = ""


@dataclass(frozen=True)
class Row:
    case_id: int
    pupil: str | None  # None: erased or anonymised
    class_name: str
    school: str
    teacher: str
    reported_on: date
    closed_on: date
    outcome: str
    cycles: int
    # The involved pupil the search found the case by (the case is about someone else).
    found_involved: str | None = None


def _moment(day: date) -> datetime:
    """The start of ``day`` at school, in UTC as the moments are stored."""
    return datetime.combine(day, time(0), tzinfo=SCHOOL_TZ).astimezone(UTC)


def _pattern(query: str) -> str:
    typed = query.lower()
    for special in ("\\", "%", "_"):  # what is typed is searched for as it is
        typed = typed.replace(special, "\\" + special)
    return f"%{typed}%"


def _involved_found(query: str) -> Select:
    """The involved pupils whose first name holds ``query``, with their case (a case is found
    by the pupil who bullied too: seed 000, seed 004)."""
    involved = aliased(Pupil)
    return (select(func.min(involved.first_name), CasePupil.case_id)
            .select_from(CasePupil)
            .join(involved, involved.id == CasePupil.pupil_id)
            .where(func.lower(involved.first_name).like(_pattern(query), escape="\\"))
            .group_by(CasePupil.case_id))


def _filtered(statement: Select, user: User, filters: Filters) -> Select:
    statement = (
        statement.select_from(Case)
        .join(School, School.id == Case.school_id)
        .join(User, User.id == Case.teacher_id)
        .outerjoin(Pupil, Pupil.id == Case.pupil_id)
        .outerjoin(SchoolClass, SchoolClass.id == Pupil.class_id)
        .where(Case.closed_at.is_not(None), Case.practice.is_(False),
               Case.id.in_(visible_cases(user).with_only_columns(Case.id)))
    )
    if filters.query:
        statement = statement.where(or_(
            func.lower(Pupil.first_name).like(_pattern(filters.query), escape="\\"),
            Case.id.in_(_involved_found(filters.query).with_only_columns(CasePupil.case_id))))
    if filters.year is not None:
        statement = statement.where(
            Case.closed_at >= _moment(filters.year.start),
            Case.closed_at < _moment(filters.year.end + timedelta(days=1)),
        )
    if filters.outcome:
        statement = statement.where(Case.outcome == filters.outcome)
    if filters.class_name:
        statement = statement.where(SchoolClass.name == filters.class_name)
    return statement


def _found_name(query: str):
    """For each row, the involved pupil the search found it by (None without a search)."""
    if not query:
        return null()
    found = _involved_found(query).subquery()
    return (select(found.c[0]).where(found.c.case_id == Case.id)
            .correlate(Case).scalar_subquery())


def listing(user: User, filters: Filters, number: int) -> tuple[rules.Page, list[Row]]:
    """The page of closed cases this user may see that pass the filters, newest first."""
    total = db.session.scalar(_filtered(select(func.count(Case.id)), user, filters)) or 0
    page = rules.page(total, number)
    rows = db.session.execute(
        _filtered(select(Case.id, Pupil.first_name, Pupil.surname_initial, SchoolClass.name,
                         School.name, User.name, Case.reported_on, Case.closed_at,
                         Case.outcome, Case.cycle_number, _found_name(filters.query)),
                  user, filters)
        .order_by(Case.closed_at.desc(), Case.id.desc())
        .limit(page.per_page)
        .offset(page.offset)
    )
    return page, [
        Row(case_id, short_name(first, initial) if first else None, class_name or "", school,
            teacher, reported_on, local_day(closed_at), outcome or "", cycles or 0, involved)
        for (case_id, first, initial, class_name, school, teacher, reported_on, closed_at,
             outcome, cycles, involved) in rows
    ]


def class_names(user: User) -> list[str]:
    """The classes of the user's schools, for the filter (one query)."""
    return sorted(db.session.scalars(
        select(SchoolClass.name)
        .where(SchoolClass.school_id.in_(sorted(user.school_ids) or [-1]),
               SchoolClass.practice.is_(False))
        .distinct()
    ))
