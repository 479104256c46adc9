"""A school that signs in with its own accounts may choose (off by default) that a verified
address of its own domain gets a teacher account on its first login; the admin sets it on
the school-account page. Against the real local OpenID provider (tests/oidc.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.core.sealed import seal
from steungroep.domain import DomainError
from steungroep.domain.people import clean_domains, in_domains, name_from_claims
from steungroep.models import AuditEntry, SchoolSignIn, User
from steungroep.web.writes import UnitOfWork

from ..oidc import SECRET, refusal, sso_login


def _sign_in(world, provider, *, create_accounts: bool, domains: str = "a.example"):
    with UnitOfWork():
        db.session.merge(SchoolSignIn(school_id=world.school.id, issuer=provider.issuer,
                                      client_id="steungroep", client_secret=seal(SECRET),
                                      create_accounts=create_accounts, domains=domains))


def _accounts(email: str) -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(select(User).where(func.lower(User.email) == email)))


def test_a_first_login_of_the_schools_domain_gets_a_teacher_account(client, world, provider):
    _sign_in(world, provider, create_accounts=True)
    response, _ = sso_login(client, world.school.id, "nobody")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    [made] = _accounts("nobody@a.example")
    assert made.role == "teacher" and made.school_ids == {world.school.id}
    assert made.name == "nobody" and not made.has_password
    assert "Mijn open meldingen" in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.what == "account gemaakt bij eerste login via schoolaccount")) == 1
    # the second login finds the account and makes none
    client.post("/uitloggen")
    sso_login(client, world.school.id, "nobody")
    assert len(_accounts("nobody@a.example")) == 1


def test_without_the_choice_or_outside_the_domain_nobody_is_made(client, world, provider):
    _sign_in(world, provider, create_accounts=False)
    response, _ = sso_login(client, world.school.id, "nobody")
    assert "geen account voor nobody@a.example" in refusal(client, response)
    _sign_in(world, provider, create_accounts=True, domains="school.nl")
    response, _ = sso_login(client, world.school.id, "nobody")
    assert "geen account" in refusal(client, response)
    assert _accounts("nobody@a.example") == []
    # someone of another school is refused as before, not given a second account
    _sign_in(world, provider, create_accounts=True, domains="a.example b.example")
    response, _ = sso_login(client, world.school.id, "petra")
    assert "geen account" in refusal(client, response)
    assert [u.school_ids for u in _accounts("petra@b.example")] == [{world.other_school.id}]


def test_an_unverified_address_never_gets_an_account(client, world, provider):
    _sign_in(world, provider, create_accounts=True)
    db.session.delete(db.session.get(User, world.colleague.id))  # karim: unverified
    db.session.commit()
    response, _ = sso_login(client, world.school.id, "karim")
    assert "bevestigd" in refusal(client, response)
    assert _accounts("karim@a.example") == []


def test_the_admin_sets_the_choice_with_the_domains(client, login, world, provider):
    login(world.admin)
    form = {"issuer": provider.issuer, "client_id": "steungroep", "client_secret": SECRET,
            "create_accounts": "1", "domains": ""}
    refused = client.post(f"/beheer/schoolaccount?school={world.school.id}", data=form)
    assert refused.status_code == 422 and "e-maildomein" in refused.get_data(as_text=True)
    bad = client.post(f"/beheer/schoolaccount?school={world.school.id}",
                      data={**form, "domains": "school nl"})
    assert bad.status_code == 422 and "‘school’ is geen e-maildomein" in \
        bad.get_data(as_text=True)
    saved = client.post(f"/beheer/schoolaccount?school={world.school.id}",
                        data={**form, "domains": "@A.example, a.example bestuur.example"})
    assert saved.status_code == 302
    row = db.session.get(SchoolSignIn, world.school.id)
    assert row.create_accounts and row.domains == "a.example bestuur.example"
    page = client.get(f"/beheer/schoolaccount?school={world.school.id}").get_data(as_text=True)
    assert 'value="a.example bestuur.example"' in page


def test_the_domain_rules():
    assert clean_domains(" School.NL;bestuur.nl ,school.nl") == "school.nl bestuur.nl"
    assert clean_domains("") == ""
    for bad in ("localhost", "-x.nl", "a..b", "x" * 101 + ".nl", "ex ample.nl/"):
        with pytest.raises(DomainError):
            clean_domains(bad)
    assert in_domains("els@school.nl", "bestuur.nl school.nl")
    assert not in_domains("els@nep-school.nl", "school.nl")
    assert not in_domains("els@sub.school.nl", "school.nl")
    assert name_from_claims({"name": " Els  Visser "}, "e@x.nl") == "Els Visser"
    assert name_from_claims({"given_name": "Els", "family_name": "Visser"}, "e@x.nl") == \
        "Els Visser"
    assert name_from_claims({"name": "\x00"}, "els.visser@x.nl") == "els.visser"
