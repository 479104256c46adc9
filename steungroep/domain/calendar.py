"""School days and evaluation dates.

A school day is a weekday that is not a Dutch public holiday, not in the school holidays of
the school's region (noord / midden / zuid) and not one of the school's own days off
(studiedagen). The school holidays come from a data file that names its source
(``schoolvakanties.json`` beside this module); public holidays from the ``holidays`` package.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import holidays as holidays_package

from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_, translate
from steungroep.domain.rounds import GROUP_EVALUATION_DAYS, PUPIL_EVALUATION_DAYS

MAX_SEARCH_DAYS = 366
REGIONS = {"noord": N_("Noord"), "midden": N_("Midden"), "zuid": N_("Zuid")}
HOLIDAYS_FILE = Path(__file__).with_name("schoolvakanties.json")


class SchoolCalendar(Protocol):
    def is_school_day(self, day: date) -> bool: ...


class WeekendCalendar:
    """School days are Monday to Friday."""

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5

    def closed_reason(self, day: date) -> str | None:
        """Why ``day`` is not a school day (Dutch, for messages and the timeline; shown in the
        reader's language through ``reason_text``), or None when it is one."""
        return N_("weekend") if day.weekday() >= 5 else None


class ClosedDaysCalendar(WeekendCalendar):
    """Monday to Friday, except the given closed dates (holidays, study days)."""

    def __init__(self, closed_days: Iterable[date] | Mapping[date, str] = ()) -> None:
        if isinstance(closed_days, Mapping):
            self.closed_days: dict[date, str] = dict(closed_days)
        else:
            self.closed_days = {day: N_("vrije dag") for day in closed_days}

    def is_school_day(self, day: date) -> bool:
        return self.closed_reason(day) is None

    def closed_reason(self, day: date) -> str | None:
        return super().closed_reason(day) or self.closed_days.get(day)


@dataclass(frozen=True)
class Holiday:
    """One school holiday of one region, first and last day included."""

    name: str
    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class HolidayTable:
    """The school holidays per region, with the source they were taken from."""

    source: str
    regions: dict[str, tuple[Holiday, ...]]
    covers_from: date
    covers_until: date

    def holiday_on(self, region: str, day: date) -> Holiday | None:
        return next((h for h in self.regions.get(region, ()) if day in h), None)


def parse_holidays(raw: dict) -> HolidayTable:
    """Read the data file's structure; every region needs every holiday of every year."""
    regions: dict[str, list[Holiday]] = {region: [] for region in REGIONS}
    starts = []
    for school_year, year in raw["school_years"].items():
        starts.append(date(int(school_year[:4]), 8, 1))
        for name, per_region in year.items():
            if set(per_region) != set(REGIONS):
                raise ValueError(f"{school_year} {name}: regio's ontbreken")
            for region, (first, last) in per_region.items():
                holiday = Holiday(name, date.fromisoformat(first), date.fromisoformat(last))
                if holiday.last < holiday.first:
                    raise ValueError(f"{school_year} {name} {region}: einde voor begin")
                regions[region].append(holiday)
    return HolidayTable(
        source=raw["source"],
        regions={name: tuple(sorted(hs, key=lambda h: h.first)) for name, hs in regions.items()},
        covers_from=min(starts),
        covers_until=max(h.last for hs in regions.values() for h in hs),
    )


@lru_cache(maxsize=1)
def school_holidays() -> HolidayTable:
    """The shipped table of school holidays (read once)."""
    return parse_holidays(json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8")))


class _PublicHolidays:
    """Dutch public holidays (NL), with Dutch names, for any year asked. The package fills
    in a year on first use; a lock keeps two threads from reading a half-filled year."""

    def __init__(self) -> None:
        self._days = holidays_package.country_holidays("NL", language="nl")
        self._lock = threading.Lock()

    def name(self, day: date) -> str | None:
        with self._lock:
            return self._days.get(day)


_PUBLIC = _PublicHolidays()


class RegionCalendar(WeekendCalendar):
    """The calendar of one school: weekends, public holidays, the region's school holidays
    and the school's own days off."""

    def __init__(
        self,
        region: str,
        days_off: Mapping[date, str] | None = None,
        table: HolidayTable | None = None,
    ) -> None:
        if region not in REGIONS:
            raise ValueError(f"Onbekende regio: {region}")
        self.region = region
        self.days_off = dict(days_off or {})
        self.table = table or school_holidays()

    def is_school_day(self, day: date) -> bool:
        return self.closed_reason(day) is None

    def closed_reason(self, day: date) -> str | None:
        """The most telling reason first: a holiday explains a whole stretch of days."""
        holiday = self.table.holiday_on(self.region, day)
        if holiday:
            return holiday.name
        public = _PUBLIC.name(day)
        if public:
            return public
        if day in self.days_off:
            what = self.days_off[day]
            return N_("studiedag (%(what)s)") % {"what": what} if what else N_("studiedag")
        return super().closed_reason(day)


DAYS = (N_("maandag"), N_("dinsdag"), N_("woensdag"), N_("donderdag"), N_("vrijdag"),
        N_("zaterdag"), N_("zondag"))
MONTHS = (N_("januari"), N_("februari"), N_("maart"), N_("april"), N_("mei"), N_("juni"),
          N_("juli"), N_("augustus"), N_("september"), N_("oktober"), N_("november"),
          N_("december"))


def dutch_date(day: date) -> str:
    """'maandag 4 januari 2027' (the domain speaks Dutch without a locale library). Always
    Dutch (the notes for the pupil record); ``date_text`` is the same in the reader's
    language."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def dutch_day(day: date) -> str:
    """``dutch_date`` without the weekday: '4 januari 2027' (in letters and notes)."""
    return dutch_date(day).split(" ", 1)[1]


def date_text(day: date, *, year: bool = True) -> str:
    """``dutch_date`` in the reader's language ('maandag 4 januari 2027'), without the year
    when ``year`` is off."""
    values = {"weekday": translate(DAYS[day.weekday()]), "day": day.day,
              "month": translate(MONTHS[day.month - 1])}
    if year:
        return translate(N_("%(weekday)s %(day)s %(month)s %(year)s"), year=day.year, **values)
    return translate(N_("%(weekday)s %(day)s %(month)s"), **values)


def reason_text(reason: str) -> str:
    """A ``closed_reason`` in the reader's language (a holiday keeps its own name)."""
    prefix = "studiedag ("
    if reason.startswith(prefix) and reason.endswith(")"):
        return translate(N_("studiedag (%(what)s)"), what=reason[len(prefix):-1])
    return translate(reason)


def next_school_day(day: date, calendar: SchoolCalendar | None = None) -> date:
    """``day`` itself when it is a school day, otherwise the first school day after it."""
    calendar = calendar or WeekendCalendar()
    candidate = day
    for _ in range(MAX_SEARCH_DAYS + 1):
        if calendar.is_school_day(candidate):
            return candidate
        candidate += timedelta(days=1)
    raise ValueError(f"Geen schooldag gevonden binnen {MAX_SEARCH_DAYS} dagen na {day}.")


def add_school_days(day: date, count: int, calendar: SchoolCalendar | None = None) -> date:
    """The ``count``-th school day after ``day`` (``day`` itself not counted)."""
    calendar = calendar or WeekendCalendar()
    candidate = day
    for _ in range(count):
        candidate = next_school_day(candidate + timedelta(days=1), calendar)
    return candidate


OVERDUE_SCHOOL_DAYS = 2  # school days after the due date before the coordinators hear of it
REMINDER_HOUR = 8  # the reminder goes out at 08:00 school time on the due date
LONGEST_MOVE_DAYS = 42  # an evaluation can be moved up to six weeks ahead


def escalation_day(due_on: date, calendar: SchoolCalendar | None = None) -> date:
    """The day an evaluation still not held counts as seriously overdue."""
    return add_school_days(due_on, OVERDUE_SCHOOL_DAYS, calendar)


def check_new_due_date(
    new_day: date, today: date, meeting_day: date | None, calendar: WeekendCalendar
) -> None:
    """A moved evaluation lands on a school day, not in the past, after its meeting and
    within six weeks."""
    if new_day < today:
        raise DomainError(N_("Die datum is al voorbij. Kies vandaag of een latere schooldag."))
    if meeting_day and new_day <= meeting_day:
        raise DomainError(N_("Een evaluatie komt na de bijeenkomst. Kies een latere datum."))
    if new_day > today + timedelta(days=LONGEST_MOVE_DAYS):
        raise DomainError(
            N_("Zo ver vooruit werkt de aanpak niet meer: kies een datum binnen zes weken.")
        )
    reason = calendar.closed_reason(new_day)
    if reason:
        suggestion = next_school_day(new_day, calendar)
        day = date_text(new_day)
        raise DomainError(
            N_("%(day)s is geen schooldag (%(reason)s). "
               "De eerstvolgende schooldag is %(next)s."),
            day=day[:1].upper() + day[1:], reason=reason_text(reason),
            next=date_text(suggestion),
        )


def evaluation_dates(
    meeting_day: date,
    calendar: SchoolCalendar | None = None,
    pupil_days: int = PUPIL_EVALUATION_DAYS,
    group_days: int = GROUP_EVALUATION_DAYS,
) -> tuple[date, date]:
    """(pupil evaluation due, group evaluation due) for a meeting held on ``meeting_day``:
    counted in school days, so a holiday in between pushes both on and keeps them apart."""
    pupil = add_school_days(meeting_day, pupil_days, calendar)
    group = add_school_days(meeting_day, group_days, calendar)
    return pupil, group


# A melding is about what happens now: a date further back is a typing error (year 1).
MELDING_PAST_DAYS = 730


def check_not_long_ago(day: date, today: date, field: str) -> None:
    """A date of the melding, or of informing someone, at most two years back."""
    if day < today - timedelta(days=MELDING_PAST_DAYS):
        raise DomainError(N_("Die datum ligt meer dan twee jaar terug. Klopt het jaartal?"),
                          field)
