"""A login session on the server, as every way in and out uses it: the login page, the
school's account (sso_views.py), the one-time link (invite_views.py) and logging out."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import update

from steungroep.auth import sso
from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.models import LoginSession, User
from steungroep.web import audit, writes


def safe_next(target: str | None) -> str | None:
    """Only follow a ?next= that stays on this site."""
    if not target:
        return None
    if any(c.isspace() or c == "\\" or not c.isprintable() for c in target):
        return None  # line breaks (header tricks), backslashes (read as // by browsers)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if parts.path in (url_for("auth.lock"), url_for("auth.login"), url_for("auth.logout")):
        return None
    return target


def start_session(user: User, how: str = "inloggen") -> None:
    """Log ``user`` in with a new login session on the server."""
    session.clear()
    with writes.UnitOfWork() as uow:
        login_session = LoginSession(user_id=user.id)
        db.session.add(login_session)
        uow.audit(audit.LOGIN, how, user_id=user.id)
    login_user(user)
    session.permanent = True
    session["sid"] = login_session.key
    session["seen"] = time.time()


def end_sessions(user_id: int, *, keep: str | None = None) -> None:
    """End the user's login sessions on the server (all but ``keep``)."""
    query = update(LoginSession).where(
        LoginSession.user_id == user_id, LoginSession.ended_at.is_(None)
    )
    if keep:
        query = query.where(LoginSession.key != keep)
    db.session.execute(query.values(ended_at=utcnow()))


def log_out() -> None:
    """End this browser's login session, on the server too."""
    if current_user.is_authenticated:
        with writes.UnitOfWork():
            db.session.execute(
                update(LoginSession)
                .where(LoginSession.key == session.get("sid", ""))
                .values(ended_at=utcnow())
            )
    logout_user()
    session.clear()
    # The school's provider may still know the person who just left this (shared) browser:
    # the next login through it asks the provider to check who it is.
    session[sso.REAUTH_KEY] = True
