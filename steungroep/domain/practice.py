"""A practice case: "2 x per jaar oefent het team … de supportgroep aanpak" (seed 002 §3).

A teacher or a vertrouwenspersoon plays the whole method with made-up pupils, in the app
itself: the melding, the talk, the group, meeting mode, the cards, the evaluations. It sends
nothing, counts nowhere, is in no list of real cases or pupils, and goes after a week."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

DAYS = 7  # a practice case is removed in the night this many days after the day it started
SCHOOL_YEAR = "oefenen"  # the made-up class's 'school year': no import ever uses it
CLASS_NAME = "Oefenklas"

# The made-up class: the pupil the case is about first, then the classmates. Two share a
# first name, as in a real class, so the cards show what tells them apart.
PUPILS: tuple[tuple[str, str], ...] = (
    ("Sanne", "V"), ("Julia", "B"), ("Julia", "K"), ("Daan", "M"), ("Noah", "T"),
    ("Lieke", "J"), ("Sem", "D"), ("Mila", "R"), ("Finn", "H"), ("Yara", "S"), ("Luuk", "W"),
    ("Fleur", "P"), ("Bram", "L"), ("Nora", "E"), ("Milan", "G"), ("Isa", "O"), ("Jens", "A"),
    ("Zoë", "N"),
)

# The melding the practice starts from (staff only), in the words of a real one; stored in
# Dutch like every note of a case.
SOURCE = "personeel"
FORMS = ("isolatie", "verbaal")
TRIAGE = "herhaald"
DESCRIPTION = ("Oefenaanpak met verzonnen leerlingen. Sanne wordt al een paar weken in de "
               "pauze buitengesloten; bij het spelen mag ze niet meedoen en er wordt om haar "
               "gelachen als ze iets zegt in de klas.")


def class_name(taken: Iterable[str]) -> str:
    """The first free name 'Oefenklas 1', 'Oefenklas 2', … beside the practice classes the
    school has now."""
    names = set(taken)
    number = 1
    while f"{CLASS_NAME} {number}" in names:
        number += 1
    return f"{CLASS_NAME} {number}"


def removed_on(started: date) -> date:
    """The day a practice case started on ``started`` is gone (the nightly housekeeping
    removes it early that morning)."""
    return started + timedelta(days=DAYS)


def expired(started: date, today: date) -> bool:
    """Whether a practice case that started on ``started`` is due for removal ``today``
    (both days at school)."""
    return today >= removed_on(started)
