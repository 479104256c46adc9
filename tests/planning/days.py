"""Dates the planning tests count with: the school days of a case's school, a weekend day,
the evaluation of the current round, one reminded today."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.models import EVAL_PUPIL
from steungroep.planning import reminders
from steungroep.planning import use_cases as planning


def school_day_after(case, start: date, skip: int = 0) -> date:
    calendar = planning.calendar_for(case.school)
    day = start
    while True:
        day += timedelta(days=1)
        if calendar.is_school_day(day):
            if skip == 0:
                return day
            skip -= 1


def a_weekend_day(after: date) -> date:
    day = after + timedelta(days=1)
    while day.weekday() < 5:
        day += timedelta(days=1)
    return day


def evaluation(case, kind=EVAL_PUPIL):
    db.session.refresh(case.group.current_cycle)
    return case.group.current_cycle.evaluation(kind)


def reminded_today(case):
    """The pupil evaluation of ``case``, due today and reminded this morning at nine."""
    ev = evaluation(case)
    ev.due_on = school_today()
    db.session.commit()
    reminders.remind(ev.id, datetime.combine(school_today(), time(9), tzinfo=SCHOOL_TZ))
    return ev


def restored_two_weeks_ago(case) -> date:
    """A day for the restoring talk whose check after two weeks (ten school days of the
    case's school) is due today or earlier."""
    calendar = planning.calendar_for(case.school)
    day = school_today() - timedelta(days=14)
    while domain.add_school_days(day, domain.plan.ONE_OFF_CHECK_SCHOOL_DAYS,
                                 calendar) > school_today():
        day -= timedelta(days=1)
    return day
