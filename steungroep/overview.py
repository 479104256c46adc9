"""Reading the coordinator's overview from the database in a fixed number of queries,
whatever the number of groups: one for every open case's facts, one for the wellbeing
scores of the cases on the page shown."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import aliased, selectinload

from . import domain
from .domain import overview
from .extensions import db
from .models import (
    EVAL_GROUP,
    EVAL_PUPIL,
    ROLE_ADMIN,
    Case,
    Cycle,
    Evaluation,
    Pupil,
    PupilTalk,
    School,
    SchoolClass,
    SupportGroup,
    TimelineEntry,
    User,
)
from .timeutil import aware, local


@lru_cache(maxsize=1)
def _facts_statement():
    """Built once: constructing the joins costs more than running them."""
    latest = (
        select(Cycle.group_id, func.max(Cycle.number).label("number"))
        .group_by(Cycle.group_id)
        .subquery()
    )
    current = aliased(Cycle)
    pupil_eval = aliased(Evaluation)
    group_eval = aliased(Evaluation)
    last_activity = (
        select(func.max(TimelineEntry.at))
        .where(TimelineEntry.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    return (
        select(
            Case.id, Case.school_id, School.name, Pupil.first_name, Pupil.surname_initial,
            SchoolClass.name, Case.teacher_id, User.name, Case.reported_on, Case.created_at,
            last_activity, Case.triage, PupilTalk.id.is_not(None), PupilTalk.consent,
            SupportGroup.confirmed_at.is_not(None), current.number,
            current.meeting_completed_at.is_not(None), current.meeting_planned_on,
            current.decision, pupil_eval.due_on, pupil_eval.held_on, group_eval.due_on,
            group_eval.held_on,
        )
        .join(School, School.id == Case.school_id)
        .join(User, User.id == Case.teacher_id)
        .outerjoin(Pupil, Pupil.id == Case.pupil_id)
        .outerjoin(SchoolClass, SchoolClass.id == Pupil.class_id)
        .outerjoin(PupilTalk, PupilTalk.case_id == Case.id)
        .outerjoin(SupportGroup, SupportGroup.case_id == Case.id)
        .outerjoin(latest, latest.c.group_id == SupportGroup.id)
        .outerjoin(current, and_(current.group_id == SupportGroup.id,
                                 current.number == latest.c.number))
        .outerjoin(pupil_eval, and_(pupil_eval.cycle_id == current.id,
                                    pupil_eval.kind == EVAL_PUPIL))
        .outerjoin(group_eval, and_(group_eval.cycle_id == current.id,
                                    group_eval.kind == EVAL_GROUP))
        .where(Case.closed_at.is_(None),
               Case.school_id.in_(bindparam("school_ids", expanding=True)))
    )


def group_facts(school_ids: set[int]) -> list[overview.GroupFacts]:
    """Every open case of these schools, with what decides its next step. One query."""
    statement = _facts_statement()
    facts = []
    rows = db.session.execute(statement, {"school_ids": sorted(school_ids) or [-1]})
    for (case_id, school_id, school, first_name, initial, class_name, teacher_id, teacher,
         reported_on, created_at, active_at, triage, talk_held, consent, confirmed, number,
         completed, planned_on, decision, pe_due, pe_held, ge_due, ge_held,
         ) in rows:
        snapshot = domain.CaseSnapshot(
            triage=triage,
            closed=False,
            outcome=None,
            talk_held=bool(talk_held),
            consent=consent,
            group_confirmed=bool(confirmed),
            member_count=0,  # not needed to say what comes next
            cycle_number=number or 0,
            meeting_completed=bool(completed),
            actions_count=0,
            pupil_evaluation_held=pe_held is not None,
            group_evaluation_held=ge_held is not None,
            decision_made=decision is not None,
            pupil_evaluation_due=pe_due,
            group_evaluation_due=ge_due,
        )
        facts.append(overview.GroupFacts(
            case_id=case_id,
            school_id=school_id,
            school=school,
            pupil=f"{first_name} {initial}." if initial else (first_name or "–"),
            class_name=class_name or "",
            teacher_id=teacher_id,
            teacher=teacher,
            reported_on=reported_on,
            last_activity=_day(active_at or created_at),
            snapshot=snapshot,
            meeting_planned_on=planned_on,
        ))
    return facts


def _day(moment) -> date:
    return local(aware(moment)).date()


def wellbeing(case_ids: list[int]) -> dict[int, list[int]]:
    """The pupil's wellbeing scores, round by round, for these cases. One query."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(SupportGroup.case_id, Evaluation.wellbeing)
        .join(Cycle, Cycle.group_id == SupportGroup.id)
        .join(Evaluation, Evaluation.cycle_id == Cycle.id)
        .where(
            SupportGroup.case_id.in_(case_ids),
            Evaluation.kind == EVAL_PUPIL,
            Evaluation.wellbeing.is_not(None),
        )
        .order_by(SupportGroup.case_id, Cycle.number)
    )
    scores: dict[int, list[int]] = {}
    for case_id, value in rows:
        scores.setdefault(case_id, []).append(value)
    return scores


def school_staff(school_ids: set[int]) -> list[User]:
    """Active staff of these schools who can be responsible for a case. One query."""
    return list(db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.role != ROLE_ADMIN,
               User.schools.any(School.id.in_(school_ids or {-1})))
        .options(selectinload(User.schools))
        .order_by(User.name)
    ))
