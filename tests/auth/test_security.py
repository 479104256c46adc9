"""Logging in and sessions, headers and error pages, and the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from steungroep import create_app
from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.models import Action, AuditEntry, LoginSession, User

from .. import factories as f
from ..conftest import make_app
from ..pages import visible_text


def entries(**where) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEntry, name) == value)
    return list(db.session.scalars(query))


# ---- logging in ----------------------------------------------------------------------------


def test_unknown_address_and_wrong_password_look_the_same(client, world):
    unknown = client.post("/inloggen", data={"email": "niemand@a.example", "password": "x" * 12})
    wrong = client.post("/inloggen", data={"email": world.teacher.email, "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 422
    message = "Dit e-mailadres en wachtwoord horen niet bij elkaar."
    assert message in visible_text(unknown) and message in visible_text(wrong)
    assert visible_text(unknown).replace("niemand@a.example", "") == visible_text(wrong).replace(
        world.teacher.email, ""
    )


def test_logging_out_ends_the_session_on_the_server(client, world, login):
    login(world.teacher)
    cookie = client.get_cookie("session").value
    client.post("/uitloggen")
    client.set_cookie("session", cookie)  # someone replays the old cookie
    response = client.get("/")
    assert response.status_code == 302 and "/inloggen" in response.location
    assert db.session.scalars(select(LoginSession)).one().ended_at is not None


def test_sessions_end_after_their_lifetime(client, world, login):
    login(world.teacher)
    login_session = db.session.scalars(select(LoginSession).where(
        LoginSession.ended_at.is_(None))).one()
    login_session.started_at = utcnow() - timedelta(hours=11)  # SESSION_HOURS is 10
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/inloggen" in response.location


def test_session_cookie_flags(client, world, app, monkeypatch):
    response = client.post(
        "/inloggen", data={"email": world.teacher.email, "password": f.PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    client.post("/uitloggen")
    secure = client.post(
        "/inloggen", data={"email": world.teacher.email, "password": f.PASSWORD}
    )
    assert "Secure" in secure.headers["Set-Cookie"]


# ---- passwords -----------------------------------------------------------------------------


def test_change_own_password(client, world, app, login):
    other_device = app.test_client()
    other_device.post("/inloggen", data={"email": world.teacher.email, "password": f.PASSWORD})
    assert other_device.get("/").status_code == 200
    login(world.teacher)
    form = {"current": f.PASSWORD, "password": "fiets-wolk-potlood-haven",
            "repeat": "fiets-wolk-potlood-haven"}
    wrong = client.post("/account/wachtwoord", data={**form, "current": "fout-fout-fout"})
    assert wrong.status_code == 422 and "huidige wachtwoord klopt niet" in visible_text(wrong)
    weak = client.post("/account/wachtwoord",
                       data={**form, "password": "wachtwoord2026", "repeat": "wachtwoord2026"})
    assert weak.status_code == 422 and "te makkelijk" in visible_text(weak)
    mismatch = client.post("/account/wachtwoord", data={**form, "repeat": "iets-anders-dan-dat"})
    assert mismatch.status_code == 422 and "niet gelijk" in visible_text(mismatch)
    assert client.post("/account/wachtwoord", data=form).status_code == 302
    assert client.get("/").status_code == 200  # this device carries on
    assert other_device.get("/").status_code == 302  # the other one is logged out
    db.session.refresh(world.teacher)
    assert world.teacher.check_password("fiets-wolk-potlood-haven")
    assert [e.what for e in entries(action="wijziging")] == ["wachtwoord gewijzigd"]


def test_an_admin_reset_is_a_link_and_ends_the_old_logins(client, world, app, login):
    """No password typed by someone else: the admin makes a one-time link; once it is used
    the person's other logins end. A password reset by an earlier version (a temporary
    password) still has to be replaced before anything else."""
    victim_device = app.test_client()
    victim_device.post("/inloggen", data={"email": world.colleague.email, "password": f.PASSWORD})
    login(world.admin)
    page = visible_text(client.get("/beheer/personen"))
    assert "Meester Karim" in page and "Juf Petra" not in page  # only their own school
    response = client.post(f"/beheer/personen/{world.colleague.id}/link")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    link = re.search(r"data-handed-link>http://localhost(/welkom/[^<]+)<", page).group(1)
    assert victim_device.get("/").status_code == 200  # nothing ends until the link is used
    assert app.test_client().post(link, data={"password": "eigen-blauw-paard-7",
                                              "repeat": "eigen-blauw-paard-7"}).status_code == 302
    assert victim_device.get("/").status_code == 302  # the old login ended
    foreign = client.post(f"/beheer/personen/{world.other_teacher.id}/link")
    assert foreign.status_code == 404

    world.teacher.must_change_password = True
    db.session.commit()
    login(world.teacher)
    assert client.get("/").location.endswith("/account/wachtwoord")
    assert client.get(f"/zaken/{f.case_at(world, 'gesprek').id}").status_code == 302
    done = client.post("/account/wachtwoord", data={
        "current": f.PASSWORD, "password": "eigen-groen-paard-8",
        "repeat": "eigen-groen-paard-8"})
    assert done.status_code == 302 and client.get("/").status_code == 200


def test_admin_switches_an_account_off_and_on(client, world, app, login):
    world.colleague.calendar_token = "agenda-adres-van-karim-0123456789"
    db.session.commit()
    feed = "/agenda/agenda-adres-van-karim-0123456789.ics"
    assert client.get(feed).status_code == 200
    leaver = app.test_client()
    leaver.post("/inloggen", data={"email": world.colleague.email, "password": f.PASSWORD})
    assert leaver.get("/").status_code == 200
    login(world.admin)
    off = client.post(f"/beheer/personen/{world.colleague.id}/actief", data={"active": "0"})
    assert off.status_code == 302
    assert "niet actief" in visible_text(client.get("/beheer/personen"))
    assert leaver.get("/").status_code == 302  # logged out at once
    again = leaver.post("/inloggen", data={"email": world.colleague.email,
                                           "password": f.PASSWORD})
    assert again.status_code == 422 and leaver.get("/").status_code == 302
    own = client.post(f"/beheer/personen/{world.admin.id}/actief", data={"active": "0"})
    assert own.status_code == 422 and "eigen account" in visible_text(own)
    foreign = client.post(f"/beheer/personen/{world.other_teacher.id}/actief",
                          data={"active": "0"})
    assert foreign.status_code == 404
    assert client.post(f"/beheer/personen/{world.colleague.id}/actief",
                       data={"active": "1"}).status_code == 302
    assert leaver.post("/inloggen", data={"email": world.colleague.email,
                                          "password": f.PASSWORD}).status_code == 302
    assert client.get(feed).status_code == 404  # the old feed address did not come back
    assert [e.what for e in entries(action="wijziging")] == [
        f"account uit van medewerker {world.colleague.id}",
        f"account aan van medewerker {world.colleague.id}",
    ]


def test_teachers_cannot_reach_the_admin_pages(client, world, login):
    login(world.coordinator)
    assert client.get("/beheer/personen").status_code == 404


# ---- headers and error pages ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/inloggen", "/static/css/app.css", "/bestaat-niet"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    for part in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"]:
        assert part in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert "microphone=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_over_https(client):
    response = client.get("/inloggen", base_url="https://steungroep.school.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_proxy_https_makes_the_session_cookie_secure_as_hsts_says(tmp_path):
    """TRUSTED_PROXIES=1 and X-Forwarded-Proto: https, without PUBLIC_URL: HSTS and a Secure
    session cookie come together; plain HTTP gets neither."""
    app = make_app(f"sqlite:///{tmp_path}/proxy.sqlite", str(tmp_path), TRUSTED_PROXIES=1,
                   SESSION_COOKIE_SECURE=False, PUBLIC_URL="")
    with app.app_context():
        db.create_all()
        f.make_world()
    client = app.test_client()
    form = {"email": "anne@a.example", "password": f.PASSWORD}
    response = client.post("/inloggen", data=form, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "Secure" in session_cookie
    assert all("Secure" in c for c in cookies)
    plain = app.test_client().post("/inloggen", data=form)
    assert "Strict-Transport-Security" not in plain.headers
    assert not any("Secure" in c for c in plain.headers.getlist("Set-Cookie"))
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("target", ["/zaken/1\r\nSet-Cookie: x=1", "/%0d%0aLocation:%20//evil",
                                    "//evil.example", "https://evil.example/", "/\\evil"])
def test_next_with_line_breaks_or_another_site_goes_home(client, world, target):
    response = client.post("/inloggen?next=" + target,
                           data={"email": world.teacher.email, "password": f.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "x=1" not in " ".join(response.headers.getlist("Set-Cookie"))


def test_friendly_error_pages(client, world, login):
    login(world.teacher)
    wrong_method = client.delete("/inloggen")
    assert wrong_method.status_code == 405 and "Dat kan zo niet" in visible_text(wrong_method)


def test_reopening_a_forms_address_goes_to_the_page_of_the_form(client, world, login):
    """After a refused form the address bar holds the form's POST address; opening it again
    (reload, a bookmark) goes to the page the form is on instead of a 405."""
    case = f.case_at(world, "evaluatie_leerling")
    login(world.teacher)
    refused = client.post(f"/zaken/{case.id}/evaluaties/leerling/verplaatsen",
                          data={"due_on": "1999-01-01", "reason": ""})
    assert refused.status_code == 422
    again = client.get(f"/zaken/{case.id}/evaluaties/leerling/verplaatsen")
    assert again.status_code == 303 and again.headers["Location"] == f"/zaken/{case.id}"
    member = case.group.members[0]
    meeting = client.get(f"/zaken/{case.id}/bijeenkomst/acties/{member.id}")
    assert meeting.headers["Location"] == f"/zaken/{case.id}/bijeenkomst"


def test_a_crash_shows_a_calm_page_and_no_trace(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})

    @app.get("/stuk")
    def _broken():
        raise RuntimeError("geheime details uit de code")

    @app.get("/onbegrijpelijk")
    def _bad():
        from flask import abort

        abort(400)

    bad = app.test_client().get("/onbegrijpelijk")
    assert bad.status_code == 400 and "Dat begreep de app niet" in bad.get_data(as_text=True)
    assert "Bad Request" not in bad.get_data(as_text=True)

    response = app.test_client().get("/stuk")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Er ging iets mis" in page
    assert "geheime details" not in page and "Traceback" not in page
    # the id a teacher can quote is the one in the log line and the header
    assert f"Foutcode voor de beheerder: {response.headers['X-Request-ID']}" in page
    assert response.headers["Content-Security-Policy"]


# ---- the audit trail -----------------------------------------------------------------------


def test_reads_and_changes_of_a_case_are_recorded(client, world, login):
    case = f.case_at(world, "gesprek")
    login(world.teacher)
    client.get(f"/zaken/{case.id}")
    client.post(f"/zaken/{case.id}/geinformeerd",
                data={"party": "ouders", "informed_on": "2026-11-20", "note": ""})
    login(world.colleague)
    client.get(f"/zaken/{case.id}")  # 404: not recorded as a read
    recorded = [(e.user_id, e.action, e.what, e.case_id, e.pupil_id) for e in entries(
        case_id=case.id)]
    assert recorded == [
        (world.teacher.id, "inzage", "cases.case_page", case.id, case.pupil_id),
        (world.teacher.id, "wijziging", "cases.informed_create", case.id, case.pupil_id),
    ]


def test_login_attempts_are_recorded_without_the_address_typed(client, world):
    client.post("/inloggen", data={"email": "niemand@a.example", "password": "x" * 12})
    client.post("/inloggen", data={"email": world.teacher.email, "password": f.PASSWORD})
    assert [(e.user_id, e.what) for e in entries(action="aanmelding")] == [
        (None, "inloggen mislukt"), (world.teacher.id, "inloggen")
    ]


def test_the_audit_trail_cannot_be_edited_or_deleted(client, world, login):
    case = f.case_at(world, "gesprek")
    login(world.teacher)
    client.get(f"/zaken/{case.id}")
    entry = entries(case_id=case.id)[0]
    entry.action = "niets"
    with pytest.raises(RuntimeError, match="kan niet worden gewijzigd"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entries(case_id=case.id)[0])
    with pytest.raises(RuntimeError, match="kan niet worden gewijzigd"):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) >= 1


def test_the_audit_trail_holds_no_names_or_texts():
    """Only ids, moments and action names: nothing to strip when a case is anonymised."""
    columns = {c.name: type(c.type).__name__ for c in AuditEntry.__table__.columns}
    assert columns == {
        "id": "Integer", "at": "DateTime", "user_id": "Integer", "action": "String",
        "what": "String", "case_id": "Integer", "pupil_id": "Integer", "school_id": "Integer",
    }
    assert User.__tablename__ == "users"


def test_make_app_still_builds_a_test_app(tmp_path):
    assert make_app(f"sqlite:///{tmp_path}/y.sqlite", str(tmp_path)).config["TESTING"]


def test_control_characters_are_dropped_from_what_is_typed(client, world, login):
    """A pasted text with a NUL byte (PostgreSQL refuses those) is stored without it; the
    rest of what was typed stays."""
    case = f.case_at(world, "bijeenkomst")
    member = case.group.members[0]
    login(world.teacher)
    response = client.post(f"/zaken/{case.id}/bijeenkomst/acties/{member.id}",
                           data={"text": "Ik ga\x00 gedag\x07 zeggen.\tEcht."})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(Action.text).where(Action.member_id == member.id))
    assert stored == "Ik ga gedag zeggen.\tEcht."
    login(world.coordinator)
    assert client.get("/overzicht?q=Ba%00s").status_code == 200


def test_a_body_of_ten_megabytes_gets_a_dutch_page(client, world, login):
    case = f.case_at(world, "gesprek")
    login(world.coordinator)
    response = client.post(f"/zaken/{case.id}/notitie", data={"text": "x" * 10_000_000})
    assert response.status_code == 413
    assert "Dat was te veel in één keer" in response.get_data(as_text=True)
