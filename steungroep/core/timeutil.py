"""Time helpers: storage in UTC, the school's day in Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SCHOOL_TZ = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    return datetime.now(UTC)


def school_today() -> date:
    """Today's date at school (Europe/Amsterdam), whatever the server's zone."""
    return datetime.now(SCHOOL_TZ).date()


def local(moment: datetime) -> datetime:
    """A stored moment in school time (SQLite returns naive UTC datetimes)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SCHOOL_TZ)


def aware(moment: datetime) -> datetime:
    """A stored moment as an aware UTC datetime (SQLite gives naive ones back)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def local_day(moment: datetime | None) -> date | None:
    """The school day (Europe/Amsterdam) a stored moment falls on; None for None."""
    return local(moment).date() if moment is not None else None
