"""A staff member's own account: the language of their pages, and the way to the password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, refresh
from flask_login import current_user, login_required

from steungroep.domain import DomainError
from steungroep.domain.i18n import LANGUAGES, N_
from steungroep.web import audit, writes

bp = Blueprint("account", __name__, template_folder="templates")


@bp.get("/account")
@login_required
def page():
    return render_template("auth/account.html")


def _refused(error: DomainError):
    return render_template("auth/account.html", error=error), 422


@bp.post("/account/taal")
@login_required
@writes.change(refused=_refused)
def set_language(uow: writes.UnitOfWork):
    """Dutch or English for this person's pages (pupils' cards follow the school)."""
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        raise DomainError(N_("Kies Nederlands of English."), "language")
    current_user.language = language
    uow.audit(audit.CHANGE, "taal gekozen", user_id=current_user.id)
    refresh()  # the message below is already in the chosen language
    flash(gettext("Je pagina's zijn nu in het Nederlands."), "info")
    return redirect(url_for("account.page"))
