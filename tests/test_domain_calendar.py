"""Tests for steungroep.domain.calendar: evaluations always fall on school days."""

from __future__ import annotations

from datetime import date

import pytest

from steungroep.domain import (
    ClosedDaysCalendar,
    WeekendCalendar,
    evaluation_dates,
    next_school_day,
)

WEEKDAYS = WeekendCalendar()


def test_weekend_calendar_is_monday_to_friday():
    """Mon 2 March–Fri 6 March 2026 are school days, Sat 7 and Sun 8 are not."""
    days = [date(2026, 3, d) for d in range(2, 9)]
    assert [WEEKDAYS.is_school_day(d) for d in days] == [True] * 5 + [False] * 2


def test_next_school_day_keeps_a_school_day():
    """A school day is its own next school day."""
    assert next_school_day(date(2026, 3, 4), WEEKDAYS) == date(2026, 3, 4)


def test_next_school_day_skips_weekend():
    """Saturday and Sunday move to Monday."""
    assert next_school_day(date(2026, 3, 7), WEEKDAYS) == date(2026, 3, 9)
    assert next_school_day(date(2026, 3, 8), WEEKDAYS) == date(2026, 3, 9)


def test_meeting_on_monday():
    """Meeting Mon 2 March 2026 → pupil talk Mon 9 March, group talk Mon 16 March."""
    assert evaluation_dates(date(2026, 3, 2), WEEKDAYS) == (date(2026, 3, 9), date(2026, 3, 16))


def test_meeting_on_thursday():
    """Meeting Thu 5 March 2026 → 7 days later is Thursday 12 March, then Thursday 19 March."""
    assert evaluation_dates(date(2026, 3, 5), WEEKDAYS) == (date(2026, 3, 12), date(2026, 3, 19))


def test_meeting_on_friday():
    """Meeting Fri 6 March 2026 → Fri 13 and Fri 20 March (no shift needed)."""
    assert evaluation_dates(date(2026, 3, 6), WEEKDAYS) == (date(2026, 3, 13), date(2026, 3, 20))


def test_plus_seven_on_saturday_moves_to_monday():
    """A meeting dated Sat 7 March 2026: +7 and +14 are Saturdays, so both move to Monday."""
    assert evaluation_dates(date(2026, 3, 7), WEEKDAYS) == (date(2026, 3, 16), date(2026, 3, 23))


def test_closed_monday_pushes_to_tuesday():
    """Meeting Mon 30 March 2026; Mon 6 April (Tweede Paasdag) is closed → Tue 7 April."""
    calendar = ClosedDaysCalendar([date(2026, 4, 6)])
    assert not calendar.is_school_day(date(2026, 4, 6))
    assert not calendar.is_school_day(date(2026, 4, 4))  # still a weekend
    assert evaluation_dates(date(2026, 3, 30), calendar) == (date(2026, 4, 7), date(2026, 4, 13))


def test_closed_week_is_skipped_entirely():
    """A closed holiday week (Kerstvakantie 2026/2027) pushes the date past it."""
    holiday = [
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
    ]
    calendar = ClosedDaysCalendar(holiday)
    assert next_school_day(date(2026, 12, 26), calendar) == date(2027, 1, 4)


def test_default_calendar_is_weekdays():
    """Without a calendar, only weekends are skipped."""
    assert next_school_day(date(2027, 1, 9)) == date(2027, 1, 11)


def test_calendar_without_school_days_gives_up():
    """A calendar that never has a school day raises ValueError instead of looping forever."""

    class NeverOpen:
        def is_school_day(self, day: date) -> bool:
            return False

    with pytest.raises(ValueError):
        next_school_day(date(2026, 3, 2), NeverOpen())
