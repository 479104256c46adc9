"""An admin sets up a school's sign-in with its own accounts; the rules behind it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.sealed import unseal
from steungroep.domain import DomainError
from steungroep.domain.sso import (
    check_account,
    check_discovery,
    clean_client,
    clean_issuer,
    password_refusal,
    verified_email,
)
from steungroep.models import SchoolSignIn

from .. import factories
from ..oidc import SECRET
from ..sql import statements

PAGE = "/beheer/schoolaccount"


def _form(issuer, client_id="steungroep", secret=SECRET, required=""):
    return {"issuer": issuer, "client_id": client_id, "client_secret": secret,
            "required": required}


def test_an_admin_sets_up_the_schools_sign_in(client, login, world, provider):
    login(world.admin)
    page = client.get(PAGE).get_data(as_text=True)
    assert "http://localhost/inloggen/school/terug" in page  # the address to register
    response = client.post(f"{PAGE}?school={world.school.id}",
                           data=_form(provider.issuer + "/", required="1"))
    assert response.status_code == 302
    row = db.session.get(SchoolSignIn, world.school.id)
    assert row.issuer == provider.issuer and row.client_id == "steungroep" and row.required
    assert SECRET not in row.client_secret and unseal(row.client_secret) == SECRET
    # saving again without a secret keeps the stored one
    client.post(f"{PAGE}?school={world.school.id}", data=_form(provider.issuer, secret=""))
    db.session.expire_all()
    row = db.session.get(SchoolSignIn, world.school.id)
    assert unseal(row.client_secret) == SECRET and not row.required
    # switched off: the row is gone and passwords work again
    client.post(f"/beheer/schoolaccount/{world.school.id}/uit")
    assert db.session.get(SchoolSignIn, world.school.id) is None


@pytest.mark.parametrize("issuer, message", [
    ("", "Vul de uitgever"),
    ("http://login.example.org", "https-adres"),
    ("ftp://login.example.org", "begint met https://"),
    ("https://login.example.org/?tenant=1", "geen ?, #"),
    ("https://login example.org", "spatie"),
    ("https://" + "a" * 300 + ".example", "te lang"),
])
def test_a_wrong_issuer_is_named_and_what_was_typed_stays(client, login, world, issuer,
                                                          message):
    login(world.admin)
    response = client.post(PAGE, data=_form(issuer, client_id="mijn-client-id"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert 'value="mijn-client-id"' in page and 'aria-invalid="true"' in page
    assert db.session.scalars(select(SchoolSignIn)).all() == []


def test_a_provider_that_is_not_there_or_names_itself_otherwise(client, login, world,
                                                                provider):
    login(world.admin)
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    response = client.post(PAGE, data=_form(f"http://127.0.0.1:{port}"))
    assert response.status_code == 422
    assert "Kon de OpenID-configuratie niet ophalen" in response.get_data(as_text=True)
    other_name = provider.issuer.replace("127.0.0.1", "localhost")
    response = client.post(PAGE, data=_form(other_name))
    assert response.status_code == 422 and "noemt zich anders" in response.get_data(
        as_text=True)
    response = client.post(PAGE, data=_form(provider.issuer, secret=""))
    assert response.status_code == 422 and "client secret" in response.get_data(as_text=True)
    assert db.session.scalars(select(SchoolSignIn)).all() == []


def test_a_provider_on_the_server_itself_is_refused_without_knocking(client, login, world,
                                                                    app, monkeypatch):
    """Outside trying out, an issuer on this machine is refused before any request: the
    check would otherwise reach the server's own ports (Redis, PostgreSQL …)."""
    import socket

    monkeypatch.setitem(app.config, "SSO_ALLOW_LOOPBACK", False)
    login(world.admin)
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        listening.setblocking(False)
        port = listening.getsockname()[1]
        response = client.post(PAGE, data=_form(f"http://127.0.0.1:{port}"))
        with pytest.raises(BlockingIOError):
            listening.accept()  # nobody knocked
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "wijst naar deze server zelf" in page
    assert db.session.scalars(select(SchoolSignIn)).all() == []


def test_only_admins_and_only_their_own_schools(client, login, world, provider):
    login(world.coordinator)
    assert client.get(PAGE).status_code == 404
    login(world.admin)
    assert client.get(f"{PAGE}?school={world.other_school.id}").status_code == 404
    assert client.get(f"{PAGE}?school=abc").status_code == 404
    response = client.post(f"{PAGE}?school={world.other_school.id}",
                           data=_form(provider.issuer))
    assert response.status_code == 404
    assert client.post(f"/beheer/schoolaccount/{world.other_school.id}/uit").status_code == 404
    assert db.session.scalars(select(SchoolSignIn)).all() == []


# ---- the rules (plain Python) -----------------------------------------------------------


def test_issuer_rules():
    assert clean_issuer(" https://accounts.google.com/ ") == "https://accounts.google.com"
    assert clean_issuer("http://127.0.0.1:8080", allow_loopback=True) == "http://127.0.0.1:8080"
    assert clean_issuer("http://localhost:8080/x", allow_loopback=True) \
        == "http://localhost:8080/x"
    with pytest.raises(DomainError) as refused:
        clean_issuer("http://10.0.0.1")
    assert refused.value.field == "issuer"
    # this machine itself only while trying out: else the check knocks on its own ports
    for own in ("http://127.0.0.1:6379", "https://localhost", "http://[::1]:5432"):
        with pytest.raises(DomainError) as refused:
            clean_issuer(own)
        assert "deze server zelf" in refused.value.message


