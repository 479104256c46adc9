"""The group meeting walked in English in a real browser (Playwright + Debian Chromium): a
teacher switches her pages to English, holds the meeting with seven actions and finishes it;
no Dutch text of the app is left on those screens, and the pupil-facing ones stay free of
roles and of the words the method avoids. Screenshots in test-output/."""

from __future__ import annotations

import re

import pytest

from .. import accessibility
from ..languages import english, english_catalog
from .helpers import (
    TABLET,
    action_card,
    case_waiting_for_meeting,
    expect,
    log_in,
    open_page,
    type_action,
)

pytestmark = pytest.mark.browser
AVOIDED = re.compile(r"\b(bull(y|ies|ying)|victims?|ringleaders?|followers?|perpetrators?|"
                     r"pest\w*|dader|slachtoffer)\b", re.IGNORECASE)
IDEAS = ["Say good morning to her", "Sit next to her at lunch", "Ask her to play at break",
         "Walk with her to the gym", "Help her with maths", "Save her a seat", "Wave at her"]


def dutch_left(text: str) -> list[str]:
    """The app's own Dutch texts (from the catalog) still on the screen."""
    texts = [dutch for dutch, eng in english_catalog().items()
             if len(dutch) >= 12 and "%" not in dutch and "{" not in dutch and eng != dutch]
    return [dutch for dutch in texts if dutch in text]


def test_the_meeting_in_english(browser, live_server, live_app, screenshots):
    case_id = case_waiting_for_meeting(live_app)
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page)
        page.get_by_role("link", name="Account").click()
        page.get_by_label("Taal van je pagina’s").select_option("en")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator(".flash")).to_have_text(
            english("Je pagina's zijn nu in het Nederlands."))
        assert page.get_attribute("html", "lang") == "en"

        page.goto(f"/zaken/{case_id}/bijeenkomst")
        progress = english("%(done)s van %(all)s")
        expect(page.locator("#progress")).to_have_text(
            progress.replace("%(done)s", "0").replace("%(all)s", "7"))
        names = page.locator("form.action-card .action-name").all_inner_texts()
        assert len(names) == 7
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        text = page.locator("body").inner_text()
        assert dutch_left(text) == [] and not AVOIDED.search(text)
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "meeting-english-tablet.png"), full_page=True)

        for name, idea in zip(names, IDEAS, strict=True):
            type_action(page, name, idea)
            expect(action_card(page, name).locator(".action-status")).to_have_text(
                english("✓ Opgeslagen"))
        expect(page.locator("#progress")).to_have_text(
            progress.replace("%(done)s", "7").replace("%(all)s", "7"))

        page.get_by_role("button", name=english("Afronden")).click()
        expect(page).to_have_url(re.compile(r"/zaken/\d+/bijeenkomst/klaar$"))
        expect(page.get_by_role("heading", name=english("Dank jullie wel!"))).to_be_visible()
        text = page.locator("body").inner_text()
        assert dutch_left(text) == [] and not AVOIDED.search(text)
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "meeting-english-done.png"), full_page=True)
        assert page.problems == []
    finally:
        context.close()
