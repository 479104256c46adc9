"""A primary school on the JPS protocol walked in a real browser (seed 002 stap 2 to 4): the
coordinator sets the group evaluation after one week, on the pupil's day, and allows one last
group evaluation a week later; the teacher holds both evaluations, chooses that last one,
holds it (the app asks about the date, as it does for the meeting day) and then closes. The
decision form at tablet and phone size."""

from __future__ import annotations

import re

import pytest

from .. import accessibility
from .helpers import (
    GROUP,
    PHONE,
    TABLET,
    assert_no_problems,
    case_with_evaluations,
    decide,
    expect,
    expect_flash,
    go_to_next_step,
    group_evaluation,
    log_in,
    open_page,
    pupil_evaluation,
)

COORDINATOR = "sanne@a.example"
AGAIN = "Nog één evaluatie met de groep over een week"


def set_up_as_jps(page) -> None:
    page.get_by_role("link", name="Instellingen").click()
    form = page.locator("form[data-unsaved-guard]").first
    form.get_by_label("Gesprek met de groep na (schooldagen)").fill("5")
    form.get_by_label(re.compile("Na de evaluatie met de groep mag het besluit")).check()
    form.get_by_role("button", name="Opslaan").click()
    expect_flash(page, "zijn opgeslagen")
    expect(page.get_by_label("Gesprek met de groep na (schooldagen)")).to_have_value("5")


def last_group_evaluation(page) -> None:
    go_to_next_step(page, "Laatste evaluatie met de groep")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laatste evaluatie met de groep")
    for row in page.locator("li.eval-row").all():
        row.get_by_label("Gedaan", exact=True).check()
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.locator("[data-refusal]").first).to_contain_text("dezelfde dag als de eerste")
    accessibility.assert_accessible(page)
    page.get_by_label("Ja, dit gesprek was echt op deze dag").check()
    asked = [p for p in page.problems if "422" in p and "/evaluatie-groep" in p]
    assert asked and len(asked) == len(page.problems), page.problems
    page.problems.clear()
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page).to_have_url(re.compile(r"/zaken/\d+/besluit$"))


@pytest.mark.browser
def test_a_jps_school_holds_one_last_group_evaluation_a_week_later(
        browser, live_server, live_app, screenshots):
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page, COORDINATOR)
        set_up_as_jps(page)
        context.close()
        case_id = case_with_evaluations(live_app, "Milan")  # the meeting was held today
        context, page = open_page(browser, live_server, TABLET)
        log_in(page)
        page.goto(f"/zaken/{case_id}")
        planned = page.locator("h3 + p").filter(has_text="Gepland op")
        expect(planned).to_have_count(2)
        assert planned.nth(0).inner_text() == planned.nth(1).inner_text()  # the same week
        pupil_evaluation(page, "Gaat wel", "Een beetje")
        group_evaluation(page)
        expect(page.get_by_label(re.compile(AGAIN))).to_be_visible()
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "tablet-decision-jps.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(screenshots / "phone-decision-jps.png"), full_page=True)
        page.set_viewport_size(TABLET)
        decide(page, AGAIN)
        expect_flash(page, "spreek je de groep nog één keer")
        expect(page.locator(".page-head")).to_contain_text("Laatste evaluatie met de groep")
        page.screenshot(path=str(screenshots / "tablet-case-jps.png"), full_page=True)
        last_group_evaluation(page)
        expect(page.get_by_text("Na de laatste evaluatie met de groep.")).to_be_visible()
        expect(page.get_by_label(re.compile(AGAIN))).to_have_count(0)
        expect(page.get_by_text(f"Acties gedaan: {len(GROUP)} van {len(GROUP)}.")).to_be_visible()
        decide(page, "Afsluiten")
        expect_flash(page, "De steungroep is afgesloten")
        rounds = page.locator("h3").filter(has_text="evaluatie met de groep")
        expect(rounds).to_have_count(2)
        assert_no_problems(page)
    finally:
        context.close()
