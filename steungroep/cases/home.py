"""The home page, read from the cases' stored status columns (cases/status.py) in a fixed
number of statements, whatever the number of cases or schools.

A teacher sees their own open cases. A coordinator, who may serve fifty schools, sees what
needs *them*: the cases they are responsible for, and their schools' cases that are overdue
or due within a week, a page at a time; the overview has the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy import case as when

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.domain import overview as rules
from steungroep.models import Case, Pupil, School, SchoolClass, User, short_name

SOON_DAYS = 7  # a coordinator's home shows what is due within a week (and what is late)
PER_PAGE = 25


@dataclass(frozen=True)
class HomeRow:
    case_id: int
    pupil: str
    class_name: str
    school: str
    teacher: str
    reported_on: date
    step: str
    label: str
    due: date | None
    overdue: bool


_COLUMNS = (Case.id, Pupil.first_name, Pupil.surname_initial, SchoolClass.name, School.name,
            User.name, Case.reported_on, Case.step, Case.cycle_number, Case.step_title,
            Case.step_due_on)


def _joined(statement):
    return (statement.join(School, School.id == Case.school_id)
            .join(User, User.id == Case.teacher_id)
            .outerjoin(Pupil, Pupil.id == Case.pupil_id)
            .outerjoin(SchoolClass, SchoolClass.id == Pupil.class_id))


def _rows(statement, today: date) -> list[HomeRow]:
    return [
        HomeRow(case_id, short_name(first, initial), klass or "", school, teacher, reported_on,
                step or "", domain.step_label(step or "", cycle or 0, title or "", due), due,
                domain.is_overdue(due, today))
        for (case_id, first, initial, klass, school, teacher, reported_on, step, cycle, title,
             due) in db.session.execute(statement)
    ]


def _order():
    return (Case.step_due_on.is_(None), Case.step_due_on, Case.reported_on, Case.id)


def _open_in(user: User):
    return (Case.closed_at.is_(None), Case.school_id.in_(sorted(user.school_ids) or [-1]),
            Case.practice.is_(False))


def own_cases(user: User, today: date) -> list[HomeRow]:
    """The user's own open cases, the next date first (one statement)."""
    return _rows(_joined(select(*_COLUMNS)).where(*_open_in(user), Case.teacher_id == user.id)
                 .order_by(*_order()), today)


def own_practice(user: User, today: date) -> list[HomeRow]:
    """The user's own practice cases (steungroep.practice), open or played to the end, kept
    apart from the real ones (one statement)."""
    return _rows(_joined(select(*_COLUMNS))
                 .where(Case.practice.is_(True), Case.teacher_id == user.id,
                        Case.school_id.in_(sorted(user.school_ids) or [-1]))
                 .order_by(Case.id.desc()), today)


@dataclass(frozen=True)
class Attention:
    rows: list[HomeRow]
    page: rules.Page
    open_total: int  # every open case of the user's schools (the overview's number)


def attention(user: User, today: date, number: int) -> Attention:
    """A coordinator's schools' cases of others that are late or due within a week, paged;
    and how many open cases the overview holds. Two statements."""
    # someone else's case whose next step is late or due within a week
    due = and_(Case.teacher_id != user.id, Case.step_due_on.is_not(None),
               Case.step_due_on <= today + timedelta(days=SOON_DAYS))
    total, open_total = db.session.execute(
        select(func.coalesce(func.sum(when((due, 1), else_=0)), 0), func.count(Case.id))
        .where(*_open_in(user))
    ).one()
    page = rules.page(total, number, PER_PAGE)
    rows = _rows(_joined(select(*_COLUMNS)).where(*_open_in(user), due).order_by(*_order())
                 .offset(page.offset).limit(PER_PAGE), today)
    return Attention(rows, page, open_total)
