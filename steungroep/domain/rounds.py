"""Rounds (cycles): one action per member before the meeting ends, the evaluations after it,
at most five rounds, nothing changed once closed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from steungroep.domain.errors import DomainError, EditConflict
from steungroep.domain.text import join_names

MAX_CYCLES = 5


PUPIL_EVALUATION_DAYS = 7


GROUP_EVALUATION_DAYS = 14


def check_actions_complete(members: Mapping[int, str], actions: Mapping[int, str]) -> None:
    """Every member (id → first name) needs exactly one non-blank action."""
    missing = [
        name for member_id, name in members.items() if not (actions.get(member_id) or "").strip()
    ]
    if missing:
        raise DomainError(
            f"Nog geen actie voor {join_names(missing)}. "
            "Elk groepslid heeft precies één eigen actie.",
            "actions",
        )


def check_action_edit(name: str, stored: str, base: str, text: str) -> None:
    """A screen saves ``text`` over what it last saw stored (``base``). When the stored text
    has changed since (another tablet on the same meeting), nothing is overwritten: the
    teacher sees the other text and chooses. Saving the stored text again is no clash."""
    stored, base, text = stored.strip(), base.strip(), text.strip()
    if text == stored or base == stored:
        return
    if stored:
        raise EditConflict(
            f"Op een ander scherm is voor {name} intussen iets anders opgeslagen: "
            f"“{stored}”. Kies welke tekst blijft.",
            stored,
            "text",
        )
    raise EditConflict(
        f"Op een ander scherm is de actie van {name} intussen leeggemaakt. "
        "Kies of jouw tekst blijft.",
        stored,
        "text",
    )


def check_new_action(member_id: int, existing_member_ids: Iterable[int], name: str) -> None:
    """A member gets one action per cycle; a second one is refused."""
    if member_id in set(existing_member_ids):
        raise DomainError(
            f"{name} heeft in deze ronde al een actie. Je kunt die aanpassen.", "member"
        )


def check_next_cycle(current_number: int) -> int:
    """The number of the next cycle; never more than MAX_CYCLES."""
    if current_number >= MAX_CYCLES:
        raise DomainError(
            f"Er zijn al {MAX_CYCLES} rondes geweest; meer mag niet. "
            "De volgende stap is het stappenplan van je school."
        )
    return current_number + 1


def check_evaluation_allowed(meeting_completed: bool) -> None:
    if not meeting_completed:
        raise DomainError("Eerst de bijeenkomst afronden, daarna kun je evalueren.")


def check_group_evaluation_allowed(meeting_completed: bool, pupil_evaluation_held: bool) -> None:
    """Only the meeting is required: the group talk may go ahead if the pupil talk slipped."""
    check_evaluation_allowed(meeting_completed)


def check_open(closed: bool) -> None:
    if closed:
        raise DomainError("Deze steungroep is afgesloten en kan niet meer worden gewijzigd.")


def check_meeting_open(completed: bool) -> None:
    if completed:
        raise DomainError("Deze bijeenkomst is al afgerond; de acties kun je niet meer wijzigen.")


def check_consent(consent: bool) -> None:
    if not consent:
        raise DomainError("Zonder toestemming van de leerling start je geen steungroep.", "consent")
