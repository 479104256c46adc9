"""Rules for a school board's schools and people, without Flask.

The roles:
- a *teacher* (leerkracht / mentor) runs the cases they are responsible for;
- a *coordinator* (SMW, IB, anti-pestcoördinator) reads every case of their schools;
- an *admin* (beheerder) manages the people, pupils and settings of their schools, and reads
  no case unless responsible for it;
- a *board admin* (bestuursbeheerder) is an admin who also creates the board's schools and
  names their admins; they hold every school of their board.

A person may hold several schools (a coordinator or admin serving two schools). An admin
changes only people of the schools they hold, gives only schools they hold, and never
leaves a school without an active admin.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_

TEACHER = "teacher"
COORDINATOR = "coordinator"
ADMIN = "admin"
ROLES = {
    TEACHER: N_("Leerkracht / mentor"),
    COORDINATOR: N_("Coördinator (SMW / IB / anti-pestcoördinator)"),
    ADMIN: N_("Beheerder"),
}
BOARD_ADMIN_LABEL = N_("Bestuursbeheerder")

MAX_NAME = 120
MAX_EMAIL = 200
MAX_SCHOOL_NAME = 200
MAX_BOARD_NAME = 200
# Two digits and two letters (the institution), optionally two digits (the location).
BRIN = re.compile(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN = re.compile(rf"{_LABEL}(\.{_LABEL})+")

INVITE = "welkom"  # a new account chooses its first password
RESET = "herstel"  # a forgotten password
PURPOSES = {INVITE, RESET}
VALID_FOR = {INVITE: timedelta(days=7), RESET: timedelta(hours=48)}


def _text(value: str | None) -> str:
    """One line of text as typed: trimmed, inner runs of spaces made one."""
    return " ".join((value or "").split())


def _printable(value: str) -> bool:
    return all(c.isprintable() for c in value)


def clean_name(name: str | None, field: str = "name") -> str:
    name = _text(name)
    if not name:
        raise DomainError(N_("Vul de naam in."), field)
    if len(name) > MAX_NAME or not _printable(name):
        raise DomainError(N_("Deze naam is te lang of bevat tekens die niet kunnen (meer "
                             "dan %(max)s tekens)."), field, max=MAX_NAME)
    return name


def clean_email(email: str | None, field: str = "email") -> str:
    email = (email or "").strip().lower()
    if not email:
        raise DomainError(N_("Vul het e-mailadres in."), field)
    if len(email) > MAX_EMAIL or not _printable(email) or not EMAIL.match(email):
        raise DomainError(N_("Dit is geen e-mailadres, bijvoorbeeld naam@school.nl."), field)
    return email


def clean_role(role: str | None, field: str = "role") -> str:
    if role not in ROLES:
        raise DomainError(N_("Kies een rol."), field)
    return role


def clean_board_name(name: str | None) -> str:
    name = _text(name)
    if not name:
        raise DomainError(N_("Vul de naam van het schoolbestuur in."), "board")
    if len(name) > MAX_BOARD_NAME or not _printable(name):
        raise DomainError(N_("Deze naam is te lang of bevat tekens die niet kunnen."), "board")
    return name


def clean_school_name(name: str | None, taken: bool = False) -> str:
    """A school's name as typed; ``taken``: another school has it already (names are how
    staff, the command line and the pupil lists tell schools apart)."""
    name = _text(name)
    if len(name) < 2:
        raise DomainError(N_("Vul de naam van de school in."), "name")
    if len(name) > MAX_SCHOOL_NAME or not _printable(name):
        raise DomainError(N_("Deze naam is te lang (meer dan %(max)s tekens) of bevat tekens "
                             "die niet kunnen."), "name", max=MAX_SCHOOL_NAME)
    if taken:
        raise DomainError(N_("Er is al een school met de naam ‘%(name)s’. Kies een naam die "
                             "de scholen uit elkaar houdt, bijvoorbeeld met de plaats erbij."),
                          "name", name=name)
    return name


def clean_brin(brin: str | None, taken: bool = False) -> str | None:
    """The BRIN as typed (spaces and case do not matter), or None when left empty."""
    brin = "".join((brin or "").split()).upper()
    if not brin:
        return None
    if not BRIN.match(brin):
        raise DomainError(N_("Een BRIN-nummer is twee cijfers en twee letters, eventueel met "
                             "twee cijfers voor de vestiging: 12AB of 12AB01."), "brin")
    if taken:
        raise DomainError(N_("Er is al een school met BRIN-nummer %(brin)s."), "brin",
                          brin=brin)
    return brin


def check_email_free(taken: bool) -> None:
    if taken:
        raise DomainError(N_("Er is al een account met dit e-mailadres. Werkt die persoon "
                             "ook op een andere school van je, geef het bestaande account "
                             "die school erbij."), "email")


def check_schools(chosen: set[int], held: set[int]) -> set[int]:
    """The schools an admin gives someone: at least one, and only schools the admin holds
    (anything else is refused as if it did not exist)."""
    if not chosen:
        raise DomainError(N_("Kies minstens één school."), "schools")
    if not chosen <= held:
        raise DomainError(N_("Je kunt alleen scholen geven die je zelf beheert."), "schools")
    return chosen


def schools_after_change(current: set[int], chosen: set[int], held: set[int]) -> set[int]:
    """A person's schools after an admin chose ``chosen`` among the schools the admin holds
    (``held``): their schools the admin does not hold stay as they are."""
    return (current - held) | chosen


def check_admins_left(schools_without_admin: list[str]) -> None:
    """Every school keeps at least one active admin: a change that would leave one without
    is refused, naming the school."""
    if schools_without_admin:
        raise DomainError(N_("Dan heeft %(school)s geen beheerder meer. Maak eerst iemand "
                             "anders beheerder van die school."),
                          "role", school=", ".join(sorted(schools_without_admin)))


def check_named_admin(of_this_board: bool, role: str, name: str) -> None:
    """Someone who has an account already becomes an admin of another school of the board
    only as an admin of this board: an account has one role, and another board's accounts
    are not this board's to change (nor to name)."""
    if not of_this_board:
        raise DomainError(N_("Er is al een account met dit e-mailadres, bij een ander "
                             "schoolbestuur. Gebruik een ander e-mailadres."), "admin_email")
    if role != ADMIN:
        raise DomainError(N_("%(name)s heeft al een account als %(role)s. Een account heeft "
                             "één rol: wijzig die onder Personen, of gebruik een ander "
                             "e-mailadres."), "admin_email", name=name, role=ROLES[role])


