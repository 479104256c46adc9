"""The coordinator's overview of active groups: where each one stands, what is due, what is
stuck; filtering, sorting and paging the rows; the wellbeing sparkline. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from steungroep.domain.calendar import dutch_date
from steungroep.domain.rules import MAX_CYCLES
from steungroep.domain.steps import CaseSnapshot, Step, next_step

STALLED_DAYS = 30  # an open case without any activity this long is 'stil'
PER_PAGE = 50
SORTS = {"due": "Eerstvolgende datum", "age": "Langst open"}
STATES: dict[str, str] = {
    "gesprek": "Wacht op gesprek met de leerling",
    "groep": "Steungroep samenstellen",
    "bijeenkomst": "Bijeenkomst",
    "evaluatie_leerling": "Evaluatie met de leerling",
    "evaluatie_groep": "Evaluatie met de groep",
    "besluit": "Besluit nemen",
}


@dataclass(frozen=True)
class GroupFacts:
    """What the overview knows of one open case, read in one query for all of them."""

    case_id: int
    school_id: int
    school: str
    pupil: str
    class_name: str
    teacher_id: int
    teacher: str
    reported_on: date
    last_activity: date
    snapshot: CaseSnapshot
    meeting_planned_on: date | None = None


@dataclass(frozen=True)
class OverviewRow:
    facts: GroupFacts
    step: Step
    state: str  # e.g. 'Evaluatie met de groep over 3 dagen'
    due: date | None  # the next date something should happen
    overdue: bool
    days_open: int
    cycle: int  # 0 before the first round
    stalled: bool

    @property
    def late_cycle(self) -> bool:
        """Rounds 4 and 5: the method is running out of rounds."""
        return self.cycle >= MAX_CYCLES - 1

    @property
    def stands_out(self) -> bool:
        return self.overdue or self.stalled or self.late_cycle


def _short(day: date, today: date) -> str:
    """'vrijdag 12 maart' (with the year only when it is not this year)."""
    text = dutch_date(day)
    return text.rsplit(" ", 1)[0] if day.year == today.year else text


def _relative(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "vandaag"
    if days == 1:
        return "morgen"
    if days > 1:
        return f"over {days} dagen"
    if days == -1:
        return "1 dag te laat"
    return f"{-days} dagen te laat"


def describe(facts: GroupFacts, today: date) -> OverviewRow:
    """Where one case stands, in the words a coordinator scans for."""
    step = next_step(facts.snapshot)
    due = step.due
    if step.code == "bijeenkomst":
        due = facts.meeting_planned_on
        if due is not None:
            state = f"Bijeenkomst gepland {_short(due, today)}"
            if due < today:
                state += ", nog niet afgerond"
        else:
            state = f"Bijeenkomst nog plannen (ronde {max(facts.snapshot.cycle_number, 1)})"
    elif step.code in ("evaluatie_leerling", "evaluatie_groep") and due is not None:
        state = f"{STATES[step.code]} {_relative(due, today)}"
    else:
        state = STATES.get(step.code, step.label)
    return OverviewRow(
        facts=facts,
        step=step,
        state=state,
        due=due,
        overdue=due is not None and due < today,
        days_open=(today - facts.reported_on).days,
        cycle=facts.snapshot.cycle_number,
        stalled=(today - facts.last_activity).days >= STALLED_DAYS,
    )


@dataclass(frozen=True)
class Filters:
    school_id: int | None = None
    class_name: str = ""
    teacher_id: int | None = None
    state: str = ""
    overdue: bool = False
    stalled: bool = False
    query: str = ""
    sort: str = "due"

    @property
    def active(self) -> bool:
        return self != Filters(sort=self.sort)


def apply(rows: list[OverviewRow], filters: Filters) -> list[OverviewRow]:
    """The rows that pass every filter, sorted: by the next due date (overdue first, rows
    without a date last) or by age (longest open first)."""
    needle = filters.query.strip().casefold()
    kept = [
        row for row in rows
        if (filters.school_id is None or row.facts.school_id == filters.school_id)
        and (not filters.class_name or row.facts.class_name == filters.class_name)
        and (filters.teacher_id is None or row.facts.teacher_id == filters.teacher_id)
        and (not filters.state or row.step.code == filters.state)
        and (not filters.overdue or row.overdue)
        and (not filters.stalled or row.stalled)
        and (not needle or needle in row.facts.pupil.casefold()
             or needle in row.facts.teacher.casefold())
    ]
    if filters.sort == "age":
        kept.sort(key=lambda r: (r.facts.reported_on, r.facts.case_id))
    else:
        kept.sort(key=lambda r: (r.due is None, r.due or date.max, r.facts.reported_on,
                                 r.facts.case_id))
    return kept


@dataclass(frozen=True)
class Page:
    rows: list[OverviewRow]
    number: int
    pages: int
    total: int

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page(rows: list[OverviewRow], number: int, per_page: int = PER_PAGE) -> Page:
    pages = max(1, -(-len(rows) // per_page))
    number = min(max(number, 1), pages)
    start = (number - 1) * per_page
    return Page(rows[start:start + per_page], number, pages, len(rows))


@dataclass(frozen=True)
class Counts:
    total: int = 0
    overdue: int = 0
    stalled: int = 0
    late_cycle: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def counts(rows: list[OverviewRow]) -> Counts:
    by_state: dict[str, int] = {}
    for row in rows:
        by_state[row.step.code] = by_state.get(row.step.code, 0) + 1
    return Counts(
        total=len(rows),
        overdue=sum(r.overdue for r in rows),
        stalled=sum(r.stalled for r in rows),
        late_cycle=sum(r.late_cycle for r in rows),
        by_state=by_state,
    )


@dataclass(frozen=True)
class Sparkline:
    """Wellbeing (1–5) over the pupil's evaluations as SVG polyline points."""

    points: str
    last: tuple[float, float]
    values: tuple[int, ...]
    width: int
    height: int

    @property
    def summary(self) -> str:
        return "Welbevinden: " + ", ".join(str(v) for v in self.values) + " (van 5)"


def sparkline(values: list[int] | tuple[int, ...], width: int = 64, height: int = 20,
              pad: float = 2.5) -> Sparkline | None:
    """None without any score; one score is a dot in its place."""
    values = tuple(v for v in values if v is not None)
    if not values:
        return None
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    step = inner_w / (len(values) - 1) if len(values) > 1 else 0
    coords = []
    for i, value in enumerate(values):
        x = pad + (i * step if len(values) > 1 else inner_w / 2)
        y = pad + inner_h * (5 - min(max(value, 1), 5)) / 4
        coords.append((round(x, 1), round(y, 1)))
    points = " ".join(f"{x},{y}" for x, y in coords)
    return Sparkline(points, coords[-1], values, width, height)
