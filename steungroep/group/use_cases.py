"""Step 4: forming the group with the pupil, and changing it in a new round."""

from __future__ import annotations

from sqlalchemy import select

from steungroep import domain
from steungroep.cases.pupils import may_join
from steungroep.cases.state import (
    candidates,
    current_members,
    ensure_open,
    note,
)
from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import (
    Action,
    Case,
    Cycle,
    GroupMember,
    Pupil,
    User,
)
from steungroep.web.writes import use_case


def group_editable(case: Case) -> None:
    """The group can change before the first meeting, and again at the start of a new round."""
    ensure_open(case)
    group = case.group
    if group is None:
        raise DomainError(N_("Eerst het gesprek met de leerling, dan de groep."))
    cycle = group.current_cycle
    if cycle is not None and cycle.meeting_completed_at is not None:
        raise DomainError(
            N_("De bijeenkomst van deze ronde is al afgerond; de groep ligt vast."))


@use_case
def add_member(case: Case, user: User, pupil_id: int | None, role: str) -> GroupMember:
    group_editable(case)
    group = case.group
    pupil = db.session.get(Pupil, pupil_id) if pupil_id else None
    if not may_join(pupil, case):
        # Another school's pupil (or a made-up one, or a real one in a practice case) gets
        # the answer an unknown id gets: no name, no hint.
        raise DomainError(N_("Kies een leerling uit de lijst."), field="pupil")
    new = domain.Candidate(
        pupil_id=pupil.id, school_id=pupil.school_id, role=role, name=pupil.first_name
    )
    domain.check_can_add_member(
        subject_id=case.pupil_id,
        school_id=case.school_id,
        members=candidates(current_members(group)),
        new=new,
    )
    number = group.current_cycle.number if group.cycles else 1
    member = next((m for m in group.members if m.pupil_id == pupil.id), None)
    if member is None:
        member = GroupMember(group=group, pupil=pupil, role=role, joined_cycle=number)
        db.session.add(member)
    else:
        # Membership is kept per round through joined/left; a pupil who left cannot come
        # back without rewriting the history of the rounds in between.
        raise DomainError(
            N_("%(name)s deed eerder mee en is uit de groep gegaan. "
               "Kies een andere leerling."),
            field="pupil",
            name=pupil.first_name,
        )
    if group.confirmed_at:
        note(case, user, "groep", f"{pupil.first_name} toegevoegd aan de steungroep.")
    return member


@use_case
def remove_member(case: Case, user: User, member: GroupMember) -> None:
    group_editable(case)
    group = case.group
    number = group.current_cycle.number if group.cycles else 1
    members = current_members(group)
    if member not in members:
        raise DomainError(N_("%(name)s zit niet (meer) in de groep."),
                          name=member.pupil.first_name)
    if group.confirmed_at and len(members) - 1 < domain.MIN_MEMBERS:
        raise DomainError(
            N_("Een steungroep heeft minstens %(n)s leerlingen. "
               "Voeg eerst iemand toe en haal daarna iemand weg."),
            field="pupil",
            n=domain.MIN_MEMBERS,
        )
    if member.joined_cycle >= number:
        for action in list(db.session.scalars(select(Action).where(Action.member_id == member.id))):
            db.session.delete(action)
        group.members.remove(member)
        db.session.delete(member)
    else:
        member.left_cycle = number
    if group.confirmed_at:
        note(case, user, "groep", f"{member.pupil.first_name} doet niet meer mee aan de groep.")


@use_case
def confirm_group(case: Case, user: User) -> list[str]:
    """Fix the group for the first round; returns the domain's warnings."""
    group_editable(case)
    group = case.group
    if group.confirmed_at:
        return []
    members = current_members(group)
    warnings = domain.check_group_complete(candidates(members))
    group.confirmed_at = utcnow()
    group.cycles.append(Cycle(number=1))
    note(case, user, "groep", f"Steungroep samengesteld met {len(members)} leerlingen.")
    return warnings
