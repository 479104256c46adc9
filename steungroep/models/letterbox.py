"""The digital letterbox: letters written by pupils, parents or classmates, read by the people
the school chose (domain/letterbox.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow

if TYPE_CHECKING:
    from steungroep.models.case import Case
    from steungroep.models.school import School, User


class Letter(db.Model):
    """One letter in a school's letterbox. Nothing about the writer is stored but what they
    chose to type; they come back with a code, of which only the hash is kept."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)
    writer: Mapped[str] = mapped_column(String(10))  # domain.letterbox.WRITERS
    what: Mapped[str] = mapped_column(Text)
    where: Mapped[str] = mapped_column(String(200), default="")
    about: Mapped[str] = mapped_column(String(100), default="")  # a name as typed
    wants_talk: Mapped[str] = mapped_column(String(10))  # domain.letterbox.WANTS_TALK
    name: Mapped[str] = mapped_column(String(100), default="")  # empty: without a name
    class_name: Mapped[str] = mapped_column(String(50), default="")
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Turned into a melding: the case it became.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"),
                                                index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    close_reason: Mapped[str] = mapped_column(String(20), default="")
    close_note: Mapped[str] = mapped_column(String(200), default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    school: Mapped[School] = relationship()
    case: Mapped[Case | None] = relationship()
    read_by: Mapped[User | None] = relationship(foreign_keys=[read_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    @property
    def done(self) -> bool:
        """Handled: closed with a reason, or turned into a melding."""
        return self.closed_at is not None or self.case_id is not None
