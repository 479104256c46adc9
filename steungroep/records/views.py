"""Records about pupils and cases: the pupil list for coordinators and admins, the audit
trail of a case or a pupil, corrections to closed cases, the copy for an access request,
erasing a pupil's data. (The school's retention period is saved with its other settings:
settings.save_settings.)"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import local, utcnow
from steungroep.domain.i18n import N_
from steungroep.domain.overview import page as page_of
from steungroep.models import (
    ROLE_ADMIN,
    ROLE_COORDINATOR,
    AuditEntry,
    Case,
    GroupMember,
    Pupil,
    School,
    SchoolClass,
    SupportGroup,
    TimelineEntry,
    User,
)
from steungroep.records import access_copy as copies
from steungroep.records import use_cases as records
from steungroep.web import audit, writes
from steungroep.web.pages import parse_int, refused_on_case_page

bp = Blueprint("records", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages."""
    app.register_blueprint(bp)


WHAT = {
    "cases.case_page": N_("aanpak bekeken"),
    "dossier.report": N_("verslag voor het dossier"),
    "dossier.notes": N_("notities voor het leerlingdossier"),
    "dossier.notes_csv": N_("notities als CSV"),
    "overview.reassign": N_("verantwoordelijke gewijzigd"),
    "overview.add_note": N_("notitie coördinator"),
    "talk.talk_form": N_("gesprek bekeken"),
    "talk.talk_create": N_("gesprek vastgelegd"),
    "cases.informed_create": N_("geïnformeerd vastgelegd"),
    "group.invitations": N_("uitnodigingen bekeken"),
    "cases.melding_create": N_("melding gemaakt"),
    "evaluations.pupil_evaluation_form": N_("evaluatie leerling bekeken"),
    "evaluations.pupil_evaluation_save": N_("evaluatie leerling vastgelegd"),
    "evaluations.group_evaluation_form": N_("evaluatie groep bekeken"),
    "evaluations.group_evaluation_save": N_("evaluatie groep vastgelegd"),
    "evaluations.decision_form": N_("besluit bekeken"),
    "evaluations.decision_save": N_("besluit vastgelegd"),
    "group.group_page": N_("groep bekeken"),
    "group.member_add": N_("groepslid toegevoegd"),
    "group.member_remove": N_("groepslid weggehaald"),
    "group.group_confirm": N_("groep bevestigd"),
    "card_screens.card_replace": N_("nieuwe kaart"),
    "meeting.meeting_page": N_("bijeenkomst geopend"),
    "meeting.action_save": N_("actie opgeslagen"),
    "meeting.meeting_complete": N_("bijeenkomst afgerond"),
    "meeting.meeting_done": N_("bedankscherm"),
    "card_screens.cards_names": N_("kaarten bekeken"),
    "card_screens.card_qr": N_("kaart getoond"),
    "card_screens.cards_print": N_("kaarten afgedrukt"),
    "card_screens.card_print": N_("kaart afgedrukt"),
    "planning.move_evaluation": N_("evaluatie verplaatst"),
    "planning.plan_meeting": N_("bijeenkomst gepland"),
    "records.correct": N_("correctie toegevoegd"),
    "records.access_copy": N_("kopie voor inzage gemaakt"),
    "records.access_copy_json": N_("kopie voor inzage (JSON) gemaakt"),
    "records.erase": N_("gegevens gewist"),
}


@bp.before_request
@login_required
def _staff_with_records():
    if current_user.role not in (ROLE_COORDINATOR, ROLE_ADMIN):
        abort(404)


def _pupil(pupil_id: int) -> Pupil:
    """A real pupil of the user's schools (a practice case's made-up pupils have no records:
    they go with their case)."""
    pupil = db.session.get(Pupil, pupil_id)
    if (pupil is None or pupil.school_id not in current_user.school_ids
            or pupil.school_class.practice):
        abort(404)
    return pupil


def _case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or case.school_id not in current_user.school_ids:
        abort(404)
    return case


def _coordinator_only() -> None:
    if current_user.role != ROLE_COORDINATOR:
        abort(404)


PUPILS_PER_PAGE = 50


def _admin_only() -> None:
    if current_user.role != ROLE_ADMIN:
        abort(404)


@bp.get("/leerlingen")
def pupils():
    """The pupils of my schools, by school and class, a page at a time (a board may hold
    twenty thousand); a search on first name narrows the list."""
    query = request.args.get("q", "").strip()[:60]
    statement = (
        select(Pupil)
        .join(SchoolClass, SchoolClass.id == Pupil.class_id)
        .join(School, School.id == Pupil.school_id)
        .where(Pupil.school_id.in_(current_user.school_ids or {-1}),
               SchoolClass.practice.is_(False))
        .options(selectinload(Pupil.school_class), selectinload(Pupil.school))
        .order_by(School.name, SchoolClass.name, Pupil.first_name, Pupil.id)
    )
    if query:
        statement = statement.where(Pupil.first_name.ilike(f"%{query}%"))
    total = db.session.scalar(select(func.count()).select_from(
        statement.with_only_columns(Pupil.id).order_by(None).subquery()))
    page = page_of(total, parse_int(request.args.get("pagina")) or 1, PUPILS_PER_PAGE)
    rows = list(db.session.scalars(statement.offset(page.offset).limit(page.per_page)))
    return render_template("records/pupils.html", pupils=rows, query=query, page=page)


LOG_PER_PAGE = 100


