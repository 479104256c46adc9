"""The English catalog, as a test reads it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = (Path(__file__).resolve().parent.parent / "steungroep" / "translations" / "en"
           / "LC_MESSAGES" / "messages.po")


@cache
def english_catalog() -> dict[str, str]:
    with open(CATALOG, "rb") as handle:
        return {m.id: m.string for m in read_po(handle) if isinstance(m.id, str) and m.id}


def english(dutch: str) -> str:
    text = english_catalog()[dutch]
    assert text and text != dutch, dutch
    return text
