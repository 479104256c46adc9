"""The one-time link to choose a password: a new account's invitation, or a reset. Whoever
holds the link chooses the password once; then they are logged in."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from steungroep.admin import invitations
from steungroep.auth.views import start_session
from steungroep.core import audit, writes
from steungroep.core.extensions import limiter
from steungroep.domain import DomainError
from steungroep.domain.i18n import translate
from steungroep.models import User

bp = Blueprint("invite", __name__, template_folder="templates")


def _limit() -> str:
    return current_app.config["INVITE_LIMIT"]


def _gone(refusal: str):
    """A link that does not work: the same page whatever the reason's account."""
    return render_template("auth/welcome.html", refusal=translate(refusal), person=None,
                           error=None), 410


@bp.route("/welkom/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def welcome(token: str):
    """Choose a password with the link (GET shows the form, POST saves it)."""
    found = invitations.find(token)
    if found.invitation is None:
        if request.method == "POST" and current_user.is_authenticated:
            # A double tap: the first one chose the password and logged this browser in.
            return redirect(url_for("cases.home"))
        return _gone(found.refusal or "")
    if request.method == "POST":
        result = _choose(token=token)
        return _after(result) if isinstance(result, User) else result
    return render_template("auth/welcome.html", person=found.invitation.user,
                           purpose=found.invitation.purpose, refusal=None, error=None)


def _refused(error: DomainError, token: str):
    found = invitations.find(token)
    if found.invitation is None:
        return _gone(found.refusal or error.text)
    return render_template("auth/welcome.html", person=found.invitation.user,
                           purpose=found.invitation.purpose, refusal=None, error=error), 422


@writes.change(refused=_refused)
def _choose(uow: writes.UnitOfWork, token: str):
    user = invitations.redeem(token, request.form.get("password", ""),
                              request.form.get("repeat", ""))
    uow.audit(audit.CHANGE, "wachtwoord gekozen met link", user_id=user.id)
    return user


def _after(user):
    start_session(user, "inloggen na link")
    flash(gettext("Je wachtwoord is opgeslagen. Welkom!"), "info")
    return redirect(url_for("cases.home"))
