"""The letterbox for the people who read it: the inbox, one letter (read, answer, close with a
reason, or make it a melding) and the poster with the school's QR code."""

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

from steungroep.cards import qr
from steungroep.core.extensions import db
from steungroep.core.i18n import pupil_language
from steungroep.core.security import public_address
from steungroep.domain import letterbox as rules
from steungroep.domain.i18n import N_
from steungroep.letterbox import inbox, public, use_cases
from steungroep.models import School
from steungroep.web import audit, writes

bp = Blueprint("letterbox", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    public.init_app(app)
    app.register_blueprint(bp)


@bp.before_request
@login_required
def _require_login():
    """Every page here is for logged-in staff."""


def _letter(letter_id: int):
    letter = inbox.letter_for(current_user, letter_id)
    if letter is None:
        abort(404)
    return letter


@bp.get("/brievenbus")
def inbox_page():
    """Open letters first (oldest on top: they waited longest), then the latest handled."""
    schools = inbox.read_schools(current_user)
    waiting, handled = inbox.inbox(schools)
    mine = sorted((s for s in current_user.schools if s.id in schools), key=lambda s: s.name)
    return render_template("letterbox/inbox.html", waiting=waiting, handled=handled,
                           schools=mine, rules=rules)


def _page(letter, error=None, form=None, status: int = 200):
    return render_template("letterbox/letter.html", letter=letter, error=error,
                           form=form or {}, rules=rules), status


@bp.get("/brievenbus/briefjes/<int:letter_id>")
def letter_page(letter_id: int):
    return _page(_letter(letter_id))


def _refused(error, letter_id: int):
    return _page(_letter(letter_id), error=error, form=request.form, status=422)


@bp.post("/brievenbus/briefjes/<int:letter_id>/gelezen")
@writes.change(refused=_refused)
def mark_read(uow: writes.UnitOfWork, letter_id: int):
    letter = _letter(letter_id)
    use_cases.mark_read(letter, current_user)
    flash(_("Gelezen. Wie het schreef, ziet dat met de code."), "info")
    return redirect(url_for("letterbox.letter_page", letter_id=letter.id))


@bp.post("/brievenbus/briefjes/<int:letter_id>/antwoord")
@writes.change(refused=_refused)
def answer(uow: writes.UnitOfWork, letter_id: int):
    letter = _letter(letter_id)
    use_cases.answer(letter, current_user, request.form.get("answer", ""))
    flash(_("Het antwoord staat klaar: wie het briefje schreef, leest het met de code."),
          "info")
    return redirect(url_for("letterbox.letter_page", letter_id=letter.id))


@bp.post("/brievenbus/briefjes/<int:letter_id>/afsluiten")
@writes.change(refused=_refused)
def close(uow: writes.UnitOfWork, letter_id: int):
    letter = _letter(letter_id)
    if letter.closed_at is not None:  # a second tap: the first one closed it
        return redirect(url_for("letterbox.letter_page", letter_id=letter.id))
    use_cases.close(letter, current_user, request.form.get("reason", ""),
                    request.form.get("note", ""))
    flash(_("Het briefje is afgesloten."), "info")
    return redirect(url_for("letterbox.inbox_page"))


def _read_school(school_id: int) -> School:
    """A school whose letterbox the user reads; 404 for any other id."""
    if school_id not in inbox.read_schools(current_user):
        abort(404)
    return db.session.get(School, school_id)


def _poster_refused(error, school_id: int):
    flash(error.message, "error")
    return redirect(url_for("letterbox.poster", school_id=school_id))


@bp.post("/brievenbus/poster/<int:school_id>/nieuw-adres")
@writes.change(refused=_poster_refused)
def new_address(uow: writes.UnitOfWork, school_id: int):
    """A poster's address went where it should not: a new one; the old stops at once (a
    code still reads its answer on the new address)."""
    school = _read_school(school_id)
    use_cases.new_address(school)
    uow.audit(audit.CHANGE, "letterbox.new_address", user_id=current_user.id,
              school_id=school.id)
    flash(_("De brievenbus heeft een nieuw adres. Het oude werkt niet meer: hang deze nieuwe "
            "poster op."), "info")
    return redirect(url_for("letterbox.poster", school_id=school.id))


@bp.get("/brievenbus/poster/<int:school_id>")
def poster(school_id: int):
    """An A4 poster for the classroom wall: the school's letterbox address as a QR code."""
    school = _read_school(school_id)
    pupil_language(school.language)  # read by the pupils: the school's language
    address = public_address(url_for("letterbox_public.write", token=school.letterbox_token))
    svg = qr.qr_svg(address, _(N_("QR-code: scan hem om de brievenbus te openen")))
    return render_template("letterbox/poster.html", school=school, address=address, svg=svg)
