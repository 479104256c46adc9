"""The teacher's cases: home, melding and triage, the talk, evaluations, decision, case page."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import domain, reminders, workflow
from ..domain import guide
from ..extensions import db
from ..models import EVAL_GROUP, EVAL_PUPIL, Case, SchoolClass
from ..timeutil import school_today
from .common import form_error, get_case, parse_date, parse_int, stale_form, visible_cases

bp = Blueprint("cases", __name__)


@bp.before_request
@login_required
def _require_login():
    """Every page here is for logged-in staff."""


def _step_url(case: Case, step: domain.Step) -> str:
    """Where the big 'next step' button of a case leads."""
    endpoints = {
        "gesprek": "cases.talk_form",
        "groep": "group.group_page",
        "bijeenkomst": "meeting.meeting_page",
        "evaluatie_leerling": "cases.pupil_evaluation_form",
        "evaluatie_groep": "cases.group_evaluation_form",
        "besluit": "cases.decision_form",
    }
    endpoint = endpoints.get(step.code, "cases.case_page")
    return url_for(endpoint, case_id=case.id)


@bp.get("/")
def home():
    """My open cases, each with its next step as one big button."""
    cases = db.session.scalars(
        visible_cases(current_user)
        .where(Case.closed_at.is_(None))
        .options(*workflow.case_load_options())
        .order_by(Case.reported_on, Case.id)
    ).all()
    today = school_today()
    rows = []
    for case in cases:
        step = workflow.next_step(case)
        rows.append(
            {
                "case": case,
                "step": step,
                "url": _step_url(case, step),
                "overdue": domain.is_overdue(step, today),
            }
        )
    rows.sort(key=lambda r: (r["step"].due is None, r["step"].due or today, r["case"].id))
    notices = reminders.open_notices(current_user)
    return render_template("cases/home.html", rows=rows, notices=notices)


def _pupil_choices():
    """The pupils of the user's schools, grouped by class, for the melding form."""
    classes = db.session.scalars(
        select(SchoolClass)
        .where(SchoolClass.school_id.in_(current_user.school_ids or {-1}))
        .options(selectinload(SchoolClass.pupils))
        .order_by(SchoolClass.name)
    ).all()
    return [(c, sorted(c.pupils, key=lambda p: p.display_name)) for c in classes if c.pupils]


@bp.get("/meldingen/nieuw")
def melding_form():
    """A new melding with triage."""
    form = {"reported_on": school_today().isoformat(), "submission_key": secrets.token_hex(16)}
    return render_template("cases/melding.html", form=form, classes=_pupil_choices())


@bp.post("/meldingen/nieuw")
def melding_create():
    """Store the melding; a double submit lands on the same case."""
    data = workflow.MeldingInput(
        pupil_id=parse_int(request.form.get("pupil_id")),
        reported_on=parse_date("reported_on"),
        source=request.form.get("source", ""),
        forms=request.form.getlist("forms"),
        description=request.form.get("description", ""),
        triage=request.form.get("triage", ""),
        triage_note=request.form.get("triage_note", ""),
        submission_key=request.form.get("submission_key", "")[:64] or None,
    )
    try:
        case = workflow.create_case(current_user, data)
        db.session.commit()
    except domain.DomainError as error:
        return form_error("cases/melding.html", error, classes=_pupil_choices())
    g.audit_case = case
    if case.is_closed:
        flash("De melding is vastgelegd en afgesloten zonder steungroep.", "info")
        return redirect(url_for("cases.case_page", case_id=case.id))
    flash("De melding is vastgelegd. Volgende stap: het gesprek met de leerling.", "info")
    return redirect(url_for("cases.talk_form", case_id=case.id))


@bp.get("/zaken/<int:case_id>")
def case_page(case_id: int):
    """The case: where it stands, the next step, and the timeline."""
    case = get_case(case_id)
    return render_template(
        "cases/case.html", form={"informed_on": school_today().isoformat()}, **case_context(case)
    )


def case_context(case: Case) -> dict:
    """What the case page shows, for the page itself and for forms on it that come back
    with an error."""
    step = workflow.next_step(case)
    return {
        "case": case,
        "step": step,
        "step_url": _step_url(case, step),
        "overdue": domain.is_overdue(step, school_today()),
        "members": workflow.current_members(case.group),
        "cards_ready": workflow.last_held_cycle(case.group) is not None,
        "move_kind": None,
        "move_error": None,
        "plan_error": None,
    }


