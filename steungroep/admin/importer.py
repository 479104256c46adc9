"""Reading a pupil list (CSV) as a ParnasSys or Magister export gives it. Plain Python."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

COLUMNS = {
    "first_name": ("voornaam", "roepnaam", "first_name", "firstname"),
    "surname_initial": ("achternaam", "initiaal", "tussenletter", "surname_initial", "surname"),
    "class_name": ("klas", "groep", "class", "class_name", "stamgroep"),
    "external_id": ("leerlingnummer", "extern_id", "external_id", "id", "llnr"),
}
REQUIRED = ("first_name", "class_name")


@dataclass(frozen=True)
class PupilRow:
    line: int
    first_name: str
    surname_initial: str | None
    class_name: str
    external_id: str | None


class ImportError_(Exception):
    """The file has errors; `problems` lists them by line number. Nothing is imported."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip().lower().replace(" ", "_").lstrip("\ufeff")
        for field, aliases in COLUMNS.items():
            if key in aliases and field not in found:
                found[field] = index
    return found


def parse_pupils(text: str) -> list[PupilRow]:
    """Parse and validate every row; raise ImportError_ listing all problems at once."""
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    if not rows:
        raise ImportError_(["Het bestand is leeg."])
    columns = _header_map(rows[0])
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        names = {"first_name": "voornaam", "class_name": "klas"}
        raise ImportError_(
            [f"Regel 1: kolom '{names[f]}' ontbreekt in de kopregel." for f in missing]
        )
    problems: list[str] = []
    pupils: list[PupilRow] = []
    seen_ids: dict[str, int] = {}

    def cell(row: list[str], field: str) -> str:
        index = columns.get(field)
        return row[index].strip() if index is not None and index < len(row) else ""

    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        first = cell(row, "first_name")
        klass = cell(row, "class_name")
        surname = cell(row, "surname_initial")
        external = cell(row, "external_id") or None
        if not first:
            problems.append(f"Regel {line}: de voornaam ontbreekt.")
        elif len(first) > 60:
            problems.append(f"Regel {line}: de voornaam is langer dan 60 tekens.")
        if not klass:
            problems.append(f"Regel {line}: de klas ontbreekt.")
        elif len(klass) > 60:
            problems.append(f"Regel {line}: de klasnaam is langer dan 60 tekens.")
        if external and len(external) > 40:
            problems.append(f"Regel {line}: het leerlingnummer is langer dan 40 tekens.")
        if external:
            if external in seen_ids:
                problems.append(
                    f"Regel {line}: leerlingnummer {external} staat ook op regel "
                    f"{seen_ids[external]}."
                )
            seen_ids.setdefault(external, line)
        # Only an initial is kept of a surname: the minimum the method needs.
        initial = surname.replace(".", "").strip()[:1].upper() or None
        pupils.append(PupilRow(line, first, initial, klass, external))
    if problems:
        raise ImportError_(problems)
    if not pupils:
        raise ImportError_(["Het bestand bevat geen leerlingen."])
    return pupils
