"""Practising with made-up pupils: the list of one's practice cases, starting one, and
throwing one away when the practice is over."""

from __future__ import annotations

import secrets

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from steungroep.cases import home as home_rows
from steungroep.cases.page import step_url
from steungroep.core.timeutil import school_today
from steungroep.domain import practice as rules
from steungroep.practice import use_cases
from steungroep.web import writes
from steungroep.web.pages import form_error, get_case, parse_int

bp = Blueprint("practice", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(use_cases.removed_on, "practice_removed_on")


@bp.before_request
@login_required
def _require_login():
    """Staff only."""


def _schools() -> list:
    return sorted(current_user.schools, key=lambda school: school.name)


@bp.get("/oefenen")
def index():
    """One's practice cases, and a button to start one."""
    return render_template("practice/index.html", form={"submission_key": secrets.token_hex(16)},
                           **_context())


def _context() -> dict:
    return {"rows": home_rows.own_practice(current_user, school_today()),
            "schools": _schools(), "step_url": step_url, "days": rules.DAYS}


def _refused(error):
    form = {**request.form.to_dict(),
            "submission_key": request.form.get("submission_key") or secrets.token_hex(16)}
    return form_error("practice/index.html", error, form=form, **_context())


@bp.post("/oefenen")
@writes.change(refused=_refused)
def start(uow: writes.UnitOfWork):
    """Start a practice case; a double tap lands on the same one."""
    school_id = parse_int(request.form.get("school_id"))
    key = request.form.get("submission_key", "")[:64] or None
    uow.lock_key(f"oefenen:{school_id}")
    case = uow.case = use_cases.start(current_user, school_id, key)
    flash(_("Je oefenaanpak met verzonnen leerlingen staat klaar. Volgende stap: het gesprek "
            "met de leerling."), "info")
    return redirect(url_for("talk.talk_form", case_id=case.id))


@bp.post("/oefenen/<int:case_id>/weggooien")
@writes.change()
def remove(uow: writes.UnitOfWork, case_id: int):
    """Throw a practice case away, with its made-up class."""
    uow.lock_cases([case_id])
    use_cases.remove(uow, get_case(case_id, fresh=True), current_user)
    flash(_("De oefenaanpak is weggegooid, met de verzonnen leerlingen."), "info")
    return redirect(url_for("practice.index"))