@bp.post("/zaken/<int:case_id>/geinformeerd")
def informed_create(case_id: int):
    """Record that the director, IB, SMW or parents were informed."""
    case = get_case(case_id)
    try:
        workflow.record_informed(
            case,
            current_user,
            request.form.get("party", ""),
            parse_date("informed_on"),
            request.form.get("note", ""),
        )
        db.session.commit()
    except domain.DomainError as error:
        return form_error("cases/case.html", error, **case_context(case))
    flash("Vastgelegd.", "info")
    return redirect(url_for("cases.case_page", case_id=case.id) + "#geinformeerd")


# ---- step 3: the talk with the pupil -----------------------------------------------------


@bp.get("/zaken/<int:case_id>/gesprek")
def talk_form(case_id: int):
    """The talk with the pupil: the guide's questions, consent, letter, task, follow-up."""
    case = get_case(case_id)
    if case.talk is not None or case.is_closed:
        return redirect(url_for("cases.case_page", case_id=case.id))
    form = {"held_on": school_today().isoformat(), "pupil_task": guide.TALK_PUPIL_TASK_EXAMPLE}
    return render_template("cases/talk.html", case=case, form=form, guide=guide)


@bp.post("/zaken/<int:case_id>/gesprek")
def talk_create(case_id: int):
    """Store the talk; consent leads on to the group, no consent closes the case."""
    case = get_case(case_id)
    if (done := stale_form(case)) is not None:
        return done
    consent = {"ja": True, "nee": False}.get(request.form.get("consent", ""))
    data = workflow.TalkInput(
        held_on=parse_date("held_on"),
        consent=consent,
        letter=request.form.get("letter", ""),
        confidential=request.form.get("confidential", ""),
        pupil_task=request.form.get("pupil_task", ""),
        follow_up_on=parse_date("follow_up_on"),
        notes=request.form.get("notes", ""),
    )
    try:
        workflow.record_talk(case, current_user, data)
        db.session.commit()
    except domain.DomainError as error:
        return form_error("cases/talk.html", error, case=case, guide=guide)
    if not consent:
        flash("Vastgelegd: geen steungroep. De melding is afgesloten.", "info")
        return redirect(url_for("cases.case_page", case_id=case.id))
    return redirect(url_for("group.group_page", case_id=case.id))


# ---- invitations -------------------------------------------------------------------------


@bp.get("/zaken/<int:case_id>/uitnodigingen")
def invitations(case_id: int):
    """A printable sheet with a personal invitation slip per member (does not say why)."""
    case = get_case(case_id)
    members = workflow.current_members(case.group)
    if not members:
        abort(404)
    when = request.args.get("wanneer", "")[:80]
    where = request.args.get("waar", "")[:80]
    slips = [
        guide.INVITATION_TEXT.format(
            name=m.pupil.first_name,
            teacher=case.teacher.name,
            when=when or "…………………………",
            where=where or "…………………………",
        )
        for m in members
    ]
    return render_template(
        "cases/invitations.html", case=case, slips=slips, when=when, where=where
    )


# ---- steps 6 and 7: evaluations ------------------------------------------------------------


def _current_evaluation(case: Case, kind: str):
    """The current round and its evaluation of `kind` (either may be None)."""
    cycle = case.group.current_cycle if case.group else None
    evaluation = cycle.evaluation(kind) if cycle else None
    return cycle, evaluation


@bp.get("/zaken/<int:case_id>/evaluatie-leerling")
def pupil_evaluation_form(case_id: int):
    """The talk with the pupil one week after the meeting."""
    case = get_case(case_id)
    cycle, evaluation = _current_evaluation(case, EVAL_PUPIL)
    if case.is_closed or evaluation is None or evaluation.held_on:
        return redirect(url_for("cases.case_page", case_id=case.id))
    form = {"held_on": school_today().isoformat()}
    return render_template(
        "cases/pupil_evaluation.html", case=case, cycle=cycle, evaluation=evaluation, form=form,
        guide=guide,
    )


