"""Logging in with the school's account, against a real OpenID provider (oidc-provider, run
locally by tests/oidc.py): the way in, and every way it is refused."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import requests
import time_machine
from authlib.common.security import generate_token
from authlib.integrations.flask_client import FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.core.sealed import seal
from steungroep.models import AuditEntry, LoginSession, SchoolSignIn
from steungroep.web.writes import UnitOfWork

from .. import factories
from ..oidc import (
    BACK,
    CALLBACK,
    SECRET,
    path_and_query,
    query,
    refusal,
    sign_in_at_provider,
    sso_login,
    start,
)


@pytest.fixture
def configure(app, world, provider):
    """Give a school (School A by default) its sign-in at the local provider."""

    def _configure(school=None, *, required=False, client_id="steungroep", issuer=None,
                   secret=SECRET):
        school = school or world.school
        with UnitOfWork():
            db.session.merge(SchoolSignIn(school_id=school.id, issuer=issuer or provider.issuer,
                                          client_id=client_id, client_secret=seal(secret),
                                          required=required))
        return school

    return _configure


def logins(user) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == user.id))


def audited(what: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.what == what))


def test_a_teacher_logs_in_with_the_school_account(client, world, configure):
    school = configure()
    authorize = query(start(client, school.id))
    # the authorization code flow with PKCE (S256), state and nonce
    assert authorize["response_type"] == "code" and authorize["client_id"] == "steungroep"
    assert authorize["code_challenge_method"] == "S256" and len(authorize["code_challenge"]) > 40
    assert len(authorize["state"]) >= 20 and len(authorize["nonce"]) >= 20
    assert authorize["redirect_uri"] == BACK and "openid" in authorize["scope"].split()

    response, _ = sso_login(client, school.id, "anne")  # the provider says Anne@A.example
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Mijn open meldingen" in client.get("/").get_data(as_text=True)
    assert logins(world.teacher) == 1 and audited("inloggen via schoolaccount") == 1
    # the login page now offers this school first on this device
    page = client.post("/uitloggen", follow_redirects=True).get_data(as_text=True)
    assert "Inloggen via School A" in page
    # the provider may still know Anne: the next person on this tablet is asked who it is
    assert "prompt" not in authorize and query(start(client, school.id))["prompt"] == "login"


def test_a_replayed_callback_is_refused(client, app, world, configure):
    school = configure()
    response, back = sso_login(client, school.id, "anne")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    # opened again while logged in (the back button): nothing happens, no message
    assert client.get(path_and_query(back)).headers["Location"] == "/"
    assert "verlopen" not in client.get("/").get_data(as_text=True)
    client.post("/uitloggen")
    again = client.get(path_and_query(back))  # the same state and code once more
    assert "verlopen of al gebruikt" in refusal(client, again)
    elsewhere = app.test_client()  # the callback opened in another browser
    assert "verlopen of al gebruikt" in refusal(elsewhere, elsewhere.get(path_and_query(back)))
    assert logins(world.teacher) == 1


def test_an_unknown_address_is_refused_and_nobody_is_created(client, world, configure):
    school = configure()
    users = db.session.scalar(select(func.count()).select_from(type(world.teacher)))
    response, _ = sso_login(client, school.id, "nobody")
    page = refusal(client, response)
    assert "geen account voor nobody@a.example" in page and "School A" in page
    assert db.session.scalar(select(func.count()).select_from(type(world.teacher))) == users
    assert audited("inloggen via schoolaccount geweigerd") == 1


def test_a_switched_off_account_is_refused(client, world, configure):
    school = configure()
    with UnitOfWork():
        db.session.get(type(world.teacher), world.teacher.id).active = False
    response, _ = sso_login(client, school.id, "anne")
    assert "Je account staat uit" in refusal(client, response)
    assert logins(world.teacher) == 0


def test_staff_of_another_school_cannot_log_in_through_this_schools_provider(
        client, world, configure):
    school = configure()  # Petra works at School B, which has no sign-in of its own
    response, _ = sso_login(client, school.id, "petra")
    assert "geen account voor petra@b.example" in refusal(client, response)


def test_an_address_the_provider_does_not_vouch_for_is_refused(client, world, configure):
    school = configure()
    response, _ = sso_login(client, school.id, "karim")  # email_verified: false
    assert "geen bevestigd e-mailadres" in refusal(client, response)
    assert logins(world.colleague) == 0


def test_an_id_token_for_another_app_is_refused(client, world, configure, provider,
                                                monkeypatch, caplog):
    """A genuine ID token with the right nonce, signed by the school's provider, but issued
    to another client: its audience is not ours."""
    school = configure()
    authorize_url = start(client, school.id)
    nonce = query(authorize_url)["nonce"]
    metadata = requests.get(provider.issuer + "/.well-known/openid-configuration",
                            timeout=10).json()
    other = OAuth2Session("andere-app", SECRET, scope="openid email profile",
                          redirect_uri=BACK, code_challenge_method="S256")
    verifier = generate_token(48)
    url, _ = other.create_authorization_url(metadata["authorization_endpoint"], nonce=nonce,
                                            code_verifier=verifier)
    foreign = other.fetch_token(
        metadata["token_endpoint"], code_verifier=verifier,
        authorization_response=sign_in_at_provider(url, "anne", requests.Session(), BACK))
    back = sign_in_at_provider(authorize_url, "anne", requests.Session(), BACK)
    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token",
                        lambda self, **kwargs: dict(foreign))
    with caplog.at_level(logging.WARNING, logger="steungroep.auth.sso"):
        response = client.get(path_and_query(back))
    assert "bewijs van je inlogdienst klopt niet" in refusal(client, response)
    assert "aud" in caplog.text
    assert logins(world.teacher) == 0


def test_an_expired_id_token_is_refused(client, world, configure, caplog):
    school = configure()
    back = sign_in_at_provider(start(client, school.id), "anne", requests.Session(), BACK)
    later = datetime.now(UTC) + timedelta(hours=2)  # the token lives an hour
    with caplog.at_level(logging.WARNING, logger="steungroep.auth.sso"), \
            time_machine.travel(later, tick=True):
        response = client.get(path_and_query(back))
        page = refusal(client, response)
    assert "bewijs van je inlogdienst klopt niet" in page
    assert "expired" in caplog.text.lower()
    assert logins(world.teacher) == 0


def test_cancelling_at_the_provider_says_so(client, world, configure):
    school = configure()
    state = query(start(client, school.id))["state"]
    response = client.get(f"{CALLBACK}?error=access_denied&state={state}")
    assert "afgebroken" in refusal(client, response)


def test_an_unreachable_provider_gets_a_message_not_an_error(client, world, configure):
    import socket

    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    school = configure(issuer=f"http://127.0.0.1:{port}")
    response = client.get(f"/inloggen/school/{school.id}")
    assert response.status_code == 302
    assert "niet bereikbaar" in client.get("/inloggen").get_data(as_text=True)


def test_a_secret_sealed_under_another_key_asks_the_admin(client, app, world, configure,
                                                          monkeypatch):
    school = configure()
    monkeypatch.setattr(app, "secret_key", "a-new-secret-key-for-this-server")
    client.get(f"/inloggen/school/{school.id}")
    assert "niet (meer) goed ingesteld" in client.get("/inloggen").get_data(as_text=True)


def test_starting_again_and_again_keeps_the_session_cookie_small(client, world, configure):
    school = configure()
    for _ in range(12):
        start(client, school.id)
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 2000


def test_a_school_that_requires_its_account_refuses_passwords_but_not_the_admins(
        client, world, configure):
    configure(required=True)
    response = client.post("/inloggen", data={"email": world.teacher.email,
                                              "password": factories.PASSWORD})
    assert response.status_code == 422
    assert "Je school logt in met het schoolaccount" in response.get_data(as_text=True)
    assert logins(world.teacher) == 0
    response = client.post("/inloggen", data={"email": world.admin.email,
                                              "password": factories.PASSWORD})
    assert response.status_code == 302  # an admin keeps the password for when SSO breaks
    client.post("/uitloggen")
    # a wrong password still says only that the pair does not match
    response = client.post("/inloggen", data={"email": world.teacher.email,
                                              "password": "fout-wachtwoord-123"})
    assert "horen niet bij elkaar" in response.get_data(as_text=True)


def test_the_idle_lock_asks_the_provider_again(client, app, world, configure):
    school = configure(required=True)
    response, _ = sso_login(client, school.id, "anne")
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        session["locked"] = True
    page = client.get("/vergrendeld").get_data(as_text=True)
    assert "Ontgrendelen met je schoolaccount" in page and 'type="password"' not in page
    refused = client.post("/vergrendeld", data={"password": factories.PASSWORD})
    assert refused.status_code == 422
    authorize = start(client, school.id)
    assert query(authorize)["prompt"] == "login"  # the provider checks the person again
    back = sign_in_at_provider(authorize, "anne", requests.Session(), BACK)
    response = client.get(path_and_query(back))
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert logins(world.teacher) == 1  # the same login session goes on


def test_someone_else_at_a_locked_tablet_takes_over(client, world, configure):
    school = configure()
    sso_login(client, school.id, "anne")
    with client.session_transaction() as session:
        session["locked"] = True
    response, _ = sso_login(client, school.id, "sanne")
    assert response.headers["Location"] == "/"
    assert "Wat nu aandacht vraagt" in client.get("/").get_data(as_text=True)
    anne_open = db.session.scalar(select(func.count()).select_from(LoginSession).where(
        LoginSession.user_id == world.teacher.id, LoginSession.ended_at.is_(None)))
    assert anne_open == 0


def test_starting_is_throttled_per_address(client, app, world, configure, monkeypatch):
    school = configure()
    monkeypatch.setitem(app.config, "SSO_LIMIT", "3 per minute")
    statuses = [client.get(f"/inloggen/school/{school.id}").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_a_school_without_sign_in_or_an_unknown_one_is_not_found(client, world, configure):
    configure()
    assert client.get(f"/inloggen/school/{world.other_school.id}").status_code == 404
    assert client.get("/inloggen/school/999999").status_code == 404
    # a callback nobody started
    assert "verlopen of al gebruikt" in refusal(client, client.get(f"{CALLBACK}?state=x&code=y"))
    assert "verlopen" in refusal(client, client.get(CALLBACK))


def test_the_login_page_lists_the_schools_with_their_own_sign_in(client, world, configure):
    page = client.get("/inloggen").get_data(as_text=True)
    assert "schoolaccount" not in page
    configure()
    page = client.get("/inloggen").get_data(as_text=True)
    assert "Inloggen via School A" in page and "School B" not in page
