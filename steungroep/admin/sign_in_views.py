"""For admins: a school's sign-in with its own accounts (OpenID Connect): the provider's
issuer, the client id and secret the school registered for steungroep there, and whether
staff must use it. Saving reads the provider's discovery document first, so a typo in the
issuer is found here and not by a teacher at 8:25."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from steungroep.admin import admins_only, own_schools
from steungroep.auth import sso
from steungroep.core.extensions import db
from steungroep.core.sealed import seal, unseal
from steungroep.domain import DomainError, people
from steungroep.domain.i18n import N_
from steungroep.domain.sso import check_discovery, clean_client, clean_issuer
from steungroep.models import School, SchoolSignIn
from steungroep.web import audit, writes
from steungroep.web.pages import parse_int

bp = admins_only(Blueprint("sign_ins", __name__, template_folder="templates"))


def _school(value) -> School:
    """The chosen school of this admin (the first when none is chosen); 404 for another."""
    schools = own_schools()
    if not schools:
        abort(404)
    if value in (None, ""):
        return schools[0]
    chosen = parse_int(value)
    school = next((s for s in schools if s.id == chosen), None)
    if school is None:
        abort(404)
    return school


def _page(school: School, status: int = 200, error: DomainError | None = None, form=None):
    sign_in = db.session.get(SchoolSignIn, school.id)
    if form is None:
        form = {"issuer": sign_in.issuer if sign_in else "",
                "client_id": sign_in.client_id if sign_in else "",
                "required": "1" if sign_in and sign_in.required else "",
                "create_accounts": "1" if sign_in and sign_in.create_accounts else "",
                "domains": sign_in.domains if sign_in else ""}
    return render_template(
        "admin/sign_in.html", schools=own_schools(), school=school, sign_in=sign_in,
        secret_readable=bool(sign_in and unseal(sign_in.client_secret) is not None),
        redirect_uri=sso.redirect_uri(), error=error, form=form,
    ), status


@bp.route("/beheer/schoolaccount", methods=["GET", "POST"])
def settings():
    """GET shows a school's settings; POST checks them with the provider (outside any
    transaction: a slow provider holds no lock) and then saves them in ``_save``."""
    school = _school(request.values.get("school"))
    if request.method == "GET":
        return _page(school)
    form = {name: request.form.get(name, "") for name in
            ("issuer", "client_id", "required", "create_accounts", "domains")}
    existing = db.session.get(SchoolSignIn, school.id)
    try:
        issuer = clean_issuer(form["issuer"],
                              allow_loopback=current_app.config["SSO_ALLOW_LOOPBACK"])
        keeps_secret = bool(existing and unseal(existing.client_secret) is not None)
        client_id, secret = clean_client(form["client_id"], request.form.get("client_secret"),
                                         has_secret=keeps_secret)
        domains = people.clean_domains(form["domains"])
        if form["create_accounts"] == "1" and not domains:
            raise DomainError(N_("Vul het e-maildomein van de school in (zoals school.nl): "
                                 "alleen adressen daarvan krijgen vanzelf een account."),
                              "domains")
        issuer = check_discovery(issuer, sso.fetch_discovery(issuer))
    except DomainError as error:
        return _page(school, 422, error, form)
    return _save(school_id=school.id, issuer=issuer, client_id=client_id, secret=secret,
                 required=form["required"] == "1", form=form, domains=domains,
                 create_accounts=form["create_accounts"] == "1")


def _refused(error: DomainError, school_id: int, form: dict, **_):
    return _page(_school(str(school_id)), 422, error, form)


@writes.change(refused=_refused)
def _save(uow: writes.UnitOfWork, school_id: int, issuer: str, client_id: str, secret: str,
          required: bool, form: dict, domains: str, create_accounts: bool):
    sign_in = db.session.get(SchoolSignIn, school_id)
    if sign_in is None:
        if not secret:  # another admin switched it off in between
            raise DomainError(N_("Vul het client secret in."), "client_secret")
        sign_in = SchoolSignIn(school_id=school_id)
        db.session.add(sign_in)
    sign_in.issuer, sign_in.client_id, sign_in.required = issuer, client_id, required
    sign_in.domains, sign_in.create_accounts = domains, create_accounts
    if secret:
        sign_in.client_secret = seal(secret)
    uow.audit(audit.CHANGE, "inloggen met schoolaccount ingesteld", user_id=current_user.id,
              school_id=school_id)
    flash(_("Opgeslagen. Probeer het inloggen met het schoolaccount nu zelf uit (uitloggen, "
            "dan de knop op de inlogpagina) voordat je collega's het laat gebruiken."), "info")
    return redirect(url_for("sign_ins.settings", school=school_id))


@bp.post("/beheer/schoolaccount/<int:school_id>/uit")
@writes.change()
def switch_off(uow: writes.UnitOfWork, school_id: int):
    """Stop logging in with the school's accounts: everyone uses their password again."""
    school = _school(str(school_id))
    sign_in = db.session.get(SchoolSignIn, school.id)
    if sign_in is not None:
        db.session.delete(sign_in)
        uow.audit(audit.CHANGE, "inloggen met schoolaccount uitgezet", user_id=current_user.id,
                  school_id=school.id)
    flash(_("%(school)s logt weer alleen met e-mailadres en wachtwoord in. Wie nog geen "
            "wachtwoord heeft, krijgt er een via ‘Personen’.", school=school.name), "info")
    return redirect(url_for("sign_ins.settings", school=school.id))
