"""The coordinator's overview of active groups: where each one stands, what is due, what is
stuck; the filters and pages; the wellbeing sparkline. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from steungroep.domain.calendar import date_text
from steungroep.domain.i18n import N_, translate
from steungroep.domain.rounds import MAX_CYCLES
from steungroep.domain.steps import is_overdue

STALLED_DAYS = 30  # an open case without any activity this long is 'stil'
PER_PAGE = 50
SORTS = {"due": N_("Eerstvolgende datum"), "age": N_("Langst open")}
STATES: dict[str, str] = {
    "gesprek": N_("Wacht op gesprek met de leerling"),
    "groep": N_("Steungroep samenstellen"),
    "bijeenkomst": N_("Bijeenkomst"),
    "evaluatie_leerling": N_("Evaluatie met de leerling"),
    "evaluatie_groep": N_("Evaluatie met de groep"),
    "evaluatie_groep2": N_("Laatste evaluatie met de groep"),
    "besluit": N_("Besluit nemen"),
    "herstelgesprek": N_("Eenmalig: herstelgesprek"),
    "controle": N_("Eenmalig: controle"),
    "stappenplan": N_("Stappenplan"),
    "plan_afronden": N_("Stappenplan afronden"),
}


@dataclass(frozen=True)
class GroupFacts:
    """What the overview shows of one open case (read from the case's status columns)."""

    case_id: int
    school_id: int
    school: str
    pupil: str
    class_name: str
    teacher_id: int
    teacher: str
    reported_on: date
    last_activity: date
    step: str  # the next step's code (steungroep.domain.steps)
    due: date | None  # the date of that step, when planned
    cycle: int  # 0 before the first round
    step_title: str = ""  # the stappenplan's next step, when ``step`` is 'stappenplan'


@dataclass(frozen=True)
class OverviewRow:
    facts: GroupFacts
    state: str  # e.g. 'Evaluatie met de groep over 3 dagen' (in the reader's language)
    due: date | None  # the next date something should happen
    overdue: bool
    days_open: int
    cycle: int  # 0 before the first round
    stalled: bool

    @property
    def late_cycle(self) -> bool:
        """Rounds 4 and 5: the method is running out of rounds."""
        return self.cycle >= LATE_CYCLE

    @property
    def stands_out(self) -> bool:
        return self.overdue or self.stalled or self.late_cycle


LATE_CYCLE = MAX_CYCLES - 1


def _short(day: date, today: date) -> str:
    """'vrijdag 12 maart' (with the year only when it is not this year)."""
    return date_text(day, year=day.year != today.year)


def _relative(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return translate(N_("vandaag"))
    if days == 1:
        return translate(N_("morgen"))
    if days > 1:
        return translate(N_("over %(n)s dagen"), n=days)
    if days == -1:
        return translate(N_("1 dag te laat"))
    return translate(N_("%(n)s dagen te laat"), n=-days)


def state_text(step: str, due: date | None, cycle: int, today: date, title: str = "") -> str:
    """Where a case stands, in the words a coordinator scans for (the reader's language)."""
    if step == "bijeenkomst":
        if due is None:
            return translate(N_("Bijeenkomst nog plannen (ronde %(n)s)"), n=max(cycle, 1))
        if due < today:
            return translate(N_("Bijeenkomst gepland %(day)s, nog niet afgerond"),
                             day=_short(due, today))
        return translate(N_("Bijeenkomst gepland %(day)s"), day=_short(due, today))
    if step in ("evaluatie_leerling", "evaluatie_groep", "evaluatie_groep2", "controle") \
            and due is not None:
        return translate(N_("%(state)s %(when)s"), state=translate(STATES[step]),
                         when=_relative(due, today))
    if step == "stappenplan":
        text = (translate(N_("Stappenplan: %(title)s"), title=title) if title
                else translate(STATES[step]))
        if due is not None:
            return translate(N_("%(step)s (%(when)s)"), step=text, when=_relative(due, today))
        return text
    label = STATES.get(step, OTHER_STATES.get(step))
    return translate(label) if label else step


OTHER_STATES = {"triage": N_("Triage kiezen"), "gesloten": N_("Afgesloten")}


def stalled(last_activity: date, today: date) -> bool:
    return (today - last_activity).days >= STALLED_DAYS


def describe(facts: GroupFacts, today: date) -> OverviewRow:
    return OverviewRow(
        facts=facts,
        state=state_text(facts.step, facts.due, facts.cycle, today, facts.step_title),
        due=facts.due,
        overdue=is_overdue(facts.due, today),
        days_open=(today - facts.reported_on).days,
        cycle=facts.cycle,
        stalled=stalled(facts.last_activity, today),
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


@dataclass(frozen=True)
class Page:
    number: int
    pages: int
    total: int
    per_page: int = PER_PAGE

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page(total: int, number: int, per_page: int = PER_PAGE) -> Page:
    """Page ``number`` of ``total`` rows, kept within the pages there are."""
    pages = max(1, -(-total // per_page))
    return Page(min(max(number, 1), pages), pages, total, per_page)


@dataclass(frozen=True)
class Counts:
    total: int = 0
    overdue: int = 0
    stalled: int = 0
    late_cycle: int = 0


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
        return translate(N_("Welbevinden: %(values)s (van 5)"),
                         values=", ".join(str(v) for v in self.values))


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
