"""The settings page in a real browser (Playwright + Debian Chromium): a change typed in a
school's settings is never lost without a word. Adding a studiedag first warns beside its
button (a second press goes on), leaving by a link asks the browser's question, an idle lock
keeps the change in the tab. Screenshots of the page at tablet and phone size."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import School
from steungroep.planning import use_cases as planning

from .. import accessibility, factories
from .helpers import (
    PHONE,
    TABLET,
    assert_no_problems,
    expect,
    expect_flash,
    log_in,
    open_page,
)

COORDINATOR = "sanne@a.example"
PUPIL_DAYS = "Gesprek met de leerling na (schooldagen)"
UNSAVED = "Wijzigingen nog niet opgeslagen"
WARNING = "Je wijzigingen in de instellingen zijn nog niet opgeslagen"


def school_days(app, skip: int, count: int) -> list[str]:
    """``count`` school days of School A, the first at least ``skip`` days from today."""
    with app.app_context():
        school = db.session.scalar(select(School).where(School.name == "School A"))
        calendar = planning.calendar_for(school)
        db.session.remove()
    day, found = school_today() + timedelta(days=skip), []
    while len(found) < count:
        if calendar.is_school_day(day):
            found.append(day.isoformat())
        day += timedelta(days=1)
    return found


def stored_pupil_days(app) -> int:
    with app.app_context():
        days = db.session.scalar(select(School.pupil_eval_days).where(School.name == "School A"))
        db.session.remove()
    return days


def full_page(page, path) -> None:
    """A screenshot of the whole page, taken from its end: the save bar, which sticks to the
    bottom of the screen while its form is in view, is then drawn where it stands."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.screenshot(path=str(path), full_page=True)


def day_off_form(page):
    return page.locator("form").filter(
        has=page.get_by_role("button", name="Studiedag toevoegen"))


@pytest.mark.browser
@pytest.mark.parametrize("size, viewport, days, skip", [
    ("tablet", TABLET, "4", 20), ("phone", PHONE, "6", 40)])
def test_a_typed_setting_is_not_lost_when_a_studiedag_is_added(
        browser, live_server, live_app, screenshots, size, viewport, days, skip):
    """Typing in the settings and then adding a studiedag: the studiedag is held back once,
    with a message beside its button, and the typed value stays; after 'Opslaan' both are
    stored. Typed again and the button pressed twice: the studiedag goes, as chosen. A link
    away asks the browser's question."""
    first, second = school_days(live_app, skip, 2)
    context, page = open_page(browser, live_server, viewport)
    try:
        log_in(page, COORDINATOR)
        page.goto("/instellingen")
        expect(page.get_by_role("heading", name="Instellingen van School A")).to_be_visible()
        full_page(page, screenshots / f"{size}-settings-form.png")
        status = page.locator("[data-unsaved-status]")
        expect(status).to_be_hidden()
        listed = page.locator(".days-off li")
        before = listed.count()

        page.get_by_label(PUPIL_DAYS).fill(days)
        expect(status).to_have_text(UNSAVED)
        page.screenshot(path=str(screenshots / f"{size}-settings-typing.png"))  # what one sees
        page.get_by_label("Datum", exact=True).fill(first)
        page.get_by_role("button", name="Studiedag toevoegen").click()
        warning = day_off_form(page).get_by_role("alert")
        expect(warning).to_contain_text(WARNING)
        expect(page.get_by_label(PUPIL_DAYS)).to_have_value(days)
        expect(listed).to_have_count(before)  # held back: nothing was sent
        accessibility.assert_accessible(page)
        full_page(page, screenshots / f"{size}-settings-unsaved.png")

        page.get_by_role("button", name="Opslaan").click()
        expect_flash(page, "De instellingen van School A zijn opgeslagen.")
        assert stored_pupil_days(live_app) == int(days)
        expect(status).to_be_hidden()
        page.get_by_label("Datum", exact=True).fill(first)
        page.get_by_role("button", name="Studiedag toevoegen").click()
        expect_flash(page, "Studiedag toegevoegd.")

        # typed again, then the studiedag button twice: the person chose to go on
        page.get_by_label(PUPIL_DAYS).fill("7")
        page.get_by_label("Datum", exact=True).fill(second)
        page.get_by_role("button", name="Studiedag toevoegen").click()
        expect(day_off_form(page).get_by_role("alert")).to_contain_text(WARNING)
        page.get_by_role("button", name="Studiedag toevoegen").click()
        expect_flash(page, "Studiedag toegevoegd.")
        assert stored_pupil_days(live_app) == int(days)

        # a link away: the browser asks, and staying keeps what was typed
        page.get_by_label(PUPIL_DAYS).fill("8")
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
        # waits for the question itself (on a busy machine it may take longer than any
        # fixed pause), then checks it was the only one
        with page.expect_event("dialog"):
            page.get_by_role("link", name="Agenda", exact=True).click(no_wait_after=True)
        assert asked == ["beforeunload"]
        expect(page).to_have_url(re.compile(r"/instellingen"))
        expect(page.get_by_label(PUPIL_DAYS)).to_have_value("8")
        page.get_by_label(PUPIL_DAYS).fill(days)  # back as stored: nothing to ask about
        expect(status).to_be_hidden()
        page.get_by_role("link", name="Agenda", exact=True).click()
        expect(page).to_have_url(re.compile(r"/agenda$"))
        assert_no_problems(page)
    finally:
        context.close()


