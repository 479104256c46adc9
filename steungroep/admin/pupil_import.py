"""Bringing a school's pupils in line with an export (CSV or EdexML): first what would change
(``plan``: added, changed, linked, unchanged, and the pupils no longer in the export), then,
once confirmed, the change itself (``apply``, inside the caller's unit of work).

Pupils are matched by their key (the administration's pupil number, ``external_id``). A pupil
entered without a key (by hand, or from a CSV without numbers) is linked to a row of the same
first name, initial and class, when exactly one of each matches; so a school that moves from
CSV to EdexML keeps its pupils and their cases. Pupils no longer in the export are only
listed: an admin decides whether to erase them (they may still have an open case)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from steungroep.admin.edexml import looks_like_edexml, parse_edexml
from steungroep.admin.importer import PupilRow, decode, parse_pupils
from steungroep.core.extensions import db
from steungroep.domain.i18n import N_, translate
from steungroep.models import Pupil, School, SchoolClass, short_name


def read_rows(raw: bytes) -> list[PupilRow]:
    """The rows of an export, EdexML or CSV by its content; ImportError_ when it is bad."""
    if looks_like_edexml(raw):
        return parse_edexml(raw)
    return parse_pupils(decode(raw))


def describe(first_name: str, initial: str | None, class_name: str) -> str:
    """'Noor B. (groep 6)'."""
    return f"{short_name(first_name, initial)} ({class_name})"


@dataclass(frozen=True)
class Change:
    pupil: Pupil
    before: str
    after: str
    row: PupilRow

    @property
    def pupil_id(self) -> int:
        return self.pupil.id


@dataclass
class Plan:
    school_id: int
    school_year: str
    added: list[PupilRow] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    linked: list[Change] = field(default_factory=list)  # a pupil without a key gets its key
    unchanged: int = 0
    leavers: list[Pupil] = field(default_factory=list)
    new_classes: list[str] = field(default_factory=list)

    @property
    def updated(self) -> list[Change]:
        """Every pupil that changes: name or class, or the key given."""
        return self.changed + self.linked

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.updated)

    def summary(self) -> str:
        """'3 leerlingen toegevoegd, 2 bijgewerkt (1 gekoppeld …), 296 ongewijzigd.' (Dutch
        on the command line, the admin's language on the page)."""
        return translate(N_("%(added)s leerlingen toegevoegd, %(updated)s bijgewerkt "
                            "(%(linked)s gekoppeld aan hun leerlingnummer), "
                            "%(unchanged)s ongewijzigd."),
                         added=len(self.added), updated=len(self.updated),
                         linked=len(self.linked), unchanged=self.unchanged)

    def fingerprint(self) -> str:
        """What the plan would do, in short: the confirmation must be of this very plan."""
        parts = [self.school_year, *(f"+{r.external_id}:{r.first_name}:{r.class_name}"
                                     for r in self.added),
                 *(f"~{c.pupil_id}:{c.after}" for c in self.updated),
                 *(f"-{p.id}" for p in self.leavers)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _key(first_name: str, initial: str | None, class_name: str) -> tuple:
    return first_name.casefold(), (initial or "").casefold(), class_name.casefold()


def plan(school: School, rows: list[PupilRow], school_year: str) -> Plan:
    """What importing ``rows`` into ``school`` for ``school_year`` would change (two
    statements, whatever the number of pupils)."""
    result = Plan(school.id, school_year)
    pupils = db.session.scalars(
        select(Pupil).join(SchoolClass, SchoolClass.id == Pupil.class_id)
        .where(Pupil.school_id == school.id, SchoolClass.practice.is_(False))
        .options(selectinload(Pupil.school_class)).order_by(Pupil.first_name, Pupil.id)
    ).all()
    classes = set(db.session.scalars(
        select(SchoolClass.name).where(SchoolClass.school_id == school.id,
                                       SchoolClass.school_year == school_year,
                                       SchoolClass.practice.is_(False))))
    keyed = {p.external_id: p for p in pupils if p.external_id}
    # pupils without a key, by first name, initial and class: linked when one of each
    unkeyed: dict[tuple, list[Pupil]] = {}
    for p in pupils:
        if not p.external_id:
            unkeyed.setdefault(_key(p.first_name, p.surname_initial, p.school_class.name),
                               []).append(p)
    rows_by = Counter(_key(r.first_name, r.surname_initial, r.class_name)
                      for r in rows if r.external_id is None or r.external_id not in keyed)
    matched: set[int] = set()
    new_classes: set[str] = set()
    for row in rows:
        after = describe(row.first_name, row.surname_initial, row.class_name)
        if row.class_name not in classes:
            new_classes.add(row.class_name)
        pupil = keyed.get(row.external_id) if row.external_id else None
        linking = False
        if pupil is None:
            same = _key(row.first_name, row.surname_initial, row.class_name)
            candidates = unkeyed.get(same, [])
            if len(candidates) == 1 and rows_by[same] == 1:
                pupil = candidates[0]
                linking = row.external_id is not None
        if pupil is None:
            result.added.append(row)
            continue
        matched.add(pupil.id)
        before = describe(pupil.first_name, pupil.surname_initial, pupil.school_class.name)
        moved = pupil.school_class.school_year != school_year
        if linking:
            result.linked.append(Change(pupil, before, after, row))
        elif before != after or moved:
            result.changed.append(Change(pupil, before, after, row))
        else:
            result.unchanged += 1
    result.new_classes = sorted(new_classes)
    result.leavers = [p for p in pupils if p.id not in matched]
    return result


def apply(school: School, done: Plan) -> None:
    """Carry out a plan made in the same unit of work (its pupils are that session's): new
    classes, new pupils, names and classes brought up to date, keys given. Pupils no longer
    in the export stay as they are."""
    classes = {c.name: c for c in db.session.scalars(
        select(SchoolClass).where(SchoolClass.school_id == school.id,
                                  SchoolClass.school_year == done.school_year,
                                  SchoolClass.practice.is_(False)))}

    def class_named(name: str) -> SchoolClass:
        if name not in classes:
            classes[name] = SchoolClass(school=school, name=name, school_year=done.school_year)
            db.session.add(classes[name])
        return classes[name]

    for row in done.added:
        db.session.add(Pupil(school_id=school.id, external_id=row.external_id,
                             first_name=row.first_name, surname_initial=row.surname_initial,
                             school_class=class_named(row.class_name)))
    for change in done.updated:
        pupil = change.pupil
        pupil.first_name = change.row.first_name
        pupil.surname_initial = change.row.surname_initial
        pupil.school_class = class_named(change.row.class_name)
        if change.row.external_id:
            pupil.external_id = change.row.external_id
