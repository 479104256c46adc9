"""Step 5: meeting mode. Pupils sit beside the tablet: no role and no note from the talk here."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from steungroep import domain
from steungroep.cases.state import (
    current_members,
    last_held_cycle,
    member_by_id,
    member_names,
)
from steungroep.core.htmx import is_fragment_request
from steungroep.domain import guide
from steungroep.meeting import use_cases
from steungroep.models import (
    Case,
    Cycle,
)
from steungroep.web import writes
from steungroep.web.pages import (
    get_case_with_round,
    parse_int,
    round_or_404,
    stale_form,
)

bp = Blueprint("meeting", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _require_login():
    """Staff only."""


def _phases(case: Case) -> list[dict]:
    name = case.pupil.first_name
    cycle = case.group.current_cycle
    return [
        {
            "title": phase.title.format(pupil=name),
            "minutes": phase.minutes,
            "say": [s.format(pupil=name) for s in phase.say],
            "tips": [t.format(pupil=name) for t in phase.tips],
        }
        for phase in guide.meeting_phases(cycle.number)
    ]


def _cards(case: Case, cycle: Cycle, typed: dict[int, str] | None = None) -> list[dict]:
    """One card per member: first name, this round's action, last round's action."""
    typed = typed or {}
    actions = {a.member_id: a for a in cycle.actions}
    previous_cycle = next((c for c in case.group.cycles if c.number == cycle.number - 1), None)
    previous = {a.member_id: a.text for a in previous_cycle.actions} if previous_cycle else {}
    cards = []
    members = current_members(case.group)
    names = member_names(members)
    for member in members:
        action = actions.get(member.id)
        cards.append(
            {
                "member": member,
                "name": names[member.id],
                "action": action,
                "text": typed.get(member.id, action.text if action else ""),
                "previous": previous.get(member.id, ""),
            }
        )
    return cards


def _context(case: Case, typed=None, **extra) -> dict:
    cycle = case.group.current_cycle
    cards = _cards(case, cycle, typed)
    done = sum(1 for c in cards if c["action"])
    return {
        "case": case,
        "cycle": cycle,
        "cards": cards,
        "done": done,
        "total": len(cards),
        "phases": _phases(case),
        "minutes": domain.meeting_minutes(cycle.number),
        "letter": case.talk.letter if case.talk else "",
        "examples": [e.format(pupil=case.pupil.first_name)
                     for e in guide.action_examples(case.school.kind)],
        **extra,
    }


@bp.get("/zaken/<int:case_id>/bijeenkomst")
def meeting_page(case_id: int):
    """Full-screen meeting: the script, a timer, the letter, one action card per member."""
    case = get_case_with_round(case_id)
    cycle = case.group.current_cycle
    if cycle.meeting_completed_at and not case.is_closed:
        return redirect(url_for("meeting.meeting_done", case_id=case.id))
    if case.is_closed:
        return redirect(url_for("cases.case_page", case_id=case.id))
    return render_template("meeting/meeting.html", **_context(case))


@bp.get("/zaken/<int:case_id>/bijeenkomst/klaar")
def meeting_done(case_id: int):
    """After Afronden, still in front of the group: thanks and the next talks, nothing else."""
    case = get_case_with_round(case_id)
    cycle = last_held_cycle(case.group)
    if cycle is None:
        return redirect(url_for("meeting.meeting_page", case_id=case.id))
    return render_template("meeting/done.html", case=case, cycle=cycle)


def _typed(case: Case, prefix: str = "action") -> dict[int, str]:
    """What every card on the screen holds, as the finish form sends it (``base-…``: what
    the screen last saw stored)."""
    return {
        m.id: request.form[f"{prefix}-{m.id}"]
        for m in current_members(case.group)
        if f"{prefix}-{m.id}" in request.form
        and (prefix == "base" or request.form[f"{prefix}-{m.id}"].strip())
    }


def _member_text(case: Case, member) -> str:
    text = request.form.get("text", "")
    if request.form.get("keep"):
        text = use_cases.previous_action_text(case, member) or text
    return text


def _wants_json() -> bool:
    """The meeting screen's own script asks for JSON; a plain form gets a page."""
    return request.accept_mimetypes.best == "application/json"


def _action_refused(error: domain.DomainError, case_id: int, member_id: int):
    case = get_case_with_round(case_id)
    member = member_by_id(case, member_id)
    existing = next(
        (a for a in case.group.current_cycle.actions if a.member_id == member_id), None
    )
    if _wants_json():
        conflict = isinstance(error, domain.EditConflict)
        return jsonify(
            state="conflict" if conflict else "refused",
            message=error.message,
            stored=existing.text if existing else "",
        ), 409 if conflict else 422
    if is_fragment_request():
        return render_template(
            "meeting/partials/action_status.html", member=member, action=existing,
            error=error, **_context(case),
        ), 422
    return render_template(
        "meeting/meeting.html", error=error, error_member=member_id,
        **_context(case, typed={member_id: _member_text(case, member)}),
    ), 422


@bp.post("/zaken/<int:case_id>/bijeenkomst/acties/<int:member_id>")
@writes.case_change(refused=_action_refused)
def action_save(case: Case, member_id: int):
    """Save one member's action the moment it is typed (htmx) or with the save button."""
    round_or_404(case)
    member = member_by_id(case, member_id)
    if member is None:
        abort(404)
    action = use_cases.save_action(
        case, current_user, member, _member_text(case, member),
        parse_int(request.form.get("action_id")), request.form.get("base"),
    )
    if _wants_json():
        return jsonify(state="saved", stored=action.text)
    if is_fragment_request():
        return render_template(
            "meeting/partials/action_status.html", member=member, action=action, error=None,
            **_context(case),
        )
    return redirect(url_for("meeting.meeting_page", case_id=case.id) + f"#lid-{member.id}")


def _complete_refused(error: domain.DomainError, case_id: int):
    case = get_case_with_round(case_id)
    return render_template(
        "meeting/meeting.html", error=error, **_context(case, typed=_typed(case))
    ), 422


@bp.post("/zaken/<int:case_id>/bijeenkomst/afronden")
@writes.case_change(refused=_complete_refused)
def meeting_complete(case: Case):
    """Complete the meeting: every member has one action; plan the two evaluations."""
    round_or_404(case)
    # A double tap on Afronden: pupils are still there, so not the staff case page.
    if (done := stale_form(case, url_for("meeting.meeting_done", case_id=case.id))) is not None:
        return done
    minutes = parse_int(request.form.get("minutes"))
    # The finish form carries what is in every card, so a last edit still racing its
    # autosave (or typed without JavaScript) is stored before the meeting closes.
    use_cases.complete_meeting(case, current_user, minutes, _typed(case), _typed(case, "base"))
    return redirect(url_for("meeting.meeting_done", case_id=case.id))
