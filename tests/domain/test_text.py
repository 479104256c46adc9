"""The domain's words: errors with their field, texts cleaned and bounded, choices from
the seeds, messages without blaming words, and a pupil's card that names nobody else."""

from __future__ import annotations

import pytest

from steungroep.domain import (
    FORMS,
    ROLES,
    SHORT_TEXT,
    TRIAGE,
    DomainError,
    check_card_text,
    check_choice,
    clean_text,
    forbidden_word,
)


def test_domain_error_carries_message_and_field():
    """The web layer shows str(e) and attaches it to e.field."""
    e = DomainError("Naam is verplicht.", "name")
    assert str(e) == "Naam is verplicht."
    assert e.message == "Naam is verplicht."
    assert e.field == "name"
    assert DomainError("x").field is None


def test_clean_text_strips_and_requires():
    """Whitespace is trimmed; an empty required field is refused with a 'verplicht' message."""
    assert clean_text("  Bas goedemorgen zeggen ", "Actie", max_length=SHORT_TEXT) == (
        "Bas goedemorgen zeggen"
    )
    with pytest.raises(DomainError) as exc:
        clean_text("   ", "Actie", max_length=SHORT_TEXT, field="action")
    assert str(exc.value) == "Actie is verplicht."
    assert exc.value.field == "action"


def test_clean_text_optional_empty_returns_empty_string():
    """An optional field left empty (or None) becomes an empty string, not an error."""
    assert clean_text(None, "Notitie", max_length=10, required=False) == ""
    assert clean_text("  ", "Notitie", max_length=10, required=False) == ""


def test_clean_text_length_boundary_and_message():
    """Exactly max_length passes; one more is refused and the message says max and typed count."""
    assert clean_text("a" * 200, "Actie", max_length=200) == "a" * 200
    with pytest.raises(DomainError) as exc:
        clean_text("a" * 201, "Actie", max_length=200)
    assert "200" in str(exc.value) and "201" in str(exc.value)


def test_check_choice_accepts_known_and_refuses_unknown_codes():
    """Only codes from the given dict are accepted (e.g. a tampered form value is refused)."""
    assert check_choice("herhaald", TRIAGE, "Triage") == "herhaald"
    assert check_choice("stelen_vernielen", FORMS, "Vorm") == "stelen_vernielen"
    for bad in ("pesten", "", None):
        with pytest.raises(DomainError) as exc:
            check_choice(bad, TRIAGE, "Triage", field="triage")
        assert exc.value.field == "triage"


def test_roles_are_ordered_and_forms_cover_seed():
    """Role order is what the form shows; the six forms of seed 004 §1.3 are all present."""
    assert list(ROLES) == ["aanvoerder", "meeloper", "omstander", "helper"]
    assert set(FORMS) == {
        "verbaal",
        "lichamelijk",
        "intimidatie",
        "isolatie",
        "stelen_vernielen",
        "digitaal",
    }
    assert FORMS["stelen_vernielen"] == "Stelen of vernielen van spullen"


def test_messages_avoid_blaming_words():
    """No message calls a pupil 'slachtoffer' or 'dader'."""
    from pathlib import Path

    import steungroep.domain.group as group
    import steungroep.domain.rounds as rounds
    import steungroep.domain.steps as steps
    import steungroep.domain.text as text

    for module in (group, rounds, text, steps):
        source = Path(module.__file__).read_text(encoding="utf-8").lower()
        assert "slachtoffer" not in source and "dader" not in source


@pytest.mark.parametrize(
    "text",
    [
        "Ik ga niet meer pesten.",
        "Zeggen dat PESTEN stom is",
        "De pester aanspreken",
        "Het slachtoffer helpen",
        "Tegen de dader zeggen dat het stopt",
        "De aanvoerder meenemen",
        "Geen meeloper zijn",
        # the app's own role labels and their synonyms
        "Als omstander ga ik niet meer alleen kijken",
        "Ik ben de helper van Bas",
        "Geen buitenstaander meer zijn",
        "Ik ben de verdediger van Bas",
        "Ik ga niet meer meelopen",
        "Ik loop niet meer mee, geen meeloopgedrag",
        "Niet meer treiteren",
        "Stop bullying",
        "No more bullies",
        "De hoofdacteur aanspreken",
        # disguised
        "Ik ga niet meer pes\u200bten",  # zero-width space
        "Ik ga niet meer pes\u00adten",  # soft hyphen
        "Ik ga niet meer \u0440\u0435sten",  # Cyrillic р and е
        "Ik ga niet meer ｐｅｓｔｅｎ",  # full-width letters
        "Ik ga niet meer p-e-s-t-e-n",
        "Ik ga niet meer p.e.s.t.e.n",
        "Ik ga niet meer p e s t e n",
        "Ik ga niet meer peeeesten",
        "Ik ga niet meer p3sten",
        "Ik ga niet meer pésten",
        "Geen sl@chtoffer",
        "Geen da-der",
    ],
)
def test_card_text_refuses_forbidden_words(text):
    """Words that must never reach a pupil's card are refused in any disguise, with a hint
    that itself names no forbidden word and no role (it is read in front of the group)."""
    with pytest.raises(DomainError) as info:
        check_card_text(text, "Sem")
    message = info.value.message
    assert "Ik ga" in message and info.value.field == "text"
    assert not forbidden_word(message) and "pest" not in message.lower()


@pytest.mark.parametrize("text", [
    "Ik ga Bas helpen met zijn tas.",
    "Ik ga Bas verdedigen als iemand gemeen doet.",
    "Ik loop met Bas mee naar de gym.",
    "Ik vraag of Bas mee wil doen met tikkertje.",
    "Ik ga naast Bas zitten bij het eten.",
])
def test_card_text_allows_kind_ideas(text):
    check_card_text(text, "Sem", others=["Noor", "Ruben"], allowed=["Bas"])


def test_a_card_may_not_name_another_member():
    """A card tells only what its own pupil will do: another member's name is refused (it
    would tell a pupil who the others are); the pupil the group is for, and one's own name,
    stay allowed."""
    with pytest.raises(DomainError) as info:
        check_card_text("Ik ga Marguerite zeggen dat ze moet ophouden", "Sem",
                        others=["Marguerite", "Noor"], allowed=["Xaviera"])
    assert "Marguerite" in info.value.message and not forbidden_word(info.value.message)
    with pytest.raises(DomainError):
        check_card_text("Ik speel met n\u200boor", "Sem", others=["Noor"])
    check_card_text("Ik ga naast Xaviera staan", "Sem", others=["Marguerite"],
                    allowed=["Xaviera"])
    check_card_text("Sem gaat helpen", "Sem", others=["Marguerite"])
    check_card_text("Ik speel met Noortje", "Sem", others=["Noor"])  # another word
    # numbers are not names: 1154 is not 'Isa', 10 is not 'Io'
    check_card_text("Ik ga samen spelen (1154).", "Sem", others=["Isa", "Io"])
    check_card_text("Om 10 uur help ik", "Sem", others=["Io"])
    # a member called like the pupil the group is for cannot be told apart: allowed
    check_card_text("Ik help Bas", "Sem", others=["Bas"], allowed=["Bas"])


def test_card_text_allows_a_kind_idea():
    """An ordinary action in the pupil's own words passes."""
    check_card_text("Ik ga Bas in de pauze vragen om mee te voetballen.", "Sem")
