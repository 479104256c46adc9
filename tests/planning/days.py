"""Dates the planning tests count with: the school days of a case's school, a weekend day,
the evaluation of the current round."""

from __future__ import annotations

from datetime import date, timedelta

from steungroep.core.extensions import db
from steungroep.models import EVAL_PUPIL
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
