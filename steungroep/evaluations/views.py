"""Steps 6 to 8: the evaluations after one and two weeks, and the decision."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from steungroep import domain
from steungroep.cases.state import (
    current_members,
    had_group_before,
    next_step,
)
from steungroep.core.timeutil import school_today
from steungroep.domain import guide
from steungroep.evaluations import use_cases
from steungroep.models import (
    EVAL_GROUP,
    EVAL_GROUP_AGAIN,
    EVAL_PUPIL,
    Case,
)
from steungroep.web import writes
from steungroep.web.pages import (
    form_error,
    get_case,
    parse_date,
    parse_int,
    reader_date,
    stale_form,
)

bp = Blueprint("evaluations", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages, and its decisions for every page that names one."""
    app.register_blueprint(bp)
    app.jinja_env.globals["decisions"] = use_cases.DECISIONS


@bp.before_request
@login_required
def _require_login():
    """Every page here is for logged-in staff."""


def _current_evaluation(case: Case, kind: str):
    """The current round and its evaluation of `kind` (either may be None); for the group,
    the one at stake (the last one a week after the first, once there is one)."""
    cycle = case.group.current_cycle if case.group else None
    if cycle is None:
        return None, None
    return cycle, cycle.group_evaluation if kind == EVAL_GROUP else cycle.evaluation(kind)


@bp.get("/zaken/<int:case_id>/evaluatie-leerling")
def pupil_evaluation_form(case_id: int):
    """The talk with the pupil one week after the meeting."""
    case = get_case(case_id)
    cycle, evaluation = _current_evaluation(case, EVAL_PUPIL)
    if case.is_closed or evaluation is None or evaluation.held_on:
        return redirect(url_for("cases.case_page", case_id=case.id))
    form = {"held_on": school_today().isoformat()}
    return render_template(
        "evaluations/pupil_evaluation.html", case=case, cycle=cycle, evaluation=evaluation,
        form=form,
        guide=guide,
    )


def _pupil_evaluation_refused(error: domain.DomainError, case_id: int):
    case = get_case(case_id)
    cycle, evaluation = _current_evaluation(case, EVAL_PUPIL)
    return form_error(
        "evaluations/pupil_evaluation.html", error, case=case, cycle=cycle,
        evaluation=evaluation, guide=guide,
    )


@bp.post("/zaken/<int:case_id>/evaluatie-leerling")
@writes.case_change(refused=_pupil_evaluation_refused)
def pupil_evaluation_save(case: Case):
    """Store the pupil evaluation (only after the meeting it follows)."""
    if (done := stale_form(case)) is not None:
        return done
    data = use_cases.PupilEvaluationInput(
        held_on=parse_date("held_on"),
        wellbeing=parse_int(request.form.get("wellbeing")),
        changed=request.form.get("changed", ""),
        still_needed=request.form.get("still_needed", ""),
        improved=request.form.get("improved", ""),
        notes=request.form.get("notes", ""),
        same_day=request.form.get("same_day") == "1",
    )
    use_cases.record_pupil_evaluation(case, current_user, data)
    flash(_("De evaluatie met de leerling is vastgelegd."), "info")
    return redirect(url_for("cases.case_page", case_id=case.id))


def _group_evaluation_rows(case: Case, cycle, form) -> list[dict]:
    """Members in the planned order, with their action of this round and what was entered."""
    actions = {a.member_id: a.text for a in cycle.actions} if cycle else {}
    rows = []
    for index, member in enumerate(current_members(case.group), start=1):
        rows.append(
            {
                "member": member,
                "action": actions.get(member.id, ""),
                "position": form.get(f"position-{member.id}", str(index)),
                "done": form.get(f"done-{member.id}", ""),
                "observation": form.get(f"observation-{member.id}", ""),
            }
        )
    rows.sort(key=lambda r: (parse_int(r["position"]) or 99, r["member"].id))
    return rows


@bp.get("/zaken/<int:case_id>/evaluatie-groep")
def group_evaluation_form(case_id: int):
    """The group evaluation after two weeks: member by member, in a planned order."""
    case = get_case(case_id)
    cycle, evaluation = _current_evaluation(case, EVAL_GROUP)
    if case.is_closed or evaluation is None or evaluation.held_on:
        return redirect(url_for("cases.case_page", case_id=case.id))
    form = {"held_on": school_today().isoformat()}
    return render_template(
        "evaluations/group_evaluation.html", form=form,
        rows=_group_evaluation_rows(case, cycle, {}), **_group_context(case, cycle, evaluation))


