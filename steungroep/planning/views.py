"""Dates: reminders on the home page, moving an evaluation, planning the meeting, the school's
settings (its calendar among them: region and studiedagen), and each staff member's calendar
feed."""

from __future__ import annotations

from datetime import time, timedelta

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from steungroep import domain
from steungroep.cards import qr
from steungroep.cases.page import case_context
from steungroep.core import limits, mail
from steungroep.core.extensions import db
from steungroep.core.security import is_token, public_address
from steungroep.core.timeutil import school_today, utcnow
from steungroep.domain.i18n import N_
from steungroep.models import EVAL_GROUP, EVAL_PUPIL, DayOff, Notice, School, User, new_card_token
from steungroep.planning import feed, use_cases
from steungroep.web import audit, writes
from steungroep.web.pages import form_error, get_case, parse_date, parse_int, settings_anchor

bp = Blueprint("planning", __name__, template_folder="templates")
public = Blueprint("feed", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages, and the calendar feed (public: its address is the key)."""
    app.register_blueprint(bp)
    app.register_blueprint(public)


FEED_HEADERS = {"Cache-Control": "private, max-age=900", "Referrer-Policy": "no-referrer",
                "X-Robots-Tag": "noindex, nofollow"}


@bp.before_request
@login_required
def _require_login():
    """Every page here is for logged-in staff."""


# ---- reminders ----------------------------------------------------------------------------


@bp.post("/herinneringen/<int:notice_id>/gezien")
@writes.change()
def notice_seen(uow: writes.UnitOfWork, notice_id: int):
    """Gezien: the notice leaves the home page."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)
    if notice.seen_at is None:
        notice.seen_at = utcnow()
    return redirect(url_for("cases.home"))


# ---- moving an evaluation, planning the meeting ------------------------------------------


def _evaluation(case, kind: str):
    cycle = case.group.current_cycle if case.group else None
    evaluation = cycle.evaluation(kind) if cycle and kind in (EVAL_PUPIL, EVAL_GROUP) else None
    if evaluation is None:
        abort(404)
    return cycle, evaluation


def _move_refused(error: domain.DomainError, case_id: int, kind: str):
    case = get_case(case_id)
    cycle, evaluation = _evaluation(case, kind)
    if evaluation.held_on or cycle.decision or case.is_closed:
        # Nothing the teacher can fix in the form (an old tab): say so on the case page.
        flash(error.message, "error")
        return redirect(url_for("cases.case_page", case_id=case.id))
    context = case_context(case)
    context.update(move_kind=kind, move_error=error, form=request.form)
    return render_template("cases/case.html", **context), 422


@bp.post("/zaken/<int:case_id>/evaluaties/<kind>/verplaatsen")
@writes.case_change(refused=_move_refused)
def move_evaluation(case, kind: str):
    """Plan an evaluation on another school day, with a reason."""
    cycle, evaluation = _evaluation(case, kind)
    use_cases.move_evaluation(
        case, current_user, evaluation, parse_date("due_on"), request.form.get("reason", "")
    )
    flash(_("Verplaatst naar %(day)s. De herinnering komt die ochtend.",
            day=evaluation.due_on.strftime("%d-%m-%Y")), "info")
    return redirect(url_for("cases.case_page", case_id=case.id) + f"#ronde-{cycle.number}")


def _parse_time(name: str) -> tuple[time | None, bool]:
    """(time, ok): an empty field is no time; a malformed one is not ok."""
    value = request.form.get(name, "").strip()
    if not value:
        return None, True
    try:
        return time.fromisoformat(value), True
    except ValueError:
        return None, False


def _plan_refused(error: domain.DomainError, case_id: int):
    case = get_case(case_id)
    cycle = case.group.current_cycle if case.group else None
    if case.is_closed or cycle is None or cycle.meeting_on or not case.group.confirmed_at:
        # The form is not on the page in this state (an old tab): say it on the case page.
        flash(error.message, "error")
        return redirect(url_for("cases.case_page", case_id=case.id))
    context = case_context(case)
    context.update(plan_error=error, form=request.form)
    return render_template("cases/case.html", **context), 422


@bp.post("/zaken/<int:case_id>/bijeenkomst/plannen")
@writes.case_change(refused=_plan_refused)
def plan_meeting(case):
    """Put the group meeting in the diary."""
    at, ok = _parse_time("time")
    if not ok:
        raise domain.DomainError(N_("Vul de tijd in als uu:mm, bijvoorbeeld 10:30."), "time")
    use_cases.plan_meeting(case, current_user, parse_date("day"), at)
    flash(_("De bijeenkomst staat in de agenda."), "info")
    return redirect(url_for("cases.case_page", case_id=case.id))


# ---- settings: the school calendar --------------------------------------------------------


def _require_coordinator() -> None:
    if not current_user.manages_schools:
        abort(404)


def _my_school(school_id: int) -> School:
    _require_coordinator()
    if school_id not in current_user.school_ids:
        abort(404)
    return db.session.get(School, school_id)


def _upcoming_holidays(region: str) -> list[domain.Holiday]:
    today = school_today()
    table = domain.school_holidays()
    return [h for h in table.regions[region] if h.last >= today][:6]


def _stored_settings(school: School) -> dict:
    """What the settings form shows: the school's values as stored."""
    return {
        "region": school.region, "kind": school.kind, "language": school.language,
        "pupil_days": school.pupil_eval_days, "group_days": school.group_eval_days,
        "parties": school.inform_parties.split(","), "plan_steps": school.plan_steps,
        "retention_months": school.retention_months, "dossier_roles": school.dossier_roles,
    }


def _typed_settings() -> dict:
    """What the settings form shows after a refusal: everything as it was typed."""
    form = request.form
    names = ("region", "kind", "language", "pupil_days", "group_days", "plan_steps",
             "retention_months")
    return {**{name: form.get(name, "") for name in names}, "parties": form.getlist("party"),
            "dossier_roles": "1" in form.getlist("dossier_roles")}


def _settings_context(**extra) -> dict:
    """One school's settings at a time (a coordinator may serve fifty): the one asked for,
    the one a refused form was about, or the first. ``typed`` puts what was typed in that
    school's settings form (a refused save), ``error_form`` says which form was refused."""
    mine = sorted(current_user.schools, key=lambda s: s.name)
    wanted = extra.get("error_school") or parse_int(request.args.get("school"))
    schools = [s for s in mine if s.id == wanted][:1] or mine[:1]
    today = school_today()
    days_off: dict[int, list[DayOff]] = {school.id: [] for school in schools}
    for day_off in db.session.scalars(
        select(DayOff)
        .where(DayOff.school_id.in_(days_off or {-1}), DayOff.day >= today)
        .order_by(DayOff.day)
    ):
        days_off[day_off.school_id].append(day_off)
    public_url = public_address()
    table = domain.school_holidays()
    typed = extra.pop("typed", None)
    context = {
        "schools": [
            {
                "school": school,
                "fields": typed if typed and school.id == wanted else _stored_settings(school),
                "days_off": days_off[school.id],
                "holidays": _upcoming_holidays(school.region),
            }
            for school in schools
        ],
        "regions": domain.REGIONS,
        "holiday_source": table.source,
        "holidays_until": table.covers_until,
        "holidays_running_out": table.covers_until < today + timedelta(days=120),
        "public_url": public_url,
        "configured": bool(current_app.config.get("PUBLIC_URL")),
        "loopback": qr.is_loopback(public_url),
        "guess_limit": current_app.config["CARD_GUESS_LIMIT"],
        "limiter_storage": current_app.config["RATELIMIT_STORAGE_URI"].split("://")[0],
        "lock_minutes": f"{current_app.config['IDLE_LOCK_MINUTES']:g}",
        "mail_off": mail.disabled_reason(current_app.config),
        "error_school": None,
        "error_form": None,
        "all_schools": mine,
    }
    context.update(extra)
    return context


@bp.get("/instellingen")
def settings():
    """For coordinators and admins: each school's settings in one form, the school calendar,
    and the settings that decide whether cards and reminders reach people."""
    _require_coordinator()
    return render_template("planning/settings.html", form={}, **_settings_context())


def _moved_message(moved) -> str:
    if not moved:
        return ""
    return " " + ngettext(
        "%(num)s geplande afspraak verschoven naar de eerstvolgende schooldag.",
        "%(num)s geplande afspraken verschoven naar de eerstvolgende schooldag.", len(moved))


def _save_refused(error: domain.DomainError, school_id: int):
    return form_error("planning/settings.html", error, **_settings_context(
        error_school=school_id, error_form="settings", typed=_typed_settings()))


@bp.post("/instellingen/scholen/<int:school_id>")
@writes.change(refused=_save_refused)
def save_settings(uow: writes.UnitOfWork, school_id: int):
    """All settings of one school at once: everything is checked, and nothing is saved
    while anything is refused. A new region moves planned dates on days without school."""
    school = _my_school(school_id)
    form = request.form
    if form.get("region") != school.region:
        uow.lock_cases(use_cases.open_case_ids(school))  # what a new region may move
    saved = use_cases.save_school_settings(school, current_user, use_cases.SchoolSettings(
        region=form.get("region", ""), kind=form.get("kind", ""),
        language=form.get("language", ""), pupil_days=parse_int(form.get("pupil_days")),
        group_days=parse_int(form.get("group_days")), inform_parties=form.getlist("party"),
        plan_steps=form.get("plan_steps", ""),
        retention_months=parse_int(form.get("retention_months")),
        dossier_roles="1" in form.getlist("dossier_roles"),
    ))
    for what in saved.changed:
        uow.audit(audit.CHANGE, what, user_id=current_user.id, school_id=school.id)
    if saved.changed:
        flash(_("De instellingen van %(school)s zijn opgeslagen.", school=school.name)
              + _moved_message(saved.moved), "info")
    else:
        flash(_("Er was niets veranderd aan de instellingen van %(school)s.",
                school=school.name), "info")
    return redirect(settings_anchor(school.id))


def _day_off_refused(error: domain.DomainError, school_id: int, **_ids):
    return form_error("planning/settings.html", error, **_settings_context(
        error_school=school_id, error_form="days_off"))


@bp.post("/instellingen/scholen/<int:school_id>/studiedagen")
@writes.change(refused=_day_off_refused)
def add_day_off(uow: writes.UnitOfWork, school_id: int):
    """A studiedag; planned dates on it move to the next school day."""
    school = _my_school(school_id)
    uow.lock_cases(use_cases.open_case_ids(school))
    moved = use_cases.add_day_off(
        school, current_user, parse_date("day"), request.form.get("description", "")
    )
    flash(_("Studiedag toegevoegd.") + _moved_message(moved), "info")
    return redirect(settings_anchor(school.id))


@bp.post("/instellingen/scholen/<int:school_id>/studiedagen/<int:day_id>/verwijderen")
@writes.change(refused=_day_off_refused)
def remove_day_off(uow: writes.UnitOfWork, school_id: int, day_id: int):
    """Remove a studiedag (what moved away from it stays where it is)."""
    school = _my_school(school_id)
    day_off = db.session.get(DayOff, day_id)
    if day_off is None or day_off.school_id != school.id:
        abort(404)
    use_cases.remove_day_off(school, day_off)
    flash(_("Studiedag verwijderd."), "info")
    return redirect(settings_anchor(school.id))


# ---- the calendar feed ---------------------------------------------------------------------


def feed_url(user: User) -> str | None:
    if not user.calendar_token:
        return None
    return public_address(url_for("feed.calendar", token=user.calendar_token))


@bp.get("/agenda")
def agenda():
    """My calendar feed: the private address to subscribe to, and revoking it."""
    return render_template("planning/agenda.html", url=feed_url(current_user))


@bp.post("/agenda/nieuw")
@writes.change()
def agenda_new(uow: writes.UnitOfWork):
    """A new private address; the old one stops working at once."""
    current_user.calendar_token = new_card_token()
    flash(_("Je agenda-adres is klaar. Een eerder adres werkt niet meer."), "info")
    return redirect(url_for("planning.agenda"))


@bp.post("/agenda/intrekken")
@writes.change()
def agenda_revoke(uow: writes.UnitOfWork):
    """Revoke the calendar address."""
    current_user.calendar_token = None
    flash(_("Het agenda-adres is ingetrokken; agenda's met dit adres krijgen niets meer."),
          "info")
    return redirect(url_for("planning.agenda"))


@public.get("/agenda/<token>.ics")
def calendar(token: str):
    """The feed itself (RFC 5545). No login: the address is the key. As with the cards, only
    wrong addresses are counted (per client address, one atomic count each): the right one
    always works, and a guesser gets exactly CARD_GUESS_LIMIT answers before a 429."""
    user = None
    if is_token(token):
        user = db.session.scalar(
            select(User).where(User.calendar_token == token, User.active.is_(True))
        )
    if user is None:
        if not limits.hit(current_app.config["CARD_GUESS_LIMIT"], "feed-guess",
                          request.remote_addr or ""):
            return Response("Te veel onbekende agenda-adressen; probeer het over een minuut "
                            "opnieuw.\n", 429, mimetype="text/plain", headers=FEED_HEADERS)
        return Response(
            "Onbekend agenda-adres.\n", 404, mimetype="text/plain", headers=FEED_HEADERS
        )
    body = feed.build_feed(user, today=school_today(), base_url=public_address())
    return Response(body, mimetype="text/calendar", headers=FEED_HEADERS)

