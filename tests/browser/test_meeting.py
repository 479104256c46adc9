"""Meeting mode on school wifi, two tablets on one meeting, and drafts on a shared tablet
(Playwright + Debian Chromium). The server is a live one this module can stop and start
again on the same port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from playwright import sync_api
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import Action, Case, Cycle, User

from .. import factories
from ..smtp import free_port
from .helpers import (
    TABLET,
    action_card,
    case_waiting_for_meeting,
    expect_saved,
    log_in,
    open_meeting,
    open_page,
    type_action,
    wait_until,
)

expect = sync_api.expect
pytestmark = pytest.mark.browser


def stored_actions(app, case_id: int) -> dict[str, str]:
    """First name -> action text of the current round, as the database has it."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        cycle = db.session.scalar(
            select(Cycle).where(Cycle.group_id == case.group.id).order_by(Cycle.number.desc())
        )
        actions = db.session.scalars(select(Action).where(Action.cycle_id == cycle.id))
        result = {a.member.pupil.first_name: a.text for a in actions}
        db.session.rollback()
        return result


def member_names(page) -> list[str]:
    return page.locator("form.action-card .action-name").all_inner_texts()


def status_of(page, name: str):
    return action_card(page, name).locator(".action-status")


def test_offline_cards_wait_on_the_tablet_and_go_by_themselves(
        browser, server, live_app, screenshots):
    """Offline: a typed card says 'Nog niet verstuurd' (never red, never lost), a saved card
    stays saved when the teacher moves on, Afronden answers with a calm message on the
    page; online again, the waiting card reaches the server without another key."""
    case_id, context, page = open_meeting(browser, server, live_app)
    try:
        first, second, third = member_names(page)[:3]
        type_action(page, first, "Ik ga in de pauze vragen of ze meedoet.")
        expect_saved(page, first)

        context.set_offline(True)
        type_action(page, second, "Ik ga naast haar zitten bij het eten.")
        expect(status_of(page, second)).to_contain_text("Nog niet verstuurd")
        expect(page.locator("[data-connection]")).to_be_visible()
        action_card(page, third).get_by_label(third, exact=True).click()
        expect(status_of(page, first)).to_have_text("✓ Opgeslagen")
        expect(status_of(page, second)).to_contain_text("Nog niet verstuurd")
        expect(page.locator(".field-error, [role=alert]")).to_have_count(0)
        assert second not in stored_actions(live_app, case_id)

        page.get_by_role("button", name="Afronden").click()
        expect(page.locator("[data-finish-offline]")).to_be_visible()
        expect(page.locator("[data-finish-offline]")).to_contain_text("niets verloren")
        page.screenshot(path=str(screenshots / "meeting-offline-tablet.png"), full_page=True)
        assert page.url.endswith(f"/zaken/{case_id}/bijeenkomst")
        expect(action_card(page, second).get_by_label(second, exact=True)).to_have_value(
            "Ik ga naast haar zitten bij het eten."
        )

        context.set_offline(False)
        expect_saved(page, second)
        expect(page.locator("[data-connection]")).to_be_hidden()
        assert stored_actions(live_app, case_id)[second] == "Ik ga naast haar zitten bij het eten."
        failed = [p for p in page.problems if "ERR_INTERNET_DISCONNECTED" not in p]
        assert failed == [], failed
    finally:
        context.close()


def test_server_away_then_back_loses_nothing(browser, server, live_app):
    """The server stops (connection refused) while a card is typed; the text is kept in the
    tab, survives a reload once the server is back, and is stored without retyping."""
    case_id, context, page = open_meeting(browser, server, live_app)
    try:
        first, second = member_names(page)[:2]
        server.stop()
        type_action(page, first, "Ik ga elke ochtend gedag zeggen.")
        expect(status_of(page, first)).to_contain_text("Nog niet verstuurd")
        type_action(page, second, "Ik ga vragen of hij mee voetbalt.")
        expect(status_of(page, second)).to_contain_text("Nog niet verstuurd")
        assert stored_actions(live_app, case_id) == {}

        server.start()
        page.reload()
        expect(action_card(page, first).get_by_label(first, exact=True)).to_have_value(
            "Ik ga elke ochtend gedag zeggen."
        )
        expect_saved(page, first)
        expect_saved(page, second)
        assert stored_actions(live_app, case_id) == {
            first: "Ik ga elke ochtend gedag zeggen.",
            second: "Ik ga vragen of hij mee voetbalt.",
        }
        expect(page.locator("#progress")).to_have_text(f"2 van {len(member_names(page))}")
    finally:
        if server._serving is None:
            server.start()
        context.close()