@bp.post("/zaken/<int:case_id>/evaluatie-leerling")
def pupil_evaluation_save(case_id: int):
    """Store the pupil evaluation (only after the meeting it follows)."""
    case = get_case(case_id)
    if (done := stale_form(case)) is not None:
        return done
    cycle, evaluation = _current_evaluation(case, EVAL_PUPIL)
    data = workflow.PupilEvaluationInput(
        held_on=parse_date("held_on"),
        wellbeing=parse_int(request.form.get("wellbeing")),
        changed=request.form.get("changed", ""),
        still_needed=request.form.get("still_needed", ""),
        improved=request.form.get("improved", ""),
        notes=request.form.get("notes", ""),
    )
    try:
        workflow.record_pupil_evaluation(case, current_user, data)
        db.session.commit()
    except domain.DomainError as error:
        return form_error(
            "cases/pupil_evaluation.html", error, case=case, cycle=cycle, evaluation=evaluation,
            guide=guide,
        )
    flash("De evaluatie met de leerling is vastgelegd.", "info")
    return redirect(url_for("cases.case_page", case_id=case.id))


def _group_evaluation_rows(case: Case, cycle, form) -> list[dict]:
    """Members in the planned order, with their action of this round and what was entered."""
    actions = {a.member_id: a.text for a in cycle.actions} if cycle else {}
    rows = []
    for index, member in enumerate(workflow.current_members(case.group), start=1):
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
        "cases/group_evaluation.html", case=case, cycle=cycle, evaluation=evaluation, form=form,
        rows=_group_evaluation_rows(case, cycle, {}), guide=guide,
    )


@bp.post("/zaken/<int:case_id>/evaluatie-groep")
def group_evaluation_save(case_id: int):
    """Store the group evaluation with a result per member."""
    case = get_case(case_id)
    if (done := stale_form(case)) is not None:
        return done
    cycle, evaluation = _current_evaluation(case, EVAL_GROUP)
    results = []
    for member in workflow.current_members(case.group):
        done = request.form.get(f"done-{member.id}", "")
        if done:
            results.append(
                workflow.MemberResultInput(
                    member_id=member.id,
                    position=parse_int(request.form.get(f"position-{member.id}")) or 99,
                    done=done,
                    observation=request.form.get(f"observation-{member.id}", ""),
                )
            )
    try:
        workflow.record_group_evaluation(
            case, current_user, parse_date("held_on"), results, request.form.get("notes", "")
        )
        db.session.commit()
    except domain.DomainError as error:
        return form_error(
            "cases/group_evaluation.html", error, case=case, cycle=cycle, evaluation=evaluation,
            rows=_group_evaluation_rows(case, cycle, request.form), guide=guide,
        )
    flash("De evaluatie met de groep is vastgelegd. Neem nu een besluit.", "info")
    return redirect(url_for("cases.decision_form", case_id=case.id))


# ---- step 8: decide --------------------------------------------------------------------------


def _decision_context(case: Case) -> dict:
    cycle = case.group.current_cycle if case.group else None
    pupil_eval = cycle.evaluation(EVAL_PUPIL) if cycle else None
    return {
        "case": case,
        "cycle": cycle,
        "pupil_eval": pupil_eval,
        "group_eval": cycle.evaluation(EVAL_GROUP) if cycle else None,
        "can_repeat": bool(cycle and domain.can_start_next_cycle(cycle.number)),
        "decisions": workflow.DECISIONS,
        "guide": guide,
        "had_group_before": workflow.had_group_before(case),
    }


@bp.get("/zaken/<int:case_id>/besluit")
def decision_form(case_id: int):
    """Close, another round (at most 5), or the school's stappenplan."""
    case = get_case(case_id)
    if workflow.next_step(case).code != "besluit":
        return redirect(url_for("cases.case_page", case_id=case.id))
    return render_template("cases/decision.html", form={}, **_decision_context(case))


@bp.post("/zaken/<int:case_id>/besluit")
def decision_save(case_id: int):
    """Store the decision; a 6th round is refused here whatever the form says."""
    case = get_case(case_id)
    if (done := stale_form(case)) is not None:
        return done
    decision = request.form.get("decision", "")
    try:
        new_cycle = workflow.decide(case, current_user, decision, request.form.get("reason", ""))
        db.session.commit()
    except domain.DomainError as error:
        return form_error("cases/decision.html", error, **_decision_context(case))
    if new_cycle is not None:
        flash(
            f"Ronde {new_cycle.number} is begonnen. Pas de groep zo nodig aan en plan de "
            "bijeenkomst.",
            "info",
        )
        return redirect(url_for("group.group_page", case_id=case.id))
    flash("De steungroep is afgesloten.", "info")
    return redirect(url_for("cases.case_page", case_id=case.id))
