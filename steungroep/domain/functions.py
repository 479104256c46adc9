"""The school's own people: the functions its protocol names (seed 000: coach, APC, zoco,
leco, teamleider; seed 004: mentor, leerlingcoördinator, afdelingsleider,
ondersteuningscoördinator; seed 002: the interne vertrouwenspersonen; seed 001: the intern
begeleider, directie and SMW). A school keeps them as a list, one per line, with defaults
per school type; they are who is informed, who a talk is with and who owns a plan step.

A party is stored as a key: ``ouders`` for the parents of the pupil, or ``f:`` and the
function's name. Plain Python."""

from __future__ import annotations

from collections.abc import Iterable

from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_, translate
from steungroep.domain.text import check_lines, stored_lines

# The functions a new school starts with, by its type. Stored in Dutch, as the school may
# rename them; a name kept as it came is shown in the reader's language (function_label).
DEFAULT_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "po": (N_("Leerkracht"), N_("Directie"), N_("Intern begeleider"),
           N_("Anti-pestcoördinator"), N_("Interne vertrouwenspersoon"),
           N_("Schoolmaatschappelijk werk")),
    "vo": (N_("Mentor"), N_("Leerlingcoördinator"), N_("Afdelingsleider"),
           N_("Ondersteuningscoördinator"), N_("Anti-pestcoördinator"),
           N_("Interne vertrouwenspersoon"), N_("Schoolmaatschappelijk werk"), N_("Directie")),
    "mbo": (N_("Coach"), N_("Anti-pestcoördinator (APC)"), N_("Zorgcoördinator (zoco)"),
            N_("Leerlingcoördinator (leco)"), N_("Teamleider"),
            N_("Interne vertrouwenspersoon"), N_("Schoolmaatschappelijk werk"),
            N_("Directie")),
}
PARENTS = "ouders"
FUNCTION = "f:"
# Who is informed when a steungroep starts, by school type (seed 001: directie, intern
# begeleider, SMW and the parents; seed 004 §2.2: the leerlingcoördinator and the
# ondersteuningscoördinator; seed 000: "de coach informeert de APC" and the parents).
DEFAULT_INFORMED: dict[str, tuple[str, ...]] = {
    "po": ("f:Directie", "f:Intern begeleider", "f:Schoolmaatschappelijk werk", PARENTS),
    "vo": ("f:Leerlingcoördinator", "f:Ondersteuningscoördinator", PARENTS),
    "mbo": ("f:Anti-pestcoördinator (APC)", PARENTS),
}
FUNCTION_LENGTH = 60
MAX_FUNCTIONS = 20


def default_functions_text(kind: str) -> str:
    return "\n".join(DEFAULT_FUNCTIONS.get(kind, DEFAULT_FUNCTIONS["po"]))


def default_informed_text(kind: str) -> str:
    return "\n".join(DEFAULT_INFORMED.get(kind, DEFAULT_INFORMED["po"]))


def function_names(text: str) -> list[str]:
    """The school's stored list (one per line) as names."""
    return stored_lines(text)


def check_functions_text(text: str) -> str:
    """A school's functions as typed under Instellingen: one per line."""
    names = check_lines(text, N_("Functie op regel %(n)s"),
                        N_("De functie op regel %(n)s staat er al: ‘%(name)s’."), "name",
                        max_length=FUNCTION_LENGTH, field="functions")
    if not names:
        raise DomainError(N_("Zet minstens één functie in de lijst."), field="functions")
    if len(names) > MAX_FUNCTIONS:
        raise DomainError(N_("Een school heeft hoogstens %(max)s functies in de lijst."),
                          field="functions", max=MAX_FUNCTIONS)
    return "\n".join(names)


def function_key(name: str) -> str:
    return FUNCTION + name


def chosen_function(key: str, functions: Iterable[str]) -> str | None:
    """The function a key names, when it is one of the school's; else None."""
    if not key.startswith(FUNCTION):
        return None
    name = key[len(FUNCTION):]
    return name if name in functions else None


def check_owner(key: str, functions: Iterable[str]) -> str:
    """Who owns a plan step: one of the school's functions, or nobody (empty)."""
    if not key:
        return ""
    name = chosen_function(key, functions)
    if name is None:
        raise DomainError(N_("Kies een functie uit de lijst van de school."), field="owner")
    return name


def check_informed_list(keys: list[str], functions: list[str]) -> str:
    """Who the teacher is prompted to inform when a steungroep starts: the parents and any
    of the school's functions, as stored (one key per line, in the list's order)."""
    for key in keys:
        if key != PARENTS and chosen_function(key, functions) is None:
            raise DomainError(
                N_("‘%(name)s’ staat niet (meer) bij de functies: vink opnieuw aan wie er "
                   "geïnformeerd wordt."), field="informed", name=key.removeprefix(FUNCTION))
    wanted = set(keys)
    order = [function_key(name) for name in functions] + [PARENTS]
    return "\n".join(key for key in order if key in wanted)


def still_to_inform(prompted: str, informed: list[str]) -> list[str]:
    """The keys on the school's list not yet recorded as informed, in the list's order."""
    return [key for key in (prompted or "").splitlines() if key and key not in informed]


def function_label(name: str) -> str:
    """A function's name for a staff screen: a default name in the reader's language, a name
    of the school's own as it wrote it."""
    return translate(name) if name else name


def party_label(key: str, *, translated: bool = True) -> str:
    """The words of a key: the function's name, or 'Ouders/verzorgers' (in the reader's
    language with ``translated``, else in Dutch as stored)."""
    if key.startswith(FUNCTION):
        name = key[len(FUNCTION):]
        return function_label(name) if translated else name
    if key == PARENTS:
        label = N_("Ouders/verzorgers")
        return translate(label) if translated else label
    return key


def check_informed(key: str, functions: list[str]) -> tuple[str, str]:
    """Who was informed, as stored: ('ouders', '') or ('functie', the function's name)."""
    if key == PARENTS:
        return PARENTS, ""
    name = chosen_function(key, functions)
    if name is None:
        raise DomainError(N_("Kies wie er geïnformeerd is."), field="party")
    return "functie", name
