"""The words the app records: roles, sources, forms, triage, who was informed, outcomes.

Each is a mapping from the stored code to the Dutch label."""

from __future__ import annotations

ROLES: dict[str, str] = {
    "aanvoerder": "Aanvoerder",
    "meeloper": "Meeloper",
    "omstander": "Omstander",
    "helper": "Helper / vriend",
}


RINGLEADER_SIDE = frozenset({"aanvoerder", "meeloper"})


OTHER_SIDE = frozenset({"omstander", "helper"})


SOURCES: dict[str, str] = {
    "leerling": "De leerling zelf",
    "ouder": "Ouder/verzorger",
    "personeel": "Personeel",
    "klasgenoot": "Klasgenoot",
    "brievenbus": "Anonieme brievenbus",
}


FORMS: dict[str, str] = {
    "verbaal": "Verbaal (schelden, vernederen, dreigen)",
    "lichamelijk": "Lichamelijk (duwen, schoppen, slaan)",
    "intimidatie": "Intimidatie (achtervolgen, klem zetten, dwingen)",
    "isolatie": "Isolatie (buitensluiten, negeren)",
    "stelen_vernielen": "Stelen of vernielen van spullen",
    "digitaal": "Digitaal (via sociale media of berichten)",
}


TRIAGE: dict[str, str] = {
    "geen_pesten": "Geen pesten: anders afhandelen",
    "eenmalig": "Eenmalig incident: herstelgesprek en controle na twee weken",
    "herhaald": "Herhaald pesten: steungroepaanpak",
}


INFORMED_PARTIES: dict[str, str] = {
    "directie": "Directie",
    "ib": "Intern begeleider",
    "smw": "Schoolmaatschappelijk werk",
    "ouders": "Ouders/verzorgers",
}


def still_to_inform(prompted: str, informed: list[str]) -> list[str]:
    """The parties on the school's list (comma-separated codes) not yet recorded as
    informed, in the list's order."""
    return [code for code in prompted.split(",")
            if code in INFORMED_PARTIES and code not in informed]


OUTCOMES: dict[str, str] = {
    "opgelost": "Afgesloten: het gaat beter",
    "geescaleerd": "Doorverwezen naar het stappenplan",
    "geen_toestemming": "Gestopt: de leerling wil (nu) geen steungroep",
    "anders_afgehandeld": "Anders afgehandeld",
}


# The melding's facts (seed 000 "Controle van feiten"; seed 004 Bijlage 1).
FREQUENCY: dict[str, str] = {
    "eenmalig": "Eén keer",
    "soms": "Een paar keer",
    "vaak": "Vaak (elke week)",
    "dagelijks": "(Bijna) elke dag",
}
PARENTS_KNOW: dict[str, str] = {"ja": "Ja", "nee": "Nee", "onbekend": "Weet ik niet"}


IMPROVED: dict[str, str] = {"ja": "Ja", "deels": "Een beetje", "nee": "Nee"}


DONE: dict[str, str] = {"ja": "Gedaan", "deels": "Deels", "nee": "Niet gedaan"}


# The school's type chooses the words a pupil reads (seeds 000 and 004 speak of a mentor).
SCHOOL_KINDS: dict[str, str] = {
    "po": "Basisonderwijs",
    "vo": "Voortgezet onderwijs",
    "mbo": "Mbo",
}
_TEACHER_WORDS = {"po": "je juf of meester", "vo": "je mentor", "mbo": "je mentor"}


def teacher_word(kind: str) -> str:
    """Who a pupil asks, in the pupil's words: 'je juf of meester', or 'je mentor'."""
    return _TEACHER_WORDS.get(kind, _TEACHER_WORDS["po"])
