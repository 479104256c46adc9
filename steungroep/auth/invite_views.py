"""The one-time link to choose a password: a new account's invitation, or a reset. Whoever
holds the link chooses the password once; then they are logged in."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from steungroep.admin import invitations
from steungroep.auth.sessions import start_session
from steungroep.core import mail
from steungroep.core.extensions import limiter
from steungroep.core.security import public_address
from steungroep.domain import DomainError, people
from steungroep.domain.i18n import N_, translate
from steungroep.models import User
from steungroep.web import audit, writes

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


FORGOTTEN_SENT = N_("Als er een account is met dit e-mailadres, krijgt het binnen een paar "
                    "minuten een e-mail met een link om een nieuw wachtwoord te kiezen. Niets "
                    "gekregen? Kijk ook bij ongewenste e-mail, of vraag de beheerder van je "
                    "school om een link.")


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["FORGOTTEN_LIMIT"], methods=["POST"])
def forgotten():
    """A forgotten password: with e-mail set up, a link by mail (the same answer whether or
    not the address has an account); without, who to ask."""
    mails = mail.settings_from(current_app.config) is not None
    if request.method == "POST" and mails:
        _send_reset(email=request.form.get("email", ""))
        flash(gettext(FORGOTTEN_SENT), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgotten.html", mails=mails)


@writes.change()
def _send_reset(uow: writes.UnitOfWork, email: str):
    """A reset link by mail for an active account with this address, at most one per
    account every few minutes (a flood of requests is no flood of mail)."""
    user = invitations.reset_candidate(email)
    if user is not None:
        invitations.issue(user, people.RESET, by=None, base=public_address())
        uow.audit(audit.CHANGE, "herstellink aangevraagd per e-mail", user_id=user.id)
