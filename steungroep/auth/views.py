"""Logging in and out, and the idle lock of a shared classroom tablet."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import func, select, update

from steungroep.auth import account_views, invite_views, sso, sso_views, throttle
from steungroep.auth.sessions import end_sessions, log_out, safe_next, start_session
from steungroep.core import extensions
from steungroep.core.extensions import db, limiter
from steungroep.core.timeutil import aware, utcnow
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.domain.passwords import check_new_password
from steungroep.models import LoginSession, User
from steungroep.web import audit, writes

bp = Blueprint("auth", __name__, template_folder="templates")

LOGIN_FAILED = N_("Dit e-mailadres en wachtwoord horen niet bij elkaar.")
UNLOCK_ATTEMPTS = 5
# Views an idle, locked session may still reach.
UNLOCKED_ENDPOINTS = {"auth.lock", "auth.logout", "auth.login", "static", "sso.start",
                      "sso.callback", "invite.welcome", "invite.forgotten"}
# Views a person who must choose a new password may still reach.
PASSWORD_ENDPOINTS = {"auth.password", "auth.logout", "auth.login", "static", "sso.start",
                      "sso.callback", "invite.welcome", "invite.forgotten"}


def _current_path() -> str:
    """The page the user is on: for htmx (and any POST) the page that sent the request, else
    this one. A POST's own address is never a page to come back to (it answers 405)."""
    current = request.headers.get("HX-Current-URL")
    if current is None and request.method != "GET":
        current = request.referrer or url_for("cases.home")
    if current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.full_path.rstrip("?")


