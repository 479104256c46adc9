"""The command line for the first minutes and the bad days: flask setup, create-school,
create-user (a link, no password) and reset-link."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from steungroep.admin import invitations
from steungroep.core.extensions import db
from steungroep.core.timeutil import aware, utcnow
from steungroep.domain import people
from steungroep.models import (
    AuditEntry,
    Board,
    Invitation,
    OutboxMessage,
    School,
    SchoolSignIn,
    User,
)
from steungroep.web.writes import UnitOfWork

from .. import factories
from ..pages import count

PASSWORD = factories.SETUP_PASSWORD
FIRST_START = factories.FIRST_START
answers = factories.answers
LINK = re.compile(r"(https?://\S+)/welkom/(\S+)")


def logs_in(client, email: str, password: str) -> bool:
    client.post("/uitloggen")
    return client.post("/inloggen", data={"email": email, "password": password}
                       ).status_code == 302


def link_in(output: str) -> tuple[str, str]:
    """(base, token) of the one link in ``output``."""
    found = LINK.findall(output)
    assert len(found) == 1, output
    return found[0]


def test_setup_on_an_empty_database(runner, client):
    """The board, its first admin as board admin (with the password typed twice, never
    shown) and the first school; then the admin logs in with that password."""
    result = runner.invoke(args=["setup"], input=FIRST_START)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert "Stichting De Linde" in result.output and "http://127.0.0.1:5000" in result.output
    assert "Scholen" in result.output  # the next step
    admin = db.session.scalar(select(User))
    school = db.session.scalar(select(School))
    assert (admin.email, admin.name, admin.role) == ("els@linde.example", "Els Jansen", "admin")
    assert admin.is_board_admin and admin.board.name == "Stichting De Linde"
    assert (school.name, school.kind, school.region, school.brin) == (
        "OBS De Linde", "po", "midden", "12AB")
    assert school.board_id == admin.board_id and admin.school_ids == {school.id}
    assert logs_in(client, "els@linde.example", PASSWORD)
    assert client.get("/").status_code == 200
    assert not logs_in(client, "els@linde.example", PASSWORD + "x")


def test_setup_without_a_school_and_with_public_url(runner, client, app, monkeypatch):
    """An empty school name skips the school; the next step names PUBLIC_URL."""
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://steungroep.linde.example")
    result = runner.invoke(args=["setup"], input=answers(
        "Stichting De Linde", "Els Jansen", "els@linde.example", PASSWORD, PASSWORD, ""))
    assert result.exit_code == 0, result.output
    assert "https://steungroep.linde.example" in result.output
    assert count(School) == 0 and count(Board) == 1
    assert db.session.scalar(select(User)).is_board_admin
    assert logs_in(client, "els@linde.example", PASSWORD)
    assert client.get("/").status_code == 200  # a board admin without schools yet


def test_a_bad_password_is_asked_again_with_the_reason(runner, client):
    """Too short, too common, the two not alike: each said, and asked again."""
    result = runner.invoke(args=["setup"], input=answers(
        "Stichting De Linde", "Els Jansen", "els@linde.example",
        "kort", "Welkom123456!", PASSWORD, PASSWORD + "-anders", PASSWORD, PASSWORD, ""))
    assert result.exit_code == 0, result.output
    assert "minstens 12 tekens; je hebt er 4" in result.output
    assert "te makkelijk" in result.output and "niet gelijk" in result.output
    assert result.output.count("Wachtwoord (minstens 12 tekens") == 4
    assert logs_in(client, "els@linde.example", PASSWORD)


def test_setup_asks_again_for_what_is_not_right(runner):
    """A bad address, school name or BRIN is refused at once and asked again."""
    result = runner.invoke(args=["setup"], input=answers(
        "Stichting De Linde", "Els Jansen", "geen-adres", "els@linde.example", PASSWORD,
        PASSWORD, "X", "OBS De Linde", "po", "zuid", "1X", ""))
    assert result.exit_code == 0, result.output
    assert "Dit is geen e-mailadres" in result.output
    assert "Vul de naam van de school in" in result.output
    assert "twee cijfers en twee letters" in result.output
    school = db.session.scalar(select(School))
    assert (school.name, school.region, school.brin) == ("OBS De Linde", "zuid", None)


def test_setup_is_refused_on_a_database_with_accounts(runner, world):
    """Only for the first start; it points to reset-link and asks nothing."""
    boards = count(Board)
    result = runner.invoke(args=["setup"], input=FIRST_START)
    assert result.exit_code == 1
    assert "flask reset-link" in result.output and "Naam van het schoolbestuur" not in result.output
    assert count(Board) == boards and count(User) == 6


def test_create_school(runner, client):
    """A school of the only board; its board admin holds it at once; the same name or
    BRIN twice, or a bad BRIN, is refused."""
    assert runner.invoke(args=["setup"], input=FIRST_START).exit_code == 0
    ok = runner.invoke(args=["create-school", "--name", "CBS Het Baken", "--kind", "vo",
                             "--region", "noord", "--brin", "34cd01"])
    assert ok.exit_code == 0, ok.output
    assert "CBS Het Baken (voortgezet onderwijs, regio noord, BRIN 34CD01)" in ok.output
    school = db.session.scalar(select(School).where(School.name == "CBS Het Baken"))
    admin = db.session.scalar(select(User))
    assert school.board_id == admin.board_id and school.id in admin.school_ids
    for args, problem in [
        (["--name", "cbs het baken"], "Er is al een school met de naam"),
        (["--name", "CBS Het Anker", "--brin", "34CD01"], "Er is al een school met BRIN"),
        (["--name", "CBS Het Anker", "--brin", "1234"], "twee cijfers en twee letters"),
        (["--name", "CBS Het Anker", "--board", "Nergens"], "Schoolbestuur 'Nergens' bestaat"),
    ]:
        result = runner.invoke(args=["create-school", "--kind", "po", "--region", "zuid",
                                     *args])
        assert result.exit_code == 1 and problem in result.output, result.output
    assert count(School) == 2
    both = runner.invoke(args=["create-school", "--name", "X", "--brin", "1", "--kind", "po",
                               "--region", "zuid"])
    assert both.exit_code == 1 and "Geen school aangemaakt" in both.output
    assert "Vul de naam van de school in" in both.output and "BRIN" in both.output


def test_create_school_with_several_boards(runner, app):
    """With no board it says to start with setup; with several, --board chooses."""
    none = runner.invoke(args=["create-school", "--name", "OBS A", "--kind", "po",
                               "--region", "zuid"])
    assert none.exit_code == 1 and "flask setup" in none.output
    with UnitOfWork():
        factories.make_board("Stichting Een")
        factories.make_board("Stichting Twee")
    args = ["create-school", "--name", "OBS A", "--kind", "po", "--region", "zuid"]
    which = runner.invoke(args=args)
    assert which.exit_code == 1 and "--board" in which.output and count(School) == 0
    chosen = runner.invoke(args=[*args, "--board", "stichting twee"])
    assert chosen.exit_code == 0, chosen.output
    assert db.session.scalar(select(School)).board.name == "Stichting Twee"


def test_reset_link_prints_a_link_that_works_once(runner, client, world):
    """A link (RESET, 48 hours) on this machine's address, with a warning; a new link
    kills the old one; the person chooses a password with it and logs in."""
    first = runner.invoke(args=["reset-link", "Beheer@A.example"])
    assert first.exit_code == 0, first.output
    assert "alleen op deze computer" in first.output
    base, token = link_in(first.output)
    assert base == "http://127.0.0.1:5000"
    found = invitations.find(token)
    assert found.invitation is not None and found.invitation.user.email == "beheer@a.example"
    assert found.invitation.purpose == people.RESET
    left = aware(found.invitation.expires_at) - utcnow()
    assert timedelta(hours=47) < left <= timedelta(hours=48)
    assert any(e.what.startswith("herstellink") for e in db.session.scalars(select(AuditEntry)))
    second = runner.invoke(args=["reset-link", "beheer@a.example"])
    _, new_token = link_in(second.output)
    assert invitations.find(token).invitation is None
    assert invitations.find(new_token).invitation is not None
    rules = client.application.url_map.iter_rules()
    if any(r.rule.startswith(invitations.LINK_PATH) for r in rules):  # auth/invite_views.py
        assert client.get(invitations.LINK_PATH + new_token).status_code == 200
    with UnitOfWork():
        invitations.redeem(new_token, PASSWORD, PASSWORD)
    assert logs_in(client, "beheer@a.example", PASSWORD)
    assert invitations.find(new_token).invitation is None  # used


def test_reset_link_uses_public_url_and_prints_even_with_mail(runner, world, app, mail_to):
    """PUBLIC_URL wins over --base-url; with mail set up the link is still printed (IT
    hands it over) and nothing goes into the outbox."""
    mail_to(2525)  # sets PUBLIC_URL=https://steungroep.school.example
    result = runner.invoke(args=["reset-link", "anne@a.example", "--base-url",
                                 "https://elders.example"])
    assert result.exit_code == 0, result.output
    base, token = link_in(result.output)
    assert base == "https://steungroep.school.example"
    assert "alleen op deze computer" not in result.output and "--base-url" in result.output
    assert invitations.find(token).invitation is not None
    assert count(OutboxMessage) == 0


def test_reset_link_on_base_url(runner, world):
    result = runner.invoke(args=["reset-link", "anne@a.example", "--base-url",
                                 "https://steungroep.school.example/"])
    assert result.exit_code == 0, result.output
    assert link_in(result.output)[0] == "https://steungroep.school.example"
    assert "alleen op deze computer" not in result.output
    bad = runner.invoke(args=["reset-link", "anne@a.example", "--base-url", "steungroep.nl"])
    assert bad.exit_code == 2 and "https://" in bad.output


def test_reset_link_refuses_unknown_and_switched_off_accounts(runner, world):
    unknown = runner.invoke(args=["reset-link", "niemand@a.example"])
    assert unknown.exit_code == 1 and "Er is geen account met e-mailadres" in unknown.output
    with UnitOfWork():
        db.session.get(User, world.teacher.id).active = False
    off = runner.invoke(args=["reset-link", "anne@a.example"])
    assert off.exit_code == 1 and "staat uit" in off.output
    assert count(Invitation) == 0 and not LINK.search(unknown.output + off.output)


def test_create_user_gives_a_link_and_no_password(runner, client, world):
    """No password is taken or asked: the account has none until the person chooses one
    with the printed link (INVITE, 7 days). Duplicates and unknown schools are refused."""
    ok = runner.invoke(args=["create-user", "--name", "Juf Els", "--email", "Els@A.example",
                             "--role", "coordinator", "--school", "School A",
                             "--school", "school b"])
    assert ok.exit_code == 0, ok.output
    assert "Account aangemaakt voor Juf Els" in ok.output
    user = db.session.scalar(select(User).where(User.email == "els@a.example"))
    assert user.role == "coordinator" and not user.has_password
    assert user.school_ids == {world.school.id, world.other_school.id}
    _, token = link_in(ok.output)
    invitation = invitations.find(token).invitation
    assert invitation.user_id == user.id and invitation.purpose == people.INVITE
    assert aware(invitation.expires_at) - utcnow() > timedelta(days=6, hours=23)
    with UnitOfWork():
        invitations.redeem(token, PASSWORD, PASSWORD)
    assert logs_in(client, "els@a.example", PASSWORD)

    old_style = runner.invoke(args=["create-user", "--name", "X", "--email", "x@a.example",
                                    "--school", "School A", "--password", PASSWORD])
    assert old_style.exit_code == 2 and "--password" in old_style.output
    again = runner.invoke(args=["create-user", "--name", "X", "--email", "ELS@a.example",
                                "--school", "School A"])
    assert again.exit_code == 1 and "al een account" in again.output
    nowhere = runner.invoke(args=["create-user", "--name", "Y", "--email", "y@a.example",
                                  "--school", "Nergens"])
    assert nowhere.exit_code == 1 and "bestaat niet" in nowhere.output
    assert count(User) == 7 and count(Invitation) == 1


def test_create_user_for_a_school_that_signs_in_with_its_own_accounts(runner, world):
    """Staff of a school that requires its own accounts need no password: no link (an
    admin always gets one)."""
    with UnitOfWork():
        db.session.add(SchoolSignIn(school_id=world.school.id, issuer="https://id.example",
                                    client_id="steungroep", client_secret="x", required=True))
    teacher = runner.invoke(args=["create-user", "--name", "Juf Els", "--email",
                                  "els@a.example", "--school", "School A"])
    assert teacher.exit_code == 0 and "account van de school" in teacher.output
    assert not LINK.search(teacher.output)
    admin = runner.invoke(args=["create-user", "--name", "Beheer Twee", "--email",
                                "b2@a.example", "--role", "admin", "--school", "School A"])
    assert admin.exit_code == 0 and LINK.search(admin.output)
