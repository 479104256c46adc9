"""The letter for parents (domain/parent_letter.py): composed from the school's texts, with the
pupil's agreements, the contact person and the route; never another child, a role or a
label."""

from __future__ import annotations

from datetime import date

import pytest

from steungroep.domain import DomainError
from steungroep.domain import parent_letter as rules

NAMES = ("Bas", "Noor", "Sven", "Anne")
AGREED = [("gesprek met de ouders", date(2026, 9, 20), "Bas meldt het meteen als Noor weer "
           "iets zegt."), ("gesprek met de leerling", date(2026, 9, 22), "  ")]


def test_the_letter_carries_the_moment_the_agreements_the_contact_and_the_route():
    text = rules.compose("start", {}, child="Bas", school="OBS De Linde", contact="Juf Anne",
                         agreements=AGREED, on=date(2026, 9, 24), names=NAMES)
    assert text.startswith("OBS De Linde, 24 september 2026\n\nBeste ouder(s)/verzorger(s) "
                           "van Bas,")
    assert "zonder namen van andere kinderen" in text
    assert ("- Bas meldt het meteen als een klasgenoot weer iets zegt. (gesprek met de "
            "ouders, 20 september 2026)") in text
    assert "Noor" not in text and "gesprek met de leerling" not in text  # empty: left out
    assert "Uw contactpersoon op school is Juf Anne." in text
    assert "landelijke klachtencommissie" in text and text.endswith("Juf Anne\nOBS De Linde")


def test_a_schools_own_text_replaces_the_default_and_the_default_is_kept_as_nothing():
    own = {"afsluiting": "We sluiten af voor {kind} op {school}.", "route": "Bel de directeur."}
    text = rules.compose("afsluiting", own, child="Bas", school="De Linde", contact="Anne",
                         agreements=[], on=date(2026, 9, 24), names=NAMES)
    assert "We sluiten af voor Bas op De Linde." in text and "Bel de directeur." in text
    assert rules.clean_school_text("start", rules.DEFAULT_TEXTS["start"]) == ""
    assert rules.clean_school_text("route", " Bel ons. ") == "Bel ons."
    with pytest.raises(DomainError, match="geen rol") as info:
        rules.clean_school_text("start", "De meelopers krijgen een gesprek.")
    assert info.value.field == "letter_start"


def test_a_letter_names_no_other_child_no_role_and_no_label():
    assert rules.check_letter(" Beste ouders van Bas, groet van Juf Anne ", "Bas", NAMES,
                              "Juf Anne De Linde") == "Beste ouders van Bas, groet van Juf Anne"
    with pytest.raises(DomainError, match="de naam Noor") as info:
        rules.check_letter("Bas en Noor hebben afspraken gemaakt.", "Bas", NAMES)
    assert info.value.field == "text"
    for text in ("Bas is het slachtoffer.", "De aanvoerder krijgt straf.",
                 "De d.a.d.e.r is bekend."):
        with pytest.raises(DomainError, match="geen rol of label"):
            rules.check_letter(text, "Bas", NAMES)
    with pytest.raises(DomainError):
        rules.check_letter("  ", "Bas", NAMES)
    with pytest.raises(DomainError, match="Kies bij welk moment"):
        rules.check_moment("morgen")
