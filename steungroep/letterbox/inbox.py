"""Who reads a school's letterbox, and what they see: the people the school chose (an admin
ticks 'leest de brievenbus' on their person page: the interne vertrouwenspersonen of seed 002
§4); where nobody was chosen, the school's coordinators. Fixed statements, whatever the
number of letters."""

from __future__ import annotations

from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.domain import letterbox as rules
from steungroep.models import ROLE_COORDINATOR, Letter, School, User, user_schools

HANDLED_SHOWN = 50  # the inbox lists every open letter and the latest handled ones


def readers(school_id: int) -> list[User]:
    """The active staff of the school who read its letters (domain.letterbox
    .reads_letterbox)."""
    staff = list(db.session.scalars(
        select(User).join(user_schools, user_schools.c.user_id == User.id)
        .where(user_schools.c.school_id == school_id, User.active.is_(True))
        .order_by(User.id)))
    chosen = any(user.reads_letters for user in staff)
    return [user for user in staff if rules.reads_letterbox(
        user.reads_letters, user.role == ROLE_COORDINATOR, chosen)]


def read_schools(user: User) -> set[int]:
    """The ids of the schools whose letters ``user`` reads (one statement at most)."""
    if not user.is_authenticated or not user.may_read_letters:
        return set()
    own = set(user.school_ids)
    if user.reads_letters or not own:
        return own
    chosen = set(db.session.scalars(
        select(user_schools.c.school_id).join(User, User.id == user_schools.c.user_id)
        .where(user_schools.c.school_id.in_(own), User.reads_letters.is_(True),
               User.active.is_(True))))
    return {school_id for school_id in own if rules.reads_letterbox(
        user.reads_letters, user.role == ROLE_COORDINATOR, school_id in chosen)}


def letter_for(user: User, letter_id: int) -> Letter | None:
    """A letter of a school ``user`` reads; None for any other id."""
    letter = db.session.get(Letter, letter_id)
    if letter is None or letter.school_id not in read_schools(user):
        return None
    return letter


def inbox(school_ids: set[int]) -> tuple[list[Letter], list[Letter]]:
    """(open letters, oldest first; the latest handled ones, newest first)."""
    if not school_ids:
        return [], []
    waiting = list(db.session.scalars(
        select(Letter).where(Letter.school_id.in_(school_ids), Letter.closed_at.is_(None),
                             Letter.case_id.is_(None))
        .order_by(Letter.created_at, Letter.id)))
    handled = list(db.session.scalars(
        select(Letter).where(Letter.school_id.in_(school_ids),
                             (Letter.closed_at.is_not(None)) | (Letter.case_id.is_not(None)))
        .order_by(Letter.created_at.desc(), Letter.id.desc()).limit(HANDLED_SHOWN)))
    return waiting, handled


def unread_count(school_ids: set[int]) -> int:
    if not school_ids:
        return 0
    return db.session.scalar(
        select(func.count(Letter.id)).where(
            Letter.school_id.in_(school_ids), Letter.read_at.is_(None),
            Letter.closed_at.is_(None), Letter.case_id.is_(None))) or 0


def school_by_token(token: str) -> School | None:
    return db.session.scalar(select(School).where(School.letterbox_token == token))
