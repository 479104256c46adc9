"""Reading the coordinator's overview from the database in a fixed number of queries,
whatever the number of groups. Each case carries its own status (steungroep.status), so
filtering, sorting, counting and paging happen in SQL on one table and only the page shown
is read."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case as when
from sqlalchemy import func, or_, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, local_day
from steungroep.domain import overview as rules
from steungroep.models import (
    EVAL_PUPIL,
    ROLE_ADMIN,
    Case,
    Cycle,
    Evaluation,
    Pupil,
    School,
    SchoolClass,
    SupportGroup,
    User,
    short_name,
)

_COLUMNS = (
    Case.id, Case.school_id, School.name, Pupil.first_name, Pupil.surname_initial,
    SchoolClass.name, Case.teacher_id, User.name, Case.reported_on, Case.last_activity_at,
    Case.created_at, Case.step, Case.step_due_on, Case.cycle_number, Case.step_title,
)


def _facts(rows) -> list[rules.GroupFacts]:
    return [
        rules.GroupFacts(
            case_id=case_id, school_id=school_id, school=school,
            pupil=short_name(first_name, initial),
            class_name=class_name or "", teacher_id=teacher_id, teacher=teacher,
            reported_on=reported_on, last_activity=local_day(active_at or created_at),
            step=step or "", due=due, cycle=cycle or 0, step_title=title or "",
        )
        for (case_id, school_id, school, first_name, initial, class_name, teacher_id, teacher,
             reported_on, active_at, created_at, step, due, cycle, title) in rows
    ]


def _open(school_ids: set[int]):
    return (Case.closed_at.is_(None), Case.school_id.in_(sorted(school_ids) or [-1]),
            Case.practice.is_(False))


def stalled_before(today: date) -> datetime:
    """A case is 'stil' when nothing happened since before this moment (30 days)."""
    first_quiet_day = today - timedelta(days=rules.STALLED_DAYS - 1)
    # In UTC, as the moments are stored (SQLite compares them as text, without zones).
    return datetime.combine(first_quiet_day, time(0), tzinfo=SCHOOL_TZ).astimezone(UTC)


def counts(school_ids: set[int], today: date) -> rules.Counts:
    """All open cases of these schools: how many, overdue, stil, in round 4 or 5. One query."""
    quiet = stalled_before(today)
    row = db.session.execute(
        select(
            func.count(),
            func.sum(when((Case.step_due_on < today, 1), else_=0)),
            func.sum(when((Case.last_activity_at < quiet, 1), else_=0)),
            func.sum(when((Case.cycle_number >= rules.LATE_CYCLE, 1), else_=0)),
        ).where(*_open(school_ids))
    ).one()
    return rules.Counts(*(int(value or 0) for value in row))


def _filtered(statement, filters: rules.Filters, today: date):
    if filters.school_id is not None:
        statement = statement.where(Case.school_id == filters.school_id)
    if filters.class_name:
        statement = statement.where(SchoolClass.name == filters.class_name)
    if filters.teacher_id is not None:
        statement = statement.where(Case.teacher_id == filters.teacher_id)
    if filters.state:
        statement = statement.where(Case.step == filters.state)
    if filters.overdue:
        statement = statement.where(Case.step_due_on < today)
    if filters.stalled:
        statement = statement.where(Case.last_activity_at < stalled_before(today))
    needle = filters.query.strip().lower()
    if needle:
        statement = statement.where(or_(
            func.lower(Pupil.first_name).contains(needle, autoescape=True),
            func.lower(User.name).contains(needle, autoescape=True),
        ))
    return statement


def _joined(statement):
    return (
        statement
        .select_from(Case)
        .join(School, School.id == Case.school_id)
        .join(User, User.id == Case.teacher_id)
        .outerjoin(Pupil, Pupil.id == Case.pupil_id)
        .outerjoin(SchoolClass, SchoolClass.id == Pupil.class_id)
    )


def listing(school_ids: set[int], filters: rules.Filters, today: date,
            number: int) -> tuple[rules.Page, list[rules.GroupFacts]]:
    """The page of open cases that pass the filters, sorted. Two queries: count, rows."""
    total = db.session.scalar(
        _filtered(_joined(select(func.count(Case.id))).where(*_open(school_ids)), filters,
                  today)
    )
    page = rules.page(total or 0, number)
    if filters.sort == "age":
        order = (Case.reported_on, Case.id)
    else:
        order = (Case.step_due_on.is_(None), Case.step_due_on, Case.reported_on, Case.id)
    rows = db.session.execute(
        _filtered(_joined(select(*_COLUMNS)).where(*_open(school_ids)), filters, today)
        .order_by(*order)
        .limit(page.per_page)
        .offset(page.offset)
    )
    return page, _facts(rows)


def options(school_ids: set[int]) -> dict:
    """What the filters offer: the schools, their classes and their staff. Two small
    queries (classes; staff), not a pass over the cases."""
    schools = db.session.execute(
        select(School.id, School.name).where(School.id.in_(sorted(school_ids) or [-1]))
        .order_by(School.name)
    ).all()
    classes = db.session.scalars(
        select(SchoolClass.name).where(SchoolClass.school_id.in_(sorted(school_ids) or [-1]),
                                       SchoolClass.practice.is_(False))
        .distinct()
    ).all()
    teachers = db.session.execute(
        select(User.id, User.name)
        .where(User.role != ROLE_ADMIN, User.schools.any(School.id.in_(school_ids or {-1})))
        .order_by(User.name)
    ).all()
    return {
        "schools": [tuple(row) for row in schools],
        "classes": sorted(classes),
        "teachers": [tuple(row) for row in teachers],
    }


def stalled_cases(school_ids: set[int], today: date, limit: int = 20) -> list[rules.GroupFacts]:
    """Open cases where nothing happened for 30 days, longest quiet first (at most
    ``limit``; counts.stalled says how many there are). One query."""
    filters = rules.Filters(stalled=True)
    rows = db.session.execute(
        _filtered(_joined(select(*_COLUMNS)).where(*_open(school_ids)), filters, today)
        .order_by(Case.last_activity_at, Case.id)
        .limit(limit)
    )
    return _facts(rows)


def wellbeing(case_ids: list[int]) -> dict[int, list[int]]:
    """The pupil's wellbeing scores, round by round, for these cases. One query."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(SupportGroup.case_id, Evaluation.wellbeing)
        .join(Cycle, Cycle.group_id == SupportGroup.id)
        .join(Evaluation, Evaluation.cycle_id == Cycle.id)
        .where(
            SupportGroup.case_id.in_(case_ids),
            Evaluation.kind == EVAL_PUPIL,
            Evaluation.wellbeing.is_not(None),
        )
        .order_by(SupportGroup.case_id, Cycle.number)
    )
    scores: dict[int, list[int]] = {}
    for case_id, value in rows:
        scores.setdefault(case_id, []).append(value)
    return scores


def school_staff(school_id: int) -> list[tuple[int, str]]:
    """Active staff of a school who can be responsible for a case. One query."""
    return [tuple(row) for row in db.session.execute(
        select(User.id, User.name)
        .where(User.active.is_(True), User.role != ROLE_ADMIN,
               User.schools.any(School.id == school_id))
        .order_by(User.name)
    )]
