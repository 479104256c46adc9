"""Where each case stands, kept on the case itself (cases.step, step_due_on, cycle_number,
last_activity_at) so the coordinator's overview reads one table, however many groups.

After every flush that touched a case, its talk, group, rounds, evaluations or timeline,
the facts are read back from the database (in the same transaction) and the columns set,
so nothing a view or a job changes can leave them behind: the write path calls
``after_flush`` (web/writes.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, inspect, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from steungroep import domain
from steungroep.models import (
    EVAL_GROUP,
    EVAL_GROUP_AGAIN,
    EVAL_PUPIL,
    Case,
    CaseTalk,
    Cycle,
    Evaluation,
    Informed,
    PlanStep,
    Pupil,
    PupilTalk,
    School,
    SchoolClass,
    SupportGroup,
    TimelineEntry,
    User,
    user_schools,
)

# Timeline entries that are not work on the case: they do not make a quiet case busy.
QUIET_KINDS = ("gewist", "bewaartermijn")


def _facts(case_ids):
    latest = (
        select(Cycle.group_id, func.max(Cycle.number).label("number"))
        .where(Cycle.group_id.in_(
            select(SupportGroup.id).where(SupportGroup.case_id.in_(case_ids))))
        .group_by(Cycle.group_id)
        .subquery()
    )
    current = aliased(Cycle)
    pupil_eval = aliased(Evaluation)
    group_eval = aliased(Evaluation)
    group_again = aliased(Evaluation)
    last_activity = (
        select(func.max(TimelineEntry.at))
        .where(TimelineEntry.case_id == Case.id, TimelineEntry.kind.not_in(QUIET_KINDS))
        .correlate(Case)
        .scalar_subquery()
    )
    restore = (
        select(CaseTalk.follow_up_on)
        .where(CaseTalk.case_id == Case.id, CaseTalk.kind == "herstelgesprek")
        .order_by(CaseTalk.id.desc()).limit(1).correlate(Case)
    )
    next_plan_step = (
        select(PlanStep.title, PlanStep.planned_on)
        .where(PlanStep.case_id == Case.id, PlanStep.done_on.is_(None))
        .order_by(PlanStep.position).limit(1).correlate(Case)
    )
    return (
        select(
            Case.id, Case.triage, Case.closed_at.is_not(None), Case.created_at, last_activity,
            Case.escalated_at.is_not(None), restore.exists(), restore.scalar_subquery(),
            next_plan_step.with_only_columns(PlanStep.title).scalar_subquery(),
            next_plan_step.with_only_columns(PlanStep.planned_on).scalar_subquery(),
            PupilTalk.id.is_not(None), PupilTalk.consent, PupilTalk.follow_up_on,
            SupportGroup.confirmed_at.is_not(None), current.number,
            current.meeting_completed_at.is_not(None), current.meeting_planned_on,
            current.decision, pupil_eval.due_on, pupil_eval.held_on, group_eval.due_on,
            group_eval.held_on, group_again.due_on, group_again.held_on,
        )
        .outerjoin(PupilTalk, PupilTalk.case_id == Case.id)
        .outerjoin(SupportGroup, SupportGroup.case_id == Case.id)
        .outerjoin(latest, latest.c.group_id == SupportGroup.id)
        .outerjoin(current, and_(current.group_id == SupportGroup.id,
                                 current.number == latest.c.number))
        .outerjoin(pupil_eval, and_(pupil_eval.cycle_id == current.id,
                                    pupil_eval.kind == EVAL_PUPIL))
        .outerjoin(group_eval, and_(group_eval.cycle_id == current.id,
                                    group_eval.kind == EVAL_GROUP))
        .outerjoin(group_again, and_(group_again.cycle_id == current.id,
                                     group_again.kind == EVAL_GROUP_AGAIN))
        .where(Case.id.in_(case_ids))
    )


def status(row) -> dict:
    """The status columns for one row of facts."""
    (case_id, triage, closed, created_at, active_at, escalated, restore_held, check_due,
     plan_next, plan_due, talk_held, consent, talk_follow_up, confirmed, number, completed,
     planned_on, decision, pe_due, pe_held, ge_due, ge_held, again_due, again_held) = row
    again = again_due is not None  # the last group evaluation a week later is the one at stake
    if again:
        ge_due, ge_held = again_due, again_held
    snapshot = domain.CaseSnapshot(
        triage=triage, closed=bool(closed), outcome=None, talk_held=bool(talk_held),
        consent=consent, group_confirmed=bool(confirmed), member_count=0,
        cycle_number=number or 0, meeting_completed=bool(completed), actions_count=0,
        pupil_evaluation_held=pe_held is not None, group_evaluation_held=ge_held is not None,
        decision_made=decision is not None, pupil_evaluation_due=pe_due,
        group_evaluation_due=ge_due,
        talk_again_on=talk_follow_up if talk_held and consent is False else None,
        escalated=bool(escalated), plan_next=plan_next, plan_next_due=plan_due,
        restore_held=bool(restore_held), check_due=check_due, group_evaluation_again=again,
    )
    step = domain.next_step(snapshot)
    due: date | None = domain.step_date(step, planned_on)
    return {"id": case_id, "step": step.code, "step_due_on": due,
            "step_title": plan_next if step.code == "stappenplan" else "",
            "cycle_number": number or 0, "last_activity_at": active_at or created_at}


def refresh(session: Session, case_ids: set[int]) -> None:
    """Read the facts of these cases and write their status columns."""
    if not case_ids:
        return
    rows = session.execute(_facts(sorted(case_ids))).all()
    values = [status(row) for row in rows]
    for value in values:
        session.execute(
            update(Case).where(Case.id == value["id"]).values(
                step=value["step"], step_due_on=value["step_due_on"],
                step_title=value["step_title"], cycle_number=value["cycle_number"],
                last_activity_at=value["last_activity_at"],
            ).execution_options(synchronize_session=False)
        )
        case = session.identity_map.get(session.identity_key(Case, value["id"]))
        if case is not None:  # keep the object in memory in step with its row
            for key in ("step", "step_due_on", "step_title", "cycle_number",
                        "last_activity_at"):
                set_committed_value(case, key, value[key])


def touched(session: Session) -> set[int]:
    """Ids of the cases whose status a flush may have changed."""
    case_ids: set[int] = set()
    group_ids: set[int] = set()
    cycle_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            if obj.id is not None:
                case_ids.add(obj.id)
        elif isinstance(obj, TimelineEntry | PupilTalk | SupportGroup | Informed | CaseTalk
                        | PlanStep):
            if obj.case_id is not None:
                case_ids.add(obj.case_id)
        elif isinstance(obj, Cycle):
            if obj.group_id is not None:
                group_ids.add(obj.group_id)
        elif isinstance(obj, Evaluation) and obj.cycle_id is not None:
            cycle_ids.add(obj.cycle_id)
    if cycle_ids:
        group_ids |= set(session.scalars(
            select(Cycle.group_id).where(Cycle.id.in_(cycle_ids))))
    if group_ids:
        case_ids |= set(session.scalars(
            select(SupportGroup.case_id).where(SupportGroup.id.in_(group_ids))))
    return case_ids


def _shown_user_change(user: User) -> bool:
    """A new or removed person, or a change the overview shows (name, active, role) —
    not a password or a calendar address."""
    state = inspect(user)
    if state.pending or state.deleted or state.was_deleted:
        return True
    return any(state.attrs[key].history.has_changes() for key in ("name", "active", "role"))


def _touched_schools(session: Session, case_ids: set[int]) -> set[int]:
    """Schools whose overview a flush may have changed: those of the touched cases, and of
    pupils, classes and staff that changed (names show in the overview)."""
    school_ids: set[int] = set()
    user_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Pupil | SchoolClass) and obj.school_id is not None:
            school_ids.add(obj.school_id)
        elif isinstance(obj, User) and obj.id is not None and _shown_user_change(obj):
            user_ids.add(obj.id)
    if case_ids:
        school_ids |= set(session.scalars(
            select(Case.school_id).where(Case.id.in_(case_ids)).distinct()))
    if user_ids:
        school_ids |= set(session.scalars(
            select(user_schools.c.school_id).where(user_schools.c.user_id.in_(user_ids))))
    return school_ids


def after_flush(session: Session, case_ids: set[int]) -> None:
    """After a flush that touched ``case_ids`` (the write path calls this, in its unit of
    work): their status columns, and the data version of every school whose pages changed."""
    if case_ids:
        refresh(session, case_ids)
    school_ids = _touched_schools(session, case_ids)
    if school_ids:
        session.execute(
            update(School).where(School.id.in_(school_ids))
            .values(data_version=School.data_version + 1)
            .execution_options(synchronize_session=False)
        )


def refresh_all(connection, batch: int = 500, bump_versions: bool = True) -> int:
    """Every case's status (the migration that adds the columns, and repairs)."""
    session = Session(bind=connection)
    ids = list(session.scalars(select(Case.id).order_by(Case.id)))
    for start in range(0, len(ids), batch):
        refresh(session, set(ids[start:start + batch]))
    if bump_versions:  # whatever an overview kept in memory was made from the old columns
        session.execute(update(School).values(data_version=School.data_version + 1))
    session.flush()
    return len(ids)
