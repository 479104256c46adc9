"""The domain's words are Dutch, marked for translation and translated where they are
shown, without Flask here: the app installs the translator (core/i18n.py) and the domain
asks it through ``translate``. ``N_`` only marks a text for the catalog (pybabel finds it).

A text with values names them (``N_("Nog %(n)s dagen")``) and is filled in after it is
translated, so the English catalog can put them where English wants them."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"

_translator: Callable[[str], str] = lambda text: text  # noqa: E731  (Dutch: as written)


def N_(text: str) -> str:  # noqa: N802  (the name pybabel looks for)
    """Mark ``text`` for the catalog; it stays Dutch until ``translate``."""
    return text


def set_translator(translator: Callable[[str], str]) -> None:
    global _translator
    _translator = translator


def translate(text: str, **values) -> str:
    """``text`` in the language of the person reading it, with ``values`` filled in."""
    translated = _translator(text)
    return translated % values if values else translated


def check_language(code: str | None) -> str:
    """A language the app speaks, or Dutch."""
    return code if code in LANGUAGES else DEFAULT_LANGUAGE