def test_two_tablets_never_overwrite_each_other_silently(
        browser, server, live_app, screenshots):
    """Two tablets on one meeting: the second save over a card the other tablet changed is
    a visible choice, the first time and every time after."""
    case_id, context_a, a = open_meeting(browser, server, live_app)
    context_b, b = open_page(browser, server.base, TABLET)
    try:
        log_in(b)  # the same teacher, logged in on a second tablet
        b.goto(f"/zaken/{case_id}/bijeenkomst")
        name = member_names(a)[0]

        type_action(a, name, "Ik ga met haar naar huis fietsen.")
        expect_saved(a, name)
        type_action(b, name, "Ik ga haar helpen met rekenen.")
        expect(status_of(b, name)).to_contain_text("Ik ga met haar naar huis fietsen.")
        action_card(b, name).screenshot(path=str(screenshots / "meeting-conflict-card.png"))
        assert stored_actions(live_app, case_id)[name] == "Ik ga met haar naar huis fietsen."

        action_card(b, name).get_by_role("button", name="Mijn tekst bewaren").click()
        expect_saved(b, name)
        assert stored_actions(live_app, case_id)[name] == "Ik ga haar helpen met rekenen."

        # The second clash is no more silent than the first.
        type_action(a, name, "Ik ga met haar naar huis lopen.")
        expect(status_of(a, name)).to_contain_text("Ik ga haar helpen met rekenen.")
        assert stored_actions(live_app, case_id)[name] == "Ik ga haar helpen met rekenen."
        action_card(a, name).get_by_role("button", name="Die tekst nemen").click()
        expect_saved(a, name)
        expect(action_card(a, name).get_by_label(name, exact=True)).to_have_value(
            "Ik ga haar helpen met rekenen."
        )
    finally:
        context_a.close()
        context_b.close()


def meeting_with_timer(browser, server, app, case_id: int, minutes: str):
    """The meeting on a fake clock: the timer started and ``minutes`` (mm:ss) gone by."""
    context, page = open_page(browser, server.base, TABLET)
    page.clock.install()
    log_in(page)
    page.goto(f"/zaken/{case_id}/bijeenkomst")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(minutes)
    return context, page


def test_timer_and_banner_survive_a_refused_afronden(browser, server, live_app):
    """A refused Afronden keeps the timer running from where it was; its 'Nog geen actie'
    banner goes once every card is saved; Afronden then records the minutes."""
    case_id = case_waiting_for_meeting(live_app)
    context, page = meeting_with_timer(browser, server, live_app, case_id, "12:05")
    try:
        expect(page.locator("[data-timer-display]")).to_have_text("12:05")
        names = member_names(page)
        type_action(page, names[0], "Ik ga vragen of ze mee speelt.")
        page.clock.run_for(2000)
        expect_saved(page, names[0])

        page.get_by_role("button", name="Afronden").click()
        expect(page.locator(".alert")).to_contain_text("Nog geen actie voor")
        page.clock.run_for(1000)
        # the page came back from the server with 0:00; the script sets the kept time once
        # it has run, so wait for that instead of reading the text at once
        expect(page.locator("[data-timer-display]")).to_have_text(re.compile(r"^12:"))
        expect(page.get_by_role("button", name="Pauze")).to_be_visible()

        for index, name in enumerate(names[1:]):
            type_action(page, name, f"Ik ga samen buiten spelen, dag {index + 1}.")
        page.clock.run_for(2000)
        for name in names:
            expect_saved(page, name)
        expect(page.locator(".alert")).to_have_count(0)
        page.get_by_role("button", name="Afronden").click()
        expect(page).to_have_url(re.compile(r"/bijeenkomst/klaar$"))
        with live_app.app_context():
            case = db.session.get(Case, case_id)
            assert case.group.cycles[0].meeting_minutes == 12
            db.session.rollback()
        wait_until(page, "!Object.keys(sessionStorage).some(k => k.includes('meeting'))")
    finally:
        context.close()


