"""Reading what the statistics need from the database, in a fixed number of statements
whatever the number of cases. The plain counts are counted by the database (``tallies``: six
statements, the stappenplannen's outcomes and the consequences among them); only the
steungroepen that ended in the period are read case by case, with their pupil evaluations
(``case_facts``: two statements), since how a group ended depends on the pupil's last answer
(``domain/statistics.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, local_day
from steungroep.domain import statistics as stats
from steungroep.models import Case, CaseForm, Consequence, Cycle, Evaluation, SupportGroup


def _moment(day: date) -> datetime:
    """Midnight at school, in UTC as moments are stored (SQLite compares them as text)."""
    return datetime.combine(day, time(0), tzinfo=SCHOOL_TZ).astimezone(UTC)


def _during(column, period: stats.Period):
    """A moment whose day at school falls in ``period``."""
    return and_(column >= _moment(period.start),
                column < _moment(period.end + timedelta(days=1)))


def _in_play(school_ids: set[int], period: stats.Period):
    """The cases that were open at some time in the period."""
    return select(Case.id).where(
        Case.school_id.in_(school_ids or {-1}),
        Case.practice.is_(False),
        Case.reported_on <= period.end,
        or_(Case.closed_at.is_(None), Case.closed_at >= _moment(period.start)),
    ).scalar_subquery()


def report(school_ids: set[int], period: stats.Period, today: date) -> stats.Report:
    return stats.compose(tallies(school_ids, period, today),
                         case_facts(school_ids, period, ended_only=True), period)


def tallies(school_ids: set[int], period: stats.Period, today: date) -> stats.Tallies:
    in_play = _in_play(school_ids, period)
    reported = and_(Case.id.in_(in_play), Case.reported_on >= period.start)
    meldingen = {
        (source, triage): n for source, triage, n in db.session.execute(
            select(Case.source, Case.triage, func.count())
            .where(reported).group_by(Case.source, Case.triage))
    }
    forms = dict(db.session.execute(
        select(CaseForm.form, func.count()).join(Case, Case.id == CaseForm.case_id)
        .where(reported).group_by(CaseForm.form)
    ).all())
    started = db.session.scalar(
        select(func.count()).select_from(SupportGroup)
        .where(SupportGroup.case_id.in_(in_play), _during(SupportGroup.confirmed_at, period)))
    last_due = min(period.end, today - timedelta(days=1))
    due = and_(Evaluation.due_on >= period.start, Evaluation.due_on <= last_due)
    first_round = and_(Evaluation.kind == "leerling", Cycle.number == 1,
                       Evaluation.held_on >= period.start, Evaluation.held_on <= period.end)
    on_time, late, missing, said_yes, said_partly, answered = db.session.execute(
        select(
            func.count().filter(due, Evaluation.held_on <= Evaluation.due_on),
            func.count().filter(due, Evaluation.held_on > Evaluation.due_on),
            func.count().filter(due, Evaluation.held_on.is_(None)),
            func.count().filter(first_round, Evaluation.improved == "ja"),
            func.count().filter(first_round, Evaluation.improved == "deels"),
            func.count().filter(first_round, Evaluation.improved.is_not(None)),
        )
        .select_from(Evaluation)
        .join(Cycle, Cycle.id == Evaluation.cycle_id)
        .join(SupportGroup, SupportGroup.id == Cycle.group_id)
        .where(SupportGroup.case_id.in_(in_play))
    ).one()
    plan_outcomes: dict[str, int] = {}
    for outcome, n in db.session.execute(
        select(Case.outcome, func.count())
        .where(Case.id.in_(in_play), Case.escalated_at.is_not(None),
               _during(Case.closed_at, period))
        .group_by(Case.outcome)
    ):
        plan_outcomes[outcome or ""] = plan_outcomes.get(outcome or "", 0) + n
    consequences = dict(db.session.execute(
        select(Consequence.kind, func.count()).join(Case, Case.id == Consequence.case_id)
        .where(Case.id.in_(in_play), Consequence.decided_on >= period.start,
               Consequence.decided_on <= period.end)
        .group_by(Consequence.kind)
    ).all())
    return stats.Tallies(
        meldingen=meldingen, forms=forms, groups_started=started or 0,
        on_time=on_time, late=late, missing=missing,
        first_answered=answered, first_better=said_yes, first_partly=said_partly,
        plan_outcomes=plan_outcomes, consequences=consequences,
    )


def case_facts(school_ids: set[int], period: stats.Period, *,
               ended_only: bool = False) -> list[stats.CaseFact]:
    """The cases open at some time in the period as plain records, with their forms and
    evaluations. ``ended_only``: only the steungroepen that ended in the period, with their
    pupil evaluations (all ``compose`` needs); without it, every case in play with
    everything (what ``stats.report`` counts in Python, and the tests compare with)."""
    rounds = (
        select(Cycle.group_id, func.max(Cycle.number).label("cycles"))
        .group_by(Cycle.group_id)
        .subquery()
    )
    chosen = select(Case.id).where(Case.id.in_(_in_play(school_ids, period)))
    if ended_only:
        chosen = chosen.join(SupportGroup, SupportGroup.case_id == Case.id).where(
            SupportGroup.confirmed_at.is_not(None),
            _during(func.coalesce(Case.escalated_at, Case.closed_at), period))
    chosen = chosen.scalar_subquery()
    rows = db.session.execute(
        select(Case.id, Case.reported_on, Case.source, Case.triage, Case.closed_at,
               Case.outcome, SupportGroup.confirmed_at, rounds.c.cycles, Case.escalated_at)
        .outerjoin(SupportGroup, SupportGroup.case_id == Case.id)
        .outerjoin(rounds, rounds.c.group_id == SupportGroup.id)
        .where(Case.id.in_(chosen))
        .order_by(Case.id)
    ).all()
    forms: dict[int, list[str]] = {}
    if not ended_only:
        for case_id, form in db.session.execute(
            select(CaseForm.case_id, CaseForm.form).where(CaseForm.case_id.in_(chosen))
        ):
            forms.setdefault(case_id, []).append(form)
    read = (
        select(SupportGroup.case_id, Cycle.number, Evaluation.kind, Evaluation.due_on,
               Evaluation.held_on, Evaluation.wellbeing, Evaluation.improved)
        .join(Cycle, Cycle.group_id == SupportGroup.id)
        .join(Evaluation, Evaluation.cycle_id == Cycle.id)
        .where(SupportGroup.case_id.in_(chosen))
        .order_by(SupportGroup.case_id, Cycle.number, Evaluation.id)
    )
    if ended_only:
        read = read.where(Evaluation.kind == "leerling")
    evaluations: dict[int, list[stats.EvaluationFact]] = {}
    for case_id, number, kind, due_on, held_on, wellbeing, improved in db.session.execute(read):
        evaluations.setdefault(case_id, []).append(
            stats.EvaluationFact(number, kind, due_on, held_on, wellbeing, improved)
        )
    measures: dict[int, list[tuple[str, date]]] = {}
    if not ended_only:
        for case_id, kind, decided_on in db.session.execute(
            select(Consequence.case_id, Consequence.kind, Consequence.decided_on)
            .where(Consequence.case_id.in_(chosen)).order_by(Consequence.id)
        ):
            measures.setdefault(case_id, []).append((kind, decided_on))
    return [
        stats.CaseFact(
            case_id=case_id,
            reported_on=reported_on,
            source=source,
            forms=tuple(sorted(forms.get(case_id, ()))),
            triage=triage,
            group_started_on=local_day(confirmed_at),
            # a steungroep that went on to the stappenplan ended on that day, though the
            # case stays open for the plan
            closed_on=local_day(escalated_at or closed_at),
            outcome="geescaleerd" if escalated_at else outcome,
            cycles=cycles or 0,
            evaluations=tuple(evaluations.get(case_id, ())),
            plan_closed_on=local_day(closed_at) if escalated_at else None,
            plan_outcome=(outcome or "") if escalated_at and closed_at else None,
            consequences=tuple(measures.get(case_id, ())),
        )
        for (case_id, reported_on, source, triage, closed_at, outcome, confirmed_at, cycles,
             escalated_at) in rows
    ]
