"""For admins: the people of their schools. Adding someone (who gets a one-time link to
choose a password), changing a role or schools, a new link for a forgotten password, and
switching an account off when someone leaves."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from steungroep.admin import (
    admins_only,
    import_views,
    invitations,
    own_schools,
    school_views,
    sign_in_views,
)
from steungroep.admin import people as use_cases
from steungroep.cases.pupils import like
from steungroep.core.extensions import db
from steungroep.domain import DomainError
from steungroep.domain import people as rules
from steungroep.domain.i18n import N_
from steungroep.models import STAFF_ROLES, School, User
from steungroep.web import audit, writes
from steungroep.web.pages import parse_int

bp = admins_only(Blueprint("admin", __name__, template_folder="templates"))


def init_app(app: Flask) -> None:
    """The admins' pages: people, the board's schools, the pupil import, the sign-in."""
    app.register_blueprint(bp)
    app.register_blueprint(school_views.bp)
    app.register_blueprint(import_views.bp)
    app.register_blueprint(sign_in_views.bp)


SHOWN = 200  # people on the page at once; a board of fifty schools chooses a school or searches


def _people(school_id: int | None, query: str) -> tuple[list[User], bool]:
    """The people of the admin's schools (or of one of them, or matching a search on name or
    address), with their schools; and whether there were more than are shown."""
    held = current_user.school_ids or {-1}
    wanted = {school_id} & held if school_id else held
    statement = select(User).where(User.schools.any(School.id.in_(wanted or {-1})))
    if query:
        pattern = like(query)
        statement = statement.where(or_(func.lower(User.name).like(pattern, escape="\\"),
                                        func.lower(User.email).like(pattern, escape="\\")))
    found = list(db.session.scalars(statement.options(selectinload(User.schools))
                                    .order_by(User.name, User.id).limit(SHOWN + 1)))
    return found[:SHOWN], len(found) > SHOWN


@bp.get("/beheer/personen")
def people(error=None, form=None, handed=None, status=200):
    """Everyone of the admin's schools, and the form to add someone."""
    school_id = parse_int(request.args.get("school"))
    query = " ".join(request.args.get("q", "").split())[:100]
    staff, more = _people(school_id, query)
    return render_template(
        "admin/people.html", people=staff, more=more, query=query, roles=STAFF_ROLES,
        schools=own_schools(), school_id=school_id,
        links=invitations.link_states([p.id for p in staff]),
        error=error, form=form or {}, handed=handed,
    ), status


def _form() -> dict:
    """The person form as typed; an admin of one school gives that school."""
    sent = request.form.getlist("schools")
    chosen = {parse_int(value) or -1 for value in sent}  # a value that is no id: refused
    if not sent and len(current_user.school_ids) == 1:
        chosen = set(current_user.school_ids)
    return {"name": request.form.get("name", ""), "email": request.form.get("email", ""),
            "role": request.form.get("role", ""), "schools": chosen,
            "reads_letters": "1" in request.form.getlist("reads_letters")
            if "reads_letters" in request.form else None}


def _add_refused(error: DomainError):
    return people(error=error, form=_form(), status=422)


@bp.post("/beheer/personen")
@writes.change(refused=_add_refused)
def person_add(uow: writes.UnitOfWork):
    """Add someone to the admin's schools; they get a link to choose a password."""
    form = _form()
    earlier = invitations.just_added_by(current_user, form["email"])
    if earlier is not None:
        # A second tap on Toevoegen: the first one added them (and showed the link).
        flash(_("%(name)s was net al toegevoegd. Zag je de link niet? Maak hier een nieuwe.",
                name=earlier.name), "info")
        return redirect(url_for("admin.person_page", user_id=earlier.id))
    person = use_cases.add_person(uow, name=form["name"], email=form["email"],
                                  role=form["role"], school_ids=form["schools"],
                                  held=current_user.school_ids)
    uow.audit(audit.CHANGE, f"medewerker {person.id} toegevoegd ({person.role})",
              user_id=current_user.id)
    handed = invitations.hand_over(uow, person, rules.INVITE)
    flash(_("%(name)s is toegevoegd.", name=person.name), "info")
    return people(handed=handed)


def _person(user_id: int) -> User:
    """Someone of the admin's schools; anyone else is a 404, as if they did not exist."""
    person = db.session.get(User, user_id)
    if person is None or not (person.school_ids & current_user.school_ids):
        abort(404)
    return person


@bp.get("/beheer/personen/<int:user_id>")
def person_page(user_id: int, error=None, form=None, handed=None, status=200):
    """One person: name, address, role and schools; a new link; switching off."""
    person = _person(user_id)
    return render_template(
        "admin/person.html", person=person, roles=STAFF_ROLES, schools=own_schools(),
        link=invitations.open_links([person.id]).get(person.id), error=error,
        form=form, handed=handed,
    ), status


def _change_refused(error: DomainError, user_id: int):
    return person_page(user_id, error=error, form=_form(), status=422)


@bp.post("/beheer/personen/<int:user_id>")
@writes.change(refused=_change_refused)
def person_change(uow: writes.UnitOfWork, user_id: int):
    """Save name, address, role and schools."""
    person = _person(user_id)
    form = _form()
    changed = use_cases.change_person(uow, person, current_user, name=form["name"],
                                      email=form["email"], role=form["role"],
                                      school_ids=form["schools"],
                                      reads_letters=form["reads_letters"])
    if changed:
        uow.audit(audit.CHANGE, f"medewerker {person.id}: {', '.join(changed)}",
                  user_id=current_user.id)
        flash(_("De gegevens van %(name)s zijn opgeslagen.", name=person.name), "info")
    else:
        flash(_("Er was niets veranderd."), "info")
    return redirect(url_for("admin.person_page", user_id=person.id))


def _simple_refused(error: DomainError, user_id: int):
    return person_page(user_id, error=error, status=422)


@bp.post("/beheer/personen/<int:user_id>/link")
@writes.change(refused=_simple_refused)
def person_link(uow: writes.UnitOfWork, user_id: int):
    """A new one-time link (a forgotten password, or a lost invitation): older links stop
    working and the person's logins end once it is used."""
    person = _person(user_id)
    if person.id == current_user.id:
        raise DomainError(N_("Je eigen wachtwoord wijzig je via ‘Account’ bovenaan."))
    if not person.active:
        raise DomainError(N_("Dit account staat uit. Zet het eerst weer aan."))
    purpose = rules.RESET if person.has_password else rules.INVITE
    return person_page(user_id, handed=invitations.hand_over(uow, person, purpose))


@bp.post("/beheer/personen/<int:user_id>/actief")
@writes.change(refused=_simple_refused)
def set_active(uow: writes.UnitOfWork, user_id: int):
    """Switch an account off (someone left the school) or on again."""
    person = _person(user_id)
    active = request.form.get("active") == "1"
    use_cases.set_active(uow, person, current_user, active)
    uow.audit(audit.CHANGE, f"account {'aan' if active else 'uit'} van medewerker {person.id}",
              user_id=current_user.id)
    if active:
        flash(_("%(name)s kan weer inloggen.", name=person.name), "info")
    else:
        flash(_("%(name)s kan niet meer inloggen. Aanpakken waarvoor %(name)s "
                "verantwoordelijk was, blijven bewaard.", name=person.name), "info")
    return redirect(url_for("admin.person_page", user_id=person.id))