def _entries(condition):
    """A page of the log, newest first (every read of a case adds a line: a case looked at
    for a year holds thousands), and the page it is."""
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(condition))
    page = page_of(total, parse_int(request.args.get("pagina")) or 1, LOG_PER_PAGE)
    rows = list(
        db.session.execute(
            select(AuditEntry, User.name)
            .outerjoin(User, User.id == AuditEntry.user_id)
            .where(condition)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .offset(page.offset).limit(page.per_page)
        ).tuples()
    )
    return rows, page


@bp.get("/zaken/<int:case_id>/logboek")
def case_log(case_id: int):
    case = _case(case_id)
    rows, page = _entries(AuditEntry.case_id == case.id)
    return render_template("records/log.html", rows=rows, page=page, what=WHAT, local=local,
                           title=_("Logboek van aanpak #%(id)s", id=case.id), case=case, pupil=None)


@bp.get("/leerlingen/<int:pupil_id>/logboek")
def pupil_log(pupil_id: int):
    pupil = _pupil(pupil_id)
    member_cases = select(SupportGroup.case_id).join(
        GroupMember, GroupMember.group_id == SupportGroup.id
    ).where(GroupMember.pupil_id == pupil.id)
    subject_cases = select(Case.id).where(Case.pupil_id == pupil.id)
    rows, page = _entries(or_(
        AuditEntry.pupil_id == pupil.id,
        AuditEntry.case_id.in_(member_cases),
        AuditEntry.case_id.in_(subject_cases),
    ))
    return render_template("records/log.html", rows=rows, page=page, what=WHAT, local=local,
                           title=_("Logboek van %(name)s", name=pupil.display_name), case=None,
                           pupil=pupil)


@bp.post("/zaken/<int:case_id>/correctie")
@writes.change(refused=refused_on_case_page("#tijdlijn"))
def correct(uow: writes.UnitOfWork, case_id: int):
    """A coordinator corrects a closed case: a new, attributed timeline entry that names the
    entry it corrects. Nothing already written changes."""
    _coordinator_only()
    uow.lock_cases([case_id])
    case = uow.case = _case(case_id)
    entry_id = request.form.get("entry_id", "")
    target = next((e for e in case.timeline if str(e.id) == entry_id), None)
    if not case.is_closed or case.purged_at:
        raise domain.DomainError(N_("Alleen een afgesloten aanpak krijgt correcties."))
    if target is None:
        raise domain.DomainError(N_("Kies wat je corrigeert."), "entry_id")
    text = domain.clean_text(request.form.get("text"), N_("De correctie"),
                             max_length=domain.LONG_TEXT, field="text")
    quoted = target.text if len(target.text) <= 80 else target.text[:77] + "…"
    db.session.add(TimelineEntry(
        case=case, user=current_user, kind="correctie", at=utcnow(),
        text=f"Correctie op ‘{quoted}’ ({local(target.at):%d-%m-%Y}): {text}",
    ))
    flash(_("De correctie staat in de tijdlijn."), "info")
    return redirect(url_for("cases.case_page", case_id=case.id) + "#tijdlijn")


@bp.get("/leerlingen/<int:pupil_id>/inzage")
def access_copy(pupil_id: int):
    """The copy for an access request (AVG art. 15), to print."""
    _coordinator_only()
    pupil = _pupil(pupil_id)
    confidential = request.args.get("vertrouwelijk") == "1"
    copy = copies.access_copy(pupil, include_confidential=confidential)
    audit.record(audit.EXPORT, "records.access_copy", user_id=current_user.id,
                 pupil_id=pupil.id, school_id=pupil.school_id)
    return render_template("records/access_copy.html", copy=copy, pupil=pupil,
                           confidential=confidential)


@bp.get("/leerlingen/<int:pupil_id>/inzage.json")
def access_copy_json(pupil_id: int):
    _coordinator_only()
    pupil = _pupil(pupil_id)
    confidential = request.args.get("vertrouwelijk") == "1"
    copy = copies.access_copy(pupil, include_confidential=confidential)
    audit.record(audit.EXPORT, "records.access_copy_json", user_id=current_user.id,
                 pupil_id=pupil.id, school_id=pupil.school_id)
    body = json.dumps(copy, ensure_ascii=False, indent=2)
    filename = f"inzage-leerling-{pupil.id}.json"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


@bp.route("/leerlingen/<int:pupil_id>/wissen", methods=["GET", "POST"])
def erase(pupil_id: int):
    """An admin erases one pupil's personal data, after a confirmation that names the
    consequences."""
    _admin_only()
    pupil = _pupil(pupil_id)
    plan = records.erasure_plan(pupil)
    if request.method == "POST":
        return _erase(pupil_id=pupil_id)
    return render_template("records/erase.html", pupil=pupil, plan=plan, error=None)


def _erase_refused(error: domain.DomainError, pupil_id: int):
    pupil = _pupil(pupil_id)
    return render_template("records/erase.html", pupil=pupil, plan=records.erasure_plan(pupil),
                           error=error), 422


@writes.change(refused=_erase_refused)
def _erase(uow: writes.UnitOfWork, pupil_id: int):
    pupil = _pupil(pupil_id)
    if request.form.get("confirm", "").strip().lower() != pupil.first_name.lower():
        raise domain.DomainError(N_("Typ de voornaam ‘%(name)s’ om te bevestigen."),
                                 "confirm", name=pupil.first_name)
    name, school_id = pupil.display_name, pupil.school_id
    uow.lock_cases(records.erasure_case_ids(pupil))
    records.erase_pupil(pupil, current_user, utcnow())
    uow.audit(audit.CHANGE, "records.erase", user_id=current_user.id, pupil_id=pupil_id,
              school_id=school_id)
    flash(_("De gegevens van %(name)s zijn gewist.", name=name), "info")
    return redirect(url_for("records.pupils"))
