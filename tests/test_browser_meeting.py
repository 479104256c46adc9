"""Meeting mode on school wifi, two tablets on one meeting, and drafts on a shared tablet
(Playwright + Debian Chromium). The server is a live one this module can stop and start
again on the same port."""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from playwright import sync_api
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import Action, Case, Cycle, User

from . import factories
from .live import Restartable
from .test_browser import (
    TABLET,
    _case_waiting_for_meeting,
    action_card,
    browser,  # noqa: F401  (a fixture)
    expect_saved,
    live_app,  # noqa: F401  (a fixture)
    log_in,
    open_page,
    screenshots,  # noqa: F401  (a fixture)
    type_action,
    wait_until,
)

expect = sync_api.expect
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(live_app) -> Iterator[Restartable]:  # noqa: F811
    running = Restartable(live_app)
    yield running
    if running._serving is not None:
        running.stop()


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


def open_meeting(browser, server, app, email: str = "anne@a.example"):  # noqa: F811
    case_id = _case_waiting_for_meeting(app)
    context, page = open_page(browser, server.base, TABLET)
    log_in(page, email)
    page.goto(f"/zaken/{case_id}/bijeenkomst")
    return case_id, context, page


def test_offline_cards_wait_on_the_tablet_and_go_by_themselves(
        browser, server, live_app, screenshots):  # noqa: F811
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


def test_server_away_then_back_loses_nothing(browser, server, live_app):  # noqa: F811
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
        browser, server, live_app, screenshots):  # noqa: F811
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


def test_timer_and_banner_survive_a_refused_afronden(browser, server, live_app):  # noqa: F811
    """A refused Afronden keeps the timer running from where it was; its 'Nog geen actie'
    banner goes once every card is saved; Afronden then records the minutes."""
    case_id = _case_waiting_for_meeting(live_app)
    context, page = open_page(browser, server.base, TABLET)
    try:
        page.clock.install()
        log_in(page)
        page.goto(f"/zaken/{case_id}/bijeenkomst")
        page.get_by_role("button", name="Start").click()
        page.clock.run_for("12:05")
        expect(page.locator("[data-timer-display]")).to_have_text("12:05")
        names = member_names(page)
        type_action(page, names[0], "Ik ga vragen of ze mee speelt.")
        page.clock.run_for(2000)
        expect_saved(page, names[0])

        page.get_by_role("button", name="Afronden").click()
        expect(page.locator(".alert")).to_contain_text("Nog geen actie voor")
        page.clock.run_for(1000)
        display = page.locator("[data-timer-display]").inner_text()
        assert display.startswith("12:"), display
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


def test_touch_targets_are_at_least_44_px(browser, server, live_app):  # noqa: F811
    """Every button, summary and button-like link on the meeting, case and group screens is
    at least 44 px high on a tablet."""
    case_id, context, page = open_meeting(browser, server, live_app)
    measure = """() => Array.from(document.querySelectorAll(
        'button, summary, a.btn, input[type=submit], .previous .btn'))
      .filter(e => e.offsetParent !== null)
      .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
      .filter(([, h]) => h < 44)"""
    try:
        pages = ("/zaken/{id}/bijeenkomst", "/zaken/{id}", "/zaken/{id}/groep", "/",
                 "/meldingen/nieuw", "/agenda", "/zaken/{id}/notities", "/account/wachtwoord")
        for path in (p.format(id=case_id) for p in pages):
            page.goto(path)
            small = page.evaluate(measure)
            assert small == [], f"{path}: {small}"
    finally:
        context.close()


def test_drafts_belong_to_one_login(browser, server, live_app):  # noqa: F811
    """What a teacher typed stays in the tab through an idle lock, but five wrong passwords
    end it: the colleague who logs in next on the same tablet sees an empty form, and the
    tab holds nothing of it."""
    context, page = open_page(browser, server.base, TABLET)
    live_app.config["IDLE_LOCK_MINUTES"] = 0.05  # three seconds
    draft = "CONCEPT-van-juf-Anne over de pauze"
    try:
        log_in(page)
        page.goto("/meldingen/nieuw")
        page.get_by_label("Korte beschrijving").fill(draft)
        expect(page).to_have_url(re.compile(r"/vergrendeld\?next="), timeout=8000)
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        assert any(draft in v for v in page.evaluate("Object.values(sessionStorage)"))
        for _ in range(5):
            page.get_by_label("Wachtwoord").fill("niet-het-goede-wachtwoord")
            page.get_by_role("button", name="Ontgrendelen").click()
        expect(page).to_have_url(re.compile(r"/inloggen"))
        expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
        wait_until(page, "!Object.keys(sessionStorage).some(k => k.startsWith('steungroep-'))")

        log_in(page, "karim@a.example")
        page.goto("/meldingen/nieuw")
        expect(page.get_by_label("Korte beschrijving")).to_have_value("")
        expect(page.locator(".flash", has_text="teruggezet")).to_have_count(0)
    finally:
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        context.close()


