"""Rules of the steungroepaanpak (No Blame): choices, limits and checks.

Every check raises :class:`DomainError` with a short Dutch message for the teacher.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from steungroep.domain.errors import DomainError

MIN_MEMBERS = 6
MAX_MEMBERS = 8
MAX_CYCLES = 5
PUPIL_EVALUATION_DAYS = 7
GROUP_EVALUATION_DAYS = 14

SHORT_TEXT = 200
LONG_TEXT = 2000

ROLES: dict[str, str] = {
    "aanvoerder": "Aanvoerder",
    "meeloper": "Meeloper",
    "omstander": "Omstander",
    "helper": "Helper / vriend",
}
RINGLEADER_SIDE = frozenset({"aanvoerder", "meeloper"})
OTHER_SIDE = frozenset({"omstander", "helper"})

SOURCES: dict[str, str] = {
    "leerling": "De leerling zelf",
    "ouder": "Ouder/verzorger",
    "personeel": "Personeel",
    "klasgenoot": "Klasgenoot",
    "brievenbus": "Anonieme brievenbus",
}

FORMS: dict[str, str] = {
    "verbaal": "Verbaal (schelden, vernederen, dreigen)",
    "lichamelijk": "Lichamelijk (duwen, schoppen, slaan)",
    "intimidatie": "Intimidatie (achtervolgen, klem zetten, dwingen)",
    "isolatie": "Isolatie (buitensluiten, negeren)",
    "stelen_vernielen": "Stelen of vernielen van spullen",
    "digitaal": "Digitaal (via sociale media of berichten)",
}

TRIAGE: dict[str, str] = {
    "geen_pesten": "Geen pesten: anders afhandelen",
    "eenmalig": "Eenmalig incident: herstelgesprek en controle na twee weken",
    "herhaald": "Herhaald pesten: steungroepaanpak",
}

INFORMED_PARTIES: dict[str, str] = {
    "directie": "Directie",
    "ib": "Intern begeleider",
    "smw": "Schoolmaatschappelijk werk",
    "ouders": "Ouders/verzorgers",
}

OUTCOMES: dict[str, str] = {
    "opgelost": "Afgesloten: het gaat beter",
    "geescaleerd": "Doorverwezen naar het stappenplan",
    "geen_toestemming": "Gestopt: de leerling wil (nu) geen steungroep",
    "anders_afgehandeld": "Anders afgehandeld",
}

IMPROVED: dict[str, str] = {"ja": "Ja", "deels": "Een beetje", "nee": "Nee"}
DONE: dict[str, str] = {"ja": "Gedaan", "deels": "Deels", "nee": "Niet gedaan"}


@dataclass(frozen=True)
class Candidate:
    """A (possible) member of a support group; ``name`` is the name shown in messages."""

    pupil_id: int
    school_id: int
    role: str
    name: str


# --- text and choices -------------------------------------------------------------------------


def clean_text(
    value: str | None,
    label: str,
    *,
    max_length: int,
    required: bool = True,
    field: str | None = None,
) -> str:
    """Strip ``value``; refuse it when required and empty, or when it is too long."""
    text = (value or "").strip()
    if not text:
        if required:
            raise DomainError(f"{label} is verplicht.", field)
        return ""
    if len(text) > max_length:
        raise DomainError(
            f"{label} mag maximaal {max_length} tekens zijn; je hebt er {len(text)} getypt.",
            field,
        )
    return text


def check_choice(
    value: str | None, choices: Mapping[str, str], label: str, field: str | None = None
) -> str:
    """Return ``value`` when it is one of the codes in ``choices``."""
    if value not in choices:
        raise DomainError(f"Kies een van de mogelijkheden bij '{label}'.", field)
    return value


def join_names(names: Sequence[str]) -> str:
    """'Sem', 'Sem en Noor', 'Sem, Noor en Bas'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} en {names[-1]}"


# --- the group ---------------------------------------------------------------------------------


def check_can_add_member(
    *, subject_id: int, school_id: int, members: Sequence[Candidate], new: Candidate
) -> None:
    """Refuse a member who cannot join this group (see the invariants in DOMAIN.md)."""
    if new.pupil_id == subject_id:
        raise DomainError(
            f"{new.name} is de leerling voor wie de steungroep is en kan geen groepslid zijn.",
            "pupil",
        )
    if any(m.pupil_id == new.pupil_id for m in members):
        raise DomainError(f"{new.name} zit al in de groep.", "pupil")
    if new.school_id != school_id:
        raise DomainError(f"{new.name} zit niet op deze school.", "pupil")
    if len(members) >= MAX_MEMBERS:
        raise DomainError(f"De groep is vol: maximaal {MAX_MEMBERS} leden.", "pupil")
    if new.role not in ROLES:
        raise DomainError(f"Kies een rol voor {new.name}.", "role")


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
    return (
        f"De groep is niet in evenwicht: {ringleaders} aanvoerder(s)/meeloper(s) en "
        f"{others} omstander(s)/helper(s). Streef naar ongeveer de helft van elk."
    )


def check_group_complete(members: Sequence[Candidate]) -> list[str]:
    """Refuse a group that cannot start; return warnings that do not block it."""
    count = len(members)
    if not MIN_MEMBERS <= count <= MAX_MEMBERS:
        raise DomainError(
            f"Een steungroep heeft {MIN_MEMBERS}–{MAX_MEMBERS} leden; nu zijn het er {count}.",
            "pupil",
        )
    seen: set[int] = set()
    for member in members:
        if member.pupil_id in seen:
            raise DomainError(f"{member.name} staat twee keer in de groep.", "pupil")
        seen.add(member.pupil_id)
        if member.role not in ROLES:
            raise DomainError(f"Kies een rol voor {member.name}.", "role")
    ringleaders, others = group_balance(members)
    if not ringleaders:
        raise DomainError("Neem ook minstens één aanvoerder of meeloper op in de groep.", "role")
    if not others:
        raise DomainError("Neem ook minstens één omstander of helper op in de groep.", "role")
    warning = balance_warning(members)
    return [warning] if warning else []


# --- actions and cycles ------------------------------------------------------------------------


def check_actions_complete(members: Mapping[int, str], actions: Mapping[int, str]) -> None:
    """Every member (id → first name) needs exactly one non-blank action."""
    missing = [
        name for member_id, name in members.items() if not (actions.get(member_id) or "").strip()
    ]
    if missing:
        raise DomainError(
            f"Nog geen actie voor {join_names(missing)}. "
            "Elk groepslid heeft precies één eigen actie."
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
