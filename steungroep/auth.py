"""Logging in and out, and the idle lock of a shared classroom tablet."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from .extensions import db
from .models import User

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
UNLOCK_ATTEMPTS = 5
# Views an idle, locked session may still reach.
UNLOCKED_ENDPOINTS = {"auth.lock", "auth.logout", "auth.login", "static"}


def _safe_next(target: str | None) -> str | None:
    """Only follow a ?next= that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if parts.path in (url_for("auth.lock"), url_for("auth.login"), url_for("auth.logout")):
        return None
    return target


def _current_path() -> str:
    """The page the user is on: for htmx the page that sent the request, else this one."""
    current = request.headers.get("HX-Current-URL")
    if current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.full_path.rstrip("?")


def init_app(app: Flask, login: LoginManager) -> None:
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = "Log in om verder te gaan."
    login.login_message_category = "info"

    @login.user_loader
    def _load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user and user.active else None

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

    app.register_blueprint(bp)


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password."""
    if current_user.is_authenticated and not session.get("locked"):
        return redirect(url_for("cases.home"))
    email = request.form.get("email", "").strip().lower()
    if request.method == "POST":
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user and user.active and user.check_password(request.form.get("password", "")):
            session.clear()
            login_user(user)
            session.permanent = True
            session["seen"] = time.time()
            return redirect(_safe_next(request.args.get("next")) or url_for("cases.home"))
        flash(LOGIN_FAILED, "error")
        return render_template("auth/login.html", email=email), 422
    return render_template("auth/login.html", email=email)


@bp.route("/vergrendeld", methods=["GET", "POST"])
@login_required
def lock():
    """The idle lock: the same user types the password to carry on."""
    if request.method == "POST":
        if current_user.check_password(request.form.get("password", "")):
            session.pop("locked", None)
            session.pop("unlock_failures", None)
            session["seen"] = time.time()
            return redirect(_safe_next(request.args.get("next")) or url_for("cases.home"))
        failures = session.get("unlock_failures", 0) + 1
        if failures >= UNLOCK_ATTEMPTS:
            logout_user()
            session.clear()
            flash("Te vaak een verkeerd wachtwoord: je bent uitgelogd.", "error")
            return redirect(url_for("auth.login"))
        session["unlock_failures"] = failures
        flash("Dat wachtwoord klopt niet.", "error")
        return render_template("auth/lock.html"), 422
    session["locked"] = True
    return render_template("auth/lock.html")


@bp.get("/actief")
@login_required
def keep_alive():
    """The page is in use (taps, typing, scrolling): keeps the idle lock from firing."""
    return "", 204


@bp.route("/uitloggen", methods=["POST"])
def logout():
    """Log out and end the session."""
    logout_user()
    session.clear()
    flash("Je bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))
