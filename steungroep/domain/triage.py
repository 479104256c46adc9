"""After the talk with the pupil (seed 001 §6.1 stap 1→2; seed 002 stap 1; seed 004 §2.2 stap
2): the path chosen at the melding may turn out wrong, and a pupil who does not want a group
yet is not the end of the case. Plain Python."""

from __future__ import annotations

from datetime import date, timedelta

from steungroep.domain.errors import DomainError, Problems
from steungroep.domain.i18n import N_
from steungroep.domain.text import LONG_TEXT, clean_text
from steungroep.domain.vocabulary import TRIAGE

# What follows a 'no' from the pupil: ask again later, the school's stappenplan, or close.
NO_CONSENT: dict[str, str] = {
    "later": N_("Later opnieuw vragen"),
    "stappenplan": N_("Verder met het stappenplan van de school"),
    "sluiten": N_("Afsluiten"),
}
RETRY_LONGEST_DAYS = 42


def check_no_consent(choice: str, retry_on: date | None, reason: str, held_on: date | None
                     ) -> tuple[str, date | None, str]:
    """The recorded choice after a 'no': (choice, date to ask again, reason)."""
    problems = Problems()
    if choice not in NO_CONSENT:
        problems.refuse(N_("Kies hoe het verder gaat nu de leerling (nog) geen steungroep wil."),
                        "no_consent")
    if choice == "later":
        if retry_on is None:
            problems.refuse(N_("Kies de datum waarop je het opnieuw vraagt."), "follow_up_on")
        elif held_on and not held_on < retry_on <= held_on + timedelta(days=RETRY_LONGEST_DAYS):
            problems.refuse(N_("Vraag het opnieuw binnen zes weken na dit gesprek."),
                            "follow_up_on")
    text = problems.check(clean_text, reason, N_("De reden"), max_length=LONG_TEXT,
                          required=choice in ("stappenplan", "sluiten"),
                          field="no_consent_reason") or ""
    problems.raise_any()
    return choice, retry_on if choice == "later" else None, text


def triage_changeable(closed: bool, triage: str, group_confirmed: bool) -> bool:
    """The path may still change: open (and not on the stappenplan yet), on the steungroep
    or the one-off path, and no group formed yet."""
    return not closed and triage in ("herhaald", "eenmalig") and not group_confirmed


def check_triage_change(current: str, new: str, reason: str, group_confirmed: bool,
                        escalated: bool = False) -> str:
    """A different path after the talk, until the group is formed or the stappenplan has
    started; always with a reason."""
    if escalated:
        raise DomainError(N_("Deze aanpak volgt al het stappenplan: de triage ligt nu vast."))
    if group_confirmed:
        raise DomainError(N_("De steungroep is al gevormd: de triage ligt nu vast."))
    problems = Problems()
    if new not in TRIAGE or new == current:
        problems.refuse(N_("Kies een andere beoordeling dan de huidige."), "triage")
    text = problems.check(clean_text, reason, N_("De reden"), max_length=LONG_TEXT,
                          field="triage_note") or ""
    problems.raise_any()
    return text
