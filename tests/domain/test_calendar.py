"""Tests for steungroep.domain.calendar: evaluations always fall on school days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from steungroep.domain import (
    ClosedDaysCalendar,
    DomainError,
    WeekendCalendar,
    check_evaluation_intervals,
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


def test_a_meeting_on_saturday_counts_school_days_from_monday():
    """A meeting dated Sat 7 March 2026: five school days on is Fri 13 March, ten Fri 20."""
    assert evaluation_dates(date(2026, 3, 7), WEEKDAYS) == (date(2026, 3, 13), date(2026, 3, 20))


def test_closed_monday_pushes_to_tuesday():
    """Meeting Mon 30 March 2026; Mon 6 April (Tweede Paasdag) is closed → Tue 7 April, and
    the group a week of school days later, Tue 14 April."""
    calendar = ClosedDaysCalendar([date(2026, 4, 6)])
    assert not calendar.is_school_day(date(2026, 4, 6))
    assert not calendar.is_school_day(date(2026, 4, 4))  # still a weekend
    assert evaluation_dates(date(2026, 3, 30), calendar) == (date(2026, 4, 7), date(2026, 4, 14))


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


# ---- the school's calendar: public holidays, regional school holidays, studiedagen ------

from steungroep.domain import (  # noqa: E402
    RegionCalendar,
    add_school_days,
    check_new_due_date,
    escalation_day,
    school_holidays,
)
from steungroep.domain.calendar import parse_holidays  # noqa: E402

MIDDEN = RegionCalendar("midden")
NOORD = RegionCalendar("noord")
ZUID = RegionCalendar("zuid")


def test_data_file_names_its_source_and_covers_two_school_years():
    table = school_holidays()
    assert "Rijksoverheid" in table.source
    assert table.covers_from == date(2026, 8, 1)
    assert table.covers_until == date(2028, 9, 3)


def test_every_holiday_runs_saturday_to_sunday():
    """The official tables run from a Saturday to a Sunday, in every region."""
    for holidays in school_holidays().regions.values():
        for holiday in holidays:
            assert (holiday.first.weekday(), holiday.last.weekday()) == (5, 6), holiday


def test_christmas_holiday_2026_keeps_a_week_of_school_between_the_talks():
    """Meeting Fri 11 Dec 2026: the pupil talk is Fri 18 Dec; the group talk is five school
    days later, after the kerstvakantie (19 Dec–3 Jan): Fri 8 Jan 2027. A meeting on Fri 18
    Dec puts the pupil on Fri 8 Jan and the group on Fri 15 Jan (both used to land on Mon 4
    Jan)."""
    assert evaluation_dates(date(2026, 12, 11), MIDDEN) == (date(2026, 12, 18), date(2027, 1, 8))
    assert evaluation_dates(date(2026, 12, 18), MIDDEN) == (date(2027, 1, 8), date(2027, 1, 15))
    assert MIDDEN.closed_reason(date(2026, 12, 21)) == "kerstvakantie"
    assert MIDDEN.closed_reason(date(2026, 12, 25)) == "kerstvakantie"


def test_summer_holiday_2027_differs_per_region():
    """Meeting Fri 2 July 2027; the group talk would be Fri 16 July. Noord is on holiday from
    10 July (back Mon 23 Aug), so its group talk is the fifth school day after: Fri 27 Aug;
    Midden from 17 July, so the 16th is still a school day; Zuid too (holiday from 24 July)."""
    meeting = date(2027, 7, 2)
    assert evaluation_dates(meeting, NOORD) == (date(2027, 7, 9), date(2027, 8, 27))
    assert evaluation_dates(meeting, MIDDEN) == (date(2027, 7, 9), date(2027, 7, 16))
    assert evaluation_dates(meeting, ZUID) == (date(2027, 7, 9), date(2027, 7, 16))
    assert next_school_day(date(2027, 7, 19), MIDDEN) == date(2027, 8, 30)
    assert next_school_day(date(2027, 7, 26), ZUID) == date(2027, 9, 6)


def test_public_holidays_are_not_school_days():
    """Easter Monday 29 March 2027, King's Day Tue 27 April 2027 (also meivakantie) and
    Ascension Thu 6 May 2027 are closed days."""
    assert next_school_day(date(2027, 3, 29), MIDDEN) == date(2027, 3, 30)
    assert MIDDEN.closed_reason(date(2027, 3, 29)) == "Tweede paasdag"
    assert not MIDDEN.is_school_day(date(2027, 4, 27))
    assert MIDDEN.closed_reason(date(2027, 5, 6)) == "Hemelvaartsdag"
    assert next_school_day(date(2027, 5, 6), MIDDEN) == date(2027, 5, 7)


def test_studiedag_moves_an_evaluation_to_the_next_school_day():
    """A studiedag on Wed 10 March 2027: a pupil talk planned that day moves to Thursday."""
    calendar = RegionCalendar("midden", {date(2027, 3, 10): "teamscholing"})
    assert evaluation_dates(date(2027, 3, 3), calendar)[0] == date(2027, 3, 11)
    assert calendar.closed_reason(date(2027, 3, 10)) == "studiedag (teamscholing)"
    assert evaluation_dates(date(2027, 3, 3), MIDDEN)[0] == date(2027, 3, 10)


def test_autumn_holiday_2027_only_in_the_south_that_week():
    """Herfstvakantie 2027: Noord and Midden 16–24 Oct, Zuid 23–31 Oct."""
    day = date(2027, 10, 26)
    assert MIDDEN.is_school_day(day) and NOORD.is_school_day(day)
    assert ZUID.closed_reason(day) == "herfstvakantie"


def test_escalation_is_two_school_days_after_the_due_date():
    """Due Fri 18 Dec 2026 in Midden: the next two school days are 4 and 5 Jan 2027."""
    assert escalation_day(date(2026, 12, 18), MIDDEN) == date(2027, 1, 5)
    assert add_school_days(date(2027, 3, 15), 2, MIDDEN) == date(2027, 3, 17)


def test_moving_an_evaluation_checks_the_new_date():
    today = date(2026, 12, 14)
    meeting = date(2026, 12, 11)
    check_new_due_date(date(2026, 12, 16), today, meeting, MIDDEN)  # a school day: fine
    with pytest.raises(
        DomainError,
        match="Maandag 28 december 2026 is geen schooldag \\(kerstvakantie\\). "
        "De eerstvolgende schooldag is maandag 4 januari 2027.",
    ):
        check_new_due_date(date(2026, 12, 28), today, meeting, MIDDEN)
    with pytest.raises(DomainError, match="al voorbij"):
        check_new_due_date(date(2026, 12, 11), today, meeting, MIDDEN)
    with pytest.raises(DomainError, match="zes weken"):
        check_new_due_date(date(2027, 2, 1), today, meeting, MIDDEN)


def test_unknown_region_is_refused():
    with pytest.raises(ValueError):
        RegionCalendar("west")


def test_data_file_without_a_region_is_refused():
    raw = {
        "source": "x",
        "school_years": {"2026-2027": {"herfstvakantie": {"noord": ["2026-10-10", "2026-10-18"]}}},
    }
    with pytest.raises(ValueError, match="regio"):
        parse_holidays(raw)


def test_a_saturday_in_the_holiday_is_explained_by_the_holiday():
    """Sat 26 Dec 2026 is a weekend day, Tweede Kerstdag and in the kerstvakantie: the
    holiday explains why the next school day is 4 January."""
    assert MIDDEN.closed_reason(date(2026, 12, 26)) == "kerstvakantie"
    assert MIDDEN.closed_reason(date(2027, 3, 13)) == "weekend"


@pytest.mark.parametrize("meeting", [date(2026, 12, 18) + timedelta(days=n) for n in range(200)])
def test_the_pupil_always_comes_before_the_group_with_school_days_between(meeting):
    pupil, group = evaluation_dates(meeting, MIDDEN)
    between = [d for d in (pupil + timedelta(days=n) for n in range(1, (group - pupil).days))
               if MIDDEN.is_school_day(d)]
    assert pupil > meeting and len(between) == 4


def test_a_school_sets_its_intervals_within_the_protocols_range():
    assert evaluation_dates(date(2026, 3, 2), WEEKDAYS, 4, 8) == (date(2026, 3, 6),
                                                                  date(2026, 3, 12))
    check_evaluation_intervals(5, 10)
    check_evaluation_intervals(5, 5)  # the JPS protocol: both after one week, pupil first
    for pupil, group, field in ((2, 10, "pupil_days"), (9, 10, "pupil_days"),
                                (5, 11, "group_days"), (3, 4, "group_days"),
                                (8, 7, "group_days"), (None, 10, "pupil_days")):
        with pytest.raises(DomainError) as info:
            check_evaluation_intervals(pupil, group)
        assert info.value.field == field