@pytest.mark.browser
def test_a_refused_save_keeps_what_was_typed_and_still_guards_it(
        browser, live_server, live_app, screenshots):
    """Two bad values: both messages by their fields, everything as typed, and the page
    still counts it as not saved."""
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page, COORDINATOR)
        page.goto("/instellingen")
        page.get_by_label("Soort school").select_option(label="Voortgezet onderwijs")
        page.get_by_label(re.compile("^Stappenplan na de steungroep")).fill("  ")
        page.get_by_label("Bewaartermijn na afsluiten (maanden)").fill("36")
        # the browser's own check would stop 11 days; the server's is the one that counts
        page.get_by_label(PUPIL_DAYS).evaluate("field => field.removeAttribute('max')")
        page.get_by_label(PUPIL_DAYS).fill("11")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator("#pupil_days-error")).to_contain_text("3 tot 8 schooldagen")
        expect(page.locator("#plan_steps-error")).to_contain_text("minstens één stap")
        expect(page.get_by_label(PUPIL_DAYS)).to_have_value("11")
        expect(page.get_by_label("Bewaartermijn na afsluiten (maanden)")).to_have_value("36")
        expect(page.get_by_label("Soort school")).to_have_value("vo")
        expect(page.locator("[data-unsaved-status]")).to_have_text(UNSAVED)
        accessibility.assert_accessible(page)
        full_page(page, screenshots / "tablet-settings-refused.png")
        page.problems[:] = [p for p in page.problems if "422" not in p]
        assert_no_problems(page)
    finally:
        context.close()


@pytest.mark.browser
def test_an_idle_lock_keeps_the_typed_settings(browser, live_server, live_app):
    """The tablet locks itself while a setting is typed but not saved: the lock is not held
    up by a question, and after the password the change is back, still to be saved."""
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page, COORDINATOR)
        page.goto("/instellingen")
        live_app.config["IDLE_LOCK_MINUTES"] = 0.05  # three seconds
        page.reload()
        page.get_by_label("Bewaartermijn na afsluiten (maanden)").fill("48")
        expect(page).to_have_url(re.compile(r"/vergrendeld\?next="), timeout=8000)
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        page.get_by_label("Wachtwoord").fill(factories.PASSWORD)
        page.get_by_role("button", name="Ontgrendelen").click()
        expect(page).to_have_url(re.compile(r"/instellingen"))
        expect(page.get_by_label("Bewaartermijn na afsluiten (maanden)")).to_have_value("48")
        expect(page.locator(".flash", has_text="teruggezet")).to_be_visible()
        expect(page.locator("[data-unsaved-status]")).to_have_text(UNSAVED)
        page.get_by_role("button", name="Opslaan").click()
        expect_flash(page, "De instellingen van School A zijn opgeslagen.")
        expect(page.get_by_label("Bewaartermijn na afsluiten (maanden)")).to_have_value("48")
        assert_no_problems(page)
    finally:
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        context.close()