def _case_in_round_two(app) -> int:
    with app.app_context():
        case_id = case_waiting_for_meeting(app)
        case = db.session.get(Case, case_id)
        teacher = db.session.scalar(select(User).where(User.email == "anne@a.example"))
        w = SimpleNamespace(teacher=teacher)
        factories.with_evaluations(w, factories.with_meeting(w, case))
        factories.next_round(w, case)
        return case_id


def test_keeping_last_rounds_action_keeps_the_timer_and_the_page(
        browser, server, live_app):
    """'Zelfde actie houden' stores last round's action without reloading the page: the timer
    goes on from where it was (it used to start again at 0:00)."""
    case_id = _case_in_round_two(live_app)
    context, page = meeting_with_timer(browser, server, live_app, case_id, "05:00")
    try:
        name = member_names(page)[0]
        card = action_card(page, name)
        previous = card.locator(".previous").inner_text()
        card.get_by_role("button", name="Zelfde actie houden").click()
        expect_saved(page, name)
        page.clock.run_for(1000)
        expect(page.locator("[data-timer-display]")).to_have_text(re.compile(r"^5:0\d$"))
        stored = stored_actions(live_app, case_id)[name]
        assert stored in previous and stored
        expect(card.get_by_label(name, exact=True)).to_have_value(stored)
        expect(page.locator("#progress")).to_have_text(re.compile(r"^1 van "))
    finally:
        context.close()


class ServerProcess:
    """The app in a process of its own (``flask run``) on the test database, so it can be
    killed with SIGKILL in the middle of a meeting and started again on the same port."""

    def __init__(self, app, port: int) -> None:
        self.port = port
        self.env = {**os.environ, "FLASK_APP": "steungroep", "PYTHONUNBUFFERED": "1",
                    "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                    "SECRET_KEY": app.config["SECRET_KEY"], "IDLE_LOCK_MINUTES": "15"}
        self.process = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "run", "--port", str(self.port), "--no-reload"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until the port answers
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert self.process.poll() is None, "the app did not start"
                time.sleep(0.05)
        raise AssertionError("the app did not answer within 30 s")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def test_a_server_killed_mid_meeting_loses_nothing(browser, live_app):
    """kill -9 of the server in the middle of a meeting: what reached it is stored, what was
    typed while it was down waits on the tablet and goes by itself once it is back."""
    case_id = case_waiting_for_meeting(live_app)
    server = ServerProcess(live_app, free_port())
    server.start()
    context, page = open_page(browser, server.base, TABLET)
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}/bijeenkomst")
        first, second = member_names(page)[:2]
        type_action(page, first, "Ik ga haar elke ochtend gedag zeggen.")
        expect_saved(page, first)
        server.kill()
        type_action(page, second, "Ik ga vragen of ze naast me wil zitten.")
        expect(status_of(page, second)).to_contain_text("Nog niet verstuurd")
        assert stored_actions(live_app, case_id) == {first: "Ik ga haar elke ochtend gedag zeggen."}
        server.start()
        expect_saved(page, second)
        expect(status_of(page, first)).to_have_text("✓ Opgeslagen")
        assert stored_actions(live_app, case_id) == {
            first: "Ik ga haar elke ochtend gedag zeggen.",
            second: "Ik ga vragen of ze naast me wil zitten.",
        }
    finally:
        context.close()
        if server.process and server.process.poll() is None:
            server.kill()