def test_client_rules():
    assert clean_client(" abc ", " s ", has_secret=False) == ("abc", "s")
    assert clean_client("abc", "", has_secret=True) == ("abc", "")
    for client_id, secret in (("", "s"), ("a b", "s"), ("x" * 201, "s"), ("abc", "")):
        with pytest.raises(DomainError):
            clean_client(client_id, secret, has_secret=False)


def test_discovery_rules():
    good = {"issuer": "https://id.example", "authorization_endpoint": "https://id.example/a",
            "token_endpoint": "https://id.example/t", "jwks_uri": "https://id.example/k"}
    assert check_discovery("https://id.example", good) == "https://id.example"
    assert check_discovery("https://id.example", {**good, "issuer": "https://id.example/"}) \
        == "https://id.example/"  # the provider's own spelling is what tokens carry
    for wrong in ([], {**good, "issuer": "https://other.example"}, {**good, "jwks_uri": None},
                  {**good, "response_types_supported": ["id_token"]},
                  {**good, "code_challenge_methods_supported": ["plain"]}):
        with pytest.raises(DomainError):
            check_discovery("https://id.example", wrong)
    # Microsoft's document names no PKCE methods, and supports S256
    assert check_discovery("https://id.example", {**good, "response_types_supported": ["code"]})


def test_every_endpoint_is_https_on_the_providers_own_host():
    good = {"issuer": "https://id.example", "authorization_endpoint": "https://id.example/a",
            "token_endpoint": "https://id.example/t", "jwks_uri": "https://id.example/k"}
    for key, value in (("authorization_endpoint", "javascript:alert(1)"),
                       ("authorization_endpoint", "data:text/html,x"),
                       ("token_endpoint", "http://id.example/t"),
                       ("token_endpoint", "http://evil.example/t"),
                       ("token_endpoint", "https://evil.example/t"),
                       ("jwks_uri", "https://id.example.evil.example/k"),
                       ("userinfo_endpoint", "https://127.0.0.1:6379/"),
                       ("end_session_endpoint", 7)):
        with pytest.raises(DomainError) as refused:
            check_discovery("https://id.example", {**good, key: value})
        assert key in refused.value.message and str(value) not in refused.value.message
    # Google's endpoints are on other hosts of Google's own
    google = {"issuer": "https://accounts.google.com",
              "authorization_endpoint": "https://accounts.google.com/o/oauth2/v2/auth",
              "token_endpoint": "https://oauth2.googleapis.com/token",
              "jwks_uri": "https://www.googleapis.com/oauth2/v3/certs",
              "userinfo_endpoint": "https://openidconnect.googleapis.com/v1/userinfo"}
    assert check_discovery("https://accounts.google.com", google) == "https://accounts.google.com"
    # trying out on this machine: http on loopback, for a loopback issuer only
    local = {key: value.replace("https://id.example", "http://127.0.0.1:9000")
             for key, value in good.items()}
    assert check_discovery("http://127.0.0.1:9000", local) == "http://127.0.0.1:9000"


def test_the_issuer_check_repeats_nothing_the_document_says():
    document = {"issuer": "redis_version:7.0.15 internal-secret",
                "authorization_endpoint": "https://id.example/a",
                "token_endpoint": "https://id.example/t", "jwks_uri": "https://id.example/k"}
    with pytest.raises(DomainError) as refused:
        check_discovery("https://id.example", document)
    assert "redis" not in refused.value.message and "secret" not in refused.value.message


def test_email_rules():
    assert verified_email({"email": " Juf@School.NL ", "email_verified": True}) == "juf@school.nl"
    assert verified_email({"email": "juf@school.nl", "xms_edov": True}) == "juf@school.nl"
    for claims in ({}, {"email": "juf"}, {"email": "juf@school.nl"},
                   {"email": "juf@school.nl", "email_verified": "true"},
                   {"email": "juf@school.nl", "email_verified": False}):
        with pytest.raises(DomainError):
            verified_email(claims)


def test_account_rules():
    check_account(True, True, school="School A", email="juf@a.example")  # in
    with pytest.raises(DomainError) as unknown:
        check_account(False, False, school="School A", email="juf@a.example")
    assert "School A" in unknown.value.message and "juf@a.example" in unknown.value.message
    with pytest.raises(DomainError) as switched_off:
        check_account(True, False, school="School A", email="juf@a.example")
    assert "staat uit" in switched_off.value.message


def test_password_rules():
    assert password_refusal(role_is_admin=False, sso_required=True)
    assert password_refusal(role_is_admin=True, sso_required=True) is None
    assert password_refusal(role_is_admin=False, sso_required=False) is None


def test_the_login_page_counts_its_statements(client, world, provider):
    from steungroep.core.sealed import seal
    from steungroep.web.writes import UnitOfWork

    with UnitOfWork():
        db.session.add(SchoolSignIn(school_id=world.school.id, issuer=provider.issuer,
                                    client_id="steungroep", client_secret=seal(SECRET)))
    one, _ = statements(client, "/inloggen")
    with UnitOfWork():
        for n in range(5):
            school = factories.make_school(f"School {n}", pupils=0)
            db.session.add(SchoolSignIn(school_id=school.id, issuer=provider.issuer,
                                        client_id="steungroep", client_secret=seal(SECRET)))
    six, response = statements(client, "/inloggen")
    assert one == six == 1
    page = response.get_data(as_text=True)
    assert "Kies je school" in page and page.count("/inloggen/school/") == 6
