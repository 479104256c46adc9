"""Rules for what a pupil's action card may say. Plain Python.

A card is read by the pupil and may be seen by others: it says what that pupil will do, in
their own words, and never carries the method's private words (the roles, any form of
'pesten', 'slachtoffer', 'dader'), nor the name of another member of the group. The text is
normalised before it is checked, so that look-alike letters, invisible characters and
letters pulled apart do not slip a word through.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from steungroep.domain.errors import DomainError
from steungroep.domain.i18n import N_

# Stems, checked inside the normalised text: every form of the method's forbidden words,
# the role labels the app uses and their synonyms. 'verdediger' and 'helper' are the
# nouns only: 'Bas verdedigen' and 'Bas helpen' are good ideas.
# The group's roles and the method's labels for a child: never said of a child where others
# read it (a card, a letter to parents).
CHILD_LABELS = (
    "slachtoffer", "dader", "aanvoerder", "hoofdacteur", "meeloper", "meelop", "meeloop",
    "omstander", "buitenstaander", "verdediger",
)
CARD_FORBIDDEN = ("pest", "treiter", "bully", "bulli", "victim", *CHILD_LABELS, "helper")

# Letters from other scripts that look like Latin ones; digits and signs used as letters.
_LOOK_ALIKES = str.maketrans({
    "а": "a", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "к": "k", "м": "m", "т": "t", "в": "b",
    "н": "h", "ԁ": "d", "ɑ": "a", "ο": "o", "ρ": "p", "ε": "e", "ι": "i", "κ": "k",
    "τ": "t", "υ": "u", "ν": "v", "α": "a", "β": "b",
})
_AS_LETTERS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                             "@": "a", "$": "s"})
# Marks people put inside a word: p-e-s-t, p.e.s.t, p_e_s_t, p*st …
_INSIDE_WORD = re.compile(r"(?<=\w)[\-‐‑‒–—_.*'’`·•/\\|~^]+(?=\w)")
# Letters spaced out one by one: 'p e s t e n'.
_SPACED_OUT = re.compile(r"\b\w(?:\s+\w\b){2,}")


def normalise(text: str, *, digits_as_letters: bool = True) -> str:
    """The text as the checks read it: NFKC (full-width letters become plain ones), format
    characters (zero-width spaces, soft hyphens) dropped, accents taken off, look-alikes
    folded (and 'p3st'-style digits, unless ``digits_as_letters`` is off: a number in an
    action must not read as a name), marks and spaces inside a word removed, repeated
    letters once."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_LOOK_ALIKES)
    if digits_as_letters:
        text = text.translate(_AS_LETTERS)
    text = _INSIDE_WORD.sub("", text)
    text = _SPACED_OUT.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
    return re.sub(r"(\w)\1+", r"\1", text)


_FORBIDDEN = tuple(normalise(word) for word in CARD_FORBIDDEN)


def forbidden_word(text: str) -> bool:
    """Does ``text`` hold a word that may never be on a card (in any disguise)?"""
    plain = normalise(text)
    return any(word in plain for word in _FORBIDDEN)


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """The names from ``names`` that stand in ``text`` as a word of their own."""
    plain = normalise(text, digits_as_letters=False)
    return [name for name in names if name and re.search(
        rf"(?<!\w){re.escape(normalise(name, digits_as_letters=False))}(?!\w)", plain)]


def check_card_text(text: str, name: str, *, others: Iterable[str] = (),
                    allowed: Iterable[str] = ()) -> None:
    """An action is shown to the pupil ``name`` as their own idea. Refuse the method's
    private words and the names of ``others`` (the other members of the group; names in
    ``allowed``, such as the pupil the group is for, and the pupil's own name stay). The
    message is read aloud in front of the group: it names no forbidden word and no role."""
    if forbidden_word(text):
        raise DomainError(
            N_("Dit komt op de kaart van %(name)s. Schrijf het als iets wat %(name)s gaat doen, "
               "met gewone woorden: bijvoorbeeld ‘Ik ga …’."),
            field="text", name=name,
        )
    keep = {normalise(n) for n in (*allowed, name)}
    named = names_in(text, [n for n in others if normalise(n) not in keep])
    if named:
        raise DomainError(
            N_("Op de kaart van %(name)s staat ook de naam %(other)s. Elke kaart gaat alleen "
               "over wat %(name)s zelf gaat doen: laat andere namen weg."),
            field="text", name=name, other=named[0],
        )


def names_apart(people: Sequence[tuple[str, str | None, str | None]]) -> list[str]:
    """What pupil-facing screens and papers call each of ``people`` (first name, surname
    initial, class): the first name; where two share it, what tells them apart and nothing
    more — the initial ('Julia B.'), else the class ('Julia (groep 5)'), else both."""
    def key(first: str) -> str:
        return first.strip().casefold()

    shared = Counter(key(first) for first, _initial, _class in people)
    names = []
    for first, initial, klass in people:
        if shared[key(first)] < 2:
            names.append(first)
            continue
        same = [(i or "", c or "") for f, i, c in people if key(f) == key(first)]
        mark, group = (initial or "").strip().upper(), (klass or "").strip()
        if mark and sum(1 for i, _c in same if i.upper() == mark) == 1:
            names.append(f"{first} {mark}.")
        elif group and sum(1 for _i, c in same if c == group) == 1:
            names.append(f"{first} ({group})")
        elif mark and group:
            names.append(f"{first} {mark}. ({group})")
        else:
            names.append(first)  # nothing on record tells them apart
    return names
