"""For board admins: the board's schools. Creating a school (with its first admin), its
name, type and BRIN, and naming its admins. Schools of another board do not exist here."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from steungroep.admin import admins_only, invitations
from steungroep.admin import people as use_cases
from steungroep.core.extensions import db
from steungroep.domain import REGIONS, SCHOOL_KINDS, DomainError
from steungroep.domain import people as rules
from steungroep.domain.errors import FormErrors
from steungroep.domain.i18n import N_
from steungroep.models import ROLE_ADMIN, Board, School, User, user_schools
from steungroep.web import audit, writes

bp = admins_only(Blueprint("schools", __name__, template_folder="templates"))


@bp.before_request
def _board_admins_only():
    if not current_user.is_board_admin:
        abort(404)


def _board() -> Board:
    return db.session.get(Board, current_user.board_id)


def _admins(school_ids: list[int]) -> dict[int, list[User]]:
    """The active admins of each school (one statement)."""
    found: dict[int, list[User]] = {i: [] for i in school_ids}
    rows = db.session.execute(
        select(user_schools.c.school_id, User)
        .join(User, User.id == user_schools.c.user_id)
        .where(user_schools.c.school_id.in_(school_ids or [-1]), use_cases.own_admin())
        .order_by(User.name))
    for school_id, user in rows:
        found[school_id].append(user)
    return found


def _form() -> dict:
    return {key: request.form.get(key, "") for key in
            ("name", "kind", "region", "brin", "admin_name", "admin_email", "board")}


@bp.get("/beheer/scholen")
def schools(error=None, form=None, handed=None, status=200):
    """The board's schools with their admins, and the form for a new school."""
    board = _board()
    listed = list(db.session.scalars(select(School).where(School.board_id == board.id)
                                     .order_by(School.name)))
    return render_template(
        "admin/schools.html", board=board, schools=listed,
        admins=_admins([s.id for s in listed]), kinds=SCHOOL_KINDS, regions=REGIONS,
        error=error, form=form or {"kind": "po", "region": "midden"}, handed=handed,
    ), status


def _create_refused(error: DomainError):
    return schools(error=error, form=_form(), status=422)


def _admin_fields(form: dict) -> tuple[str, str] | None:
    """The first admin typed with a new school, if any (both fields or neither)."""
    if not (form["admin_name"].strip() or form["admin_email"].strip()):
        return None
    return form["admin_name"], form["admin_email"]


def _rename(errors: list[DomainError], prefix: str) -> list[DomainError]:
    """The person form's fields as they are called on the school forms."""
    for error in errors:
        if error.field in ("name", "email"):
            error.field = prefix + error.field
    return errors


def _name_admin(uow: writes.UnitOfWork, school: School, name: str, email: str
                ) -> invitations.Handed | None:
    """Make someone admin of ``school``: an admin of the board already (by address) gets the
    school; anyone new gets an admin account and a link. Returns what to hand over."""
    typed = email.strip().lower()
    existing = db.session.scalar(select(User).where(func.lower(User.email) == typed)) \
        if typed else None
    board_ids = {s.id for s in _board().schools}
    if existing is not None:
        rules.check_named_admin(bool(existing.school_ids & board_ids), existing.role,
                                existing.name)
        if school not in existing.schools:
            existing.schools.append(school)
        uow.audit(audit.CHANGE, f"medewerker {existing.id} beheerder van school {school.id}",
                  user_id=current_user.id, school_id=school.id)
        return None
    try:
        person = use_cases.add_person(uow, name=name, email=email, role=ROLE_ADMIN,
                                      school_ids={school.id}, held=None)
    except DomainError as error:
        renamed = _rename(error.all, "admin_")
        raise (renamed[0] if len(renamed) == 1 else FormErrors(renamed)) from None
    uow.audit(audit.CHANGE, f"medewerker {person.id} toegevoegd (admin)",
              user_id=current_user.id, school_id=school.id)
    return invitations.hand_over(uow, person, rules.INVITE)


@bp.post("/beheer/scholen")
@writes.change(refused=_create_refused)
def school_create(uow: writes.UnitOfWork):
    """A new school of the board, and optionally its first admin."""
    form = _form()
    school = use_cases.create_school(_board(), form["name"], form["kind"], form["region"],
                                     form["brin"])
    uow.audit(audit.CHANGE, f"school {school.id} aangemaakt", user_id=current_user.id,
              school_id=school.id)
    handed = None
    admin = _admin_fields(form)
    if admin:
        handed = _name_admin(uow, school, *admin)
        db.session.flush()
    flash(_("%(school)s is aangemaakt.", school=school.name), "info")
    return schools(handed=handed)


def _school(school_id: int) -> School:
    school = db.session.get(School, school_id)
    if school is None or school.board_id != current_user.board_id:
        abort(404)
    return school


def _stored(school: School) -> dict:
    return {"name": school.name, "kind": school.kind, "brin": school.brin or ""}


@bp.get("/beheer/scholen/<int:school_id>")
def school_page(school_id: int, error=None, form=None, handed=None, status=200):
    """One school of the board: its name, type and BRIN, and its admins."""
    school = _school(school_id)
    return render_template(
        "admin/school.html", school=school, admins=_admins([school.id])[school.id],
        kinds=SCHOOL_KINDS, error=error, handed=handed,
        form=form or _stored(school),
    ), status


def _school_refused(error: DomainError, school_id: int):
    """The page again with what was typed in whichever of its forms was sent."""
    form = _stored(_school(school_id))
    form.update({key: value for key, value in _form().items() if key in request.form})
    return school_page(school_id, error=error, form=form, status=422)


@bp.post("/beheer/scholen/<int:school_id>")
@writes.change(refused=_school_refused)
def school_change(uow: writes.UnitOfWork, school_id: int):
    """Save the school's name, type and BRIN."""
    school = _school(school_id)
    form = _form()
    use_cases.change_school(school, form["name"], form["kind"], form["brin"])
    uow.audit(audit.CHANGE, f"school {school.id} gewijzigd", user_id=current_user.id,
              school_id=school.id)
    flash(_("%(school)s is opgeslagen.", school=school.name), "info")
    return redirect(url_for("schools.school_page", school_id=school.id))


@bp.post("/beheer/scholen/<int:school_id>/beheerders")
@writes.change(refused=_school_refused)
def school_admin_add(uow: writes.UnitOfWork, school_id: int):
    """Name an admin of the school (new, or an admin of another school of the board)."""
    school = _school(school_id)
    form = _form()
    if not _admin_fields(form):
        raise FormErrors([DomainError(N_("Vul de naam in."), "admin_name"),
                          DomainError(N_("Vul het e-mailadres in."), "admin_email")])
    handed = _name_admin(uow, school, form["admin_name"], form["admin_email"])
    db.session.flush()
    flash(_("De beheerder van %(school)s is toegevoegd.", school=school.name), "info")
    return school_page(school.id, handed=handed)


@bp.post("/beheer/bestuur")
@writes.change(refused=_create_refused)
def board_rename(uow: writes.UnitOfWork):
    """The board's name."""
    board = _board()
    use_cases.rename_board(board, request.form.get("board", ""))
    uow.audit(audit.CHANGE, f"bestuur {board.id} hernoemd", user_id=current_user.id)
    return redirect(url_for("schools.schools"))
