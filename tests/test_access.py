"""Access, proven route by route: every route in app.url_map, for every kind of actor,
against the rule declared for it in steungroep.core.access. A route without a declared rule
fails here, so no new page can slip through unexamined."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from steungroep.admin import invitations
from steungroep.cases import state
from steungroep.core import access
from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.core.writes import UnitOfWork
from steungroep.models import DayOff, LoginSession
from steungroep.planning import reminders

from . import factories as f

ACTORS = [
    "anonymous",
    "teacher",  # responsible for the case
    "colleague",  # another teacher of the same school
    "other_teacher",  # a teacher of another school
    "coordinator",  # a coordinator of the school
    "other_coordinator",  # a coordinator of another school
    "admin",  # an admin of the school
    "board_admin",  # an admin of the school board (holds every school of the board)
]
# Routes that change or end something for good go last, so they cannot spoil the others.
LAST = [
    "planning.notice_seen", "planning.agenda_revoke", "planning.remove_day_off",
    "card_screens.card_replace", "group.member_remove", "meeting.meeting_complete",
    "evaluations.decision_save", "admin.person_link", "admin.set_active", "overview.reassign",
    "records.erase", "auth.logout",
]


def expected(rule: str, actor: str, arguments: set[str]) -> str:
    """'allowed', 'denied' (404) or 'login' (sent to the login page)."""
    if rule in (access.PUBLIC, access.TOKEN):
        return "allowed"
    if actor == "anonymous":
        return "login"
    if rule == access.BOARD:
        return "allowed" if actor == "board_admin" else "denied"
    if actor == "board_admin":
        actor = "admin"  # and of every school of the board
    if rule == access.SIGNED_IN:
        return "allowed"
    if rule == access.OWN:
        return "allowed" if actor == "teacher" else "denied"
    if rule == access.CASE:
        return "allowed" if actor in ("teacher", "coordinator") else "denied"
    if rule == access.SCHOOL_RECORDS:
        return "allowed" if actor in ("coordinator", "admin") else "denied"
    if rule == access.SCHOOL_COORDINATOR:
        return "allowed" if actor == "coordinator" else "denied"
    if rule == access.COORDINATOR:
        return "allowed" if actor in ("coordinator", "other_coordinator") else "denied"
    if rule == access.ADMIN:
        return "allowed" if actor == "admin" else "denied"
    if rule == access.SCHOOL_SETTINGS:
        if actor in ("coordinator", "admin"):
            return "allowed"
        if actor == "other_coordinator" and "school_id" not in arguments:
            return "allowed"  # the settings page of their own schools
        return "denied"
    raise AssertionError(f"unknown rule {rule}")


def outcome(response) -> str:
    if response.status_code == 404:
        return "denied"
    if response.status_code in (302, 401) and "/inloggen" in (
        response.headers.get("Location", "") + response.headers.get("HX-Redirect", "")
    ):
        return "login"
    if response.status_code in (401, 403) or response.status_code >= 500:
        return f"status {response.status_code}"
    return "allowed"


def build_world():
    w = f.make_world()
    case = f.case_at(w, "evaluatie_leerling")
    member = state.current_members(case.group)[0]
    ev = case.group.current_cycle.evaluation("leerling")
    ev.due_on = school_today()
    w.teacher.calendar_token = "feed-token-for-the-access-test-0123456789"
    day_off = DayOff(school_id=w.school.id, day=school_today() + timedelta(days=60))
    db.session.add(day_off)
    db.session.commit()
    reminders.remind(ev.id, datetime.now(SCHOOL_TZ).replace(hour=23))
    notice_id = db.session.scalar(db.select(db.text("id")).select_from(db.text("notices")))
    values = {
        "user_id": w.colleague.id,
        "pupil_id": case.pupil_id,
        "case_id": case.id,
        "member_id": member.id,
        "kind": "leerling",
        "school_id": w.school.id,
        "day_id": day_off.id,
        "notice_id": notice_id,
        "filename": "css/app.css",
        "table": "bron",
    }
    w.board_admin = f.make_user("Bestuur", "bestuur@a.example", "admin", w.school,
                                w.other_school)
    w.board_admin.board = w.school.board
    db.session.commit()
    with UnitOfWork():
        link = invitations.issue(w.colleague, "herstel", by=None, base="http://localhost")
    tokens = {"cards.card": member.card_token, "feed.calendar": w.teacher.calendar_token,
              "invite.welcome": link.url.rsplit("/", 1)[1]}
    return w, values, tokens


def sign_in(client, user) -> None:
    """A signed-in browser without typing the password (hashing is slow on purpose): the
    session cookie plus its login session on the server, as the login page makes them."""
    key = None
    if user is not None:
        login_session = LoginSession(user_id=user.id)
        db.session.add(login_session)
        db.session.commit()
        key = login_session.key
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session["seen"] = time.time()
            session["sid"] = key


def routes(app):
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in LAST,
                                                           LAST.index(r.endpoint)
                                                           if r.endpoint in LAST else 0,
                                                           r.endpoint))
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_a_declared_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(access.RULES) == set(), "routes without an access rule"
    assert set(access.RULES) - endpoints == set(), "rules for routes that do not exist"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_for_every_actor(app, client, actor):
    w, values, tokens = build_world()
    user = None if actor == "anonymous" else getattr(w, actor)
    problems = []
    checked = 0
    for rule, method in routes(app):
        arguments = {name: values[name] for name in rule.arguments if name != "token"}
        if "token" in rule.arguments:
            arguments["token"] = tokens[rule.endpoint]
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, arguments)
        sign_in(client, user)
        response = client.open(url, method=method, data={})
        want = expected(access.RULES[rule.endpoint], actor, set(rule.arguments))
        got = outcome(response)
        if rule.endpoint == "auth.logout" and got == "login":
            got = "allowed"  # logging out ends on the login page: that is the point
        if rule.endpoint.startswith("sso.") and got in ("login", "denied"):
            # public, and nothing to show in this world (tests/test_sso.py has a provider):
            # a school without sign-in is not found; a return nobody started goes back to
            # the login page with a message
            got = "allowed"
        checked += 1
        if got != want:
            problems.append(f"{method} {url} ({rule.endpoint}): expected {want}, got {got}")
    assert problems == [], "\n".join(problems)
    assert checked == sum(1 for _ in routes(app)) >= 45
