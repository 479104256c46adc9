"""The steungroep: 6 to 8 classmates, both sides present, the pupil concerned never a member.

Every check raises :class:`DomainError` with a short Dutch message for the teacher."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_, translate
from steungroep.domain.vocabulary import OTHER_SIDE, RINGLEADER_SIDE, ROLES

MIN_MEMBERS = 6


MAX_MEMBERS = 8


@dataclass(frozen=True)
class Candidate:
    """A (possible) member of a support group; ``name`` is the name shown in messages."""

    pupil_id: int
    school_id: int
    role: str
    name: str


def check_can_add_member(
    *, subject_id: int, school_id: int, members: Sequence[Candidate], new: Candidate
) -> None:
    """Refuse a member who cannot join this group (see the invariants in DOMAIN.md)."""
    if new.pupil_id == subject_id:
        raise DomainError(
            N_("%(name)s is de leerling voor wie de steungroep is en kan geen groepslid zijn."),
            "pupil", name=new.name,
        )
    if any(m.pupil_id == new.pupil_id for m in members):
        raise DomainError(N_("%(name)s zit al in de groep."), "pupil", name=new.name)
    if new.school_id != school_id:
        raise DomainError(N_("%(name)s zit niet op deze school."), "pupil", name=new.name)
    if len(members) >= MAX_MEMBERS:
        raise DomainError(N_("De groep is vol: maximaal %(max)s leden."), "pupil",
                          max=MAX_MEMBERS)
    if new.role not in ROLES:
        raise DomainError(N_("Kies een rol voor %(name)s."), "role", name=new.name)


def group_balance(members: Sequence[Candidate]) -> tuple[int, int]:
    """(members on the ringleader side, members on the other side)."""
    ringleaders = sum(1 for m in members if m.role in RINGLEADER_SIDE)
    others = sum(1 for m in members if m.role in OTHER_SIDE)
    return ringleaders, others


def balance_warning(members: Sequence[Candidate]) -> str | None:
    """A hint when the group is far from half aanvoerders/meelopers, half others."""
    size = len(members)
    if not size:
        return None
    ringleaders, others = group_balance(members)
    if abs(ringleaders - size / 2) <= 1:
        return None
    return translate(
        N_("De groep is niet in evenwicht: %(ringleaders)s aanvoerder(s)/meeloper(s) en "
           "%(others)s omstander(s)/helper(s). Streef naar ongeveer de helft van elk."),
        ringleaders=ringleaders, others=others,
    )


def check_group_complete(members: Sequence[Candidate]) -> list[str]:
    """Refuse a group that cannot start; return warnings that do not block it."""
    count = len(members)
    if not MIN_MEMBERS <= count <= MAX_MEMBERS:
        raise DomainError(
            N_("Een steungroep heeft %(min)s–%(max)s leden; nu zijn het er %(count)s."),
            "pupil", min=MIN_MEMBERS, max=MAX_MEMBERS, count=count,
        )
    seen: set[int] = set()
    for member in members:
        if member.pupil_id in seen:
            raise DomainError(N_("%(name)s staat twee keer in de groep."), "pupil",
                              name=member.name)
        seen.add(member.pupil_id)
        if member.role not in ROLES:
            raise DomainError(N_("Kies een rol voor %(name)s."), "role", name=member.name)
    ringleaders, others = group_balance(members)
    if not ringleaders:
        raise DomainError(N_("Neem ook minstens één aanvoerder of meeloper op in de groep."),
                          "role")
    if not others:
        raise DomainError(N_("Neem ook minstens één omstander of helper op in de groep."),
                          "role")
    warning = balance_warning(members)
    return [warning] if warning else []
