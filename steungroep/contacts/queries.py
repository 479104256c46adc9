"""What the case page reads beside the case itself: whether its pupils were involved in an
earlier case (seed 001 stap 3 and §6.2: a pupil seen before goes on with the stappenplan)."""

from __future__ import annotations

from sqlalchemy import select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.domain.i18n import N_, translate
from steungroep.models import Case, CasePupil, GroupMember, SupportGroup


def earlier_involvement(case: Case) -> dict[int, list[tuple]]:
    """Per pupil of this case (the one it is about and those involved): the earlier cases
    of the school where that pupil was recorded as involved, or was in a steungroep on the
    side of those who bullied: (reported_on, how). Two queries, whatever the numbers."""
    ids = sorted({i.pupil_id for i in case.involved} | ({case.pupil_id} - {None}))
    if not ids:
        return {}
    found: dict[int, list[tuple]] = {}
    involved = db.session.execute(
        select(CasePupil.pupil_id, Case.reported_on, CasePupil.involvement)
        .join(Case, Case.id == CasePupil.case_id)
        .where(CasePupil.pupil_id.in_(ids), Case.id != case.id,
               Case.school_id == case.school_id, Case.reported_on <= case.reported_on)
    ).all()
    for pupil_id, reported_on, how in involved:
        found.setdefault(pupil_id, []).append(
            (reported_on, translate(domain.plan.INVOLVEMENT.get(how, how)).lower()))
    members = db.session.execute(
        select(GroupMember.pupil_id, Case.reported_on, GroupMember.role)
        .join(SupportGroup, SupportGroup.id == GroupMember.group_id)
        .join(Case, Case.id == SupportGroup.case_id)
        .where(GroupMember.pupil_id.in_(ids), Case.id != case.id,
               Case.school_id == case.school_id, Case.reported_on <= case.reported_on,
               GroupMember.role.in_(sorted(domain.RINGLEADER_SIDE)))
    ).all()
    for pupil_id, reported_on, role in members:
        found.setdefault(pupil_id, []).append(
            (reported_on, translate(N_("in een steungroep als %(role)s"),
                                    role=translate(domain.ROLES[role]).lower())))
    for rows in found.values():
        rows.sort()
    return found