def test_another_login_in_the_same_tab_forgets_the_first_ones_drafts(
        browser, server, live_app):  # noqa: F811
    context, page = open_page(browser, server.base, TABLET)
    try:
        log_in(page)
        page.goto("/meldingen/nieuw")
        page.get_by_label("Korte beschrijving").fill("Alleen voor Anne.")
        # The session ends on the server (an admin switched it off, or it expired) and a
        # colleague logs in in the same tab.
        context.clear_cookies()
        log_in(page, "karim@a.example")
        page.goto("/meldingen/nieuw")
        expect(page.get_by_label("Korte beschrijving")).to_have_value("")
        assert not any("Anne" in v for v in page.evaluate("Object.values(sessionStorage)"))
    finally:
        context.close()


def _case_with_cards(app, long_action: str) -> int:
    """A case after its meeting whose first member's action is ``long_action``."""
    with app.app_context():
        case_id = _case_waiting_for_meeting(app)
        case = db.session.get(Case, case_id)
        teacher = db.session.scalar(select(User).where(User.email == "anne@a.example"))
        factories.with_meeting(SimpleNamespace(teacher=teacher), case)
        first = case.group.members[0]
        action = next(a for a in case.group.cycles[0].actions if a.member_id == first.id)
        action.text = long_action
        db.session.commit()
        return case_id


def test_a_long_action_never_pushes_the_name_or_the_date_off_the_printed_card(
        browser, server, live_app, screenshots):  # noqa: F811
    longest = ("Ik ga in de pauze elke dag vragen of ze mee wil doen met tikkertje of met "
               "voetbal, en als ze nee zegt vraag ik de volgende dag opnieuw, en bij het "
               "buitenspelen ga ik naast haar staan als iemand iets naars zegt.")[:200]
    case_id = _case_with_cards(live_app, longest)
    context, page = open_page(browser, server.base, {"width": 794, "height": 1123})
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}/kaarten/afdrukken")
        page.emulate_media(media="print")
        cut = page.evaluate("""() => Array.from(document.querySelectorAll('.paper-card'))
          .map(card => {
            const box = card.getBoundingClientRect();
            const inside = sel => { const e = card.querySelector(sel); if (!e) return false;
              const r = e.getBoundingClientRect();
              return r.top >= box.top && r.bottom <= box.bottom + 0.5; };
            const action = card.querySelector('.paper-action');
            return {name: inside('.paper-name'), thanks: inside('.paper-thanks'),
                    ask: inside('.paper-ask'),
                    fits: action.scrollHeight <= action.clientHeight + 1};
          }).filter(c => !(c.name && c.thanks && c.ask && c.fits))""")
        assert cut == [], cut
        expect(page.locator(".paper-card").first).to_contain_text(longest[:60])
        page.screenshot(path=str(screenshots / "cards-print-long-action.png"), full_page=True)
    finally:
        context.close()


def test_a_refused_form_low_on_the_page_comes_back_with_its_message_in_view(
        browser, server, live_app):  # noqa: F811
    """Verplaatsen sits far down the case page: refused, the page comes back with the fold
    open and the message on screen, not at the top of the page."""
    from datetime import timedelta

    from steungroep.core.timeutil import school_today

    case_id = _case_with_cards(live_app, "Ik ga naast haar zitten.")
    saturday = school_today() + timedelta(days=(5 - school_today().weekday()) % 7 + 7)
    context, page = open_page(browser, server.base, TABLET)
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}")
        move = page.locator("details.move").filter(has_text="Verplaatsen").first
        move.locator("summary").click()
        move.get_by_label("Nieuwe datum").fill(saturday.isoformat())
        move.get_by_label("Waarom?").fill("Leerling ziek")
        move.get_by_role("button", name="Verplaats").click()
        refusal = page.locator("[data-refusal]").first
        expect(refusal).to_be_visible()
        expect(refusal).to_be_in_viewport()
        assert page.evaluate("window.scrollY") > 0
        expect(move.get_by_label("Waarom?")).to_have_value("Leerling ziek")
    finally:
        context.close()


def _case_in_round_two(app) -> int:
    with app.app_context():
        case_id = _case_waiting_for_meeting(app)
        case = db.session.get(Case, case_id)
        teacher = db.session.scalar(select(User).where(User.email == "anne@a.example"))
        w = SimpleNamespace(teacher=teacher)
        factories.with_evaluations(w, factories.with_meeting(w, case))
        factories.next_round(w, case)
        return case_id


def test_keeping_last_rounds_action_keeps_the_timer_and_the_page(
        browser, server, live_app):  # noqa: F811
    """'Zelfde actie houden' stores last round's action without reloading the page: the timer
    goes on from where it was (it used to start again at 0:00)."""
    case_id = _case_in_round_two(live_app)
    context, page = open_page(browser, server.base, TABLET)
    try:
        page.clock.install()
        log_in(page)
        page.goto(f"/zaken/{case_id}/bijeenkomst")
        page.get_by_role("button", name="Start").click()
        page.clock.run_for("05:00")
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
