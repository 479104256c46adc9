"""The digital letterbox (seed 002 §3 and §4: "Een kind kan ook melding maken … middels een
briefje in de blauwe brievenbus, deze komt dan terecht bij de interne vertrouwenspersonen en
zij ondernemen hierop actie"). What a child may write, the code to come back with, how a
letter ends, and what may be written back. Plain Python.

The writer gets no account and no cookie, and no address is stored: only a code. The code is
derived from a random value in the form they filled in, so the same form sent twice (a double
tap, a slow network) finds the same letter and shows the same code again."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from steungroep.domain.cards import forbidden_word, names_in, normalise
from steungroep.domain.errors import DomainError, Problems
from steungroep.domain.i18n import N_
from steungroep.domain.text import clean_text

WHAT_MAX = 2000
WHERE_MAX = 200
NAME_MAX = 100

# Who writes (the form asks it in a child's words).
WRITERS: dict[str, str] = {
    "zelf": N_("Het gaat over mij"),
    "ander": N_("Het gaat over iemand anders"),
    "ouder": N_("Ik ben een ouder of verzorger"),
}
WANTS_TALK: dict[str, str] = {
    "ja": N_("Ja, graag"),
    "nee": N_("Nee, nu niet"),
    "weet_niet": N_("Weet ik nog niet"),
}
# How a letter ends when it does not become a melding.
CLOSE_REASONS: dict[str, str] = {
    "gesprek": N_("Opgelost met een gesprek"),
    "geen_actie": N_("Geen actie nodig"),
    "dubbel": N_("Dubbel: dit staat al in een ander briefje of een melding"),
    "niet_serieus": N_("Niet serieus"),
    "anders": N_("Anders"),
}

# The code: ten signs a child can copy without mixing them up (no 0/O, 1/I/L).
CODE_SIGNS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Markup in a letter: nobody writes a tag by hand; a heart like <3 is fine.
MARKUP = re.compile(r"<\s*[A-Za-z/!?][^>]*>")


def code_for(secret: str, nonce: str) -> str:
    """The code of the letter sent from the form that carried ``nonce``: 'K7PX2-M9QRT'."""
    digest = hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    signs = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_SIGNS))
        signs.append(CODE_SIGNS[index])
    code = "".join(signs)
    return f"{code[:5]}-{code[5:]}"


def typed_code(typed: str | None) -> str | None:
    """A code as a child may type it back (small letters, spaces, a dash or none): in its one
    written form, or None when it cannot be a code."""
    plain = re.sub(r"[\s\-–—.]", "", (typed or "")[:40]).upper()
    if len(plain) != CODE_LENGTH or any(sign not in CODE_SIGNS for sign in plain):
        return None
    return f"{plain[:5]}-{plain[5:]}"


def code_key(code: str) -> str:
    """What is stored of a code: its hash (the code itself is like a password)."""
    return hashlib.sha256(code.encode()).hexdigest()


def reads_letterbox(chosen: bool, coordinator: bool, school_has_chosen: bool) -> bool:
    """Who reads a school's letterbox (seed 002 §4: "deze komt dan terecht bij de interne
    vertrouwenspersonen"): those the school chose; where it chose nobody, its coordinators."""
    return chosen or (coordinator and not school_has_chosen)


def check_nonce(nonce: str | None) -> str:
    if not nonce or not NONCE.fullmatch(nonce):
        raise DomainError(N_("Dit formulier is te oud. Laad de pagina opnieuw en probeer het "
                             "nog een keer."), "what")
    return nonce


def clean_letter(what: str, where: str, about: str, writer: str, wants_talk: str,
                 name: str, class_name: str) -> dict[str, str]:
    """What a child typed, checked as a whole: every problem by its own field, in words a
    child of eight reads. (Control characters, a NUL among them, never reach here: every
    form value is cleaned of them on the way in, core/security.py.)"""
    problems = Problems()
    values = {
        "what": problems.check(clean_text, what, N_("Wat er is gebeurd"),
                               max_length=WHAT_MAX, field="what"),
        "where": problems.check(clean_text, where, N_("Waar het gebeurde"),
                                max_length=WHERE_MAX, required=False, field="where"),
        "about": problems.check(clean_text, about, N_("Over wie het gaat"),
                                max_length=NAME_MAX, required=False, field="about"),
        "name": problems.check(clean_text, name, N_("Je naam"),
                               max_length=NAME_MAX, required=False, field="name"),
        "class_name": problems.check(clean_text, class_name, N_("Je klas of groep"),
                                     max_length=50, required=False, field="class_name"),
    }
    for field in ("what", "where", "about", "name", "class_name"):
        if values[field] and MARKUP.search(values[field]):
            problems.refuse(N_("Schrijf het in gewone woorden, zonder codes tussen < en >."),
                            field)
    if writer not in WRITERS:
        problems.refuse(N_("Kies over wie het gaat: over jou of over iemand anders."),
                        "writer")
    if wants_talk not in WANTS_TALK:
        problems.refuse(N_("Kies of je wilt dat iemand met je praat."), "wants_talk")
    problems.raise_any()
    return {**values, "writer": writer, "wants_talk": wants_talk}


def check_answer(text: str, names: Iterable[str] = (), typed: str = "") -> str:
    """What staff write back is read by the child on their phone: it carries none of the
    method's private words, and no name of a child of the school (``names``) but those the
    writer typed themselves (``typed``: their own name, who it was about)."""
    answer = clean_text(text, N_("Het antwoord"), max_length=WHAT_MAX, field="answer")
    if forbidden_word(answer):
        raise DomainError(
            N_("Het antwoord wordt gelezen door wie het briefje schreef: gebruik geen woorden "
               "als ‘pesten’, ‘dader’ of ‘slachtoffer’ en geen rollen. Schrijf wat er nu "
               "gebeurt, in gewone woorden."),
            "answer",
        )
    known = {normalise(word) for word in re.findall(r"\w+", typed)}
    named = names_in(answer, [n for n in names if normalise(n) not in known])
    if named:
        raise DomainError(
            N_("In het antwoord staat de naam %(name)s. Wie het briefje schreef, leest het: "
               "noem geen andere kinderen dan wie de schrijver zelf noemde."),
            "answer", name=named[0])
    return answer


def check_close(reason: str, note: str) -> tuple[str, str]:
    if reason not in CLOSE_REASONS:
        raise DomainError(N_("Kies waarom het briefje klaar is."), "reason")
    note = clean_text(note, N_("Toelichting"), max_length=200, required=reason == "anders",
                      field="note")
    return reason, note


def check_open(closed: bool, turned_into_case: bool) -> None:
    if turned_into_case:
        raise DomainError(N_("Van dit briefje is al een melding gemaakt."))
    if closed:
        raise DomainError(N_("Dit briefje is al afgesloten."))
