"""Choosing a pupil in a form (the melding, a pupil involved, the other pupil of a restoring
talk): a search by first name or class instead of a list of every pupil, so the form stays
small for a coordinator of fifty schools. Two statements at most, whatever the school's size:
the pupil already chosen, and the matches (or, beside a case, the classmates of its pupil)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from steungroep.core.extensions import db
from steungroep.models import Case, Pupil, SchoolClass

LIMIT = 40  # matches shown at once (a whole class); more means: type on
FIELDS = ("pupil_id", "involved_pupil", "talk_pupil")  # the forms' fields that choose a pupil


def school_first_names(school_id: int, practice_class: int | None = None) -> list[str]:
    """Every first name of the school's real pupils (and of ``practice_class``, a practice
    case's made-up class), once each: what masking and the name checks of texts read by
    others compare with (one statement)."""
    pool = SchoolClass.practice.is_(False)
    if practice_class is not None:
        pool = or_(pool, SchoolClass.id == practice_class)
    return list(db.session.scalars(
        select(Pupil.first_name).join(SchoolClass, SchoolClass.id == Pupil.class_id)
        .where(Pupil.school_id == school_id, pool).distinct()))


def case_first_names(case: Case) -> list[str]:
    """``school_first_names`` for the texts of ``case``: a practice case's with its own
    made-up class."""
    played = case.pupil.class_id if case.practice and case.pupil is not None else None
    return school_first_names(case.school_id, played)


@dataclass
class Choice:
    name: str  # the form field
    query: str = ""
    chosen: Pupil | None = None
    pupils: list[Pupil] = field(default_factory=list)  # matches, or the classmates
    classmates: bool = False  # ``pupils`` are the classmates, not matches of a search
    more: bool = False  # more matches than shown
    schools: int = 1  # how many schools the pupils can come from (their names shown if > 1)


def like(text: str) -> str:
    """A LIKE pattern (escape '\\') that finds ``text`` anywhere, % and _ taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def may_join(pupil: Pupil | None, case: Case) -> bool:
    """Whether ``pupil`` may take part in ``case`` (its group, a talk, the pupils involved):
    a pupil of its school; in a practice case one of its made-up class, in a real case never
    a made-up one."""
    if pupil is None or pupil.school_id != case.school_id:
        return False
    if case.practice:
        return case.pupil is not None and pupil.class_id == case.pupil.class_id
    return not pupil.school_class.practice


def _base(school_ids: set[int], skip: int | None):
    """Pupils of ``school_ids`` but ``skip``: the real ones, or where ``skip`` (the case's
    pupil) is a made-up one, its practice class only (in the same statement)."""
    statement = (select(Pupil).join(SchoolClass, SchoolClass.id == Pupil.class_id)
                 .where(Pupil.school_id.in_(school_ids or {-1}))
                 .options(joinedload(Pupil.school_class), joinedload(Pupil.school)))
    if skip is None:
        return statement.where(SchoolClass.practice.is_(False))
    played = (select(SchoolClass.id).join(Pupil, Pupil.class_id == SchoolClass.id)
              .where(Pupil.id == skip, SchoolClass.practice.is_(True)).scalar_subquery())
    return statement.where(Pupil.id != skip, or_(
        and_(SchoolClass.practice.is_(False), played.is_(None)), SchoolClass.id == played))


def search(school_ids: set[int], query: str, *, skip: int | None = None,
           limit: int = LIMIT) -> list[Pupil]:
    """Pupils of ``school_ids`` whose first name or class contains ``query`` (any case),
    by first name; at most ``limit`` + 1, so the caller can tell there are more."""
    pattern = like(" ".join(query.split())[:40])
    return list(db.session.scalars(
        _base(school_ids, skip)
        .where(or_(func.lower(Pupil.first_name).like(pattern, escape="\\"),
                   func.lower(SchoolClass.name).like(pattern, escape="\\")))
        .order_by(Pupil.first_name, SchoolClass.name, Pupil.id)
        .limit(limit + 1)
    ))


def choice(name: str, school_ids: set[int], *, query: str = "", chosen_id: int | None = None,
           beside: int | None = None) -> Choice:
    """What a pupil field shows: the chosen pupil (when one of ``school_ids``), and the
    pupils whose first name or class contains ``query``; without a query, the classmates of
    ``beside`` (the case's pupil, never offered itself)."""
    query = " ".join(query.split())[:40]
    result = Choice(name, query, schools=len(school_ids))
    base = _base(school_ids, beside)
    if chosen_id is not None:
        result.chosen = db.session.scalars(base.where(Pupil.id == chosen_id)).first()
    if query:
        found = search(school_ids, query, skip=beside)
        result.more = len(found) > LIMIT
        result.pupils = found[:LIMIT]
    elif beside is not None:
        class_of = select(Pupil.class_id).where(Pupil.id == beside).scalar_subquery()
        result.pupils = list(db.session.scalars(
            base.where(Pupil.class_id == class_of).order_by(Pupil.first_name, Pupil.id)
        ))
        result.classmates = True
    if result.chosen is not None:
        result.pupils = [p for p in result.pupils if p.id != result.chosen.id]
    return result
