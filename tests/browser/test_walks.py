"""Real-browser walks through the method (Playwright + Debian Chromium, sync API): the whole
case on a tablet, home and meeting on a phone, and the idle lock.

A live server runs the real app (CSRF on, the schema built by the migrations, the world of
tests/factories.py) in a thread (conftest.py beside this file); Chromium clicks through it
the way a teacher does on a classroom tablet or a phone. These tests protect what unit
tests cannot see: the htmx round-trips with their CSRF header, the autosave of actions, the
CSP-safe scripts, and what a screen used in front of pupils actually shows.

Screenshots land in test-output/ for a human to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright import sync_api

from steungroep import domain
from steungroep.core.timeutil import school_today

from .. import accessibility, factories
from .helpers import (
    GROUP,
    PHONE,
    TABLET,
    action_card,
    add_member,
    assert_no_problems,
    assert_safe_for_pupils,
    case_waiting_for_meeting,
    case_waiting_for_talk,
    create_melding,
    decide,
    dutch,
    expect_flash,
    expect_saved,
    finish_meeting,
    group_evaluation,
    log_in,
    open_page,
    pupil_evaluation,
    record_talk,
    type_action,
)

expect = sync_api.expect


@pytest.mark.browser
def test_tablet_walk_from_melding_to_closed_case(browser, live_server, screenshots):
    """The whole method on a 1024×768 tablet, through the real forms and htmx with CSRF on:
    melding → talk → group of 7 picked by role buttons (htmx panel) → meeting with autosaved
    actions (nothing confidential and no role on that screen) → evaluations planned on school
    days → a second round that keeps some actions → closed as improved. No console error and
    no CSP violation on the way."""
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page)
        create_melding(page, "Bas")
        record_talk(page)

        # The group, chosen with the pupil: the counter follows every click.
        expect(page.locator("#group-panel .count")).to_have_text("0 van 6–8 leerlingen")
        for count, (name, role) in enumerate(GROUP.items(), start=1):
            add_member(page, name, role, count)
        expect(page.locator("#group-panel .counter")).to_contain_text("Aanvoerders en meelopers: 3")
        accessibility.assert_accessible(page)  # the group panel with seven chosen
        page.get_by_role("button", name="Groep vastleggen").click()
        expect(page.get_by_role("heading", name="Uitnodigingen")).to_be_visible()
        page.get_by_role("link", name="Naar de bijeenkomst").click()

        # Round 1: one action per member, each saved by htmx as it is typed.
        expect(page.locator(".meeting-title")).to_have_text("Bijeenkomst · ronde 1")
        expect(page.locator("#progress")).to_have_text("0 van 7")
        first_actions = {
            name: f"Ik ga {name.lower()}-actie doen: Bas gedag zeggen." for name in GROUP
        }
        for name, text in first_actions.items():
            type_action(page, name, text)
        for name in GROUP:  # each card says so once its autosave has answered
            expect_saved(page, name)
        expect(page.locator("#progress")).to_have_text("7 van 7")
        accessibility.assert_accessible(page)  # meeting mode with seven actions typed
        page.screenshot(path=str(screenshots / "meeting-tablet.png"))
        assert_safe_for_pupils(page)
        finish_meeting(page)

        # The case page shows both evaluations, planned on school days.
        pupil_due, group_due = domain.evaluation_dates(school_today())
        assert pupil_due.weekday() < 5 and group_due.weekday() < 5
        round_1 = page.locator("section.card").filter(
            has=page.get_by_role("heading", name="Ronde 1", exact=True)
        )
        expect(round_1).to_contain_text(f"Gepland op {dutch(pupil_due)}")
        expect(round_1).to_contain_text(f"Gepland op {dutch(group_due)}")
        for name, text in first_actions.items():
            expect(round_1).to_contain_text(f"{name}: {text}")

        pupil_evaluation(page, face="Gaat wel", improved="Nee")
        group_evaluation(page)
        decide(page, "Nieuwe ronde")
        expect_flash(page, "Ronde 2 is begonnen")

        # Round 2: the same group; some keep last round's action, others think of a new one.
        page.get_by_role("link", name="Naar de bijeenkomst").click()
        expect(page.locator(".meeting-title")).to_have_text("Bijeenkomst · ronde 2")
        expect(page.locator("#progress")).to_have_text("0 van 7")
        keepers, new_ones = list(GROUP)[:4], list(GROUP)[4:]
        for name in keepers:
            card = action_card(page, name)
            expect(card.locator(".previous")).to_contain_text(first_actions[name])
            card.get_by_role("button", name="Zelfde actie houden").click()
            expect_saved(page, name)
            expect(action_card(page, name).get_by_label(name, exact=True)).to_have_value(
                first_actions[name]
            )
        second_actions = {name: f"Ik vraag Bas om mee te doen ({name})." for name in new_ones}
        for name, text in second_actions.items():
            type_action(page, name, text)
        for name in GROUP:  # each card says so once its autosave has answered
            expect_saved(page, name)
        expect(page.locator("#progress")).to_have_text("7 van 7")
        assert_safe_for_pupils(page)
        # A last change, and Afronden at once: the text travels with the finish form.
        last = new_ones[-1]
        second_actions[last] = "Ik ga Bas helpen met opruimen."
        type_action(page, last, second_actions[last])
        finish_meeting(page)

        round_2 = page.locator("section.card").filter(
            has=page.get_by_role("heading", name="Ronde 2", exact=True)
        )
        for name in keepers:
            expect(round_2).to_contain_text(f"{name}: {first_actions[name]}")
        for name, text in second_actions.items():
            expect(round_2).to_contain_text(f"{name}: {text}")

        pupil_evaluation(page, face="Goed", improved="Ja")
        group_evaluation(page)
        decide(page, "Afsluiten")
        expect_flash(page, "De steungroep is afgesloten")
        expect(page.locator(".closed-status strong")).to_have_text("Afgesloten: het gaat beter")
        expect(page.locator(".page-head .btn-step")).to_have_count(0)
        page.screenshot(path=str(screenshots / "case-tablet.png"), full_page=True)

        # Closed: it is off the teacher's list.
        page.get_by_role("link", name="Mijn meldingen").click()
        expect(page.get_by_role("heading", name="Mijn open meldingen")).to_be_visible()
        expect(page.locator("li.case-row").filter(has_text="Bas")).to_have_count(0)
        assert_no_problems(page)
    finally:
        context.close()


@pytest.mark.browser
def test_phone_home_and_meeting_with_blank_screen(browser, live_server, live_app, screenshots):
    """At phone size (390×844) the home page and the meeting mode render, and "Scherm leeg"
    hides everything behind the overlay in one tap and brings it back with a second tap."""
    case_id = case_waiting_for_meeting(live_app)
    context, page = open_page(browser, live_server, PHONE)
    try:
        log_in(page)
        row = page.locator("li.case-row").filter(has_text="Amira")
        expect(row.locator(".btn-step")).to_have_text("Bijeenkomst houden (ronde 1)")
        page.screenshot(path=str(screenshots / "home-phone.png"), full_page=True)

        row.locator(".btn-step").click()
        expect(page).to_have_url(re.compile(rf"/zaken/{case_id}/bijeenkomst$"))
        expect(page.locator("#progress")).to_have_text("0 van 7")
        page.screenshot(path=str(screenshots / "meeting-phone.png"))
        page.locator("form.action-card").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "meeting-phone-cards.png"))

        overlay = page.locator("[data-blank-overlay]")
        cards = page.locator("section.cards")
        expect(overlay).to_be_hidden()
        page.get_by_role("button", name="Scherm leeg").click()
        expect(overlay).to_be_visible()
        box = overlay.bounding_box()
        assert box and box["width"] >= PHONE["width"] and box["height"] >= PHONE["height"]
        # The overlay lies on top: a tap in the middle of the screen reaches the overlay.
        top = page.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('[data-blank-overlay]')",
            [PHONE["width"] // 2, PHONE["height"] // 2],
        )
        assert top, "the blank overlay does not cover the screen"
        page.screenshot(path=str(screenshots / "meeting-phone-blank.png"))

        page.get_by_role("button", name="Tik om verder te gaan").click()
        expect(overlay).to_be_hidden()
        expect(cards).to_be_visible()
        assert_no_problems(page)
    finally:
        context.close()


@pytest.mark.browser
def test_idle_lock_keeps_what_was_typed(browser, live_server, live_app):
    """A tablet left alone mid-talk locks itself; after the password the talk form comes
    back with what was typed, and nothing was stored in between."""
    case_id = case_waiting_for_talk(live_app, "Gijs")
    context, page = open_page(browser, live_server, TABLET)
    live_app.config["IDLE_LOCK_MINUTES"] = 0.05  # three seconds
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}/gesprek")
        page.get_by_label(re.compile("^Brief of tekening")).fill("Mijn brief aan de groep.")
        expect(page).to_have_url(re.compile(r"/vergrendeld\?next="), timeout=8000)
        assert "Mijn brief" not in page.content()
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        page.get_by_label("Wachtwoord").fill(factories.PASSWORD)
        page.get_by_role("button", name="Ontgrendelen").click()
        expect(page).to_have_url(re.compile(rf"/zaken/{case_id}/gesprek$"))
        expect(page.get_by_label(re.compile("^Brief of tekening"))).to_have_value(
            "Mijn brief aan de groep."
        )
        expect(page.locator(".flash", has_text="teruggezet")).to_be_visible()
        assert page.problems == []
    finally:
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        context.close()
