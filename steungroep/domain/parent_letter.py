"""A written word for parents (seed 004 §2.2 stap 5 and Bijlage 1: agreements are shared in
writing; seed 003: parents know who their contact is and what they can do when it does not go
well). A letter for the parents of one named pupil, at the moments the protocols name, from
texts the school may edit. It names no other child, no role and no note. Plain Python."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from steungroep.domain.calendar import dutch_day
from steungroep.domain.cards import CHILD_LABELS, names_in, normalise
from steungroep.domain.dossier import mask_names
from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_
from steungroep.domain.text import clean_text

MOMENTS: dict[str, str] = {
    "start": N_("Bij de start van de aanpak"),
    "evaluatie": N_("Na een evaluatie"),
    "afsluiting": N_("Bij het afsluiten"),
    "stappenplan": N_("Als de school verder gaat met het stappenplan"),
}
ROUTE = "route"  # the key of the school's text for parents who are not satisfied
LETTER_MAX = 6000
TEXT_MAX = 2000

# The school's own texts replace these (School.parent_letters); {kind} is the pupil's first
# name, {school} the school's name.
DEFAULT_TEXTS: dict[str, str] = {
    "start": (
        "Op school zijn we aan de slag gegaan met wat {kind} de laatste tijd meemaakt. We "
        "willen dat {kind} zich weer veilig en prettig voelt op school. Wat we doen, doen "
        "we zonder namen van andere kinderen te noemen; daarom staan die ook niet in deze "
        "brief. We houden u op de hoogte."),
    "evaluatie": (
        "We hebben met {kind} besproken hoe het nu gaat. Hieronder staat wat we hebben "
        "afgesproken. We blijven het volgen en laten u weten hoe het verder gaat."),
    "afsluiting": (
        "We ronden de aanpak voor {kind} af: het gaat nu beter. Merkt u thuis dat het weer "
        "minder gaat, neem dan meteen contact op; dan pakken we het opnieuw op."),
    "stappenplan": (
        "De aanpak tot nu toe heeft nog niet genoeg geholpen. De school gaat daarom verder "
        "met de volgende stappen uit het pestprotocol van {school}. We houden u op de hoogte "
        "en nodigen u uit voor een gesprek."),
    ROUTE: (
        "Bent u niet tevreden over hoe het gaat? Neem dan eerst contact op met uw "
        "contactpersoon. Komt u er samen niet uit, dan kunt u terecht bij de coördinator van "
        "het pestbeleid en bij de vertrouwenspersoon van de school. Daarna kunt u een klacht "
        "indienen volgens de klachtenregeling in de schoolgids: bij het bestuur van de "
        "school of bij de landelijke klachtencommissie."),
}

# The settings form's field and label of each text.
FIELDS = {key: f"letter_{key}" for key in DEFAULT_TEXTS}
TEXT_LABELS = {**MOMENTS, ROUTE: N_("Als ouders niet tevreden zijn (de route van de school)")}

# What a letter to parents never says about a child ("pesten" it may say: it is to parents).
_LABELS = tuple(normalise(word) for word in CHILD_LABELS)


def text_for(key: str, own: Mapping[str, str] | None) -> str:
    """The school's own text for ``key`` (a moment or the route), else the default."""
    chosen = (own or {}).get(key, "")
    return chosen if chosen.strip() else DEFAULT_TEXTS[key]


def clean_school_text(key: str, text: str | None) -> str:
    """A school's text as it will be kept: '' when it is the default (so a later, better
    default reaches the school), refused when too long or with a label for a child."""
    text = clean_text(text, TEXT_LABELS[key], max_length=TEXT_MAX, required=False,
                      field=FIELDS[key])
    if text.replace("\r\n", "\n") == DEFAULT_TEXTS[key]:
        return ""
    _check_labels(text, FIELDS[key])
    return text.replace("\r\n", "\n")


def compose(moment: str, own: Mapping[str, str] | None, *, child: str, school: str,
            contact: str, agreements: Iterable[tuple[str, date, str]], on: date,
            names: Iterable[str]) -> str:
    """The letter as it is shown to edit: greeting, the moment's text, that pupil's
    agreements (other children masked), the contact person and the route."""
    names = tuple(names)
    body = text_for(moment, own).format(kind=child, school=school)
    lines = [f"{school}, {dutch_day(on)}", "",
             f"Beste ouder(s)/verzorger(s) van {child},", "", body]
    made = [(what, day, mask_names(text.strip(), names, child)) for what, day, text in agreements
            if text.strip()]
    if made:
        lines += ["", "Wat we hebben afgesproken:"]
        lines += [f"- {text} ({what}, {dutch_day(day)})"
                  for what, day, text in made]
    lines += ["", f"Uw contactpersoon op school is {contact}.", "",
              text_for(ROUTE, own).format(kind=child, school=school), "",
              "Met vriendelijke groet,", "", contact, school]
    return "\n".join(lines)


def _check_labels(text: str, field: str) -> None:
    plain = normalise(text)
    if any(label in plain for label in _LABELS):
        raise DomainError(
            N_("Een brief aan ouders noemt geen rol of label van een kind (zoals aanvoerder, "
               "meeloper, dader of slachtoffer). Beschrijf wat er gebeurt en wat de school "
               "doet."), field)


def check_letter(text: str | None, child: str, others: Iterable[str],
                 allowed: str = "") -> str:
    """The letter as it goes out: not empty, not too long, no role or label, and no name of
    another child of the school (a first name that is a word on its own). Words of
    ``allowed`` (the contact person, the school's name) are no child's name here."""
    text = clean_text(text, N_("De brief"), max_length=LETTER_MAX, field="text")
    _check_labels(text, "text")
    keep = {normalise(child), *(normalise(w) for w in re.findall(r"\w+", allowed))}
    named = names_in(text, [n for n in others if normalise(n) not in keep])
    if named:
        raise DomainError(
            N_("In de brief staat de naam %(name)s. Een brief aan ouders noemt geen andere "
               "kinderen: haal de naam weg of schrijf ‘een klasgenoot’."), "text",
            name=named[0])
    return text


def check_moment(moment: str | None) -> str:
    if moment not in MOMENTS:
        raise DomainError(N_("Kies bij welk moment de brief hoort."), "moment")
    return moment


def check_contact(contact: str | None) -> str:
    return clean_text(contact, N_("Contactpersoon"), max_length=120, field="contact")
