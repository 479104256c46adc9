"""What the app keeps beside the cases: notices, the e-mail outbox, logins, the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.models.school import new_card_token

if TYPE_CHECKING:
    from steungroep.models.case import Case, Evaluation
    from steungroep.models.school import User


NOTICE_DUE = "due"


NOTICE_OVERDUE = "overdue"


class Notice(db.Model):
    """An in-app reminder for one staff member about one evaluation, talk follow-up, or the
    day to ask the pupil again."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("user_id", "evaluation_id", "kind", "due_on"),
                      UniqueConstraint("talk_id", "user_id", "kind", "due_on"),
                      UniqueConstraint("pupil_talk_id", "user_id", "kind", "due_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # About an evaluation, the follow-up of a talk, or asking the pupil again (one of them).
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    talk_id: Mapped[int | None] = mapped_column(ForeignKey("case_talks.id"))
    pupil_talk_id: Mapped[int | None] = mapped_column(ForeignKey("pupil_talks.id"))
    kind: Mapped[str] = mapped_column(String(10))
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship()
    evaluation: Mapped[Evaluation | None] = relationship()


MAIL_PENDING = "pending"


MAIL_SENT = "sent"


class OutboxMessage(db.Model):
    """An e-mail waiting to be sent, or sent. Written in the same transaction as the notice it
    belongs to; delivered (and retried with backoff) by the scheduler."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    # The case the message is about: anonymising or erasing it removes exactly its mail.
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=MAIL_PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginSession(db.Model):
    """A login, kept on the server: logging out (or a password change) ends it for good,
    whatever the browser still holds."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True, default=new_card_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Wrong passwords typed on the idle lock of this login (counted before each check).
    unlock_failures: Mapped[int] = mapped_column(default=0, server_default="0")

    user: Mapped[User] = relationship()


class AuditEntry(db.Model):
    """Who read or changed what, when. Append-only: the app has no way to edit or delete
    an entry, and the ORM refuses to. Holds ids and action names, never a name or a text."""

    __tablename__ = "audit_log"
    # What an entry records (``action``).
    READ = "inzage"
    CHANGE = "wijziging"
    EXPORT = "export"
    LOGIN = "aanmelding"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    what: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    pupil_id: Mapped[int | None] = mapped_column(Integer, index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))

    user: Mapped[User | None] = relationship()
