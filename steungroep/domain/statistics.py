"""Outcome figures of the steungroepaanpak for a school and a period, from plain records:
meldingen by source, form and triage; groups started and how they ended; days from melding
to closure; evaluations held on time; wellbeing at the first and last evaluation; the share
of groups where things improved after the first round, beside the published reference; how
the stappenplannen ended and the consequences recorded, without names.
Plus what a chart and an export need (bars, small counts masked). Plain Python."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from steungroep.domain.consequences import CONSEQUENCES
from steungroep.domain.i18n import N_, translate
from steungroep.domain.rounds import MAX_CYCLES, pupil_says_not_better
from steungroep.domain.vocabulary import (
    CASE_OUTCOMES,
    FORMS,
    OUTCOMES,
    PLAN_OUTCOMES,
    SOURCES,
    TRIAGE,
)

SMALL = 5  # counts under this are shown as "< 5" in anything meant for outside the school

# The reference for support-group discussions: in 339 acute bullying cases in Finnish KiVa
# schools, the bullied pupils said the bullying had stopped in 78 % (Garandeau, Poskiparta &
# Salmivalli 2014).
REFERENCE_SHARE = 0.78
REFERENCE_CASES = 339
REFERENCE_SOURCE = "Garandeau, Poskiparta & Salmivalli (2014), KiVa, Finland"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        """'schooljaar 2026-2027' or '01-09-2026 t/m 31-12-2026' (the reader's language)."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (8, 1, 7, 31) \
                and self.end.year == self.start.year + 1:
            return translate(N_("schooljaar %(first)s-%(last)s"), first=self.start.year,
                             last=self.end.year)
        return translate(N_("%(start)s t/m %(end)s"), start=f"{self.start:%d-%m-%Y}",
                         end=f"{self.end:%d-%m-%Y}")

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


EARLIEST = date(2000, 1, 1)  # no school used this app before; older dates are typing errors


def period_day_refusal(day: date, today: date) -> str | None:
    """Why ``day`` cannot start or end a chosen period (None when it can)."""
    latest = today.replace(month=12, day=31)
    if EARLIEST <= day <= latest:
        return None
    return translate(N_("Kies een datum tussen %(first)s en eind %(last)s; hieronder staat "
                        "het hele schooljaar."), first=EARLIEST.year, last=latest.year)


def school_year(day: date) -> Period:
    """The school year (1 August – 31 July) that ``day`` falls in."""
    first = day.year if day.month >= 8 else day.year - 1
    return Period(date(first, 8, 1), date(first + 1, 7, 31))


def recent_school_years(today: date, count: int = 4) -> list[Period]:
    current = school_year(today)
    return [Period(date(current.start.year - i, 8, 1), date(current.end.year - i, 7, 31))
            for i in range(count)]


@dataclass(frozen=True)
class EvaluationFact:
    cycle: int
    kind: str  # 'leerling' or 'groep'
    due_on: date
    held_on: date | None
    wellbeing: int | None = None
    improved: str | None = None  # 'ja' / 'deels' / 'nee' (pupil evaluations)


@dataclass(frozen=True)
class CaseFact:
    case_id: int
    reported_on: date
    source: str
    forms: tuple[str, ...]
    triage: str
    group_started_on: date | None  # the day the group was confirmed
    closed_on: date | None
    outcome: str | None
    cycles: int  # rounds started
    evaluations: tuple[EvaluationFact, ...] = ()
    # The school's stappenplan: the day it was closed and how it ended (None without one).
    plan_closed_on: date | None = None
    plan_outcome: str | None = None
    # The consequences recorded: (kind, the day decided), for nobody by name.
    consequences: tuple[tuple[str, date], ...] = ()


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    value: int


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass
class Report:
    period: Period
    meldingen: int = 0
    by_source: list[Count] = field(default_factory=list)
    by_form: list[Count] = field(default_factory=list)
    by_triage: list[Count] = field(default_factory=list)
    groups_started: int = 0
    groups_closed: int = 0
    resolved_after: list[Count] = field(default_factory=list)  # per round 1..5
    # closed as 'het gaat beter' while the pupil's last answer said it was not (with a
    # reason): not counted as resolved
    closed_against_pupil: int = 0
    by_outcome: list[Count] = field(default_factory=list)
    escalated: int = 0
    median_days_to_close: float | None = None
    closed_for_median: int = 0
    evaluations_on_time: Share = field(default_factory=lambda: Share(0, 0))
    evaluations_late: int = 0
    evaluations_missing: int = 0
    wellbeing_pairs: int = 0
    wellbeing_first: float | None = None
    wellbeing_last: float | None = None
    wellbeing_better: int = 0
    wellbeing_same: int = 0
    wellbeing_worse: int = 0
    improved_after_first: Share = field(default_factory=lambda: Share(0, 0))
    partly_after_first: Share = field(default_factory=lambda: Share(0, 0))
    plans_closed: int = 0
    by_plan_outcome: list[Count] = field(default_factory=list)
    consequences: int = 0
    by_consequence: list[Count] = field(default_factory=list)


def _counts(tally: dict[str, int], labels: dict[str, str],
            others: dict[str, str] | None = None) -> list[Count]:
    """One Count per known code (zeros included, in the labels' order), then the others
    that occur (labelled from ``others`` where it knows them); in the reader's language."""
    rows = [Count(code, translate(label), tally.get(code, 0)) for code, label in labels.items()]
    rows += [Count(code, translate((others or {})[code]) if code in (others or {}) else code, n)
             for code, n in sorted(tally.items()) if code not in labels]
    return rows


def _pupil_said_no(case: CaseFact) -> bool:
    """The pupil's own answer at the last pupil evaluation was 'not better'."""
    held = [e for e in case.evaluations if e.kind == "leerling" and e.held_on is not None]
    if not held:
        return False
    last = max(held, key=lambda e: (e.cycle, e.held_on))
    return pupil_says_not_better(last.improved, last.wellbeing)


@dataclass(frozen=True)
class Tallies:
    """The figures that are plain counts of records, which the database can count itself
    (``statistics/queries.py``): meldingen reported in the period by (source, triage) and
    by form; groups confirmed in the period; evaluations planned in the period whose date has
    passed, held on time, later or not at all; the pupil's answer at first-round pupil
    evaluations held in the period (answered, 'ja', 'deels')."""
    meldingen: dict[tuple[str, str], int]
    forms: dict[str, int]
    groups_started: int
    on_time: int
    late: int
    missing: int
    first_answered: int
    first_better: int  # 'ja'
    first_partly: int  # 'deels'
    # stappenplannen closed in the period by outcome; consequences decided in it by kind
    plan_outcomes: dict[str, int] = field(default_factory=dict)
    consequences: dict[str, int] = field(default_factory=dict)


def tally(cases: list[CaseFact], period: Period, today: date) -> Tallies:
    """The counts of ``report`` from plain records (what the queries count in SQL)."""
    reported = [c for c in cases if c.reported_on in period]
    due = [e for c in cases for e in c.evaluations if e.due_on in period and e.due_on < today]
    first = [e.improved for c in cases for e in c.evaluations
             if e.kind == "leerling" and e.cycle == 1 and e.held_on in period
             and e.improved is not None]
    return Tallies(
        meldingen=Counter((c.source, c.triage) for c in reported),
        forms=Counter(form for c in reported for form in c.forms),
        groups_started=sum(1 for c in cases if c.group_started_on in period),
        on_time=sum(1 for e in due if e.held_on is not None and e.held_on <= e.due_on),
        late=sum(1 for e in due if e.held_on is not None and e.held_on > e.due_on),
        missing=sum(1 for e in due if e.held_on is None),
        first_answered=len(first),
        first_better=first.count("ja"),
        first_partly=first.count("deels"),
        plan_outcomes=Counter(c.plan_outcome or "" for c in cases if c.plan_closed_on in period),
        consequences=Counter(kind for c in cases for kind, day in c.consequences
                             if day in period),
    )


def closed_in(cases: list[CaseFact], period: Period) -> list[CaseFact]:
    """The steungroepen that ended in ``period`` (a case without a group is not one)."""
    return [c for c in cases if c.group_started_on is not None and c.closed_on in period]


def report(cases: list[CaseFact], period: Period, today: date) -> Report:
    """The figures for ``period``. Meldingen count by their date; groups by the day they
    were confirmed; closures by the day of closing; evaluations by their planned date, once
    that date has passed (held on or before it counts as on time)."""
    return compose(tally(cases, period, today), closed_in(cases, period), period)


def compose(counts: Tallies, closed: list[CaseFact], period: Period) -> Report:
    """The report from the counts and the groups closed in the period; of those only the
    pupil evaluations matter (how they ended, wellbeing first and last)."""
    r = Report(period)
    sources: Counter[str] = Counter()
    triages: Counter[str] = Counter()
    for (source, triage), n in counts.meldingen.items():
        sources[source] += n
        triages[triage] += n
    r.meldingen = sum(counts.meldingen.values())
    r.by_source = _counts(sources, SOURCES)
    r.by_form = _counts(counts.forms, FORMS)
    r.by_triage = _counts(triages, TRIAGE)

    r.groups_started = counts.groups_started
    r.groups_closed = len(closed)
    r.by_outcome = _counts(Counter(c.outcome or "" for c in closed), OUTCOMES)
    r.escalated = sum(1 for c in closed if c.outcome == "geescaleerd")
    resolved = [c.cycles for c in closed
                if c.outcome == "opgelost" and not _pupil_said_no(c)]
    r.closed_against_pupil = sum(1 for c in closed
                                 if c.outcome == "opgelost" and _pupil_said_no(c))
    r.resolved_after = [
        Count(str(n), translate(N_("na ronde %(n)s"), n=n),
              sum(1 for cycles in resolved if cycles == n))
        for n in range(1, MAX_CYCLES + 1)
    ]
    days = [(c.closed_on - c.reported_on).days for c in closed]
    r.closed_for_median = len(days)
    r.median_days_to_close = statistics.median(days) if days else None

    r.evaluations_on_time = Share(counts.on_time,
                                  counts.on_time + counts.late + counts.missing)
    r.evaluations_late = counts.late
    r.evaluations_missing = counts.missing

    firsts, lasts = [], []
    for c in closed:
        scores = [e.wellbeing for e in sorted(c.evaluations, key=lambda e: e.cycle)
                  if e.kind == "leerling" and e.wellbeing is not None]
        if len(scores) >= 2:
            firsts.append(scores[0])
            lasts.append(scores[-1])
            if scores[-1] > scores[0]:
                r.wellbeing_better += 1
            elif scores[-1] < scores[0]:
                r.wellbeing_worse += 1
            else:
                r.wellbeing_same += 1
    r.wellbeing_pairs = len(firsts)
    if firsts:
        r.wellbeing_first = statistics.fmean(firsts)
        r.wellbeing_last = statistics.fmean(lasts)

    r.improved_after_first = Share(counts.first_better, counts.first_answered)
    r.partly_after_first = Share(counts.first_partly, counts.first_answered)

    r.plans_closed = sum(counts.plan_outcomes.values())
    # plans closed before they had outcomes of their own, or closed by an erasure
    r.by_plan_outcome = _counts(counts.plan_outcomes, PLAN_OUTCOMES, CASE_OUTCOMES)
    r.consequences = sum(counts.consequences.values())
    r.by_consequence = _counts(counts.consequences, CONSEQUENCES)
    return r


# ---- showing and exporting ---------------------------------------------------------------


def shown(value: int, external: bool) -> str:
    """A count as shown: 1–4 become '< 5' in anything meant for outside the school."""
    if external and 0 < value < SMALL:
        return f"< {SMALL}"
    return str(value)


def hidden(base: int, external: bool) -> bool:
    """Outside the school, a figure computed from fewer than 5 cases is left out."""
    return external and base < SMALL


def percent(share: Share, external: bool = False) -> str:
    """'83 %'; '–' without a base, or (outside the school) with a base under 5."""
    if share.value is None or hidden(share.whole, external):
        return "–"
    return f"{round(share.value * 100)} %"


def figure(value: float | None, base: int, external: bool = False,
           decimals: int | None = None) -> str:
    """A median or a mean in Dutch ('4,5'); '–' without a value or when hidden."""
    if value is None or hidden(base, external):
        return "–"
    text = f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    return text.replace(".", ",")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # what is written beside the bar (masked when external)
    width: float  # 0..1 of the longest bar


def bars(counts: list[Count], external: bool = False) -> list[Bar]:
    """Horizontal bars, the longest filling the chart. Outside the school a small count gets
    the bar of 'under 5' (drawn at 5) so its length does not tell the exact number."""
    drawn = [max(c.value, SMALL) if external and 0 < c.value < SMALL else c.value
             for c in counts]
    longest = max(drawn, default=0) or 1
    return [Bar(c.label, c.value, shown(c.value, external), d / longest)
            for c, d in zip(counts, drawn, strict=True)]


def share_bar(label: str, share: Share, external: bool = False) -> Bar:
    """A share as a bar of the whole width (empty when hidden or without a base)."""
    value = share.value
    width = 0.0 if value is None or hidden(share.whole, external) else value
    return Bar(label, share.part, percent(share, external), width)


def scale_bar(label: str, value: float | None, base: int, external: bool = False,
              top: int = 5) -> Bar:
    """A mean on a 1..top scale (wellbeing) as a bar, the number in Dutch beside it."""
    text = figure(value, base, external, decimals=1)
    width = 0.0 if text == "–" else value / top
    return Bar(label, base, text, width)


def reference_bar(label: str) -> Bar:
    """The published reference: bullying stopped in 78 % of 339 cases."""
    return Bar(label, REFERENCE_CASES, f"{round(REFERENCE_SHARE * 100)} %", REFERENCE_SHARE)
