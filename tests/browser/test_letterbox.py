"""The digital letterbox in real browsers: the poster's QR code scanned (zxing-cpp) from the
coordinator's tablet; a phone (mobile emulation) writes a letter without a name and keeps the
code; the school's reader sees it, answers and makes it a melding; the phone reads the answer
with the code. Screenshots of the child's pages at phone size."""

from __future__ import annotations

import io
import re

import pytest

from .. import accessibility
from .helpers import (
    PHONE,
    TABLET,
    assert_no_problems,
    choose_pupil,
    expect,
    expect_flash,
    log_in,
    open_page,
)

COORDINATOR = "sanne@a.example"  # nobody was chosen to read: the coordinator does
WHAT = "Ze zeggen dat ik niet mee mag doen met voetbal."
ANSWER = "Dank je voor je briefje. Ik kom morgen in de pauze bij je, dan praten we."
FORBIDDEN = re.compile(r"pest|dader|slachtoffer|aanvoerder|meeloper|omstander", re.I)


def scan_poster(page) -> str:
    import zxingcpp
    from PIL import Image

    page.get_by_role("link", name="Brievenbus", exact=True).click()
    page.get_by_role("link", name=re.compile("^Poster van")).first.click()
    expect(page.get_by_role("heading", name="Brievenbus")).to_be_visible()
    image = Image.open(io.BytesIO(page.locator(".poster svg").screenshot()))
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert len(decoded) == 1 and "/brievenbus/" in decoded[0]
    return decoded[0]


def phone_context(browser, base_url: str):
    """A phone as Playwright emulates one: small, touch, mobile; no cookies of its own."""
    context = browser.new_context(viewport=PHONE, base_url=base_url, locale="nl-NL",
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("response", lambda r: r.status >= 400 and page.problems.append(
        f"HTTP {r.status} {r.url}"))
    return context, page


@pytest.mark.browser
def test_a_letter_from_a_phone_is_read_answered_and_made_a_melding(
        browser, live_server, live_app, screenshots):
    tablet, page = open_page(browser, live_server, TABLET)
    phone, child = phone_context(browser, live_server)
    try:
        log_in(page, COORDINATOR)
        address = scan_poster(page)
        page.screenshot(path=str(screenshots / "tablet-letterbox-poster.png"), full_page=True)
        child.goto(address)
        expect(child.get_by_role("heading", name="Brievenbus")).to_be_visible()
        accessibility.assert_accessible(child)
        assert not FORBIDDEN.search(child.locator("body").inner_text())
        child.screenshot(path=str(screenshots / "phone-letterbox-form.png"), full_page=True)
        child.get_by_role("button", name="Verstuur mijn briefje").click()  # nothing filled in
        expect(child.locator(".box-error").first).to_be_visible()
        accessibility.assert_accessible(child)
        child.screenshot(path=str(screenshots / "phone-letterbox-refused.png"), full_page=True)
        child.problems[:] = [p for p in child.problems if "422" not in p]
        child.get_by_label("Wat is er gebeurd?").fill(WHAT)
        child.get_by_label("Waar was het?").fill("Op het plein")
        child.get_by_label("Het gaat over mij").check()
        child.get_by_label("Ja, graag").check()
        child.get_by_role("button", name="Verstuur mijn briefje").click()
        expect(child.get_by_role("heading", name="Dank je wel!")).to_be_visible()
        code = child.locator("[data-code]").inner_text().strip()
        assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
        child.screenshot(path=str(screenshots / "phone-letterbox-code.png"), full_page=True)
        assert phone.cookies() == []  # no cookie, ever

        page.goto("/")
        page.get_by_role("link", name="Er is 1 nieuw briefje in de brievenbus.").click()
        page.locator(".letter-row a").first.click()
        expect(page.locator(".letter-text")).to_have_text(WHAT)
        page.get_by_label(re.compile("^Antwoord aan wie het schreef")).fill(ANSWER)
        page.get_by_role("button", name="Antwoord opslaan").click()
        expect_flash(page, "Het antwoord staat klaar")
        page.get_by_role("link", name="Maak er een melding van").click()
        expect(page.get_by_label("Korte beschrijving")).to_have_value(WHAT)
        choose_pupil(page, "Leerling", "bas", "Bas")
        page.get_by_label("Isolatie (buitensluiten, negeren)").check()
        page.get_by_label("Herhaald pesten: steungroepaanpak").check()
        page.get_by_role("button", name="Melding vastleggen").click()
        expect_flash(page, "De melding is vastgelegd")
        page.goto("/brievenbus")
        expect(page.get_by_text("melding gemaakt")).to_be_visible()
        assert_no_problems(page)

        child.get_by_role("link", name="Antwoord lezen met je code").click()
        child.get_by_label("Wat is je code?").fill(code.lower())
        child.get_by_role("button", name="Lees het antwoord").click()
        expect(child.get_by_text("Het is gelezen.")).to_be_visible()
        expect(child.locator(".box-answer")).to_have_text(ANSWER)
        words = child.locator("body").inner_text()
        assert WHAT not in words and not FORBIDDEN.search(words)
        accessibility.assert_accessible(child)
        child.screenshot(path=str(screenshots / "phone-letterbox-answer.png"), full_page=True)
        assert child.problems == [] and phone.cookies() == []
    finally:
        tablet.close()
        phone.close()
