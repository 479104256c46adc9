"""Reading a pupil list in EdexML, the exchange format ParnasSys, Esis and other pupil
administrations export. Plain Python.

What is read: ``EDEX/groepen/groep[@key]`` with ``naam``; ``EDEX/leerlingen/leerling[@key]``
with ``roepnaam`` (or the first of ``voornamen``), ``achternaam`` and ``groep[@key]``. What
the app keeps of it is what it keeps of a CSV: the first name, the surname's initial, the
class, and the pupil's key as external id. Everything else (birth dates, addresses,
teachers) is passed over and never stored.

Parsed with ``defusedxml`` (no DTD, no entities, nothing fetched from outside) through a SAX
handler, so every message can name the line and the element it is about."""

from __future__ import annotations

import xml.sax
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString

from steungroep.admin.importer import (
    MAX_ROWS,
    ImportError_,
    Problem,
    PupilRow,
    check_size,
    initial_of,
    joined,
    unreadable,
)
from steungroep.domain.i18n import N_


def looks_like_edexml(raw: bytes) -> bool:
    """An XML file (what a CSV never starts with)."""
    head = raw[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") or head.startswith(b"\xff\xfe<") or head.startswith(
        b"\xfe\xff\x00<")


@dataclass
class _Element:
    name: str
    line: int
    key: str | None
    text: list[str] = field(default_factory=list)


@dataclass
class _Group:
    key: str
    line: int
    name: str = ""


@dataclass
class _Pupil:
    key: str | None
    line: int
    values: dict[str, str] = field(default_factory=dict)
    group_key: str | None = None
    group_line: int | None = None


