"""English next to Dutch: every text the app can show has an English translation, with the
same values in it, and pages really switch language."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "steungroep" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%|\{\w*\}")


def source_messages() -> set[str | tuple[str, ...]]:
    """Every text marked in the code and templates, as pybabel extracts it (make messages)."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog():
    with open(CATALOG, "rb") as handle:
        return read_po(handle)


def test_every_text_has_an_english_translation():
    english = catalog()
    missing = []
    for message in sorted(source_messages(), key=str):
        key = message if isinstance(message, str) else message[0]
        entry = english.get(key)
        strings = () if entry is None else (
            entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(key)
    assert missing == [], (
        f"{len(missing)} texts without English (run `make messages`, then translate them in "
        f"{CATALOG.relative_to(ROOT)}):\n" + "\n".join(missing[:50]))


def test_translations_keep_their_values():
    wrong = []
    for entry in catalog():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            got = sorted(PLACEHOLDER.findall(text))
            if text and got != wanted and not (len(ids) > 1 and set(got) <= set(wanted)):
                wrong.append(f"{ids[0]!r}: {wanted} -> {got}")
    assert wrong == []


def test_the_checker_finds_a_text_without_translation(tmp_path, monkeypatch):
    """The first test can fail: a text marked in a template and absent from the catalog is
    reported."""
    template = ROOT / "steungroep" / "templates" / "_translation_probe.html"
    template.write_text("{{ _('Een tekst die niemand vertaalde') }}")
    try:
        assert "Een tekst die niemand vertaalde" in source_messages()
        assert catalog().get("Een tekst die niemand vertaalde") is None
    finally:
        template.unlink()
