"""The letter for parents: compose it for one pupil and moment, edit it, keep and print it."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from steungroep import domain
from steungroep.contacts import parent_letters
from steungroep.contacts.use_cases import case_pupils
from steungroep.domain import parent_letter as rules
from steungroep.models import Case
from steungroep.web import writes
from steungroep.web.pages import get_case, parse_int

bp = Blueprint("parent_letters", __name__, template_folder="templates")


@bp.before_request
@login_required
def _require_login():
    """Staff only."""


def _form_page(case: Case, form: dict, error=None, status: int = 200):
    return render_template("contacts/parent_letter_form.html", case=case, form=form,
                           error=error, pupils=case_pupils(case),
                           moments=rules.MOMENTS), status


@bp.get("/zaken/<int:case_id>/brief-ouders")
def letter_form(case_id: int):
    """Choose the pupil and the moment; the letter is then composed to edit."""
    case = get_case(case_id)
    args = request.args
    form = {"pupil_id": args.get("leerling", ""), "moment": args.get("moment", ""),
            "contact": args.get("contactpersoon", "")[:120] or case.teacher.name,
            "submission_key": secrets.token_hex(16)}
    if form["pupil_id"] or form["moment"]:
        try:
            form["text"] = parent_letters.draft(case, parse_int(form["pupil_id"]),
                                                form["moment"], form["contact"])
        except domain.DomainError as error:
            return _form_page(case, form, error, 422)
    return _form_page(case, form)


def _refused(error, case_id: int):
    return _form_page(get_case(case_id), dict(request.form.items()), error, 422)


@bp.post("/zaken/<int:case_id>/brief-ouders")
@writes.case_change(refused=_refused)
def letter_give(case: Case):
    form = request.form
    talk = parent_letters.give_letter(case, current_user, parent_letters.LetterInput(
        pupil_id=parse_int(form.get("pupil_id")), moment=form.get("moment", ""),
        contact=form.get("contact", ""), text=form.get("text", ""),
        submission_key=form.get("submission_key", "")[:64] or None))
    return redirect(url_for("parent_letters.letter_print", case_id=case.id, talk_id=talk.id))


@bp.get("/zaken/<int:case_id>/brief-ouders/<int:talk_id>")
def letter_print(case_id: int, talk_id: int):
    """The letter as kept, to print or save as PDF."""
    case = get_case(case_id)
    talk = next((t for t in case.talks if t.id == talk_id and t.kind == parent_letters.KIND),
                None)
    if talk is None:
        abort(404)
    return render_template("contacts/parent_letter.html", case=case, talk=talk)
