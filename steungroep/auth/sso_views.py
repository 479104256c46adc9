"""Logging in (and unlocking) with the school's own account: to the school's provider and
back. Who may log in is decided in domain/sso.py; the OpenID Connect itself is auth/sso.py.

A login via the school starts the same login session on the server as a password does
(auth/sessions.py): the idle lock, the session lifetime, logging out and the audit
trail are the same. Refusals are shown on the login page with a Dutch message and audited."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from steungroep.admin.people import add_person
from steungroep.auth import sso
from steungroep.auth.sessions import log_out, safe_next, start_session
from steungroep.core.extensions import db, limiter
from steungroep.core.security import secure_cookies
from steungroep.domain import DomainError
from steungroep.domain.people import in_domains, name_from_claims
from steungroep.domain.sso import check_account, verified_email
from steungroep.models import ROLE_TEACHER, SchoolSignIn, User, user_schools
from steungroep.web import audit
from steungroep.web.writes import UnitOfWork

bp = Blueprint("sso", __name__)

SCHOOL_COOKIE_DAYS = 180
NEXT_KEY = "sso_next"


def _limit() -> str:
    return current_app.config["SSO_LIMIT"]


def _sign_in(school_id: int) -> SchoolSignIn:
    sign_in = db.session.get(SchoolSignIn, school_id)
    if sign_in is None:
        abort(404)
    return sign_in


def _refused(message: str, *, user_id: int | None = None, school_id: int | None = None):
    audit.record(audit.LOGIN, "inloggen via schoolaccount geweigerd", user_id=user_id,
                 school_id=school_id)
    session[sso.REAUTH_KEY] = True  # the next try may be someone else at the provider
    flash(message, "error")
    return redirect(url_for("auth.login"))


@bp.get("/inloggen/school/<int:school_id>")
@limiter.limit(_limit)
def start(school_id: int):
    """To the school's provider. From the idle lock, after logging out or after a refusal it
    asks the provider to check the person again (prompt=login): a shared tablet still
    logged in at the provider neither unlocks by itself nor lets the next person in as the
    last one."""
    sign_in = _sign_in(school_id)
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    again = bool(current_user.is_authenticated and session.get("locked")
                 or session.get(sso.REAUTH_KEY))
    try:
        return sso.authorize(sign_in, again=again)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.lock" if again else "auth.login"))


def _account(school_id: int, email: str) -> User | None:
    return db.session.scalar(
        select(User).join(user_schools, user_schools.c.user_id == User.id)
        .where(user_schools.c.school_id == school_id, func.lower(User.email) == email))


def _new_account(sign_in: SchoolSignIn, claims: dict, email: str) -> User | None:
    """A teacher account on the first login, when the school chose so and the verified
    address is of its own domain (and nobody has it yet, at any school). Two first logins
    at once make one account."""
    if not (sign_in.create_accounts and in_domains(email, sign_in.domains)):
        return None
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        return None  # someone of another school: refused as before
    try:
        with UnitOfWork() as uow:
            uow.lock_key(f"email-{email}")
            if not db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
                user = add_person(uow, name=name_from_claims(claims, email), email=email,
                                  role=ROLE_TEACHER, school_ids={sign_in.school_id}, held=None)
                uow.audit(audit.CHANGE, "account gemaakt bij eerste login via schoolaccount",
                          user_id=user.id, school_id=sign_in.school_id)
    except IntegrityError:
        pass  # the other login made it
    return _account(sign_in.school_id, email)


@bp.get("/inloggen/school/terug")
@limiter.limit(_limit)
def callback():
    """Back from the provider: check the token, find the account, start the login."""
    target = session.pop(NEXT_KEY, None)
    school_id = sso.pending_school()
    sign_in = db.session.get(SchoolSignIn, school_id) if school_id else None
    if sign_in is None:
        if current_user.is_authenticated and not session.get("locked"):
            # the way back opened again (the browser's back button) after logging in
            return redirect(target or url_for("cases.home"))
        return _refused(gettext(sso.EXPIRED), school_id=school_id)
    user = None
    try:
        claims = sso.verified_claims(sign_in)
        email = verified_email(claims)
        user = _account(school_id, email) or _new_account(sign_in, claims, email)
        check_account(user is not None, user is not None and user.active,
                      school=sign_in.school.name, email=email)
    except DomainError as error:
        return _refused(error.message, user_id=user.id if user else None, school_id=school_id)
    if current_user.is_authenticated and session.get("locked") and current_user.id == user.id:
        session.pop("locked", None)  # the same person unlocks: the login session goes on
        session["seen"] = time.time()
    else:
        if current_user.is_authenticated:
            log_out()  # someone else at a locked tablet: the first person is logged out
        start_session(user, how="inloggen via schoolaccount")
        session[sso.SSO_KEY] = school_id
    response = redirect(target or url_for("cases.home"))
    response.set_cookie(sso.SCHOOL_COOKIE, str(school_id), max_age=SCHOOL_COOKIE_DAYS * 86400,
                        httponly=True, samesite="Lax", secure=secure_cookies())
    return response
