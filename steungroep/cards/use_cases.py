"""A lost card: a new link for the member, the old one retired."""

from __future__ import annotations

from steungroep.cases.state import (
    current_members,
    ensure_open,
    note,
)
from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import (
    Case,
    GroupMember,
    RetiredCardToken,
    User,
    new_card_token,
)
from steungroep.web.writes import use_case


@use_case
def replace_card(case: Case, user: User, member: GroupMember) -> GroupMember:
    """A lost card: a new link for this member; the old one stops working at once."""
    ensure_open(case)
    if case.group is None or member not in current_members(case.group):
        raise DomainError(N_("Deze leerling zit niet (meer) in de groep."))
    db.session.add(RetiredCardToken(token=member.card_token, retired_at=utcnow(), replaced=True))
    member.card_token = new_card_token()
    note(case, user, "kaart", f"Nieuwe kaart gemaakt voor {member.pupil.first_name}.")
    return member
