"""Reminders: claimed once per due date on the evaluation row, delivered through the outbox to
a real SMTP server, retried with backoff when SMTP is down. Time is passed in, not slept."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import SCHOOL_TZ, school_today
from steungroep.models import (
    EVAL_GROUP,
    EVAL_PUPIL,
    MAIL_PENDING,
    MAIL_SENT,
    DayOff,
    LoginSession,
    Notice,
    OutboxMessage,
)
from steungroep.planning import notices, outbox, reminders
from steungroep.planning import use_cases as planning

from .. import factories
from ..conftest import make_app
from ..pages import count
from ..smtp import SmtpServer, body, free_port

DUE = date(2027, 3, 15)  # a Monday, no holiday in any region
ROLE_WORDS = ["aanvoerder", "meeloper", "omstander", "helper", "pest", "slachtoffer"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SCHOOL_TZ)


def planned_case(world, pupil_due=DUE, group_due=DUE + timedelta(days=7), pupil=None):
    case = factories.case_at(world, "evaluatie_leerling", **({"pupil": pupil} if pupil else {}))
    cycle = case.group.current_cycle
    cycle.evaluation(EVAL_PUPIL).due_on = pupil_due
    cycle.evaluation(EVAL_GROUP).due_on = group_due
    db.session.commit()
    return case


def pupil_eval(case):
    return case.group.current_cycle.evaluation(EVAL_PUPIL)


def test_reminder_goes_out_at_eight_on_the_due_day_once(app, world, inbox, mail_to):
    """07:59 on the due day: nothing. 08:00: one notice and one e-mail to the teacher, with
    the exact text. Running the job and the scan again sends nothing more."""
    mail_to(inbox.port)
    case = planned_case(world)
    evaluation = pupil_eval(case)
    assert reminders.remind(evaluation.id, at(DUE, 7, 59)) is False
    assert reminders.scan(at(DUE, 7, 59)).reminded == 0
    assert inbox.received() == []

    assert reminders.remind(evaluation.id, at(DUE, 8, 0)) is True
    assert outbox.deliver_outbox(at(DUE, 8, 0)) == 1
    assert reminders.remind(evaluation.id, at(DUE, 8, 1)) is False
    again = reminders.scan(at(DUE, 9, 0))
    assert (again.reminded, again.mailed) == (0, 0)

    messages = inbox.wait_for(1)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "anne@a.example"
    assert message["Subject"] == "Vandaag: vervolggesprek met Bas (groep 6)"
    key = f"due-{evaluation.id}-2027-03-15-{world.teacher.id}"
    assert message["Message-ID"] == f"<{key}@school.example>"
    assert body(message) == (
        "Beste Juf Anne,\n\n"
        "Vandaag, maandag 15 maart, staat het vervolggesprek met Bas (groep 6) gepland: "
        "een week na de bijeenkomst vraag je hoe het nu gaat.\n\n"
        f"Open de aanpak: https://steungroep.school.example/zaken/{case.id}\n\n"
        "Lukt het niet? Verplaats het gesprek in de app naar een andere schooldag.\n"
    )
    notice = db.session.scalars(select(Notice)).one()
    assert (notice.user_id, notice.kind, notice.due_on) == (world.teacher.id, "due", DUE)


def test_reminder_says_first_name_and_class_only(app, world, inbox, mail_to):
    """No surname initial, no role words, no notes or confidential text in the e-mail."""
    mail_to(inbox.port)
    case = planned_case(world, group_due=DUE)
    reminders.scan(at(DUE, 8, 0))
    messages = inbox.wait_for(2)
    assert len(messages) == 2
    for message in messages:
        text = (message["Subject"] + body(message)).lower()
        assert "bas (groep 6)" in text
        for word in ROLE_WORDS + ["geheim", "notitie", "buitengesloten"]:
            assert word not in text
    assert {m["Subject"] for m in messages} == {
        "Vandaag: vervolggesprek met Bas (groep 6)",
        "Vandaag: gesprek met de steungroep van Bas (groep 6)",
    }
    assert case.pupil.surname_initial is None or case.pupil.surname_initial not in text


def test_no_reminder_for_a_held_evaluation_or_a_closed_case(app, world, inbox, mail_to):
    mail_to(inbox.port)
    case = planned_case(world)
    pupil_eval(case).held_on = DUE - timedelta(days=1)
    db.session.commit()
    other = planned_case(world, pupil_due=DUE, group_due=DUE)
    other_case = db.session.get(type(other), other.id)
    other_case.closed_at = at(DUE, 7)
    db.session.commit()
    result = reminders.scan(at(DUE, 10, 0))
    assert result.reminded == 0
    assert count(Notice) == 0 and count(OutboxMessage) == 0


def test_moved_evaluation_is_reminded_on_its_new_date(app, world, inbox, mail_to):
    """Reminded for the 15th, then moved to Wednesday the 17th: a new reminder on the 17th at
    08:00, not before."""
    mail_to(inbox.port)
    case = planned_case(world)
    evaluation = pupil_eval(case)
    assert reminders.remind(evaluation.id, at(DUE, 8)) is True
    evaluation.due_on = DUE + timedelta(days=2)
    db.session.commit()
    assert reminders.scan(at(DUE + timedelta(days=2), 7, 30)).reminded == 0
    assert reminders.scan(at(DUE + timedelta(days=2), 8, 0)).reminded == 1
    subjects = [m["Subject"] for m in inbox.wait_for(2)]
    assert len(subjects) == 2
    assert db.session.scalars(select(Notice.due_on).order_by(Notice.id)).all() == [
        DUE, DUE + timedelta(days=2)
    ]


def test_overdue_reaches_the_coordinators_after_two_school_days(app, world, inbox, mail_to):
    """Due Monday 15 March, not held: Tuesday nothing, Wednesday 08:00 the coordinator of
    that school (not the other school's) gets a notice and an e-mail, once."""
    mail_to(inbox.port)
    case = planned_case(world)
    reminders.scan(at(DUE, 8))  # the teacher's own reminder
    assert reminders.scan(at(DUE + timedelta(days=1), 12)).escalated == 0
    assert reminders.scan(at(DUE + timedelta(days=2), 7, 59)).escalated == 0
    assert reminders.scan(at(DUE + timedelta(days=2), 8, 0)).escalated == 1
    assert reminders.scan(at(DUE + timedelta(days=3), 8, 0)).escalated == 0
    messages = inbox.wait_for(2)
    assert [m["To"] for m in messages] == ["anne@a.example", "sanne@a.example"]
    overdue = messages[1]
    assert overdue["Subject"] == "Nog niet gehouden: gesprek over Bas (groep 6)"
    assert body(overdue) == (
        "Beste Sanne SMW,\n\n"
        "Het vervolggesprek met Bas (groep 6), gepland op maandag 15 maart, is 2 schooldagen "
        "later nog niet gehouden. Verantwoordelijk: Juf Anne.\n\n"
        f"Open de aanpak: https://steungroep.school.example/zaken/{case.id}\n"
    )
    users = db.session.scalars(select(Notice.user_id).where(Notice.kind == "overdue")).all()
    assert users == [world.coordinator.id]


def test_overdue_counts_school_days_not_a_studiedag(app, world, inbox, mail_to):
    """With a studiedag on Tuesday the 16th, the second school day after Monday is Thursday."""
    mail_to(inbox.port)
    world.school.days_off.append(DayOff(day=DUE + timedelta(days=1), description="Studiedag"))
    db.session.commit()
    planned_case(world)
    assert reminders.scan(at(DUE + timedelta(days=2), 9)).escalated == 0
    assert reminders.scan(at(DUE + timedelta(days=3), 8)).escalated == 1


def test_smtp_down_then_back_sends_once(app, world, mail_to):
    """SMTP refuses: the e-mail stays pending with its error and a retry time (1, 2, 4 …
    minutes). Once the server is up, the next due retry delivers it, exactly once."""
    port = free_port()
    mail_to(port)
    planned_case(world)
    start = at(DUE, 8)
    result = reminders.scan(start)
    assert (result.reminded, result.mailed) == (1, 0)
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == MAIL_PENDING and message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()
    assert outbox.deliver_outbox(start + timedelta(seconds=30)) == 0  # not yet time
    assert outbox.deliver_outbox(start + timedelta(seconds=61)) == 0  # second failure
    db.session.refresh(message)
    assert message.attempts == 2

    server = SmtpServer(port)
    server.start()
    try:
        assert outbox.deliver_outbox(start + timedelta(minutes=3)) == 0  # backoff: 2 min
        assert outbox.deliver_outbox(start + timedelta(minutes=3, seconds=5)) == 1
        assert outbox.deliver_outbox(start + timedelta(minutes=30)) == 0
        assert reminders.scan(start + timedelta(hours=2)).mailed == 0
        assert len(server.wait_for(1)) == 1
        db.session.refresh(message)
        assert (message.status, message.attempts, message.last_error) == (MAIL_SENT, 3, "")
    finally:
        server.stop()
    assert len(server.received()) == 1


def test_without_smtp_the_notice_still_appears(app, world):
    """No MAIL_SERVER: the reminder is a notice in the app only; nothing waits in the outbox."""
    app.config["MAIL_SERVER"] = ""
    planned_case(world)
    assert reminders.scan(at(DUE, 8)).reminded == 1
    assert count(Notice) == 1 and count(OutboxMessage) == 0


def test_without_public_url_no_mail_is_sent_and_everyone_is_told(
        app, world, client, login, monkeypatch, tmp_path, caplog):
    """MAIL_SERVER without PUBLIC_URL: the links would point at 127.0.0.1, so nothing goes
    into the outbox (the notice still appears), the settings page says why, and the app
    warns when it starts."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    planned_case(world)
    assert reminders.scan(at(DUE, 8)).reminded == 1
    assert count(Notice) == 1 and count(OutboxMessage) == 0
    login(world.coordinator)
    page = client.get("/instellingen").get_data(as_text=True)
    assert "geen PUBLIC_URL" in page and "verstuurt niets" in page
    with caplog.at_level("WARNING"):
        make_app(f"sqlite:///{tmp_path}/x.sqlite", str(tmp_path), MAIL_SERVER="127.0.0.1",
                 PUBLIC_URL="")
    assert any("PUBLIC_URL is not" in r.getMessage() for r in caplog.records)


def test_backoff_doubles_up_to_an_hour():
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 8, 20)] == [
        1, 2, 4, 8, 60, 60, 60
    ]


def test_housekeeping_removes_old_sent_mail_and_seen_notices(app, world, inbox, mail_to):
    mail_to(inbox.port)
    planned_case(world, group_due=DUE)
    reminders.scan(at(DUE, 8))
    for notice in db.session.scalars(select(Notice)):
        notice.seen_at = at(DUE, 9)
    db.session.commit()
    assert notices.housekeeping(at(DUE, 12) + timedelta(days=29)) == {
        "outbox": 0, "notices": 0, "logins": 0
    }
    assert notices.housekeeping(at(DUE, 12) + timedelta(days=31)) == {
        "outbox": 2, "notices": 2, "logins": 0
    }
    # The evaluation row still remembers the reminder: it is not sent again.
    assert reminders.scan(at(DUE, 12) + timedelta(days=31)).reminded == 0


def test_housekeeping_removes_logins_a_month_after_they_expired(app, world):
    teacher = world.teacher
    started = at(DUE, 8)
    old = LoginSession(user=teacher, started_at=started, ended_at=started + timedelta(hours=1))
    open_one = LoginSession(user=teacher, started_at=started + timedelta(days=2))
    db.session.add_all([old, open_one])
    db.session.commit()
    lifetime = timedelta(hours=10)
    # Thirty days after the end of its lifetime, not before.
    assert notices.housekeeping(started + timedelta(days=30, hours=9), lifetime)["logins"] == 0
    assert notices.housekeeping(started + timedelta(days=30, hours=11), lifetime)["logins"] == 1
    assert db.session.scalars(select(LoginSession.id)).all() == [open_one.id]


@pytest.mark.parametrize("hour, expected", [(7, DUE - timedelta(days=1)), (8, DUE)])
def test_latest_due_day_turns_at_eight(hour, expected):
    assert reminders.latest_due_day(at(DUE, hour, 59 if hour == 7 else 0)) == expected


def test_move_evaluation_through_the_use_case_writes_the_timeline(app, world):
    case = planned_case(world)
    evaluation = pupil_eval(case)
    new_day = school_today() + timedelta(days=7)
    calendar = planning.calendar_for(case.school)
    while not calendar.is_school_day(new_day):
        new_day += timedelta(days=1)
    planning.move_evaluation(case, world.teacher, evaluation, new_day, "Leerling ziek")
    db.session.commit()
    assert evaluation.due_on == new_day
    assert "Leerling ziek" in case.timeline[-1].text


def test_overdue_goes_to_the_admin_when_the_school_has_no_coordinator(app, world):
    app.config["MAIL_SERVER"] = ""
    world.coordinator.active = False
    db.session.commit()
    planned_case(world)
    assert reminders.scan(at(DUE + timedelta(days=2), 8)).escalated == 1
    users = db.session.scalars(select(Notice.user_id).where(Notice.kind == "overdue")).all()
    assert users == [world.admin.id]


def test_a_reminder_sent_late_says_when_it_was_planned(app, world, inbox, mail_to):
    """The scheduler was down on Monday: Tuesday's catch-up does not say 'Vandaag'."""
    mail_to(inbox.port)
    case = planned_case(world)
    reminders.scan(at(DUE + timedelta(days=1), 9))
    message = inbox.wait_for(1)[0]
    assert message["Subject"] == "Nog te doen: vervolggesprek met Bas (groep 6)"
    assert body(message).startswith(
        "Beste Juf Anne,\n\nHet vervolggesprek met Bas (groep 6) stond gepland op maandag "
        "15 maart en is nog niet gehouden: een week na de bijeenkomst vraag je hoe het nu gaat."
    )
    assert f"/zaken/{case.id}" in body(message)


def test_one_broken_evaluation_does_not_stop_the_others(app, world, inbox, mail_to, monkeypatch):
    mail_to(inbox.port)
    first, second = (planned_case(world, pupil=p) for p in world.pupils[:2])
    broken = pupil_eval(first).id
    real = reminders.due_message

    def flaky(user, evaluation, case, today=None):
        if evaluation.id == broken:
            raise ValueError("kapot")
        return real(user, evaluation, case, today)

    monkeypatch.setattr(reminders, "due_message", flaky)
    assert reminders.scan(at(DUE, 8)).reminded == 1
    assert len(inbox.wait_for(1)) == 1
    db.session.refresh(pupil_eval(first))
    assert pupil_eval(first).reminded_for is None  # rolled back: tried again next scan
    assert pupil_eval(second).reminded_for == DUE


def test_smtp_that_fails_after_accepting_counts_as_sent(app, world, inbox, mail_to, monkeypatch):
    """A server that takes the message and then fails on QUIT: not sent a second time."""
    import smtplib

    mail_to(inbox.port)
    planned_case(world)

    def broken_quit(self):
        raise smtplib.SMTPServerDisconnected("weg")

    monkeypatch.setattr(smtplib.SMTP, "quit", broken_quit)
    assert reminders.scan(at(DUE, 8)).mailed == 1
    assert outbox.deliver_outbox(at(DUE, 9)) == 0
    assert len(inbox.wait_for(1)) == 1
