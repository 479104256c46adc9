"""School days and evaluation dates.

The calendar is pluggable: today only weekends are closed, later the school's holidays
can be passed to :class:`ClosedDaysCalendar`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Protocol

from steungroep.domain.rules import GROUP_EVALUATION_DAYS, PUPIL_EVALUATION_DAYS

MAX_SEARCH_DAYS = 366


class SchoolCalendar(Protocol):
    def is_school_day(self, day: date) -> bool: ...


class WeekendCalendar:
    """School days are Monday to Friday."""

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5


class ClosedDaysCalendar(WeekendCalendar):
    """Monday to Friday, except the given closed dates (holidays, study days)."""

    def __init__(self, closed_days: Iterable[date] = ()) -> None:
        self.closed_days = frozenset(closed_days)

    def is_school_day(self, day: date) -> bool:
        return super().is_school_day(day) and day not in self.closed_days


def next_school_day(day: date, calendar: SchoolCalendar | None = None) -> date:
    """``day`` itself when it is a school day, otherwise the first school day after it."""
    calendar = calendar or WeekendCalendar()
    candidate = day
    for _ in range(MAX_SEARCH_DAYS + 1):
        if calendar.is_school_day(candidate):
            return candidate
        candidate += timedelta(days=1)
    raise ValueError(f"Geen schooldag gevonden binnen {MAX_SEARCH_DAYS} dagen na {day}.")


def evaluation_dates(
    meeting_day: date, calendar: SchoolCalendar | None = None
) -> tuple[date, date]:
    """(pupil evaluation due, group evaluation due) for a meeting held on ``meeting_day``."""
    pupil = next_school_day(meeting_day + timedelta(days=PUPIL_EVALUATION_DAYS), calendar)
    group = next_school_day(meeting_day + timedelta(days=GROUP_EVALUATION_DAYS), calendar)
    return pupil, group
