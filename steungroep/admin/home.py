"""An admin's home: per school of theirs, its people at a glance and what needs them (who
has not chosen a password yet, a school without its own admin). Two statements, whatever
the number of schools or people."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from steungroep.admin.people import own_admin
from steungroep.core.extensions import db
from steungroep.models import School, User, user_schools


@dataclass(frozen=True)
class SchoolAtAGlance:
    school_id: int
    name: str
    staff: int  # active accounts
    admins: int  # active admins of the school's own (board admins not counted)
    waiting: int  # active accounts without a password (invited, or never)
    off: int  # switched-off accounts


def glance(user: User) -> list[SchoolAtAGlance]:
    school_ids = sorted(user.school_ids) or [-1]
    counts = {row.school_id: row for row in db.session.execute(
        select(user_schools.c.school_id,
               func.count().filter(User.active.is_(True)).label("staff"),
               func.count().filter(own_admin()).label("admins"),
               func.count().filter(User.active.is_(True), User.password_hash == "")
               .label("waiting"),
               func.count().filter(User.active.is_(False)).label("off"))
        .join(User, User.id == user_schools.c.user_id)
        .where(user_schools.c.school_id.in_(school_ids))
        .group_by(user_schools.c.school_id))}
    schools = db.session.execute(select(School.id, School.name).where(School.id.in_(school_ids))
                                 .order_by(School.name))
    result = []
    for school_id, name in schools:
        row = counts.get(school_id)
        result.append(SchoolAtAGlance(school_id, name, row.staff if row else 0,
                                      row.admins if row else 0, row.waiting if row else 0,
                                      row.off if row else 0))
    return result
