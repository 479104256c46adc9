"""The rules for a board's schools and people, in plain Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from steungroep.domain import DomainError
from steungroep.domain import people as rules


def _refused(rule, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        rule(*args, **kwargs)
    return caught.value


def test_names_addresses_and_roles():
    assert rules.clean_name("  Juf   Els ") == "Juf Els"
    assert _refused(rules.clean_name, " ").field == "name"
    assert _refused(rules.clean_name, "x" * 121).field == "name"
    assert rules.clean_email(" Els@School.NL ") == "els@school.nl"
    for bad in ("", "els", "els@school", "e ls@school.nl", "a@b@c.nl", "els@school.nl\x07"):
        assert _refused(rules.clean_email, bad).field == "email"
    assert rules.clean_role("coordinator") == "coordinator"
    assert _refused(rules.clean_role, "board").field == "role"
    assert set(rules.ROLES) == {"teacher", "coordinator", "admin"}


def test_school_names_and_brin():
    assert rules.clean_school_name(" OBS  De Regenboog ") == "OBS De Regenboog"
    assert "al een school" in _refused(rules.clean_school_name, "OBS X", True).message
    assert _refused(rules.clean_school_name, "x").field == "name"
    assert rules.clean_brin(" 12ab ") == "12AB" and rules.clean_brin("12 AB 01") == "12AB01"
    assert rules.clean_brin("") is None
    for bad in ("1234", "AB12", "12ABC", "12AB1", "12AB012"):
        assert _refused(rules.clean_brin, bad).field == "brin"
    assert "12AB" in _refused(rules.clean_brin, "12ab", True).message


def test_schools_an_admin_may_give_and_keep():
    assert rules.check_schools({1}, {1, 2}) == {1}
    assert _refused(rules.check_schools, set(), {1}).field == "schools"
    assert "zelf beheert" in _refused(rules.check_schools, {3}, {1, 2}).message
    # an admin of schools 1 and 2 sets {1} for someone at 2 and 3: 3 stays, 2 goes
    assert rules.schools_after_change({2, 3}, {1}, {1, 2}) == {1, 3}
    rules.check_admins_left([])
    message = _refused(rules.check_admins_left, ["OBS B", "OBS A"]).message
    assert "OBS A, OBS B geen beheerder meer" in message


def test_links_expire_and_say_why_they_do_not_work():
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    assert rules.invitation_expiry(rules.INVITE, now) == now + timedelta(days=7)
    assert rules.invitation_expiry(rules.RESET, now) == now + timedelta(hours=48)
    assert rules.invitation_refusal(True, False, False, False) is None
    assert "al gebruikt" in rules.invitation_refusal(True, True, False, False)
    assert "verlopen" in rules.invitation_refusal(True, False, True, False)
    assert rules.invitation_refusal(False, False, False, False) == \
        rules.invitation_refusal(True, False, False, True)  # unknown or replaced: one text
