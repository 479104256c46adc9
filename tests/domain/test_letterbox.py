"""The letterbox's rules (domain/letterbox.py): the writer's code, what a child may write, and
what may be written back."""

from __future__ import annotations

import pytest

from steungroep.domain import DomainError, FormErrors
from steungroep.domain import letterbox as rules


def test_the_code_follows_the_form_and_is_read_back_as_a_child_types_it():
    code = rules.code_for("geheim", "1:form-abcdefghijklmnop")
    assert code == rules.code_for("geheim", "1:form-abcdefghijklmnop")  # a second send
    assert code != rules.code_for("geheim", "1:form-abcdefghijklmnoq")
    assert code != rules.code_for("ander-geheim", "1:form-abcdefghijklmnop")
    assert len(code) == 11 and code[5] == "-"
    assert set(code.replace("-", "")) <= set(rules.CODE_SIGNS)
    assert not set("01OIL") & set(code)
    assert rules.typed_code(code.lower().replace("-", " ")) == code
    assert rules.typed_code(f"  {code[:5]}{code[6:]}  ") == code
    for wrong in ("", "ABC", code + "X", "0" * 10, "<script>", None):
        assert rules.typed_code(wrong) is None
    assert rules.code_key(code) != code and len(rules.code_key(code)) == 64


def test_a_letter_needs_what_happened_and_two_choices_each_refused_by_its_field():
    with pytest.raises(FormErrors) as info:
        rules.clean_letter("  ", "", "", "wie", "", "", "")
    assert {e.field for e in info.value.all} == {"what", "writer", "wants_talk"}
    with pytest.raises(DomainError, match="2000") as info:
        rules.clean_letter("x" * 2001, "", "", "zelf", "ja", "", "")
    assert info.value.field == "what"
    values = rules.clean_letter(" In de pauze. ", "", "Noor", "ander", "weet_niet", "", "")
    assert values == {"what": "In de pauze.", "where": "", "about": "Noor", "name": "",
                      "class_name": "", "writer": "ander", "wants_talk": "weet_niet"}


def test_an_answer_never_carries_the_methods_words():
    assert rules.check_answer(" Ik kom morgen in de pauze bij je. ") == \
        "Ik kom morgen in de pauze bij je."
    for text in ("Wie pest jou?", "De dader krijgt straf", "Jij bent het slachtoffer",
                 "p-e-s-t-e-n"):
        with pytest.raises(DomainError, match="gewone woorden") as info:
            rules.check_answer(text)
        assert info.value.field == "answer"
    with pytest.raises(DomainError):
        rules.check_answer("")


def test_an_answer_names_no_child_but_those_the_writer_named():
    names = ["Noor", "Bas", "Sven"]
    assert rules.check_answer("Ik praat morgen met Noor en met jou, Bas.", names,
                              typed="Bas Noor")
    with pytest.raises(DomainError, match="de naam Sven") as info:
        rules.check_answer("Ik vraag Sven ook even.", names, typed="Bas Noor")
    assert info.value.field == "answer"
    assert rules.check_answer("Wat goed dat je schreef!", names) == "Wat goed dat je schreef!"


def test_a_letter_ends_once_with_a_reason():
    assert rules.check_close("niet_serieus", "") == ("niet_serieus", "")
    with pytest.raises(DomainError, match="Kies waarom"):
        rules.check_close("", "")
    with pytest.raises(DomainError, match="verplicht"):
        rules.check_close("anders", " ")
    with pytest.raises(DomainError, match="al een melding"):
        rules.check_open(False, True)
    with pytest.raises(DomainError, match="al afgesloten"):
        rules.check_open(True, False)


def test_the_people_the_school_chose_read_else_its_coordinators():
    assert rules.reads_letterbox(chosen=True, coordinator=False, school_has_chosen=True)
    assert rules.reads_letterbox(chosen=False, coordinator=True, school_has_chosen=False)
    assert not rules.reads_letterbox(chosen=False, coordinator=True, school_has_chosen=True)
    assert not rules.reads_letterbox(chosen=False, coordinator=False, school_has_chosen=False)
