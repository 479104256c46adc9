"""Logging in, the idle lock and the session, through the Flask test client: one Dutch
message for a wrong login, pages behind the login, a lock that keeps the page, headers and
CSRF."""

from __future__ import annotations

import re
import time

from steungroep.models import Case

from .. import factories as f
from ..conftest import make_app
from ..pages import count, melding_form, text_of


def test_login_wrong_password_gives_one_dutch_message(client, world):
    """A wrong password and an unknown e-mail get the same message, status 422."""
    wrong = client.post("/inloggen", data={"email": world.teacher.email, "password": "nee"})
    unknown = client.post("/inloggen", data={"email": "x@y.example", "password": "nee"})
    assert wrong.status_code == unknown.status_code == 422
    assert "horen niet bij elkaar" in text_of(wrong)
    assert "horen niet bij elkaar" in text_of(unknown)


def test_pages_need_login(client, world):
    """Anonymous visitors are sent to the login page; htmx requests get 401 + HX-Redirect."""
    case = f.new_case(world)
    response = client.get(f"/zaken/{case.id}")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    htmx = client.get(f"/zaken/{case.id}", headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"] == f"/inloggen?next=/zaken/{case.id}"


def test_login_next_only_follows_local_paths(client, world):
    """?next= never leads off the site after logging in."""
    response = client.post(
        "/inloggen?next=https://evil.example/x",
        data={"email": world.teacher.email, "password": f.PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_idle_session_asks_for_password_again(client, world, login):
    """After 15 idle minutes the shared tablet shows the lock page, then carries on."""
    login(world.teacher)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 16 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/vergrendeld" in response.headers["Location"]
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and "/vergrendeld" in htmx.headers["HX-Redirect"]
    assert client.post("/vergrendeld", data={"password": "fout"}).status_code == 422
    assert client.get("/").status_code == 302  # still locked
    client.post("/vergrendeld", data={"password": f.PASSWORD})
    assert client.get("/").status_code == 200


def test_logout_ends_session(client, world, login):
    """After logging out, pages ask for a login again."""
    login(world.teacher)
    client.post("/uitloggen")
    assert client.get("/").status_code == 302


def test_security_headers_on_pages(client, world, login):
    """Every page carries the CSP, a same-origin referrer policy and no-store caching."""
    login(world.teacher)
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_csrf_missing_token_is_400_and_changes_nothing(world):
    """With CSRF on, a form without a valid token answers 400 and stores nothing."""
    from flask import current_app

    app = make_app(
        current_app.config["SQLALCHEMY_DATABASE_URI"], current_app.instance_path,
        WTF_CSRF_ENABLED=True,
    )
    client = app.test_client()
    with app.app_context():
        page = text_of(client.get("/inloggen"))
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(
            "/inloggen",
            data={"email": world.teacher.email, "password": f.PASSWORD, "csrf_token": token},
        )
        response = client.post("/meldingen/nieuw", data=melding_form(world.subject))
        assert response.status_code == 400
        assert "beveiligingscode" in text_of(response)
        assert count(Case) == 0


def test_htmx_request_after_idle_lock_returns_to_its_page(client, world, login):
    """An htmx request on a locked session redirects to the lock page with the page the
    request came from as next, and unlocking goes back there."""
    case = f.case_at(world, "bijeenkomst")
    login(world.teacher)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 16 * 60
    response = client.post(
        f"/zaken/{case.id}/bijeenkomst/acties/{case.group.members[0].id}",
        data={"text": "x"},
        headers={"HX-Request": "true",
                 "HX-Current-URL": f"http://localhost/zaken/{case.id}/bijeenkomst"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == f"/vergrendeld?next=/zaken/{case.id}/bijeenkomst"
    unlocked = client.post(f"/vergrendeld?next=/zaken/{case.id}/bijeenkomst",
                           data={"password": f.PASSWORD})
    assert unlocked.headers["Location"] == f"/zaken/{case.id}/bijeenkomst"


def test_lock_page_has_no_idle_timer_and_next_cannot_loop(client, world, login):
    """The lock page runs no idle timer of its own, and next= never points at it."""
    login(world.teacher)
    assert "data-idle-minutes" in text_of(client.get("/"))
    with client.session_transaction() as session:
        session["locked"] = True
    page = text_of(client.get("/vergrendeld"))
    assert "data-idle-minutes" not in page
    response = client.post("/vergrendeld?next=/vergrendeld", data={"password": f.PASSWORD})
    assert response.headers["Location"] == "/"


def test_five_wrong_unlocks_log_out(client, world, login):
    """A pupil guessing at a locked tablet is logged out after five wrong passwords."""
    login(world.teacher)
    with client.session_transaction() as session:
        session["locked"] = True
    for _ in range(4):
        assert client.post("/vergrendeld", data={"password": "raden"}).status_code == 422
    final = client.post("/vergrendeld", data={"password": "raden"})
    assert final.headers["Location"] == "/inloggen"
    assert client.get("/").headers["Location"].startswith("/inloggen")


def test_keep_alive_holds_off_the_idle_lock(client, world, login):
    """The page's keep-alive (sent while the teacher taps and types) counts as activity."""
    login(world.teacher)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 14 * 60
    assert client.get("/actief").status_code == 204
    with client.session_transaction() as session:
        assert time.time() - session["seen"] < 5
