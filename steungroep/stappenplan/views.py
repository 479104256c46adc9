"""The stappenplan of a case on the case page: a step done, a step planned, a step added,
and closing by the coordinator."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from steungroep import domain
from steungroep.cases.page import case_page_again
from steungroep.models import Case
from steungroep.stappenplan import use_cases
from steungroep.web import writes
from steungroep.web.pages import parse_date, parse_int, stale_form

bp = Blueprint("stappenplan", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _require_login():
    """Staff only."""


def _refused(error: domain.DomainError, case_id: int, **_ids):
    return case_page_again(error, case_id, "plan",
                           failed_step=parse_int(request.form.get("step_id")))


def _back(case: Case):
    return redirect(url_for("cases.case_page", case_id=case.id) + "#stappenplan")


@bp.post("/zaken/<int:case_id>/stappenplan/gezet")
@writes.case_change(refused=_refused)
def step_done(case: Case):
    step = use_cases.record_step(case, current_user, parse_int(request.form.get("step_id")),
                                 parse_date("done_on"), request.form.get("done_by", ""),
                                 request.form.get("step_note", ""))
    flash(_("Stap %(n)s is vastgelegd.", n=step.position), "info")
    return _back(case)


@bp.post("/zaken/<int:case_id>/stappenplan/gepland")
@writes.case_change(refused=_refused)
def step_plan(case: Case):
    step = use_cases.plan_step(case, current_user, parse_int(request.form.get("step_id")),
                               parse_date("planned_on"), request.form.get("owner", ""))
    if step.planned_on:
        flash(_("Stap %(n)s is gepland.", n=step.position), "info")
    elif step.owner:
        flash(_("Stap %(n)s is voor %(who)s.", n=step.position,
                who=domain.functions.function_label(step.owner)), "info")
    else:
        flash(_("Stap %(n)s is niet meer gepland.", n=step.position), "info")
    return _back(case)


@bp.post("/zaken/<int:case_id>/stappenplan/stap")
@writes.case_change(refused=_refused)
def step_add(case: Case):
    step = use_cases.add_step(case, current_user, request.form.get("title", ""))
    flash(_("Stap %(n)s is toegevoegd.", n=step.position), "info")
    return _back(case)


@bp.post("/zaken/<int:case_id>/stappenplan/afsluiten")
@writes.case_change(refused=_refused)
def plan_close(case: Case):
    """The coordinator closes the case when the plan is done."""
    if (done := stale_form(case)) is not None:
        return done
    use_cases.close_plan(case, current_user, request.form.get("close_reason", ""),
                         request.form.get("plan_outcome", ""))
    flash(_("Het stappenplan is afgerond en de aanpak is afgesloten."), "info")
    return redirect(url_for("cases.case_page", case_id=case.id))