class _Handler(xml.sax.handler.ContentHandler):
    """Collects the groups and the pupils; the path of open elements says where we are."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[_Element] = []
        self.groups: list[_Group] = []
        self.pupils: list[_Pupil] = []
        self.root: str | None = None
        self._locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX's name)
        self._locator = locator

    def _line(self) -> int:
        return self._locator.getLineNumber() if self._locator else 0

    def _path(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.stack)

    def startElement(self, name, attrs) -> None:  # noqa: N802
        if self.root is None:
            self.root = name
        key = attrs.get("key")
        element = _Element(name, self._line(), key.strip() if key is not None else None)
        path = self._path() + (name,)
        if path == ("EDEX", "groepen", "groep"):
            self.groups.append(_Group(element.key or "", element.line))
        elif path == ("EDEX", "leerlingen", "leerling"):
            if len(self.pupils) >= MAX_ROWS:
                raise ImportError_([Problem(
                    N_("Het bestand heeft meer dan %(most)s leerlingen. Exporteer één school "
                       "tegelijk."), most=MAX_ROWS,
                )])
            self.pupils.append(_Pupil(element.key, element.line))
        elif path == ("EDEX", "leerlingen", "leerling", "groep") and self.pupils:
            self.pupils[-1].group_key = element.key or ""
            self.pupils[-1].group_line = element.line
        self.stack.append(element)

    def characters(self, content) -> None:
        if self.stack:
            self.stack[-1].text.append(content)

    def endElement(self, name) -> None:  # noqa: N802
        element = self.stack.pop()
        path = self._path()
        text = "".join(element.text).strip()
        if path == ("EDEX", "groepen", "groep") and name == "naam" and self.groups:
            self.groups[-1].name = text
        elif path == ("EDEX", "leerlingen", "leerling") and self.pupils:
            self.pupils[-1].values[name] = text


def _where(line: int, element: str, key: str | None) -> Problem:
    named = f'<{element} key="{key}">' if key else f"<{element}>"
    return Problem(N_("Regel %(line)s, %(element)s"), line=line, element=named)


def parse_edexml(raw: bytes) -> list[PupilRow]:
    """Parse and check every group and pupil; raise ImportError_ listing all problems at
    once (nothing is imported then)."""
    check_size(len(raw))
    handler = _Handler()
    try:
        parseString(raw, handler, forbid_dtd=True)
    except xml.sax.SAXParseException as error:
        raise ImportError_([Problem(
            N_("Regel %(line)s: het bestand is geen geldige XML (%(error)s). Exporteer het "
               "opnieuw uit de leerlingadministratie."),
            line=error.getLineNumber(), error=error.getMessage(),
        )]) from None
    except DefusedXmlException:
        raise ImportError_([Problem(N_(
            "Het bestand bevat een DTD of entiteiten; een EdexML-export heeft die niet. "
            "Exporteer het opnieuw uit de leerlingadministratie."
        ))]) from None
    if handler.root != "EDEX":
        raise ImportError_([Problem(
            N_("Regel 1: dit is geen EdexML-bestand: het begint met <%(root)s>, niet met "
               "<EDEX>."), root=handler.root,
        )])
    problems: list[Problem] = []
    groups: dict[str, _Group] = {}
    for group in handler.groups:
        where = _where(group.line, "groep", group.key)
        if not group.key:
            problems.append(Problem(N_("%(where)s: de groep heeft geen key."), where=where))
        elif group.key in groups:
            problems.append(Problem(N_("%(where)s: deze key staat ook op regel %(earlier)s."),
                                    where=where, earlier=groups[group.key].line))
        elif not group.name:
            problems.append(Problem(N_("%(where)s: de groep heeft geen <naam>."), where=where))
        elif len(group.name) > 60 or unreadable(group.name):
            problems.append(Problem(N_("%(where)s: de naam is langer dan 60 tekens of bevat een "
                                       "onzichtbaar teken."), where=where))
        if group.key and group.key not in groups:
            groups[group.key] = group
    rows: list[PupilRow] = []
    seen: dict[str, int] = {}
    for pupil in handler.pupils:
        where = _where(pupil.line, "leerling", pupil.key)
        given = pupil.values.get("voornamen", "").split()
        first = pupil.values.get("roepnaam") or (given[0] if given else "")
        surname = pupil.values.get("achternaam", "")
        found: list[Problem] = []
        if not pupil.key:
            found.append(Problem(N_("de leerling heeft geen key (het leerlingnummer)")))
        elif len(pupil.key) > 40 or unreadable(pupil.key):
            found.append(Problem(
                N_("de key is langer dan 40 tekens of bevat een onzichtbaar teken")))
        elif pupil.key in seen:
            found.append(Problem(N_("deze key staat ook op regel %(earlier)s"),
                                 earlier=seen[pupil.key]))
        if not first:
            found.append(Problem(N_("de roepnaam ontbreekt")))
        elif len(first) > 60 or unreadable(first):
            found.append(Problem(
                N_("de roepnaam is langer dan 60 tekens of bevat een onzichtbaar teken")))
        if unreadable(surname):
            found.append(Problem(N_("de achternaam bevat een onzichtbaar teken")))
        group = groups.get(pupil.group_key or "")
        if pupil.group_key is None:
            found.append(Problem(N_("de leerling heeft geen <groep>")))
        elif group is None:
            found.append(Problem(N_("groep met key '%(key)s' staat niet bij <groepen>"),
                                 key=pupil.group_key))
        if pupil.key and pupil.key not in seen:
            seen[pupil.key] = pupil.line
        if found:
            problems.append(Problem(N_("%(where)s: %(found)s."), where=where,
                                    found=joined(found, N_("%(a)s; %(b)s"))))
            continue
        # (a group without a name is a problem of its own, reported above)
        rows.append(PupilRow(pupil.line, first, initial_of(surname), group.name, pupil.key))
    if problems:
        raise ImportError_(problems)
    if not rows:
        raise ImportError_([Problem(N_("Het bestand bevat geen leerlingen (geen <leerling> "
                                       "onder <leerlingen>)."))])
    return rows
