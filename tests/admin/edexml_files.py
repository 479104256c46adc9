"""EdexML exports as ParnasSys and Esis write them, built for the import tests."""

from __future__ import annotations

from xml.sax.saxutils import escape

FIRST = ["Noor", "Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Finn", "Tess", "Levi",
         "Sara", "Milan", "Zoë", "Bram", "Lieke", "Thijs", "Anna", "Ruben", "Isa", "Jesse",
         "Fenna", "Stijn", "Yara", "Gijs", "Roos"]


def group_names(count: int = 12) -> list[tuple[str, str]]:
    return [(f"G{n}", f"Groep {n // 2 + 1}{'ab'[n % 2]}") for n in range(count)]


def edexml(pupils: list[dict], groups: list[tuple[str, str]] | None = None,
           extra: str = "") -> bytes:
    """An EdexML export: ``pupils`` are dicts of key, roepnaam, achternaam, voorvoegsel,
    groep (a group key), with the birth date and the rest an export carries."""
    groups = group_names() if groups is None else groups
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<EDEX>',
             '  <school><schoolkey>00AA</schoolkey><naam>De Vlinder</naam></school>',
             '  <groepen>']
    for key, name in groups:
        lines.append(f'    <groep key="{key}"><naam>{escape(name)}</naam>'
                     '<jaargroep>5</jaargroep></groep>')
    lines.append('  </groepen>')
    lines.append('  <leerlingen>')
    for p in pupils:
        lines.append(f'    <leerling key="{p["key"]}">')
        for element in ("achternaam", "voorvoegsel", "roepnaam", "voornamen"):
            if p.get(element) is not None:
                lines.append(f'      <{element}>{escape(p[element])}</{element}>')
        lines.append('      <geboortedatum>2016-05-04</geboortedatum><geslacht>1</geslacht>')
        lines.append('      <jaargroep>5</jaargroep>')
        if p.get("groep") is not None:
            lines.append(f'      <groep key="{p["groep"]}"/>')
        lines.append('    </leerling>')
    lines.append('  </leerlingen>')
    lines.append(extra)
    lines.append('</EDEX>')
    return "\n".join(lines).encode()


def school_of_300() -> list[dict]:
    return [{"key": f"{5000 + i}", "roepnaam": FIRST[i % len(FIRST)],
             "achternaam": f"Achter{i}", "voorvoegsel": "van" if i % 5 == 0 else None,
             "voornamen": f"{FIRST[i % len(FIRST)]} Maria", "groep": f"G{i % 12}"}
            for i in range(300)]
