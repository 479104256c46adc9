"""Passwords: 12 characters or more, and not one of the passwords people pick most."""

from __future__ import annotations

import pytest

from steungroep.domain import DomainError
from steungroep.domain.passwords import check_new_password


@pytest.mark.parametrize(
    "password",
    [
        "Wachtwoord123!",  # a common base with digits
        "welkom2026!!",
        "2026-wachtwoord",
        "123456789012",  # the number row
        "qwertyuiopas",  # the keyboard row
        "aaaaaaaaaaaa",
        "ababababababab",
        "!!Steungroep2026",
        "Password1234",
        "annedevries1",  # her own name
        "zyxwvutsrqpo",  # a run backwards
    ],
)
def test_easy_passwords_are_refused(password):
    with pytest.raises(DomainError, match="te makkelijk"):
        check_new_password(password, email="anne@vlinder.example", name="Anne de Vries")


def test_short_passwords_are_refused_with_the_count():
    with pytest.raises(DomainError, match="minstens 12 tekens; je hebt er 8"):
        check_new_password("Kort!234")


@pytest.mark.parametrize(
    "password", ["fiets-wolk-potlood-haven", "Groene appelboom valt om", "tR7#kq9!Lm2$vX"]
)
def test_good_passwords_pass(password):
    check_new_password(password, email="anne@vlinder.example", name="Anne de Vries")
