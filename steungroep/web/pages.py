"""What every view needs: access to a case, form parsing, and the domain-error response."""

from __future__ import annotations

from datetime import date, datetime

from flask import (
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, gettext
from flask_login import current_user
from sqlalchemy import select

from steungroep import domain
from steungroep.cases.state import case_load_options, snapshot
from steungroep.core.extensions import db
from steungroep.core.security import keyed_digest
from steungroep.core.timeutil import local, school_today
from steungroep.domain.i18n import N_
from steungroep.models import Case, User

ALREADY_DONE = N_("Dit was al vastgelegd. Hieronder zie je hoe het er nu voor staat.")


def visible_cases(user: User):
    """The cases this user may see: a teacher their own, a coordinator their schools'."""
    query = select(Case).where(Case.school_id.in_(user.school_ids or {-1}))
    if not user.sees_school_cases:
        query = query.where(Case.teacher_id == user.id)
    return query


def coordinators_only() -> None:
    """For a blueprint's before_request: coordinators only (others get 404, no hint)."""
    if not current_user.sees_school_cases:
        abort(404)


def get_case(case_id: int, *, fresh: bool = False) -> Case:
    """The case if the current user may see it, else 404 (never 403: no hint it exists).
    ``fresh`` reads every row again (under the write path's lock), whatever was loaded."""
    query = visible_cases(current_user).where(Case.id == case_id).options(*case_load_options())
    if fresh:
        query = query.execution_options(populate_existing=True)
    case = db.session.scalar(query)
    if case is None:
        abort(404)
    if case.purged_at is not None:
        abort(410, description=gettext(
            "Deze aanpak is geanonimiseerd: de persoonsgegevens zijn verwijderd. Datums en "
            "uitkomst tellen nog mee in de cijfers."))
    g.audit_case = case  # the audit trail records this read or change after a success
    return case


def round_or_404(case: Case) -> Case:
    """404 for a case without a group round (no meeting to hold or show)."""
    if case.group is None or case.group.current_cycle is None:
        abort(404)
    return case


def get_case_with_round(case_id: int) -> Case:
    """The case, for the meeting and the Kaarten screens: 404 without a group round."""
    return round_or_404(get_case(case_id))


def step_key(case: Case) -> str:
    """Where a case stands, as a short key a form carries ('bijeenkomst:2')."""
    snap = snapshot(case)
    return f"{domain.next_step(snap).code}:{snap.cycle_number}"


def stale_form(case: Case, target: str | None = None):
    """A form rendered for a step the case has already passed (a double tap, an old tab):
    show the case (or `target`) instead of an error. Returns a redirect, or None."""
    expected = request.form.get("expected")
    if expected and expected != step_key(case):
        if target is None:
            flash(gettext(ALREADY_DONE), "info")
        return redirect(target or url_for("cases.case_page", case_id=case.id))
    return None


def parse_date(name: str) -> date | None:
    """A yyyy-mm-dd date field, or None when empty or malformed."""
    value = request.form.get(name, "").strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def form_error(template: str, error: domain.DomainError, **context):
    """Re-render a form with the domain's message, status 422; nothing was stored."""
    context.setdefault("form", request.form)
    return render_template(template, error=error, **context), 422


def on_case_page(error: domain.DomainError, case_id: int, anchor: str = ""):
    """A refusal the form's own page cannot show (a button on the case page, an old tab
    whose form is gone): the message flashed on the case page."""
    flash(error.message, "error")
    return redirect(url_for("cases.case_page", case_id=case_id) + anchor)


def refused_on_case_page(anchor: str = ""):
    """``refused=`` for the write path: every refusal of this view goes to the case page."""
    def refused(error: domain.DomainError, case_id: int, **_ids):
        return on_case_page(error, case_id, anchor)
    return refused


def reader_date(value: date | None, style: str = "EEEE d MMMM") -> str:
    """A day in the reader's language ('maandag 4 januari' / 'Monday 4 January'): the
    template filter ``datum``. ``domain.calendar.dutch_date`` is always Dutch."""
    return format_date(value, style) if value else ""


def dutch_iso(value: str | None) -> str:
    """An ISO date ('2026-11-25') or moment ('2026-11-25T11:45:25+00:00'), as written in the
    JSON copy, in Dutch for the printed page: '25 november 2026' (', 12:45' for a moment)."""
    if not value:
        return ""
    if "T" in value:
        moment = local(datetime.fromisoformat(value))
        return f"{format_date(moment.date(), 'd MMMM yyyy')}, {moment:%H:%M}"
    return format_date(date.fromisoformat(value), "d MMMM yyyy")


def erased_label() -> str:
    """How staff pages name a pupil whose data was erased."""
    return gettext("(gewist)")


def draft_scope() -> str:
    """A name for this login on this browser (not the session key itself): what the tablet
    keeps of unsent text is stored under it, so it belongs to one person and one login."""
    key = session.get("sid")
    return keyed_digest("drafts", key, 20) if key else ""


def settings_anchor(school_id: int) -> str:
    """The settings page at one school's section (where a settings form sends you back)."""
    return url_for("settings.settings", school=school_id) + f"#school-{school_id}"


def init_app(app: Flask) -> None:
    """Template filters and the names every page may use."""
    app.jinja_env.filters["datum"] = reader_date
    app.jinja_env.filters["voornaam"] = lambda pupil: pupil.first_name if pupil else erased_label()
    app.jinja_env.filters["naam"] = lambda pupil: pupil.display_name if pupil else erased_label()
    app.jinja_env.filters["isodatum"] = dutch_iso
    app.jinja_env.filters["party_label"] = domain.functions.party_label
    app.jinja_env.filters["function_key"] = domain.functions.function_key
    app.jinja_env.filters["function_label"] = domain.functions.function_label
    app.jinja_env.filters["tijd"] = lambda value: local(value).strftime("%d-%m-%Y %H:%M")
    @app.context_processor
    def _defaults() -> dict:
        """Names every page may test; a view's own context overrides them."""
        return {"error": None, "error_member": None, "lock_page": False}

    app.jinja_env.globals.update(
        domain=domain,
        today=school_today,
        step_key=step_key,
        idle_minutes=lambda: app.config["IDLE_LOCK_MINUTES"],
        draft_scope=draft_scope,
    )
