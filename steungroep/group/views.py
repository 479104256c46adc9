"""Step 4: choosing the steungroep together with the pupil (staff only: roles are shown here),
and the invitations."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from steungroep import domain
from steungroep.cases import pupils
from steungroep.cases.state import (
    candidates,
    current_members,
    had_group_before,
    member_by_id,
    member_names,
    triage_changeable,
)
from steungroep.core import htmx
from steungroep.core.extensions import db
from steungroep.core.htmx import is_fragment_request
from steungroep.core.i18n import pupil_language
from steungroep.domain import guide
from steungroep.domain.i18n import translate
from steungroep.group import use_cases
from steungroep.models import (
    Case,
    Pupil,
)
from steungroep.web import writes
from steungroep.web.pages import (
    get_case,
    parse_int,
)

bp = Blueprint("group", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


SEARCH_LIMIT = 20


@bp.before_request
@login_required
def _require_login():
    """Staff only."""


def _context(case: Case, **extra) -> dict:
    group = case.group
    members = current_members(group)
    chosen = {m.pupil_id for m in members}
    cands = candidates(members)
    ringleader, other = domain.group_balance(cands)
    classmates = db.session.scalars(
        select(Pupil)
        .where(Pupil.class_id == case.pupil.class_id, Pupil.id != case.pupil_id)
        .order_by(Pupil.first_name)
    ).all()
    cycle = group.current_cycle if group else None
    return {
        "case": case,
        "members": members,
        "chosen": chosen,
        "classmates": [p for p in classmates if p.id not in chosen],
        "count": len(members),
        "ringleader": ringleader,
        "other": other,
        "balance_warning": domain.balance_warning(cands) if cands else None,
        "had_group_before": had_group_before(case),
        "triage_changeable": triage_changeable(case),
        "cycle": cycle,
        "editable": _editable(case),
        "guide": guide,
        "results": [],
        "query": "",
        **extra,
    }


def _editable(case: Case) -> bool:
    try:
        use_cases.group_editable(case)
    except domain.DomainError:
        return False
    return True


def _render(case: Case, status: int = 200, **extra):
    """The whole page, or only the group panel for htmx."""
    return htmx.render(
        "group/group.html", "group/partials/panel.html", status, **_context(case, **extra)
    )


@bp.get("/zaken/<int:case_id>/groep")
def group_page(case_id: int):
    """Choose classmates, tag each with a role category; a live counter shows size and balance."""
    case = get_case(case_id)
    if case.group is None:
        return redirect(url_for("cases.case_page", case_id=case.id))
    return _render(case)


@bp.get("/zaken/<int:case_id>/groep/zoeken")
def pupil_search(case_id: int):
    """Type-ahead: pupils of the case's school by first name or class."""
    case = get_case(case_id)
    query = request.args.get("q", "").strip()[:40]
    results = []
    if query:
        results = pupils.search({case.school_id}, query, skip=case.pupil_id,
                                limit=SEARCH_LIMIT)[:SEARCH_LIMIT]
    chosen = {m.pupil_id for m in current_members(case.group)}
    results = [p for p in results if p.id not in chosen]
    if is_fragment_request():
        return render_template(
            "group/partials/results.html", case=case, results=results, query=query,
            editable=_editable(case),
        )
    return _render(case, results=results, query=query)


def _group_refused(error: domain.DomainError, case_id: int, **_ids):
    return _render(get_case(case_id), 422, error=error)


@bp.post("/zaken/<int:case_id>/groep/leden")
@writes.case_change(refused=_group_refused)
def member_add(case: Case):
    """Add one pupil with a role category."""
    member = use_cases.add_member(
        case, current_user, parse_int(request.form.get("pupil_id")), request.form.get("role", "")
    )
    if not is_fragment_request():
        flash(_("%(name)s staat in de groep.", name=member.pupil.first_name), "info")
        return redirect(url_for("group.group_page", case_id=case.id))
    return _render(case)


@bp.post("/zaken/<int:case_id>/groep/leden/<int:member_id>/weg")
@writes.case_change(refused=_group_refused)
def member_remove(case: Case, member_id: int):
    """Take a pupil out of the group (before the meeting of this round)."""
    member = member_by_id(case, member_id)
    if member is None:
        abort(404)
    use_cases.remove_member(case, current_user, member)
    if not is_fragment_request():
        return redirect(url_for("group.group_page", case_id=case.id))
    return _render(case)


@bp.post("/zaken/<int:case_id>/groep/bevestigen")
@writes.case_change(refused=_group_refused)
def group_confirm(case: Case):
    """Fix the group (6 to 8, both sides present) and go on to the invitations."""
    warnings = use_cases.confirm_group(case, current_user)
    for warning in warnings:
        flash(warning, "warning")
    flash(_("De steungroep staat. Nodig de leerlingen persoonlijk uit."), "info")
    return redirect(url_for("group.invitations", case_id=case.id))


@bp.get("/zaken/<int:case_id>/uitnodigingen")
def invitations(case_id: int):
    """A printable sheet with a personal invitation slip per member (does not say why)."""
    case = get_case(case_id)
    members = current_members(case.group)
    if not members:
        abort(404)
    pupil_language(case.school.language)  # the slips go to the pupils
    when = request.args.get("wanneer", "")[:80]
    where = request.args.get("waar", "")[:80]
    invitation = translate(guide.INVITATION_TEXT)
    names = member_names(members)
    slips = [
        invitation.format(
            name=names[m.id],
            teacher=case.teacher.name,
            when=when or "…………………………",
            where=where or "…………………………",
        )
        for m in members
    ]
    return render_template(
        "group/invitations.html", case=case, slips=slips, when=when, where=where
    )
