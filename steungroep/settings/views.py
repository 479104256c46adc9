"""The settings page of the schools a coordinator (or admin) manages: one form per school
with one save, the school calendar (region, studiedagen), and the server's settings that
decide whether cards and reminders reach people."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from steungroep import domain
from steungroep.cards import qr
from steungroep.core import mail
from steungroep.core.extensions import db
from steungroep.core.security import public_address
from steungroep.core.timeutil import school_today
from steungroep.domain import parent_letter
from steungroep.models import DayOff, School
from steungroep.planning.use_cases import open_case_ids
from steungroep.settings import use_cases
from steungroep.web import audit, writes
from steungroep.web.pages import form_error, parse_date, parse_int, settings_anchor

bp = Blueprint("settings", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _require_coordinator() -> None:
    """Every page here is for those who manage schools; to others it does not exist."""
    if not current_user.manages_schools:
        abort(404)


def _my_school(school_id: int) -> School:
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
        "parties": school.informed.split("\n"), "plan_steps": school.plan_steps,
        "functions": school.functions, "functions_shown": school.functions,
        "informed_shown": school.informed,
        "first_road": school.first_road,
        "retention_months": school.retention_months, "dossier_roles": school.dossier_roles,
        "group_again": school.group_eval_again,
        "letters": {key: parent_letter.text_for(key, school.parent_letters)
                    for key in parent_letter.DEFAULT_TEXTS},
    }


def _typed_settings() -> dict:
    """What the settings form shows after a refusal: everything as it was typed."""
    form = request.form
    names = ("region", "kind", "language", "pupil_days", "group_days", "plan_steps",
             "first_road", "retention_months", "functions", "functions_shown",
             "informed_shown")
    return {**{name: form.get(name, "") for name in names}, "parties": form.getlist("party"),
            "dossier_roles": "1" in form.getlist("dossier_roles"),
            "group_again": "1" in form.getlist("group_again"),
            "letters": _typed_letters(form) or {}}


def _typed_letters(form) -> dict[str, str] | None:
    """The texts of the letters to parents as typed; None when the form had none."""
    typed = {key: form[field] for key, field in parent_letter.FIELDS.items() if field in form}
    return typed or None


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
    return render_template("settings/settings.html", form={}, **_settings_context())


def _moved_message(moved) -> str:
    if not moved:
        return ""
    return " " + ngettext(
        "%(num)s geplande afspraak verschoven naar de eerstvolgende schooldag.",
        "%(num)s geplande afspraken verschoven naar de eerstvolgende schooldag.", len(moved))


def _save_refused(error: domain.DomainError, school_id: int):
    return form_error("settings/settings.html", error, **_settings_context(
        error_school=school_id, error_form="settings", typed=_typed_settings()))


def _touched(form, name: str) -> str | None:
    """What was typed in a field, or None when it came back as the page showed it (or not
    at all): a field nobody touched changes nothing."""
    if name not in form or _lines(form.get(name)) == _lines(form.get(f"{name}_shown")):
        return None
    return form.get(name)


def _lines(text: str | None) -> str | None:
    """Browsers send every line break as CRLF."""
    return None if text is None else text.replace("\r\n", "\n")


def _touched_informed(form) -> list[str] | None:
    ticked = form.getlist("party")
    if "informed_shown" in form and "\n".join(ticked) == _lines(form.get("informed_shown")):
        return None
    return ticked


@bp.post("/instellingen/scholen/<int:school_id>")
@writes.change(refused=_save_refused)
def save_settings(uow: writes.UnitOfWork, school_id: int):
    """All settings of one school at once: everything is checked, and nothing is saved
    while anything is refused. A new region moves planned dates on days without school."""
    school = _my_school(school_id)
    form = request.form
    if form.get("region") != school.region:
        uow.lock_cases(open_case_ids(school))  # what a new region may move
    saved = use_cases.save_school_settings(school, current_user, use_cases.SchoolSettings(
        region=form.get("region", ""), kind=form.get("kind", ""),
        language=form.get("language", ""), pupil_days=parse_int(form.get("pupil_days")),
        group_days=parse_int(form.get("group_days")), informed=_touched_informed(form),
        functions=_touched(form, "functions"),
        plan_steps=form.get("plan_steps", ""), first_road=form.get("first_road", school.first_road),
        retention_months=parse_int(form.get("retention_months")),
        dossier_roles="1" in form.getlist("dossier_roles"),
        group_again="1" in form.getlist("group_again"),
        parent_letters=_typed_letters(form),
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
    return form_error("settings/settings.html", error, **_settings_context(
        error_school=school_id, error_form="days_off"))


@bp.post("/instellingen/scholen/<int:school_id>/studiedagen")
@writes.change(refused=_day_off_refused)
def add_day_off(uow: writes.UnitOfWork, school_id: int):
    """A studiedag; planned dates on it move to the next school day."""
    school = _my_school(school_id)
    uow.lock_cases(open_case_ids(school))
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
