"""Reading what the statistics need from the database, in three queries whatever the number
of cases: the cases that were open at some time in the period, their forms of bullying, and
their evaluations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import func, or_, select

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, local_day
from steungroep.domain import statistics as stats
from steungroep.models import Case, CaseForm, Cycle, Evaluation, SupportGroup


def _moment(day: date) -> datetime:
    """Midnight at school, in UTC as moments are stored (SQLite compares them as text)."""
    return datetime.combine(day, time(0), tzinfo=SCHOOL_TZ).astimezone(UTC)


def case_facts(school_ids: set[int], period: stats.Period) -> list[stats.CaseFact]:
    rounds = (
        select(Cycle.group_id, func.max(Cycle.number).label("cycles"))
        .group_by(Cycle.group_id)
        .subquery()
    )
    in_play = (
        select(Case.id)
        .where(
            Case.school_id.in_(school_ids or {-1}),
            Case.reported_on <= period.end,
            or_(Case.closed_at.is_(None), Case.closed_at >= _moment(period.start)),
        )
    )
    rows = db.session.execute(
        select(Case.id, Case.reported_on, Case.source, Case.triage, Case.closed_at,
               Case.outcome, SupportGroup.confirmed_at, rounds.c.cycles, Case.escalated_at)
        .outerjoin(SupportGroup, SupportGroup.case_id == Case.id)
        .outerjoin(rounds, rounds.c.group_id == SupportGroup.id)
        .where(Case.id.in_(in_play.scalar_subquery()))
        .order_by(Case.id)
    ).all()
    forms: dict[int, list[str]] = {}
    for case_id, form in db.session.execute(
        select(CaseForm.case_id, CaseForm.form)
        .where(CaseForm.case_id.in_(in_play.scalar_subquery()))
    ):
        forms.setdefault(case_id, []).append(form)
    evaluations: dict[int, list[stats.EvaluationFact]] = {}
    for case_id, number, kind, due_on, held_on, wellbeing, improved in db.session.execute(
        select(SupportGroup.case_id, Cycle.number, Evaluation.kind, Evaluation.due_on,
               Evaluation.held_on, Evaluation.wellbeing, Evaluation.improved)
        .join(Cycle, Cycle.group_id == SupportGroup.id)
        .join(Evaluation, Evaluation.cycle_id == Cycle.id)
        .where(SupportGroup.case_id.in_(in_play.scalar_subquery()))
    ):
        evaluations.setdefault(case_id, []).append(
            stats.EvaluationFact(number, kind, due_on, held_on, wellbeing, improved)
        )
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
        )
        for (case_id, reported_on, source, triage, closed_at, outcome, confirmed_at, cycles,
             escalated_at) in rows
    ]

