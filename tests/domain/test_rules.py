"""The domain's rules for the group, its actions and its rounds: limits, balance and the
checks before each step (the words and texts: test_text.py)."""

from __future__ import annotations

import pytest

from steungroep.domain import (
    MAX_MEMBERS,
    Candidate,
    DomainError,
    balance_warning,
    check_actions_complete,
    check_can_add_member,
    check_consent,
    check_evaluation_allowed,
    check_group_complete,
    check_group_evaluation_allowed,
    check_meeting_open,
    check_new_action,
    check_next_cycle,
    check_open,
    group_balance,
)

SCHOOL = 1
SUBJECT = 100
NAMES = ["Sem", "Noor", "Bas", "Fleur", "Daan", "Lotte", "Milan", "Evi", "Luuk"]


def make_group(*roles: str) -> list[Candidate]:
    return [Candidate(i + 1, SCHOOL, role, NAMES[i]) for i, role in enumerate(roles)]


def balanced(n: int) -> list[Candidate]:
    """n members, alternating ringleader side and other side."""
    return make_group(*(("aanvoerder", "helper")[i % 2] for i in range(n)))


# --- adding members ----------------------------------------------------------------------------


def add(members, new):
    check_can_add_member(subject_id=SUBJECT, school_id=SCHOOL, members=members, new=new)


def test_add_member_accepts_valid_pupil():
    """A classmate of the same school with a role can join a group that is not full."""
    add(balanced(7), Candidate(50, SCHOOL, "omstander", "Jip"))


def test_subject_can_never_be_a_member():
    """The pupil the group is for is refused as a member."""
    with pytest.raises(DomainError) as exc:
        add([], Candidate(SUBJECT, SCHOOL, "helper", "Bram"))
    assert exc.value.field == "pupil"
    assert "Bram" in str(exc.value)


def test_pupil_cannot_join_twice():
    """A pupil is a member at most once, even with another role."""
    members = balanced(3)
    with pytest.raises(DomainError) as exc:
        add(members, Candidate(members[0].pupil_id, SCHOOL, "omstander", "Sem"))
    assert exc.value.field == "pupil"
    assert "al in de groep" in str(exc.value)


def test_pupil_from_other_school_is_refused():
    """Members come from the school of the case only."""
    with pytest.raises(DomainError) as exc:
        add([], Candidate(60, SCHOOL + 1, "helper", "Jip"))
    assert exc.value.field == "pupil"


def test_ninth_member_is_refused():
    """With 8 members the group is full."""
    with pytest.raises(DomainError) as exc:
        add(balanced(MAX_MEMBERS), Candidate(60, SCHOOL, "helper", "Jip"))
    assert str(exc.value).startswith("De groep is vol: maximaal 8")
    assert exc.value.field == "pupil"


def test_unknown_role_is_refused_on_role_field():
    """A member needs one of the four roles."""
    with pytest.raises(DomainError) as exc:
        add([], Candidate(60, SCHOOL, "pester", "Jip"))
    assert exc.value.field == "role"


# --- complete group ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 9])
def test_group_size_outside_range_is_refused(n):
    """5 and 9 members are refused; the message names the count and the range."""
    with pytest.raises(DomainError) as exc:
        check_group_complete(balanced(n))
    assert str(n) in str(exc.value)
    assert "6–8" in str(exc.value)


@pytest.mark.parametrize("n", [6, 7, 8])
def test_group_size_inside_range_is_accepted(n):
    """6, 7 and 8 balanced members make a valid group without warnings."""
    assert check_group_complete(balanced(n)) == []


def test_group_needs_ringleader_side():
    """A group of only bystanders and helpers is refused."""
    with pytest.raises(DomainError, match="aanvoerder of meeloper"):
        check_group_complete(make_group(*["omstander"] * 3, *["helper"] * 3))


def test_group_needs_other_side():
    """A group of only ringleaders and followers is refused."""
    with pytest.raises(DomainError, match="omstander of helper"):
        check_group_complete(make_group(*["aanvoerder"] * 2, *["meeloper"] * 4))


def test_group_with_duplicate_is_refused():
    """The complete check re-validates that nobody is in the group twice."""
    members = balanced(6)
    members[5] = Candidate(members[0].pupil_id, SCHOOL, "helper", "Sem")
    with pytest.raises(DomainError, match="twee keer"):
        check_group_complete(members)


def test_balance_counts_both_sides():
    """group_balance counts aanvoerder+meeloper versus omstander+helper."""
    members = make_group("aanvoerder", "meeloper", "meeloper", "omstander", "helper", "helper")
    assert group_balance(members) == (3, 3)


def test_balance_warning_for_lopsided_group():
    """6 members with 1 on the ringleader side (|1-3| > 1) is allowed but warned about."""
    members = make_group("aanvoerder", *["helper"] * 5)
    warnings = check_group_complete(members)
    assert len(warnings) == 1
    assert "1 aanvoerder" in warnings[0]
    assert balance_warning(members) == warnings[0]