def check_not_self(is_self: bool, what: str = "") -> None:
    if is_self:
        raise DomainError(N_("Je eigen rol, scholen en account verander je niet zelf; vraag "
                             "een andere beheerder."), what or None)


def invitation_expiry(purpose: str, now: datetime) -> datetime:
    return now + VALID_FOR[purpose]


def invitation_refusal(found: bool, used: bool, expired: bool, newer: bool) -> str | None:
    """Why a link no longer works (the same words whoever asks: they say nothing about the
    account), or None when it does."""
    if not found or newer:
        return N_("Deze link werkt niet (meer). Misschien is er daarna een nieuwe gemaakt. "
                  "Vraag de beheerder van je school om een nieuwe link.")
    if used:
        return N_("Deze link is al gebruikt. Log in met het wachtwoord dat je toen koos, of "
                  "vraag de beheerder van je school om een nieuwe link.")
    if expired:
        return N_("Deze link is verlopen. Vraag de beheerder van je school om een nieuwe.")
    return None


def clean_domains(text: str | None) -> str:
    """E-mail domains (space- or comma-separated), as 'school.nl bestuur.nl'."""
    domains = []
    for part in re.split(r"[\s,;]+", (text or "").strip().lower()):
        part = part.lstrip("@")
        if not part:
            continue
        if len(part) > 100 or not DOMAIN.fullmatch(part):
            raise DomainError(N_("‘%(domain)s’ is geen e-maildomein, zoals school.nl."),
                              "domains", domain=part[:100])
        if part not in domains:
            domains.append(part)
    result = " ".join(domains)
    if len(result) > 300:
        raise DomainError(N_("Dat zijn te veel domeinen."), "domains")
    return result


def in_domains(email: str, domains: str) -> bool:
    """Whether ``email`` (verified, lower case) is of one of the school's own domains."""
    domain = email.rpartition("@")[2]
    return bool(domain) and domain in domains.split()


def name_from_claims(claims: dict, email: str) -> str:
    """The name a new account gets from the school's provider: its name, or given and
    family name, or the part of the address before the @."""
    for value in (claims.get("name"),
                  " ".join(str(claims.get(k) or "") for k in ("given_name", "family_name"))):
        if isinstance(value, str):
            try:
                return clean_name(value)
            except DomainError:
                continue
    return email.partition("@")[0][:MAX_NAME]