def init_app(app: Flask) -> None:
    """Logging in (the login manager, the idle lock, a password to change first) and the
    feature's blueprints: the login page, the school's account, the account page and the
    one-time links."""
    login = extensions.login
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = N_("Log in om verder te gaan.")
    login.localize_callback = gettext
    login.login_message_category = "info"

    @login.user_loader
    def _load_user(user_id: str) -> User | None:
        """The user of this browser session, if its login session on the server is still
        open: ended by logging out or a password change, or older than the session
        lifetime, it no longer counts, whatever cookie the browser still holds."""
        key = session.get("sid")
        if not user_id.isdigit() or not key:
            return None
        row = db.session.execute(
            select(User, LoginSession)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(
                User.id == int(user_id),
                LoginSession.key == key,
                LoginSession.ended_at.is_(None),
            )
        ).first()
        if row is None or not row[0].active:
            return None
        user, login_session = row
        if aware(login_session.started_at) + app.permanent_session_lifetime < utcnow():
            return None
        return user

    @login.unauthorized_handler
    def _unauthorized():
        target = url_for("auth.login", next=_current_path())
        if request.headers.get("HX-Request") == "true":
            return "", 401, {"HX-Redirect": target}
        return redirect(target)

    @app.before_request
    def _idle_lock():
        """After IDLE_LOCK_MINUTES without a request, ask for the password again."""
        if not current_user.is_authenticated or request.endpoint in UNLOCKED_ENDPOINTS:
            return None
        now = time.time()
        limit = current_app.config["IDLE_LOCK_MINUTES"] * 60
        last = session.get("seen", now)
        if session.get("locked") or now - last > limit:
            session["locked"] = True
            target = url_for("auth.lock", next=_current_path())
            if request.headers.get("HX-Request") == "true":
                return "", 401, {"HX-Redirect": target}
            return redirect(target)
        session["seen"] = now
        return None

    @app.before_request
    def _password_first():
        """After an admin reset, choosing a new password comes before anything else (not
        for a login through the school's account, which needs no password here)."""
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and sso.SSO_KEY not in session
            and request.endpoint not in PASSWORD_ENDPOINTS
        ):
            target = url_for("auth.password")
            if request.headers.get("HX-Request") == "true":
                return "", 401, {"HX-Redirect": target}
            return redirect(target)
        return None

    app.register_blueprint(bp)
    sso.init_app(app)
    app.register_blueprint(sso_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(invite_views.bp)


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password. Wrong password or unknown address: one message.
    Every try is counted before the password is checked (see auth/throttle.py)."""
    if current_user.is_authenticated and not session.get("locked"):
        return redirect(url_for("cases.home"))
    email = request.form.get("email", "").strip().lower()[:200]
    if request.method == "POST":
        if not throttle.try_allowed(email):
            abort(429)
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user and user.active and user.check_password(request.form.get("password", "")):
            refusal = sso.password_refused(user)
            if refusal:
                audit.record(audit.LOGIN, "inloggen met wachtwoord: schoolaccount verplicht",
                             user_id=user.id)
                flash(refusal, "error")
                return render_login(email, 422)
            start_session(user)
            if user.must_change_password:
                return throttle.succeeded(email, redirect(url_for("auth.password")))
            target = safe_next(request.args.get("next")) or url_for("cases.home")
            return throttle.succeeded(email, redirect(target))
        audit.record(audit.LOGIN, "inloggen mislukt", user_id=user.id if user else None)
        flash(gettext(LOGIN_FAILED), "error")
        return render_login(email, 422)
    return render_login(email)


def render_login(email: str, status: int = 200):
    """The login page: password, and the schools that log in with their own accounts."""
    schools, remembered = sso.choices()
    return render_template("auth/login.html", email=email, sign_in_schools=schools,
                           remembered_school=remembered), status


def _render_lock(status: int = 200):
    required = sso.sso_required(current_user)
    return render_template("auth/lock.html", sso_school=sso.lock_choice(required),
                           password_allowed=sso.password_refused(current_user, required) is None
                           ), status


def _unlock_key() -> str:
    return "unlock:" + session.get("sid", "")


@bp.route("/vergrendeld", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["UNLOCK_LIMIT"], key_func=_unlock_key, methods=["POST"])
def lock():
    """The idle lock: the same user types the password to carry on. Each try is counted on
    the server's login session before the password is checked, so neither a replayed cookie
    nor parallel requests buy more than UNLOCK_ATTEMPTS tries."""
    if request.method == "POST":
        if sso.password_refused(current_user):
            flash(gettext("Ontgrendel met je schoolaccount."), "error")
            return _render_lock(422)
        tries = _count_unlock_try()
        if tries is None:
            return _locked_out()
        if current_user.check_password(request.form.get("password", "")):
            with writes.UnitOfWork():
                db.session.execute(
                    update(LoginSession)
                    .where(LoginSession.key == session.get("sid", ""))
                    .values(unlock_failures=0)
                )
            session.pop("locked", None)
            session["seen"] = time.time()
            return redirect(safe_next(request.args.get("next")) or url_for("cases.home"))
        if tries >= UNLOCK_ATTEMPTS:
            return _locked_out()
        flash(gettext("Dat wachtwoord klopt niet."), "error")
        return _render_lock(422)
    session["locked"] = True
    return _render_lock()


def _locked_out():
    log_out()
    flash(gettext("Te vaak een verkeerd wachtwoord: je bent uitgelogd."), "error")
    return redirect(url_for("auth.login"))


def _count_unlock_try() -> int | None:
    """Take one of this login's tries before the password is checked (one UPDATE under the
    write lock, so two requests never share a try): the number taken so far, or None when
    none is left."""
    sid = session.get("sid", "")
    with writes.UnitOfWork():
        taken = db.session.execute(
            update(LoginSession)
            .where(LoginSession.key == sid, LoginSession.unlock_failures < UNLOCK_ATTEMPTS)
            .values(unlock_failures=LoginSession.unlock_failures + 1)
        ).rowcount
        tries = db.session.scalar(
            select(LoginSession.unlock_failures).where(LoginSession.key == sid)
        )
    return tries if taken == 1 else None


@bp.get("/actief")
@login_required
def keep_alive():
    """The page is in use (taps, typing, scrolling): keeps the idle lock from firing."""
    return "", 204


@bp.route("/uitloggen", methods=["POST"])
def logout():
    """Log out: the login session ends on the server too."""
    log_out()
    flash(gettext("Je bent uitgelogd."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
def password():
    """Choose a new password (required after an admin reset). Other logins of this person
    end; this one stays."""
    forced = current_user.must_change_password
    if request.method == "POST":
        return _change_password(forced=forced)
    return render_template("auth/password.html", forced=forced)


def _password_refused(error: DomainError, forced: bool):
    return render_template("auth/password.html", error=error, forced=forced), 422


@writes.change(refused=_password_refused)
def _change_password(uow: writes.UnitOfWork, forced: bool):
    if not current_user.check_password(request.form.get("current", "")):
        raise DomainError(N_("Je huidige wachtwoord klopt niet."), "current")
    new = request.form.get("password", "")
    check_new_password(new, email=current_user.email, name=current_user.name)
    if new != request.form.get("repeat", ""):
        raise DomainError(N_("De twee nieuwe wachtwoorden zijn niet gelijk."), "repeat")
    if current_user.check_password(new):
        raise DomainError(N_("Kies een ander wachtwoord dan het huidige."), "password")
    current_user.set_password(new)
    current_user.must_change_password = False
    end_sessions(current_user.id, keep=session.get("sid"))
    uow.audit(audit.CHANGE, "wachtwoord gewijzigd", user_id=current_user.id)
    flash(gettext("Je nieuwe wachtwoord is opgeslagen. Andere apparaten zijn uitgelogd."),
          "info")
    return redirect(url_for("cases.home"))
