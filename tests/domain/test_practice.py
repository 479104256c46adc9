from datetime import date

from steungroep import domain
from steungroep.domain import practice


def test_the_made_up_class_is_the_first_free_name():
    assert practice.class_name([]) == "Oefenklas 1"
    assert practice.class_name(["Oefenklas 1", "Oefenklas 3"]) == "Oefenklas 2"
    assert practice.class_name(["Oefenklas 2"]) == "Oefenklas 1"


def test_a_practice_case_goes_after_a_week():
    assert practice.removed_on(date(2026, 12, 4)) == date(2026, 12, 11)
    assert not practice.expired(date(2026, 12, 4), date(2026, 12, 10))
    assert practice.expired(date(2026, 12, 4), date(2026, 12, 11))
    assert practice.expired(date(2026, 12, 4), date(2027, 1, 11))


def test_the_made_up_class_holds_a_whole_group_and_two_pupils_of_one_name():
    classmates = practice.PUPILS[1:]
    assert len(classmates) >= domain.MAX_MEMBERS + 2  # room to choose, as in a real class
    firsts = [first for first, _ in practice.PUPILS]
    assert any(firsts.count(name) == 2 for name in firsts)  # the cards must tell them apart
    assert len(set(practice.PUPILS)) == len(practice.PUPILS)


def test_the_practice_melding_is_one_a_school_could_make():
    assert practice.SOURCE in domain.SOURCES
    assert practice.TRIAGE in domain.TRIAGE
    assert set(practice.FORMS) <= set(domain.FORMS)
