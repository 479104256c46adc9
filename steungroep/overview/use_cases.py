"""What a coordinator does from the overview: hand a case over, add a note."""

from __future__ import annotations

from steungroep import domain
from steungroep.cases.state import (
    note,
)
from steungroep.core.extensions import db
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import (
    ROLE_ADMIN,
    Case,
    User,
)
from steungroep.web.writes import use_case


@use_case
def reassign(case: Case, user: User, teacher_id: int | None) -> User:
    """A coordinator hands an open case to another staff member of its school; the
    reminders go to the new person from now on."""
    if case.is_closed:
        raise DomainError(N_("Een afgesloten aanpak krijgt geen andere verantwoordelijke."))
    teacher = db.session.get(User, teacher_id) if teacher_id else None
    if (teacher is None or not teacher.active or teacher.role == ROLE_ADMIN
            or case.school_id not in teacher.school_ids):
        raise DomainError(N_("Kies een leerkracht of coördinator van deze school."), "teacher_id")
    if teacher.id == case.teacher_id:
        raise DomainError(N_("%(name)s is al verantwoordelijk."), "teacher_id",
                          name=teacher.name)
    previous = case.teacher.name
    case.teacher = teacher
    note(case, user, "verantwoordelijke",
         f"Verantwoordelijk: {teacher.name} (was {previous}).")
    return teacher


@use_case
def coordinator_note(case: Case, user: User, text: str | None) -> None:
    """A coordinator's note in the timeline of an open case."""
    if case.is_closed:
        raise DomainError(N_("Een afgesloten aanpak verandert niet; gebruik een correctie."))
    text = domain.clean_text(text, N_("De notitie"), max_length=domain.LONG_TEXT, field="text")
    note(case, user, "notitie", f"Notitie van de coördinator: {text}")
