"""What a case holds beside the steungroep: talks and contacts, the pupils involved, and the
steps of the school's stappenplan after an escalation."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow

if TYPE_CHECKING:
    from steungroep.models.case import Case
    from steungroep.models.school import Pupil, User


class CaseTalk(db.Model):
    """A talk on a case: with a pupil, the parents of a named pupil, a colleague, the SMW or
    an outside service; a summary, agreements and an optional follow-up date. The one-off
    path's restoring talk and its check are talks too (``kind``)."""

    __tablename__ = "case_talks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="gesprek")
    party: Mapped[str] = mapped_column(String(20))
    # The pupil talked with, or whose parents: None for others, and once anonymised.
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"), index=True)
    party_name: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    agreements: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The talk that was this one's follow-up (it ends the reminder).
    followed_by_id: Mapped[int | None] = mapped_column(ForeignKey("case_talks.id"))
    reminded_for: Mapped[date | None] = mapped_column(Date)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A random key per rendered form: a double-tapped talk is stored once.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    case: Mapped[Case] = relationship(back_populates="talks")
    pupil: Mapped[Pupil | None] = relationship()
    user: Mapped[User] = relationship()

    @property
    def follow_up_open(self) -> bool:
        return self.follow_up_on is not None and self.followed_by_id is None


class CasePupil(db.Model):
    """A pupil involved in a case besides the one it is about, with how (private: staff only,
    like a group member's role)."""

    __tablename__ = "case_pupils"
    __table_args__ = (UniqueConstraint("case_id", "pupil_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), index=True)
    involvement: Mapped[str] = mapped_column(String(20))
    added_on: Mapped[date] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="involved")
    pupil: Mapped[Pupil] = relationship()


class PlanStep(db.Model):
    """One step of the school's stappenplan in a case that went on after the steungroep:
    copied from the school's list when the plan starts, then done with a date, who did it
    and a note."""

    __tablename__ = "plan_steps"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    planned_on: Mapped[date | None] = mapped_column(Date)
    # Who the step belongs to: one of the school's functions, as it was named then.
    owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="plan_steps")
    user: Mapped[User | None] = relationship()


class Consequence(db.Model):
    """A consequence for a pupil who bullied or joined in (the protocols' ladder: time-out, a
    talk with the parents, a suspension of 1–5 school days, removal). Private like a role:
    staff only, and in that pupil's access copy only. Once anonymised it still counts."""

    __tablename__ = "consequences"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # None once anonymised or erased.
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    days: Mapped[int | None] = mapped_column(Integer)
    decided_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="consequences")
    pupil: Mapped[Pupil | None] = relationship()
    user: Mapped[User] = relationship()
