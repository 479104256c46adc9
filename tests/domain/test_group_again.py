"""One last group evaluation a week after the first, without a new meeting (seed 002 stap 4:
"of dat er over een week een tweede en tevens laatste evaluatiegesprek nodig is"), and the
group evaluation after one week (seed 002 stap 2): the rules in domain/rounds.py."""

from __future__ import annotations

from datetime import date

import pytest

from steungroep.domain import (
    DomainError,
    check_evaluation_intervals,
    check_group_again_day,
    check_group_evaluation_again,
    may_evaluate_again,
)

FIRST = date(2026, 3, 16)


def test_only_where_the_school_allows_it_after_the_first_and_once():
    check_group_evaluation_again(True, True, False)
    assert may_evaluate_again(True, True, False)
    assert not any(may_evaluate_again(*flags) for flags in (
        (False, True, False), (True, False, False), (True, True, True)))
    for allowed, first_held, again, words in (
            (False, True, False, "houdt geen extra evaluatie"),
            (True, False, False, "Eerst de evaluatie met de groep"),
            (True, True, True, "al een laatste evaluatie")):
        with pytest.raises(DomainError, match=words) as info:
            check_group_evaluation_again(allowed, first_held, again)
        assert info.value.field == "decision"


def test_the_last_one_follows_the_first():
    check_group_again_day(date(2026, 3, 23), FIRST, False)
    with pytest.raises(DomainError, match="niet vóór de eerste") as info:
        check_group_again_day(date(2026, 3, 13), FIRST, True)
    assert info.value.field == "held_on"
    with pytest.raises(DomainError, match="dezelfde dag") as info:
        check_group_again_day(FIRST, FIRST, False)
    assert info.value.field == "same_day"
    check_group_again_day(FIRST, FIRST, True)  # confirmed


def test_a_school_may_speak_the_group_after_one_week_but_not_before_the_pupil():
    check_evaluation_intervals(5, 5)
    check_evaluation_intervals(3, 5)
    with pytest.raises(DomainError, match="niet vóór het gesprek met de leerling") as info:
        check_evaluation_intervals(6, 5)
    assert info.value.field == "group_days"
    with pytest.raises(DomainError, match="na 5 tot 10 schooldagen"):
        check_evaluation_intervals(3, 4)