def _group_context(case: Case, cycle, evaluation) -> dict:
    """The group evaluation's page: which one it is (the first, or the last a week later)."""
    kind = evaluation.kind if evaluation is not None else EVAL_GROUP
    return {"case": case, "cycle": cycle, "evaluation": evaluation, "kind": kind,
            "last": kind == EVAL_GROUP_AGAIN, "guide": guide}


def _group_evaluation_refused(error: domain.DomainError, case_id: int):
    case = get_case(case_id)
    cycle, evaluation = _current_evaluation(case, EVAL_GROUP)
    return form_error(
        "evaluations/group_evaluation.html", error,
        rows=_group_evaluation_rows(case, cycle, request.form),
        **_group_context(case, cycle, evaluation))


@bp.post("/zaken/<int:case_id>/evaluatie-groep")
@writes.case_change(refused=_group_evaluation_refused)
def group_evaluation_save(case: Case):
    """Store the group evaluation with a result per member."""
    if (done := stale_form(case)) is not None:
        return done
    results = []
    for member in current_members(case.group):
        done = request.form.get(f"done-{member.id}", "")
        if done:
            results.append(
                use_cases.MemberResultInput(
                    member_id=member.id,
                    position=parse_int(request.form.get(f"position-{member.id}")) or 99,
                    done=done,
                    observation=request.form.get(f"observation-{member.id}", ""),
                )
            )
    use_cases.record_group_evaluation(
        case, current_user, parse_date("held_on"), results, request.form.get("notes", ""),
        same_day=request.form.get("same_day") == "1",
    )
    flash(_("De evaluatie met de groep is vastgelegd. Neem nu een besluit."), "info")
    return redirect(url_for("evaluations.decision_form", case_id=case.id))


def _decision_context(case: Case) -> dict:
    cycle = case.group.current_cycle if case.group else None
    pupil_eval = cycle.evaluation(EVAL_PUPIL) if cycle else None
    group_eval = cycle.group_evaluation if cycle else None
    return {
        "case": case,
        "cycle": cycle,
        "pupil_eval": pupil_eval,
        "group_eval": group_eval,
        "after_last": group_eval is not None and group_eval.kind == EVAL_GROUP_AGAIN,
        "can_repeat": bool(cycle and domain.can_start_next_cycle(cycle.number)),
        "can_again": use_cases.can_evaluate_again(case, cycle),
        "again": (use_cases.AGAIN, use_cases.AGAIN_LABEL),
        "decisions": use_cases.DECISIONS,
        "guide": guide,
        "had_group_before": had_group_before(case),
    }


@bp.get("/zaken/<int:case_id>/besluit")
def decision_form(case_id: int):
    """Close, another round (at most 5), or the school's stappenplan."""
    case = get_case(case_id)
    if next_step(case).code != "besluit":
        return redirect(url_for("cases.case_page", case_id=case.id))
    return render_template("evaluations/decision.html", form={}, **_decision_context(case))


def _decision_refused(error: domain.DomainError, case_id: int):
    return form_error("evaluations/decision.html", error, **_decision_context(get_case(case_id)))


@bp.post("/zaken/<int:case_id>/besluit")
@writes.case_change(refused=_decision_refused)
def decision_save(case: Case):
    """Store the decision; a 6th round is refused here whatever the form says."""
    if (done := stale_form(case)) is not None:
        return done
    decision = request.form.get("decision", "")
    new_cycle = use_cases.decide(case, current_user, decision, request.form.get("reason", ""))
    if decision == use_cases.AGAIN:
        again = case.group.current_cycle.group_evaluation
        flash(_("Over een week, op %(date)s, spreek je de groep nog één keer. Daarna neem je "
                "het besluit.", date=reader_date(again.due_on)), "info")
        return redirect(url_for("cases.case_page", case_id=case.id))
    if new_cycle is not None:
        flash(
            _("Ronde %(number)s is begonnen. Pas de groep zo nodig aan en plan de "
              "bijeenkomst.", number=new_cycle.number),
            "info",
        )
        return redirect(url_for("group.group_page", case_id=case.id))
    if case.escalated_at is not None:
        flash(_("De steungroep is gestopt. De aanpak gaat verder met het stappenplan van de "
                "school."), "info")
        return redirect(url_for("cases.case_page", case_id=case.id) + "#stappenplan")
    flash(_("De steungroep is afgesloten."), "info")
    return redirect(url_for("cases.case_page", case_id=case.id))
