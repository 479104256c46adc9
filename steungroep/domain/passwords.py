"""Passwords: at least 12 characters, and none of the passwords people pick most.

The list beside this module holds the bases that top every published list of breached
passwords (and their Dutch counterparts). A password is refused when, with digits and
punctuation stripped from both ends, what remains is such a base, is one character
repeated, is a run on the keyboard or the number row, or is the person's own name or
e-mail name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_

MIN_LENGTH = 12
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
RUNS = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiopasdfghjklzxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    words = set()
    for line in COMMON_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


def _core(password: str) -> str:
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", password.lower())


def _is_run(text: str) -> bool:
    if len(text) < 4:
        return False
    for run in RUNS:
        doubled = run + run
        if text in doubled or text[::-1] in doubled:
            return True
    return False


def check_new_password(password: str, *, email: str = "", name: str = "") -> None:
    """Raise DomainError (Dutch) when ``password`` is too short or too easy to guess."""
    if len(password) < MIN_LENGTH:
        raise DomainError(
            N_("Kies een wachtwoord van minstens %(min)s tekens; je hebt er %(n)s."),
            "password", min=MIN_LENGTH, n=len(password),
        )
    lowered = password.lower()
    core = _core(password)
    personal = {part for part in re.split(r"[\W_]+", f"{email.split('@')[0]} {name}".lower())
                if len(part) >= 4}
    rest = core
    for part in personal:
        rest = rest.replace(part, "")
    letters = re.sub(r"[\W\d_]+", "", lowered)
    easy = (
        len(set(lowered)) <= 2
        or _is_run(lowered)
        or _is_run(core)
        or lowered in common_passwords()
        or core in common_passwords()
        or len(core) < 4
        or letters in common_passwords()
        or (rest != core and len(rest) < 4)
    )
    if easy:
        raise DomainError(
            N_("Dit wachtwoord is te makkelijk te raden. Kies bijvoorbeeld vier losse woorden "
               "achter elkaar, zoals ‘fiets-wolk-potlood-haven’."),
            "password",
        )