def test_balance_warning_boundaries():
    """Within one of half the group no warning: 6→2..4, 7→3..4, 8→3..5 on the ringleader side."""

    def ok(n, ringleaders):
        roles = ["meeloper"] * ringleaders + ["omstander"] * (n - ringleaders)
        return balance_warning(make_group(*roles)) is None

    assert [r for r in range(1, 6) if ok(6, r)] == [2, 3, 4]
    assert [r for r in range(1, 7) if ok(7, r)] == [3, 4]
    assert [r for r in range(1, 8) if ok(8, r)] == [3, 4, 5]


# --- actions -----------------------------------------------------------------------------------


def test_actions_complete_passes_when_every_member_has_one():
    """No error when each member has a non-blank action."""
    check_actions_complete({1: "Sem", 2: "Noor"}, {1: "Samen fietsen", 2: "Naast Bas zitten"})


def test_missing_actions_are_listed_by_name():
    """Blank and missing actions are both reported, names joined with 'en'."""
    with pytest.raises(DomainError) as exc:
        check_actions_complete({1: "Sem", 2: "Noor", 3: "Bas"}, {2: "   ", 3: "Samen spelen"})
    assert str(exc.value) == (
        "Nog geen actie voor Sem en Noor. Elk groepslid heeft precies één eigen actie."
    )


def test_three_missing_names_use_commas():
    """Three or more names: commas, with 'en' before the last."""
    with pytest.raises(DomainError, match="Nog geen actie voor Sem, Noor en Bas\\."):
        check_actions_complete({1: "Sem", 2: "Noor", 3: "Bas"}, {})


def test_second_action_for_member_is_refused():
    """One action per member per cycle: a second is refused, a first is fine."""
    check_new_action(3, [1, 2], "Bas")
    with pytest.raises(DomainError) as exc:
        check_new_action(2, iter([1, 2]), "Noor")
    assert str(exc.value) == "Noor heeft in deze ronde al een actie. Je kunt die aanpassen."


# --- cycles, evaluations, state ------------------------------------------------------------------


def test_next_cycle_numbers_up_to_five():
    """Cycles 1 to 5 can be started."""
    assert [check_next_cycle(n) for n in range(5)] == [1, 2, 3, 4, 5]


def test_sixth_cycle_is_refused():
    """After the 5th cycle no 6th can start; the message points to the stappenplan."""
    with pytest.raises(DomainError) as exc:
        check_next_cycle(5)
    assert "5 rondes" in str(exc.value)
    assert "stappenplan" in str(exc.value)


def test_evaluations_need_a_completed_meeting():
    """Neither evaluation can be recorded before the meeting is completed."""
    with pytest.raises(DomainError, match="Eerst de bijeenkomst afronden"):
        check_evaluation_allowed(False)
    with pytest.raises(DomainError, match="Eerst de bijeenkomst afronden"):
        check_group_evaluation_allowed(False, True)
    check_evaluation_allowed(True)


def test_group_evaluation_does_not_need_pupil_evaluation():
    """The 2-week group talk may happen even when the 1-week pupil talk slipped."""
    check_group_evaluation_allowed(True, False)


def test_closed_case_and_completed_meeting_are_read_only():
    """A closed group and a completed meeting refuse changes; open ones pass."""
    check_open(False)
    check_meeting_open(False)
    with pytest.raises(DomainError, match="afgesloten"):
        check_open(True)
    with pytest.raises(DomainError, match="al afgerond"):
        check_meeting_open(True)


def test_no_group_without_consent():
    """The pupil's consent is required before a group is formed."""
    check_consent(True)
    with pytest.raises(DomainError, match="toestemming"):
        check_consent(False)


def test_erasure_waits_for_running_groups():
    from steungroep.domain.privacy import erasure_refusal

    assert erasure_refusal("Noor", 0) is None
    message = erasure_refusal("Noor", 2)
    assert message.startswith("Noor zit in een steungroep die nog loopt (2)")
    assert "vraag de coördinator" in message and "#" not in message


def test_closing_as_better_against_the_pupils_word_needs_a_reason():
    from steungroep.domain import check_close_as_better, pupil_says_not_better

    assert pupil_says_not_better("nee", 4) and pupil_says_not_better("ja", 1)
    assert not pupil_says_not_better("deels", 2) and not pupil_says_not_better(None, None)
    check_close_as_better("Bas", "ja", 4, "")
    check_close_as_better("Bas", "nee", 3, "Bas vertelde later aan zijn moeder dat het goed gaat.")
    with pytest.raises(DomainError) as info:
        check_close_as_better("Bas", "nee", 1, "  ")
    assert info.value.field == "reason" and "Bas zei bij de laatste evaluatie" in info.value.message
