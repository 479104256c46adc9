"""For admins: importing a school's pupils from its administration's export (EdexML or CSV),
with a preview of what will change before anything is saved.

The preview carries the parsed rows to the confirmation signed with the app's secret (the
file is not kept on the server) and a fingerprint of the plan it showed: when the pupils
changed in between, the admin sees the new plan instead; a second tap on "Importeren" finds
nothing left to do and says so."""

from __future__ import annotations

from dataclasses import astuple

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from steungroep.admin import admins_only, own_schools, pupil_import
from steungroep.admin.importer import (
    MAX_BYTES,
    ImportError_,
    PupilRow,
    school_year_of,
    school_year_refusal,
)
from steungroep.core.timeutil import school_today
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.models import School
from steungroep.web import audit, writes
from steungroep.web.pages import parse_int

bp = admins_only(Blueprint("pupil_imports", __name__, template_folder="templates"))

PREVIEW_HOURS = 2  # a preview left longer is shown again from a new upload


def _school(value) -> School | None:
    chosen = parse_int(value)
    return next((s for s in own_schools() if s.id == chosen), None)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="pupil-import")


def _page(status: int = 200, **context):
    context.setdefault("form", {"school": "", "school_year": school_year_of(school_today())})
    for name in ("error", "plan", "problems", "school", "token", "changed_since"):
        context.setdefault(name, None)
    return render_template("admin/import.html", schools=own_schools(), **context), status


@bp.get("/beheer/leerlingen/importeren")
def form():
    return _page()


@bp.post("/beheer/leerlingen/importeren")
def preview():
    """Read the file and show what would change; nothing is saved yet."""
    form = {"school": request.form.get("school", ""),
            "school_year": request.form.get("school_year", "")}
    school = _school(form["school"])
    upload = request.files.get("bestand")
    try:
        if school is None:
            raise DomainError(N_("Kies de school."), "school")
        year = form["school_year"].strip()
        if refusal := school_year_refusal(year):
            raise DomainError(refusal, "school_year")
        if upload is None or not upload.filename:
            raise DomainError(N_("Kies het bestand met de leerlingen (EdexML of CSV)."),
                              "bestand")
        rows = pupil_import.read_rows(upload.read(MAX_BYTES + 1))
    except DomainError as error:
        return _page(422, error=error, form=form)
    except ImportError_ as error:
        return _page(422, problems=[p.message for p in error.problems], form=form)
    plan = pupil_import.plan(school, rows, year)
    token = _serializer().dumps({"school": school.id, "year": year, "user": current_user.id,
                                 "rows": [astuple(r) for r in rows]})
    return _page(school=school, plan=plan, token=token, form=form)


def _read_token(token: str) -> dict | None:
    try:
        data = _serializer().loads(token, max_age=PREVIEW_HOURS * 3600)
    except BadSignature:
        return None
    return data if data.get("user") == current_user.id else None


@bp.post("/beheer/leerlingen/importeren/bevestigen")
@writes.change()
def confirm(uow: writes.UnitOfWork):
    """Save the plan the admin saw (or show the new one when the pupils changed since)."""
    data = _read_token(request.form.get("token", ""))
    school = _school(str(data["school"])) if data else None
    if school is None:
        flash(_("Dit voorbeeld is verlopen of hoort niet bij jou. Kies het bestand opnieuw."),
              "error")
        return redirect(url_for("pupil_imports.form"))
    uow.lock_key(f"pupil-import:{school.id}")
    rows = [PupilRow(*values) for values in data["rows"]]
    plan = pupil_import.plan(school, rows, data["year"])
    if plan.fingerprint() != request.form.get("fingerprint"):
        if not plan.changes_anything:
            flash(_("Deze import is al verwerkt."), "info")
            return redirect(url_for("pupil_imports.form"))
        form = {"school": str(school.id), "school_year": data["year"]}
        return _page(409, school=school, plan=plan, form=form,
                     token=request.form.get("token", ""), changed_since=True)
    pupil_import.apply(school, plan)
    uow.audit(audit.CHANGE, f"leerlingen geïmporteerd: {len(plan.added)} nieuw, "
              f"{len(plan.updated)} bijgewerkt", user_id=current_user.id, school_id=school.id)
    leavers = _("%(n)s leerlingen staan niet (meer) in het bestand: ze blijven staan tot je ze "
                "wist.", n=len(plan.leavers)) if plan.leavers else ""
    flash(plan.summary() + (" " + leavers if leavers else ""), "info")
    return redirect(url_for("records.pupils"))

