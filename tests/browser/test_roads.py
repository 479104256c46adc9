"""The roads a school's protocol may take, walked in a real browser: a primary school's
pupil who had a steungroep before goes straight on to the school's stappenplan from the
group page (seed 001, the text after the compact table, and §6.2), at tablet and phone
size."""

from __future__ import annotations

import re

import pytest

from steungroep.core.extensions import db
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import Case

from .. import accessibility, factories
from .helpers import (
    PHONE,
    TABLET,
    _case_at,
    assert_no_problems,
    create_melding,
    expect,
    expect_flash,
    log_in,
    open_page,
    record_talk,
)

FIRST_STEP = "Plan van aanpak opstellen en met alle betrokkenen delen"


def closed_steungroep(app, name: str) -> None:
    """An earlier steungroep for ``name``, held and closed."""
    case_id = _case_at(app, "besluit", name)
    with app.app_context():
        case = db.session.get(Case, case_id)
        with factories.changing(case):
            evaluations.decide(case, case.teacher, "afsluiten", "")


@pytest.mark.browser
@pytest.mark.parametrize("size, viewport, name", [("tablet", TABLET, "Gijs"),
                                                  ("phone", PHONE, "Roos")])
def test_a_pupil_with_an_earlier_steungroep_goes_straight_to_the_stappenplan(
        browser, live_server, live_app, screenshots, size, viewport, name):
    closed_steungroep(live_app, name)
    context, page = open_page(browser, live_server, viewport)
    try:
        log_in(page)
        create_melding(page, name)
        record_talk(page)
        offer = page.locator("section").filter(has_text="had al eerder een steungroep")
        expect(offer).to_be_visible()
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / f"{size}-road-group-page.png"), full_page=True)

        # without a reason the browser keeps the form; nothing is sent
        offer.get_by_role("button", name="Meteen verder met het stappenplan").click()
        expect(page).to_have_url(re.compile(r"/groep$"))
        offer.get_by_label("Waarom meteen het stappenplan?").fill(
            "Had vorig jaar al een steungroep; het begon opnieuw.")
        offer.get_by_role("button", name="Meteen verder met het stappenplan").click()
        expect(page).to_have_url(re.compile(r"/zaken/\d+$"))
        expect_flash(page, "verder met het stappenplan van de school")
        expect(page.locator(".page-head")).to_contain_text(f"Stappenplan: {FIRST_STEP}")
        expect(page.locator("dd").filter(has_text="Herhaald pesten: meteen het stappenplan")
               ).to_contain_text("Had vorig jaar al een steungroep")
        expect(page.get_by_text("Triage aanpassen")).to_have_count(0)
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / f"{size}-road-case-page.png"), full_page=True)
        assert_no_problems(page)
    finally:
        context.close()
