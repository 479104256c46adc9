"""Moving an evaluation, the agenda and the school's settings in a real browser, at tablet
and phone size (Playwright + Debian Chromium)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright import sync_api
from sqlalchemy import select

from steungroep import domain
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import (
    Cycle,
    Evaluation,
    SupportGroup,
)

from .helpers import (
    PHONE,
    TABLET,
    assert_no_problems,
    case_with_evaluations,
    dutch,
    expect_flash,
    log_in,
    open_page,
)

expect = sync_api.expect


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_moving_an_evaluation_agenda_and_settings(browser, live_server, live_app, screenshots,
                                                  viewport):
    """Move an evaluation: a weekend date is refused with the next school day named and the
    reason kept; a school day is accepted. The agenda page makes a feed address that serves
    iCalendar. The coordinator's settings page shows the school calendar. No console error,
    no CSP violation (the refused date's 422 is the one expected HTTP error)."""
    name = "Stijn" if viewport is TABLET else "Roos"
    case_id = case_with_evaluations(live_app, name)
    context, page = open_page(browser, live_server, viewport)
    size = "tablet" if viewport is TABLET else "phone"
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}")
        section = page.locator("details.move").first
        section.locator("summary").click()
        saturday = school_today() + timedelta(days=(5 - school_today().weekday()) % 7 or 7)
        section.get_by_label("Nieuwe datum").fill(saturday.isoformat())
        section.get_by_label("Waarom?").fill("Leerling op schoolreis")
        section.get_by_role("button", name="Verplaats").click()
        refused = page.locator("details.move[open]")
        expect(refused.get_by_role("alert")).to_contain_text("is geen schooldag")
        expect(refused.get_by_label("Waarom?")).to_have_value("Leerling op schoolreis")
        page.screenshot(path=str(screenshots / f"{size}-move-refused.png"))
        page.problems[:] = [p for p in page.problems if "422" not in p]
        calendar = domain.RegionCalendar("midden")
        with live_app.app_context():
            due = db.session.scalar(
                select(Evaluation.due_on)
                .join(Cycle).join(SupportGroup)
                .where(SupportGroup.case_id == case_id, Evaluation.kind == "leerling")
            )
        new_day = domain.next_school_day(saturday, calendar)
        if new_day == due:
            new_day = domain.add_school_days(new_day, 1, calendar)
        refused.get_by_label("Nieuwe datum").fill(new_day.isoformat())
        refused.get_by_role("button", name="Verplaats").click()
        expect_flash(page, "Verplaatst naar")
        expect(page.locator("#ronde-1")).to_contain_text(dutch(new_day))

        page.goto("/agenda")
        if page.get_by_role("button", name="Agenda-adres maken").count():
            page.get_by_role("button", name="Agenda-adres maken").click()
            url = page.locator("#agenda-url").input_value()
        else:  # made by the other viewport's run: a new address replaces it, after a confirm
            old = page.locator("#agenda-url").input_value()
            page.once("dialog", lambda dialog: dialog.accept())
            page.get_by_role("button", name="Nieuw adres maken").click()
            expect_flash(page, "Een eerder adres werkt niet meer")
            url = page.locator("#agenda-url").input_value()
            assert url != old and page.request.get(old).status == 404
            page.problems[:] = [p for p in page.problems if "404" not in p]
        assert url.endswith(".ics")
        page.screenshot(path=str(screenshots / f"{size}-agenda.png"), full_page=True)
        feed = page.request.get(url)
        assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
        assert f"Vervolggesprek met {name}" in feed.text()
        assert_no_problems(page)
    finally:
        context.close()

    context, page = open_page(browser, live_server, viewport)
    try:
        log_in(page, "sanne@a.example")
        page.goto("/instellingen")
        expect(page.get_by_role("heading", name="Schoolkalender School A")).to_be_visible()
        expect(page.get_by_text("Kerstvakantie").first).to_be_visible()
        page.screenshot(path=str(screenshots / f"{size}-settings.png"), full_page=True)
        assert_no_problems(page)
    finally:
        context.close()
