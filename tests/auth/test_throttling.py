"""Throttling that slows an attacker and never locks a school out: a whole school shares one
public address, pupils share tablets, and one pupil must not be able to lock out a teacher,
a school or a classmate's card."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from steungroep.auth import throttle
from steungroep.core.extensions import db
from steungroep.models import LoginSession

from .. import factories as f
from ..live import Client, at_once, serving
from ..pages import visible_text

WRONG = "niet-het-goede-wachtwoord"


def attempt(client, email: str, password: str = WRONG) -> int:
    return client.post("/inloggen", data={"email": email, "password": password}).status_code


def later(seconds: float):
    """Move the clock (the limiter's store reads time.time) forward by ``seconds``."""
    return time_machine.travel(datetime.now(UTC) + timedelta(seconds=seconds))


def test_wrong_passwords_slow_an_account_but_the_right_one_gets_in_after_a_wait(
        client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ACCOUNT", "3 per 15 minutes")
    email = world.teacher.email
    assert [attempt(client, email) for _ in range(3)] == [422] * 3
    assert attempt(client, email) == 422  # the slow lane: one try per 30 seconds
    paused = client.post("/inloggen", data={"email": email, "password": WRONG})
    assert paused.status_code == 429 and "Even wachten" in visible_text(paused)
    assert attempt(client, email, f.PASSWORD) == 429  # even the right one waits now
    assert attempt(client, world.colleague.email, f.PASSWORD) == 302  # others do not
    client.post("/uitloggen")
    with later(31):
        assert attempt(client, email, f.PASSWORD) == 302
    # The right password starts the account's budget again.
    client.post("/uitloggen")
    assert [attempt(client, email) for _ in range(3)] == [422] * 3


def test_a_known_device_is_not_slowed_by_guesses_from_elsewhere(app, world, monkeypatch):
    """The teacher's own tablet logged in before; a pupil on another device guessing at the
    teacher's account (or anyone's, from the school's address) does not slow it."""
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ACCOUNT", "3 per 15 minutes")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ADDRESS", "5 per 15 minutes")
    email = world.teacher.email
    tablet = app.test_client()
    assert attempt(tablet, email, f.PASSWORD) == 302
    assert tablet.get_cookie(throttle.DEVICE_COOKIE) is not None
    tablet.post("/uitloggen")

    pupil = app.test_client()
    answers = [attempt(pupil, email) for _ in range(6)]
    answers += [attempt(pupil, f"juf{n}@a.example") for n in range(10)]
    assert answers.count(429) >= 10
    assert attempt(tablet, email, f.PASSWORD) == 302

    # The known device's own wrong passwords have a budget of their own.
    tablet.post("/uitloggen")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_DEVICE", "2 per 15 minutes")
    assert [attempt(tablet, email) for _ in range(4)] == [422, 422, 422, 429]


def test_a_new_device_behind_a_busy_address_gets_in_after_a_short_wait(
        app, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ADDRESS", "5 per 15 minutes")
    pupil = app.test_client()
    assert {attempt(pupil, f"x{n}@a.example") for n in range(12)} >= {422, 429}
    colleague = app.test_client()  # a new tablet: no device cookie yet
    with later(6):
        assert attempt(colleague, world.colleague.email, f.PASSWORD) == 302


def test_tries_are_counted_before_the_password_is_checked(app, world, monkeypatch):
    """24 wrong passwords at the same moment: exactly the budget (10) and the slow lane's
    one try are checked, the rest wait (the old limit, counted after checking, let 15
    through)."""
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_ADDRESS", "100 per 15 minutes")
    # The slow lane's window must outlast the burst, however slow the machine: on a busy CI
    # host the last of the 24 requests reached the limiter more than 30 s after the first
    # (they wait for a database connection) and found a fresh 30-second window.
    monkeypatch.setattr(throttle, "SLOW_ACCOUNT", "1 per 15 minutes")
    with serving(app) as base:
        form = {"email": world.teacher.email, "password": WRONG}
        answers = at_once(*[(Client(base), "/inloggen", form) for _ in range(24)])
    statuses = [a[0] for a in answers]
    assert statuses.count(422) == 11 and statuses.count(429) == 13, statuses


def test_a_correct_card_always_opens_whatever_the_address_guessed(client, world, app):
    case = f.case_at(world, "evaluatie_leerling")
    token = case.group.members[0].card_token
    wrong = [client.get(f"/k/{'x' * 40}{n}").status_code for n in range(30)]
    assert wrong[:10] == [404] * 10 and set(wrong[10:]) == {429}
    for _ in range(5):
        assert client.get(f"/k/{token}").status_code == 200
    assert client.get(f"/k/{'y' * 40}").status_code == 429


def test_the_unlock_counter_lives_on_the_server(client, world, login):
    """Putting back an old session cookie buys no extra tries on the lock page."""
    login(world.teacher)
    with client.session_transaction() as session:
        session["locked"] = True
    cookie = client.get_cookie("session").value
    for _ in range(3):
        assert client.post("/vergrendeld", data={"password": WRONG}).status_code == 422
    client.set_cookie("session", cookie)  # replay the cookie from before the tries
    assert client.post("/vergrendeld", data={"password": WRONG}).status_code == 422
    final = client.post("/vergrendeld", data={"password": WRONG})
    assert final.headers["Location"] == "/inloggen"
    assert client.get("/").headers["Location"].startswith("/inloggen")
    row = db.session.scalar(select(LoginSession).where(LoginSession.user_id == world.teacher.id))
    assert row.unlock_failures == 5 and row.ended_at is not None


def test_parallel_unlock_tries_share_the_five(app, world):
    with serving(app) as base:
        tablet = Client(base).log_in(world.teacher)
        status, location, _ = tablet.get("/vergrendeld")
        assert status == 200, location
        answers = at_once(*[(tablet, "/vergrendeld", {"password": WRONG}) for _ in range(12)])
    statuses = [a[0] for a in answers]
    assert statuses.count(422) <= 4 and 500 not in statuses, statuses
    db.session.rollback()
    row = db.session.scalar(select(LoginSession).where(LoginSession.user_id == world.teacher.id))
    assert row.unlock_failures == 5 and row.ended_at is not None


def test_the_lock_never_sends_back_to_a_post_address(client, world, login):
    """A form sent on a locked tablet returns, after the password, to the page it came from
    (not to the POST's address, which would answer 405)."""
    case = f.case_at(world, "gesprek")
    login(world.teacher)
    with client.session_transaction() as session:
        session["locked"] = True
    response = client.post(f"/zaken/{case.id}/gesprek", data={"consent": "ja"},
                           headers={"Referer": f"http://localhost/zaken/{case.id}/gesprek"})
    assert response.headers["Location"] == f"/vergrendeld?next=/zaken/{case.id}/gesprek"
    unlocked = client.post(response.headers["Location"], data={"password": f.PASSWORD})
    assert unlocked.headers["Location"] == f"/zaken/{case.id}/gesprek"
    assert client.get(unlocked.headers["Location"]).status_code == 200


def _feed(world) -> str:
    world.teacher.calendar_token = "agenda-adres-van-anne-0123456789abcdef"
    db.session.commit()
    return f"/agenda/{world.teacher.calendar_token}.ics"


def test_a_right_calendar_address_always_works_whatever_the_address_guessed(client, world):
    """Only wrong feed addresses are counted: ten, then 429; the right one keeps working."""
    feed = _feed(world)
    wrong = [client.get(f"/agenda/{'x' * 40}{n}.ics").status_code for n in range(30)]
    assert wrong[:10] == [404] * 10 and set(wrong[10:]) == {429}
    for _ in range(5):
        response = client.get(feed)
        assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.data
    assert client.get(f"/agenda/{'y' * 40}.ics").status_code == 429


def test_parallel_wrong_calendar_addresses_get_exactly_the_budget(app, world):
    """24 wrong addresses at once from one address: exactly ten answers, then 429s (each
    wrong try is one atomic count before the answer, not a deduction afterwards)."""
    with serving(app) as base:
        guesser = Client(base)
        barrier = threading.Barrier(24)
        statuses: list[int] = []

        def guess(n: int) -> None:
            barrier.wait()
            statuses.append(guesser.get(f"/agenda/{'z' * 40}{n}.ics")[0])

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(24)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(statuses) == [404] * 10 + [429] * 14, statuses
