"""Talks and contacts, the one-off path and the pupils involved, all on the case page."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from steungroep.cases.page import refused_on_case_form
from steungroep.contacts import letter_views, use_cases
from steungroep.models import Case
from steungroep.web import writes
from steungroep.web.pages import parse_date, parse_int, stale_form

bp = Blueprint("contacts", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """The feature's pages, and the letters for parents (letter_views.py)."""
    app.register_blueprint(bp)
    app.register_blueprint(letter_views.bp)


@bp.before_request
@login_required
def _require_login():
    """Staff only."""


def _talk_input() -> use_cases.TalkInput:
    follows = request.form.get("follows", "").strip()
    return use_cases.TalkInput(
        party=request.form.get("party", ""),
        pupil_id=parse_int(request.form.get("talk_pupil")),
        party_name=request.form.get("party_name", ""),
        held_on=parse_date("held_on"),
        summary=request.form.get("summary", ""),
        agreements=request.form.get("agreements", ""),
        follow_up_on=parse_date("follow_up_on"),
        # a follow-up of a talk that is not there is refused, never stored as a new talk
        follows_id=parse_int(follows) if parse_int(follows) is not None else (
            -1 if follows else None),
        submission_key=request.form.get("submission_key", "")[:64] or None,
    )


def _anchor(case: Case, anchor: str) -> str:
    return url_for("cases.case_page", case_id=case.id) + anchor


def _back(case: Case, anchor: str):
    return redirect(_anchor(case, anchor))


@bp.post("/zaken/<int:case_id>/gesprekken")
@writes.case_change(refused=refused_on_case_form("talk"))
def talk_create(case: Case):
    """A talk with a pupil, the parents of a pupil, a colleague, the SMW or an outside
    service; with agreements and an optional follow-up date."""
    # a double tap waits for the first under the case's lock, then finds its key
    talk = use_cases.record_talk(case, current_user, _talk_input())
    flash(_("Het gesprek is vastgelegd; het vervolg staat op %(date)s.",
            date=talk.follow_up_on.strftime("%d-%m-%Y")) if talk.follow_up_on
          else _("Het gesprek is vastgelegd."), "info")
    return _back(case, "#gesprekken")


@bp.post("/zaken/<int:case_id>/herstelgesprek")
@writes.case_change(refused=refused_on_case_form("restore"))
def restore_create(case: Case):
    """The one-off path: the restoring talk; the check is planned ten school days on."""
    if (done := stale_form(case, _anchor(case, "#eenmalig"))) is not None:
        return done
    talk = use_cases.record_restore_talk(case, current_user, _talk_input())
    flash(_("Het herstelgesprek is vastgelegd. De controle staat op %(date)s.",
            date=talk.follow_up_on.strftime("%d-%m-%Y")), "info")
    return _back(case, "#eenmalig")


@bp.post("/zaken/<int:case_id>/controle")
@writes.case_change(refused=refused_on_case_form("check"))
def check_save(case: Case):
    """The check after two weeks: close, or go on with the steungroepaanpak."""
    if (done := stale_form(case)) is not None:
        return done
    use_cases.record_check(case, current_user, request.form.get("result", ""),
                           parse_date("held_on"), request.form.get("check_note", ""))
    if case.is_closed:
        flash(_("De controle is vastgelegd en de melding is afgesloten."), "info")
        return _back(case, "")
    flash(_("De controle is vastgelegd. Volgende stap: het gesprek met de leerling voor de "
            "steungroepaanpak."), "info")
    return redirect(url_for("talk.talk_form", case_id=case.id))


@bp.post("/zaken/<int:case_id>/betrokken")
@writes.case_change(refused=refused_on_case_form("involved"))
def involved_add(case: Case):
    """A pupil involved besides the one the case is about."""
    involved = use_cases.add_involved(case, current_user,
                                      parse_int(request.form.get("involved_pupil")),
                                      request.form.get("involvement", ""))
    flash(_("%(name)s staat bij de betrokken leerlingen.", name=involved.pupil.first_name),
          "info")
    return _back(case, "#betrokken")


@bp.post("/zaken/<int:case_id>/betrokken/weg")
@writes.case_change(refused=refused_on_case_form("involved"))
def involved_remove(case: Case):
    use_cases.remove_involved(case, current_user, parse_int(request.form.get("involved_id")))
    flash(_("Weggehaald bij de betrokken leerlingen."), "info")
    return _back(case, "#betrokken")


@bp.post("/zaken/<int:case_id>/maatregelen")
@writes.case_change(refused=refused_on_case_form("consequence"))
def consequence_create(case: Case):
    """A consequence for a pupil who bullied or joined in (staff only)."""
    use_cases.record_consequence(case, current_user,
                                 parse_int(request.form.get("involved_id")),
                                 request.form.get("consequence", ""),
                                 parse_int(request.form.get("days")), parse_date("decided_on"),
                                 request.form.get("consequence_note", ""))
    flash(_("De maatregel is vastgelegd."), "info")
    return _back(case, "#betrokken")


@bp.post("/zaken/<int:case_id>/maatregelen/weg")
@writes.case_change(refused=refused_on_case_form("consequence"))
def consequence_remove(case: Case):
    use_cases.remove_consequence(case, current_user,
                                 parse_int(request.form.get("consequence_id")))
    flash(_("De maatregel is weggehaald."), "info")
    return _back(case, "#betrokken")
