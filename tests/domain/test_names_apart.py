"""Two members of one group with the same first name (domain.names_apart): each pupil-facing
screen and paper adds what tells them apart, and nothing more."""

from __future__ import annotations

from steungroep.domain import names_apart


def test_a_name_of_its_own_stays_a_first_name():
    assert names_apart([("Noor", "B", "groep 6"), ("Sven", None, "groep 6")]) == [
        "Noor", "Sven"]


def test_two_of_one_name_get_their_initial_else_their_class_else_both():
    assert names_apart([("Julia", "b", "groep 6"), ("Julia", "K", "groep 6"),
                        ("Sem", "", "groep 6")]) == ["Julia B.", "Julia K.", "Sem"]
    assert names_apart([("Julia", "", "groep 5"), ("julia", "", "groep 6")]) == [
        "Julia (groep 5)", "julia (groep 6)"]
    assert names_apart([("Julia", "B", "groep 5"), ("Julia", "B", "groep 6"),
                        ("Julia", "K", "groep 5")]) == [
        "Julia B. (groep 5)", "Julia (groep 6)", "Julia K."]


def test_when_nothing_on_record_tells_them_apart_the_names_stay_as_they_are():
    assert names_apart([("Julia", None, None), ("Julia", None, None)]) == ["Julia", "Julia"]
