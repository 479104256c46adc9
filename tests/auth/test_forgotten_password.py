"""A forgotten password: with e-mail set up, a one-time link by mail, the same answer whether
the address has an account or not, at most one mail per account every few minutes; without
e-mail, the page says whom to ask."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from steungroep.core.extensions import db
from steungroep.core.sealed import seal
from steungroep.models import OutboxMessage, SchoolSignIn
from steungroep.web.writes import UnitOfWork

ANSWER = "Als er een account is met dit e-mailadres"


def _mails() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_link_by_mail_that_sets_a_new_password(app, client, world, mail_to):
    mail_to(2525)
    assert "Wachtwoord vergeten?" in client.get("/inloggen").get_data(as_text=True)
    response = client.post("/wachtwoord-vergeten", data={"email": " KARIM@a.example "})
    assert response.status_code == 302
    assert ANSWER in client.get("/inloggen").get_data(as_text=True)
    [message] = _mails()
    assert message.to_address == "karim@a.example"
    link = re.search(r"https://steungroep.school.example(/welkom/\S+)", message.body).group(1)
    browser = app.test_client()
    assert "Nieuw wachtwoord kiezen" in browser.get(link).get_data(as_text=True)
    assert browser.post(link, data={"password": "oranje-step-naast-de-deur",
                                    "repeat": "oranje-step-naast-de-deur"}).status_code == 302
    assert app.test_client().post("/inloggen", data={
        "email": "karim@a.example", "password": "oranje-step-naast-de-deur"}).status_code == 302


def test_the_same_answer_and_no_flood_of_mail(app, client, world, mail_to):
    mail_to(2525)
    for email in ("niemand@a.example", "", "x" * 5000, "karim@a.example", "karim@a.example"):
        response = client.post("/wachtwoord-vergeten", data={"email": email})
        assert response.status_code == 302
    assert [m.to_address for m in _mails()] == ["karim@a.example"]  # one, not two


def test_no_link_for_a_switched_off_account_or_one_of_a_school_account_school(
        app, client, world, mail_to, login):
    mail_to(2525)
    world.colleague.active = False
    db.session.commit()
    with UnitOfWork():
        db.session.add(SchoolSignIn(school_id=world.school.id, issuer="https://login.example",
                                    client_id="x", client_secret=seal("y"), required=True))
    for email in ("karim@a.example", "anne@a.example"):
        client.post("/wachtwoord-vergeten", data={"email": email})
    assert _mails() == []
    client.post("/wachtwoord-vergeten", data={"email": "beheer@a.example"})  # admins keep one
    assert [m.to_address for m in _mails()] == ["beheer@a.example"]


def test_without_mail_the_page_says_whom_to_ask(client, world):
    page = client.get("/wachtwoord-vergeten").get_data(as_text=True)
    assert "Vraag de beheerder van je school" in page and "<form" not in page.split("<main")[1]
    client.post("/wachtwoord-vergeten", data={"email": "karim@a.example"})
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_asking_is_limited_per_address(app, client, world, mail_to, monkeypatch):
    mail_to(2525)
    monkeypatch.setitem(app.config, "FORGOTTEN_LIMIT", "2 per minute")
    answers = [client.post("/wachtwoord-vergeten", data={"email": f"n{i}@a.example"}).status_code
               for i in range(3)]
    assert answers == [302, 302, 429]
