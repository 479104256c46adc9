"""A case and where it stands: loading it with everything its pages need, what comes next, who
 is in the group this round, and the timeline note every change writes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import (
    EVAL_GROUP_AGAIN,
    EVAL_PUPIL,
    Case,
    CasePupil,
    CaseTalk,
    Cycle,
    Evaluation,
    GroupMember,
    Pupil,
    SupportGroup,
    TimelineEntry,
    User,
)


def case_load_options():
    """Loader options that fetch a case with everything its pages need, in fixed queries."""
    cycles = selectinload(Case.group).selectinload(SupportGroup.cycles)
    members = selectinload(Case.group).selectinload(SupportGroup.members)
    return (
        selectinload(Case.pupil).selectinload(Pupil.school_class),
        selectinload(Case.teacher),
        selectinload(Case.talk),
        selectinload(Case.forms),
        selectinload(Case.talks).selectinload(CaseTalk.pupil),
        selectinload(Case.talks).selectinload(CaseTalk.user),
        selectinload(Case.involved).selectinload(CasePupil.pupil).selectinload(
            Pupil.school_class),
        selectinload(Case.plan_steps),
        members.selectinload(GroupMember.pupil).selectinload(Pupil.school_class),
        cycles.selectinload(Cycle.actions),
        cycles.selectinload(Cycle.evaluations).selectinload(Evaluation.results),
    )


def note(case: Case, user: User | None, kind: str, text: str) -> None:
    """Append one entry to the case's timeline."""
    db.session.add(TimelineEntry(case=case, user=user, kind=kind, text=text, at=utcnow()))


def snapshot(case: Case) -> domain.CaseSnapshot:
    """The plain values the domain needs to say what comes next."""
    group = case.group
    cycle = group.current_cycle if group else None
    pupil_eval = cycle.evaluation(EVAL_PUPIL) if cycle else None
    group_eval = cycle.group_evaluation if cycle else None
    next_plan = next((s for s in case.plan_steps if s.done_on is None), None)
    restore = restore_talk(case)
    return domain.CaseSnapshot(
        triage=case.triage,
        closed=case.is_closed,
        outcome=case.outcome,
        talk_held=case.talk is not None,
        consent=case.talk.consent if case.talk else None,
        group_confirmed=bool(group and group.confirmed_at),
        member_count=len(current_members(group)) if group else 0,
        cycle_number=cycle.number if cycle else 0,
        meeting_completed=bool(cycle and cycle.meeting_completed_at),
        actions_count=len(cycle.actions) if cycle else 0,
        pupil_evaluation_held=bool(pupil_eval and pupil_eval.held_on),
        group_evaluation_held=bool(group_eval and group_eval.held_on),
        decision_made=bool(cycle and cycle.decision),
        pupil_evaluation_due=pupil_eval.due_on if pupil_eval else None,
        group_evaluation_due=group_eval.due_on if group_eval else None,
        talk_again_on=case.talk.follow_up_on if case.talk and not case.talk.consent else None,
        escalated=case.escalated_at is not None,
        plan_next=next_plan.title if next_plan else None,
        plan_next_due=next_plan.planned_on if next_plan else None,
        restore_held=restore is not None,
        check_due=restore.follow_up_on if restore else None,
        group_evaluation_again=bool(group_eval and group_eval.kind == EVAL_GROUP_AGAIN),
    )


def restore_talk(case: Case) -> CaseTalk | None:
    """The one-off path's restoring talk (the latest, should there be more)."""
    return next((t for t in reversed(case.talks) if t.kind == "herstelgesprek"), None)


def talk_agreements(case: Case, pupil_id: int | None) -> tuple[tuple[str, date, str], ...]:
    """The agreements of the talks with one pupil or their parents (not the restoring
    talk, whose agreements the note gives on their own)."""
    if pupil_id is None:
        return ()
    return tuple(
        ("gesprek met de ouders" if t.party == "ouders" else "gesprek met de leerling",
         t.held_on, t.agreements)
        for t in case.talks
        if t.kind == "gesprek" and t.pupil_id == pupil_id and t.agreements.strip())


def next_date(case: Case, step: domain.Step) -> date | None:
    """When the next step should happen (domain.step_date): an evaluation's planned date,
    or the planned group meeting."""
    cycle = case.group.current_cycle if case.group else None
    return domain.step_date(step, cycle.meeting_planned_on if cycle else None)


def next_step(case: Case) -> domain.Step:
    return domain.next_step(snapshot(case))


def last_held_cycle(group: SupportGroup | None) -> Cycle | None:
    """The latest round whose meeting was held: the round the cards are about."""
    if group is None:
        return None
    return next((c for c in reversed(group.cycles) if c.meeting_completed_at), None)


def current_members(group: SupportGroup | None) -> list[GroupMember]:
    """The members taking part in the group's current round."""
    if group is None:
        return []
    number = group.current_cycle.number if group.cycles else 1
    return [m for m in group.members if m.in_cycle(number)]


def member_names(members: Iterable[GroupMember]) -> dict[int, str]:
    """What pupil-facing screens and papers call each member (domain.names_apart): the first
    name, and where two share it, what tells them apart."""
    members = [m for m in members if m.pupil is not None]
    names = domain.names_apart([
        (m.pupil.first_name, m.pupil.surname_initial,
         m.pupil.school_class.name if m.pupil.school_class else None) for m in members])
    return {m.id: name for m, name in zip(members, names, strict=True)}


def candidates(members: Iterable[GroupMember]) -> list[domain.Candidate]:
    return [
        domain.Candidate(
            pupil_id=m.pupil_id, school_id=m.pupil.school_id, role=m.role, name=m.pupil.first_name
        )
        for m in members
    ]


def had_group_before(case: Case) -> bool:
    """Has the pupil concerned had a steungroep in an earlier case?"""
    earlier = db.session.scalar(
        select(SupportGroup.id)
        .join(Case)
        .where(
            Case.pupil_id == case.pupil_id,
            Case.id != case.id,
            SupportGroup.confirmed_at.is_not(None),
        )
        .limit(1)
    )
    return earlier is not None


def triage_changeable(case: Case) -> bool:
    """The road chosen at the melding may still change: open, not on the stappenplan yet,
    and no group formed."""
    return domain.triage_changeable(case.is_closed or case.escalated_at is not None,
                                    case.triage, bool(case.group and case.group.confirmed_at))


def ensure_open(case: Case) -> None:
    """The method's steps may still be taken: not closed, and not gone on to the plan."""
    domain.check_open(case.is_closed)
    if case.escalated_at is not None:
        raise DomainError(N_("De steungroepaanpak is gestopt: deze aanpak gaat verder met het "
                             "stappenplan van de school."))


def ensure_record(case: Case) -> None:
    """Records (talks, who was informed) may be added, also after closing; not once the
    case is anonymised."""
    if case.purged_at is not None:
        raise DomainError(N_("Deze aanpak is geanonimiseerd: er kan niets meer bij."))


def current_cycle(case: Case) -> Cycle:
    ensure_open(case)
    group = case.group
    if group is None or group.current_cycle is None:
        raise DomainError(N_("Stel eerst de steungroep samen."))
    return group.current_cycle


def member_by_id(case: Case, member_id: int) -> GroupMember | None:
    """A member of the case's group (a former one too), or None for an id of no member."""
    if case.group is None:
        return None
    return next((m for m in case.group.members if m.id == member_id), None)
