"""A school's sign-in with its own accounts (OpenID Connect): which provider, which client."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.models.school import School


class SchoolSignIn(db.Model):
    """One school's OpenID provider. The client secret is stored encrypted with a key taken
    from the app's SECRET_KEY (core/sealed.py); the discovery document is read from the
    issuer when it is saved and again by each process that needs it."""

    __tablename__ = "school_sign_ins"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(200))
    client_secret: Mapped[str] = mapped_column(Text)
    # Staff of this school (but admins) may no longer log in with a password.
    required: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A verified address of one of these domains (space-separated) that has no account yet
    # gets a teacher account of this school on its first login, when create_accounts is on.
    create_accounts: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    domains: Mapped[str] = mapped_column(String(300), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    school: Mapped[School] = relationship()
