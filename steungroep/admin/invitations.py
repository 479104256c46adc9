"""One-time links to choose a password: made for a new account or a forgotten password,
e-mailed through the outbox when mail is set up (else shown once to whoever made it), and
redeemed once. Run inside the caller's unit of work."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_login import current_user
from sqlalchemy import delete, func, select, update

from steungroep.core import mail
from steungroep.core.extensions import db
from steungroep.core.security import public_address
from steungroep.core.timeutil import aware, local, utcnow
from steungroep.domain import DomainError, people
from steungroep.domain.i18n import N_
from steungroep.domain.passwords import check_new_password
from steungroep.models import Invitation, LoginSession, OutboxMessage, SchoolSignIn, User
from steungroep.web import audit

LINK_PATH = "/welkom/"  # + the token: auth/invite_views.py serves it


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link(token: str, base: str) -> str:
    return base.rstrip("/") + LINK_PATH + token


@dataclass(frozen=True)
class Issued:
    """A link just made: ``url`` to hand over (None once it went into the outbox)."""

    url: str | None
    mailed_to: str | None
    expires_at: datetime


def issue(user: User, purpose: str, *, by: User | None, base: str,
          mail_it: bool = True) -> Issued:
    """A new link for ``user``; older links of theirs stop working (and their unsent mail is
    dropped). With mail set up the link goes out by e-mail and is not shown, unless
    ``mail_it`` is False (the command line: IT hands the link over itself)."""
    now = utcnow()
    older = select(Invitation.id).where(Invitation.user_id == user.id,
                                        Invitation.used_at.is_(None))
    old_ids = list(db.session.scalars(older))
    if old_ids:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.in_(
            [f"uitnodiging-{i}" for i in old_ids])))
        db.session.execute(delete(Invitation).where(Invitation.id.in_(old_ids)))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(user_id=user.id, token_hash=_hash(token), purpose=purpose,
                            created_at=now, expires_at=people.invitation_expiry(purpose, now),
                            created_by_id=by.id if by else None)
    db.session.add(invitation)
    db.session.flush()
    url = link(token, base)
    if not mail_it or mail.settings_from(current_app.config) is None:
        return Issued(url=url, mailed_to=None, expires_at=invitation.expires_at)
    subject, body = _message(user, purpose, url, invitation.expires_at)
    db.session.add(OutboxMessage(dedupe_key=f"uitnodiging-{invitation.id}",
                                 to_address=user.email, subject=subject, body=body))
    return Issued(url=None, mailed_to=user.email, expires_at=invitation.expires_at)


def _message(user: User, purpose: str, url: str, expires_at: datetime) -> tuple[str, str]:
    """The e-mail, in Dutch like the reminders."""
    when = f"{local(expires_at):%d-%m-%Y %H:%M}"
    if purpose == people.INVITE:
        subject = "Je account voor Steungroep"
        opening = ("Er is een account voor je gemaakt in Steungroep, de app waarmee je school "
                   "de steungroepaanpak volgt.")
    else:
        subject = "Nieuw wachtwoord kiezen voor Steungroep"
        opening = "Je kunt een nieuw wachtwoord kiezen voor Steungroep."
    body = (f"Beste {user.name},\n\n{opening}\n\nKies je wachtwoord via deze link (één keer "
            f"te gebruiken, geldig tot {when}):\n{url}\n\nInloggen doe je daarna met "
            f"{user.email}. Heb je dit niet verwacht, dan kun je dit bericht negeren.\n")
    return subject, body


@dataclass(frozen=True)
class Found:
    invitation: Invitation | None
    refusal: str | None  # why the link does not work (domain text), or None


def find(token: str, now: datetime | None = None) -> Found:
    """The invitation behind ``token`` and whether it still works."""
    now = now or utcnow()
    invitation = None
    if 20 <= len(token) <= 100:
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == _hash(token)))
    usable_user = invitation is not None and invitation.user.active
    refusal = people.invitation_refusal(
        found=usable_user,
        used=invitation is not None and invitation.used_at is not None,
        expired=invitation is not None and aware(invitation.expires_at) <= now,
        newer=False,
    )
    return Found(invitation if refusal is None else None, refusal)


def redeem(token: str, password: str, repeat: str) -> User:
    """Choose the password with the link: checked, then the link is taken in one
    conditional UPDATE (two taps at once: one wins, the other is told it was used), and the
    person's other logins end."""
    found = find(token)
    if found.invitation is None:
        raise DomainError(found.refusal or "")
    user = found.invitation.user
    check_new_password(password, email=user.email, name=user.name)
    if password != repeat:
        raise DomainError(N_("De twee wachtwoorden zijn niet gelijk."), "repeat")
    now = utcnow()
    taken = db.session.execute(
        update(Invitation)
        .where(Invitation.id == found.invitation.id, Invitation.used_at.is_(None),
               Invitation.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise DomainError(people.invitation_refusal(True, True, False, False) or "")
    user.set_password(password)
    user.must_change_password = False
    db.session.execute(update(LoginSession)
                       .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
                       .values(ended_at=now))
    return user


def open_links(user_ids: list[int]) -> dict[int, Invitation]:
    """The newest unused link of each of these people (one statement)."""
    if not user_ids:
        return {}
    rows = db.session.scalars(
        select(Invitation).where(Invitation.user_id.in_(user_ids), Invitation.used_at.is_(None))
        .order_by(Invitation.created_at))
    return {row.user_id: row for row in rows}


def link_states(user_ids: list[int]) -> dict[int, str]:
    """Per person with an unused link: 'open' or 'expired' (one statement)."""
    now = utcnow()
    return {user_id: "open" if aware(invitation.expires_at) > now else "expired"
            for user_id, invitation in open_links(user_ids).items()}


def _sso_only(school_ids: set[int]) -> bool:
    """Whether every one of these schools requires its own accounts (no password needed)."""
    required = set(db.session.scalars(select(SchoolSignIn.school_id).where(
        SchoolSignIn.school_id.in_(school_ids or {-1}), SchoolSignIn.required.is_(True))))
    return bool(school_ids) and school_ids <= required


@dataclass(frozen=True)
class Handed:
    """What an admin's page says after making a link for ``person``."""

    person: User
    sso: bool = False  # no link: their schools sign in with their own accounts
    url: str | None = None  # shown once, to hand over
    mailed_to: str | None = None
    expires_at: datetime | None = None


def hand_over(uow, person: User, purpose: str) -> Handed:
    """For an admin's page: a link for ``person`` (mailed, or returned to be shown once),
    audited; nothing for someone whose schools all sign in with their own accounts (admins
    always keep a password)."""
    if _sso_only(person.school_ids) and person.role != people.ADMIN:
        return Handed(person, sso=True)
    issued = issue(person, purpose, by=current_user, base=public_address())
    what = "uitnodiging" if purpose == people.INVITE else "herstellink"
    uow.audit(audit.CHANGE, f"{what} voor medewerker {person.id}", user_id=current_user.id)
    return Handed(person, url=issued.url, mailed_to=issued.mailed_to,
                  expires_at=issued.expires_at)


JUST_NOW = timedelta(minutes=2)


def just_added_by(admin: User, email: str) -> User | None:
    """The account ``admin`` added with this address a moment ago and that has not chosen a
    password yet: a second tap on the add button finds it instead of a refusal."""
    email = (email or "").strip().lower()
    if not email:
        return None
    return db.session.scalar(
        select(User).join(Invitation, Invitation.user_id == User.id)
        .where(func.lower(User.email) == email, User.password_hash == "",
               Invitation.created_by_id == admin.id, Invitation.purpose == people.INVITE,
               Invitation.created_at > utcnow() - JUST_NOW)
        .limit(1))


ASKED_AGAIN_AFTER = timedelta(minutes=5)


def reset_candidate(email: str) -> User | None:
    """Who gets a reset link by mail when ``email`` is typed on 'forgotten': an active account
    with a password of its own (not one that only signs in with the school's account), and
    not again within a few minutes of the last one asked for this way."""
    email = (email or "").strip().lower()[:200]
    user = db.session.scalar(select(User).where(func.lower(User.email) == email,
                                                User.active.is_(True)))
    if user is None or (_sso_only(user.school_ids) and user.role != people.ADMIN):
        return None
    recent = db.session.scalar(select(Invitation.id).where(
        Invitation.user_id == user.id, Invitation.created_by_id.is_(None),
        Invitation.purpose == people.RESET,
        Invitation.created_at > utcnow() - ASKED_AGAIN_AFTER).limit(1))
    return None if recent else user
