"""The teacher's cases: home, the melding with triage, the case page, who was informed."""

from __future__ import annotations

import secrets

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

from steungroep import domain
from steungroep.admin import home as admin_home
from steungroep.cases import home as home_rows
from steungroep.cases import pupils, use_cases
from steungroep.cases.page import case_context, refused_on_case_form, step_url
from steungroep.core.timeutil import school_today
from steungroep.letterbox import inbox as letterbox
from steungroep.letterbox.inbox import letter_for
from steungroep.models import (
    ROLE_ADMIN,
    Case,
)
from steungroep.planning.notices import open_notices
from steungroep.web import health, writes
from steungroep.web.pages import (
    form_error,
    get_case,
    parse_date,
    parse_int,
)

FACT_FIELDS = ("fact_where", "fact_frequency", "fact_since", "fact_parents_know",
               "fact_earlier", "fact_when", "fact_tried", "fact_wants", "fact_helpers",
               "fact_severity", "fact_group", "fact_view")

bp = Blueprint("cases", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _require_login():
    """Every page here is for logged-in staff."""


@bp.get("/")
def home():
    """My open cases, each with its next step as one big button; for a coordinator also
    their schools' cases that are late or due within a week, a page at a time (the overview
    holds every case). Read from the stored status columns in fixed statements."""
    today = school_today()
    mine = home_rows.own_cases(current_user, today)
    attention = (home_rows.attention(current_user, today,
                                     parse_int(request.args.get("pagina")) or 1)
                 if current_user.sees_school_cases else None)
    glance = admin_home.glance(current_user) if current_user.role == ROLE_ADMIN else None
    # The people who would miss the reminders first are told when the scheduler stopped.
    planner_stopped = (health.scheduler_stopped_since()
                       if current_user.sees_school_cases or glance is not None else None)
    letters = (letterbox.unread_count(letterbox.read_schools(current_user))
               if current_user.may_read_letters else 0)
    return render_template("cases/home.html", rows=mine, attention=attention,
                           step_url=step_url, notices=open_notices(current_user),
                           glance=glance, planner_stopped=planner_stopped, letters=letters)


@bp.app_template_global()
def pupil_choice(name: str, chosen=None, school_id: int | None = None,
                 beside: int | None = None) -> pupils.Choice:
    """What a pupil field shows on a page (``_pupil_picker.html``); a search typed without
    htmx comes back in the address as ``zoek_<field>``."""
    schools = {school_id} if school_id else set(current_user.school_ids)
    return pupils.choice(name, schools, query=request.args.get(f"zoek_{name}", ""),
                         chosen_id=parse_int(chosen), beside=beside)


@bp.get("/leerlingen/kiezen")
def pupil_choice_search():
    """The matches of a pupil field as you type (htmx): pupils of the user's schools, or of
    one of them (a case's school)."""
    name = request.args.get("veld") or "pupil_id"
    if name not in pupils.FIELDS:
        abort(404)
    school = parse_int(request.args.get("school"))
    schools = set(current_user.school_ids)
    if school is not None:
        schools &= {school}
    choice = pupils.choice(name, schools, query=request.args.get(f"zoek_{name}", ""),
                           chosen_id=parse_int(request.args.get(name)),
                           beside=parse_int(request.args.get("naast")))
    return render_template("_pupil_options.html", choice=choice)


@bp.get("/meldingen/nieuw")
def melding_form():
    """A new melding with triage."""
    form = {"reported_on": school_today().isoformat(), "submission_key": secrets.token_hex(16)}
    letter_id = parse_int(request.args.get("briefje"))
    letter = letter_for(current_user, letter_id) if letter_id else None
    if letter is not None and not letter.done:  # made of a letter from the letterbox
        form.update(source="brievenbus", description=letter.what[:domain.LONG_TEXT],
                    fact_where=letter.where, letter_id=str(letter.id))
    return render_template("cases/melding.html", form=form, triage=_triage_choices())


def _triage_choices() -> list[str]:
    """The roads in the order the teacher's schools' protocols take them."""
    return domain.triage_choices({school.first_road for school in current_user.schools})


def _melding_refused(error: domain.DomainError):
    return form_error("cases/melding.html", error, triage=_triage_choices())


@bp.post("/meldingen/nieuw")
@writes.change(refused=_melding_refused)
def melding_create(uow: writes.UnitOfWork):
    """Store the melding; a double submit lands on the same case."""
    data = use_cases.MeldingInput(
        pupil_id=parse_int(request.form.get("pupil_id")),
        reported_on=parse_date("reported_on"),
        source=request.form.get("source", ""),
        forms=request.form.getlist("forms"),
        description=request.form.get("description", ""),
        triage=request.form.get("triage", ""),
        triage_note=request.form.get("triage_note", ""),
        submission_key=request.form.get("submission_key", "")[:64] or None,
        letter_id=parse_int(request.form.get("letter_id")),
        **{name: request.form.get(name, "") for name in FACT_FIELDS},
    )
    if data.submission_key:
        uow.lock_key(f"melding:{data.submission_key}")
    case = uow.case = use_cases.create_case(current_user, data)
    if case.is_closed:
        flash(_("De melding is vastgelegd en afgesloten zonder steungroep."), "info")
        return redirect(url_for("cases.case_page", case_id=case.id))
    if case.triage == "eenmalig":
        flash(_("De melding is vastgelegd. Volgende stap: het herstelgesprek."), "info")
        return redirect(url_for("cases.case_page", case_id=case.id) + "#eenmalig")
    if case.escalated_at is not None:  # straight into the school's stappenplan
        flash(_("De melding is vastgelegd. Volgende stap: het stappenplan van de school."),
              "info")
        return redirect(url_for("cases.case_page", case_id=case.id) + "#stappenplan")
    flash(_("De melding is vastgelegd. Volgende stap: het gesprek met de leerling."), "info")
    return redirect(url_for("talk.talk_form", case_id=case.id))


@bp.get("/zaken/<int:case_id>")
def case_page(case_id: int):
    """The case: where it stands, the next step, and the timeline."""
    case = get_case(case_id)
    return render_template(
        "cases/case.html", form={"informed_on": school_today().isoformat()}, **case_context(case)
    )


@bp.post("/zaken/<int:case_id>/geinformeerd")
@writes.case_change(refused=refused_on_case_form())
def informed_create(case: Case):
    """Record that the director, IB, SMW or parents were informed."""
    use_cases.record_informed(
        case, current_user, request.form.get("party", ""), parse_date("informed_on"),
        request.form.get("note", ""),
    )
    flash(_("Vastgelegd."), "info")
    return redirect(url_for("cases.case_page", case_id=case.id) + "#geinformeerd")


@bp.post("/zaken/<int:case_id>/triage")
@writes.case_change(refused=refused_on_case_form("triage"))
def triage_change(case: Case):
    """After the talk it may turn out to be something else than repeated bullying, or the
    school's stappenplan (a pupil who had a steungroep before)."""
    use_cases.change_triage(case, current_user, request.form.get("triage", ""),
                            request.form.get("triage_note", ""))
    if case.is_closed:
        flash(_("De triage is gewijzigd en de melding is afgesloten."), "info")
    elif case.escalated_at is not None:
        flash(_("De triage is gewijzigd: verder met het stappenplan van de school."), "info")
    else:
        flash(_("De triage is gewijzigd."), "info")
    return redirect(url_for("cases.case_page", case_id=case.id))
