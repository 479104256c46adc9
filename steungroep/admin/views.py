"""For admins: the people of their schools, resetting a forgotten password, and switching
an account off when someone leaves."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from steungroep.admin import admins_only
from steungroep.auth.views import end_sessions
from steungroep.core import audit, writes
from steungroep.core.extensions import db
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.domain.passwords import check_new_password
from steungroep.models import STAFF_ROLES, School, User

bp = admins_only(Blueprint("admin", __name__, template_folder="templates"))


def _people() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.schools.any(School.id.in_(current_user.school_ids or {-1})))
            .order_by(User.name)
        )
    )


@bp.get("/beheer/personen")
def people(error=None, error_user=None, status=200):
    return render_template(
        "admin/people.html", people=_people(), roles=STAFF_ROLES, error=error,
        error_user=error_user,
    ), status


def _person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or not (person.school_ids & current_user.school_ids):
        abort(404)
    return person


def _refused(error: DomainError, user_id: int):
    return people(error=error, error_user=user_id, status=422)


@bp.post("/beheer/personen/<int:user_id>/wachtwoord")
@writes.change(refused=_refused)
def reset_password(uow: writes.UnitOfWork, user_id: int):
    """A temporary password; the person chooses their own at the next login."""
    person = _person(user_id)
    if person.id == current_user.id:
        raise DomainError(N_("Je eigen wachtwoord wijzig je via ‘Account’ bovenaan."))
    temporary = request.form.get("password", "")
    check_new_password(temporary, email=person.email, name=person.name)
    person.set_password(temporary)
    person.must_change_password = True
    end_sessions(person.id)
    uow.audit(audit.CHANGE, f"wachtwoord hersteld van medewerker {person.id}",
              user_id=current_user.id)
    flash(
        _("Tijdelijk wachtwoord voor %(name)s ingesteld. Geef het persoonlijk door; "
          "bij de eerstvolgende keer inloggen kiest %(first)s een eigen wachtwoord.",
          name=person.name, first=person.name.split()[0]),
        "info",
    )
    return redirect(url_for("admin.people"))


@bp.post("/beheer/personen/<int:user_id>/actief")
@writes.change(refused=_refused)
def set_active(uow: writes.UnitOfWork, user_id: int):
    """Switch an account off (someone left the school) or on again. Switching off ends the
    person's logins at once; their name stays on what they did."""
    person = _person(user_id)
    if person.id == current_user.id:
        raise DomainError(N_("Je kunt je eigen account niet uitzetten."))
    active = request.form.get("active") == "1"
    person.active = active
    if not active:
        end_sessions(person.id)
        person.calendar_token = None  # switched on again, the old feed address stays dead
    uow.audit(audit.CHANGE, f"account {'aan' if active else 'uit'} van medewerker {person.id}",
              user_id=current_user.id)
    if active:
        flash(_("%(name)s kan weer inloggen.", name=person.name), "info")
    else:
        flash(_("%(name)s kan niet meer inloggen. Aanpakken waarvoor %(name)s "
                "verantwoordelijk was, blijven bewaard.", name=person.name), "info")
    return redirect(url_for("admin.people"))
