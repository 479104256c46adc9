"""Reading a pupil list (CSV) as a ParnasSys or Magister export gives it. Plain Python."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date

from steungroep.domain.i18n import N_, translate
from steungroep.domain.statistics import school_year

# A school has at most a few thousand pupils; a board imports school by school.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

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


class Problem(str):
    """One problem with the file: Dutch as written (what the command line prints), and
    ``message`` in the reader's language (the admin page). A value that is itself a
    Problem is translated with it."""

    text: str
    values: dict

    def __new__(cls, text: str, **values) -> Problem:
        made = super().__new__(cls, text % values if values else text)
        made.text, made.values = text, values
        return made

    @property
    def message(self) -> str:
        return translate(self.text, **{name: value.message if isinstance(value, Problem)
                                       else value for name, value in self.values.items()})


def joined(parts: list[Problem], text: str) -> Problem:
    """``parts`` one after another, two at a time put together by ``text`` ('%(a)s en
    %(b)s')."""
    whole = parts[0]
    for part in parts[1:]:
        whole = Problem(text, a=whole, b=part)
    return whole


class ImportError_(Exception):
    """The file has errors; `problems` lists them by line number. Nothing is imported."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(problems))
        self.problems = problems


def school_year_of(today: date) -> str:
    """'2026-2027': the school year (1 August – 31 July) that ``today`` falls in, as classes
    carry it."""
    period = school_year(today)
    return f"{period.start.year}-{period.end.year}"


def school_year_refusal(value: str) -> str | None:
    """Why ``value`` is no school year as classes carry it ('2026-2027'); None when it is."""
    first, dash, second = value.partition("-")
    if (dash and len(first) == len(second) == 4 and (first + second).isascii()
            and (first + second).isdigit() and int(second) == int(first) + 1
            and 2000 <= int(first) <= 2100):
        return None
    return N_("Schrijf het schooljaar als 2026-2027.")


def check_size(size: int) -> None:
    """Refuse a file bigger than any school's pupil list, before it is read."""
    if size > MAX_BYTES:
        raise ImportError_([Problem(
            N_("Het bestand is %(size)s MB; een leerlingenlijst is hooguit %(most)s MB. "
               "Exporteer één school tegelijk."),
            size=f"{size / 1024 / 1024:.1f}", most=MAX_BYTES // 1024 // 1024,
        )])


def decode(raw: bytes) -> str:
    """The text of an export: UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1252
    (what Excel writes as "CSV"). Anything else is refused with what to do about it."""
    check_size(len(raw))
    if raw.startswith(codecs.BOM_UTF8):
        return _decode(raw[len(codecs.BOM_UTF8):], "utf-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(raw, "utf-16")
    if b"\x00" in raw[:4096]:
        raise ImportError_([Problem(N_(
            "Het bestand lijkt UTF-16 zonder kenmerk (BOM). Sla het op als "
            "'CSV UTF-8 (door komma's gescheiden)' en probeer opnieuw."
        ))])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(raw, "cp1252")


def _decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportError_([Problem(
            N_("Regel %(line)s: het bestand bevat tekens die niet te lezen zijn (geen UTF-8 en "
               "geen Windows-tekens). Sla het op als 'CSV UTF-8' en probeer opnieuw."),
            line=line,
        )]) from None


def unreadable(value: str) -> bool:
    """Line breaks, tabs and invisible characters have no place in a name or a class."""
    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in value)


def initial_of(surname: str) -> str | None:
    """Only an initial is kept of a surname: the minimum the method needs."""
    return surname.replace(".", "").strip()[:1].upper() or None


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
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:
                raise ImportError_([Problem(
                    N_("Het bestand heeft meer dan %(most)s leerlingen. Exporteer één school "
                       "tegelijk."), most=MAX_ROWS,
                )])
    except csv.Error as error:
        raise ImportError_([Problem(N_("Regel %(line)s: deze regel is geen geldige CSV "
                                       "(%(error)s)."), line=start, error=error)]) from None
    if not rows:
        raise ImportError_([Problem(N_("Het bestand is leeg."))])
    header = rows[0][1]
    columns = _header_map(header)
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        names = {"first_name": "voornaam", "class_name": "klas"}
        raise ImportError_(
            [Problem(N_("Regel 1: kolom '%(column)s' ontbreekt in de kopregel."),
                     column=names[f]) for f in missing]
        )
    problems: list[Problem] = []
    pupils: list[PupilRow] = []
    seen_ids: dict[str, int] = {}
    seen_pupils: dict[tuple, int] = {}

    def cell(row: list[str], field: str) -> str:
        index = columns.get(field)
        return row[index].strip() if index is not None and index < len(row) else ""

    labels = {"first_name": Problem(N_("de voornaam")),
              "class_name": Problem(N_("de klas")),
              "surname_initial": Problem(N_("de achternaam")),
              "external_id": Problem(N_("het leerlingnummer"))}
    for line, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        bad = [label for field, label in labels.items() if unreadable(cell(row, field))]
        if bad:
            problems.append(Problem(
                N_("Regel %(line)s: %(fields)s bevat een regeleinde, tab of onzichtbaar teken."),
                line=line, fields=joined(bad, N_("%(a)s en %(b)s")),
            ))
            continue
        first = cell(row, "first_name")
        klass = cell(row, "class_name")
        surname = cell(row, "surname_initial")
        external = cell(row, "external_id") or None
        if not first:
            problems.append(Problem(N_("Regel %(line)s: de voornaam ontbreekt."), line=line))
        elif len(first) > 60:
            problems.append(Problem(N_("Regel %(line)s: de voornaam is langer dan 60 tekens."),
                                    line=line))
        if not klass:
            problems.append(Problem(N_("Regel %(line)s: de klas ontbreekt."), line=line))
        elif len(klass) > 60:
            problems.append(Problem(N_("Regel %(line)s: de klasnaam is langer dan 60 tekens."),
                                    line=line))
        if external and len(external) > 40:
            problems.append(Problem(
                N_("Regel %(line)s: het leerlingnummer is langer dan 40 tekens."), line=line))
        if external:
            if external in seen_ids:
                problems.append(Problem(
                    N_("Regel %(line)s: leerlingnummer %(number)s staat ook op regel "
                       "%(earlier)s."), line=line, number=external, earlier=seen_ids[external],
                ))
            seen_ids.setdefault(external, line)
        initial = initial_of(surname)
        if not external:
            same = (first.casefold(), initial, klass.casefold())
            if same in seen_pupils:
                problems.append(Problem(
                    N_("Regel %(line)s: %(first)s %(initial)s (%(class_name)s) staat ook op "
                       "regel %(earlier)s. Zet een leerlingnummer erbij als het twee "
                       "leerlingen zijn, of haal de dubbele regel weg."),
                    line=line, first=first, initial=initial or "", class_name=klass,
                    earlier=seen_pupils[same],
                ))
            seen_pupils.setdefault(same, line)
        pupils.append(PupilRow(line, first, initial, klass, external))
    if problems:
        raise ImportError_(problems)
    if not pupils:
        raise ImportError_([Problem(N_("Het bestand bevat geen leerlingen."))])
    return pupils
