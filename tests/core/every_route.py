"""Every route of the app with the values to open it and who may: shared by the access test
and the English pages test."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from steungroep.admin import invitations
from steungroep.cases import state
from steungroep.core import access
from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.models import CaseTalk, DayOff, Letter, LoginSession
from steungroep.planning import reminders
from steungroep.web.writes import UnitOfWork

from .. import factories as f

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
    "planning.notice_seen", "planning.agenda_revoke", "settings.remove_day_off",
    "card_screens.card_replace", "group.member_remove", "meeting.meeting_complete",
    "evaluations.decision_save", "admin.person_link", "admin.set_active", "overview.reassign",
    "records.erase", "letterbox.close", "letterbox.new_address", "auth.logout",
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
    if rule == access.LETTERS:  # nobody was chosen at this school: its coordinators read
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


def build_world():
    w = f.make_world()
    case = f.case_at(w, "evaluatie_leerling")
    member = state.current_members(case.group)[0]
    ev = case.group.current_cycle.evaluation("leerling")
    ev.due_on = school_today()
    w.teacher.calendar_token = "feed-token-for-the-access-test-0123456789"
    day_off = DayOff(school_id=w.school.id, day=school_today() + timedelta(days=60))
    db.session.add(day_off)
    letter = Letter(school_id=w.school.id, code_hash="0" * 64, writer="zelf",
                    what="In de pauze doet niemand mee.", wants_talk="ja")
    db.session.add(letter)
    parents = CaseTalk(case=case, kind="brief", party="ouders", pupil=case.pupil,
                       held_on=school_today(), summary="Beste ouders,", user=w.teacher)
    db.session.add(parents)
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
        "letter_id": letter.id,
        "talk_id": parents.id,
    }
    w.board_admin = f.make_user("Bestuur", "bestuur@a.example", "admin", w.school,
                                w.other_school)
    w.board_admin.board = w.school.board
    db.session.commit()
    with UnitOfWork():
        link = invitations.issue(w.colleague, "herstel", by=None, base="http://localhost")
    tokens = {"cards.card": member.card_token, "feed.calendar": w.teacher.calendar_token,
              "invite.welcome": link.url.rsplit("/", 1)[1],
              **{f"letterbox_public.{name}": w.school.letterbox_token
                 for name in ("write", "send", "answer_form", "read_answer")}}
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
