"""An mbo school's protocol walked in a real browser (seed 000 "Stappenplan"): the school is set
to mbo and its functions follow (coach, APC, zoco, leco, teamleider); a melding goes straight
into the stappenplan; the APC is informed, the coach owns a step, the teamleider is talked
with; the pupil who bullied gets the guide for the talk and a suspension; the coordinator
closes the plan with its outcome. At tablet size, the case page at phone size too."""

from __future__ import annotations

import re

import pytest

from .. import accessibility
from .helpers import (
    PHONE,
    TABLET,
    assert_no_problems,
    choose_pupil,
    close_plan,
    expect,
    expect_flash,
    log_in,
    open_page,
    record_informed,
    section,
)

COORDINATOR = "sanne@a.example"
PUPIL, BULLY = "Milan", "Ruben"


def set_up_as_mbo(page, screenshots) -> None:
    page.get_by_role("link", name="Instellingen").click()
    form = page.locator("form[data-unsaved-guard]").first
    form.get_by_label("Soort school").select_option(label="Mbo")
    form.get_by_label("Eerste route bij herhaald pesten").select_option(
        label="Het stappenplan van de school")
    form.get_by_role("button", name="Opslaan").click()
    expect_flash(page, "zijn opgeslagen")
    functions = page.get_by_label("Functies op school (één per regel)")
    expect(functions).to_have_value(re.compile(r"^Coach\nAnti-pestcoördinator \(APC\)\n"))
    expect(page.get_by_label("Anti-pestcoördinator (APC)", exact=True)).to_be_checked()
    accessibility.assert_accessible(page)
    page.screenshot(path=str(screenshots / "mbo-settings-tablet.png"), full_page=True)


def melding_into_the_plan(page) -> int:
    page.get_by_role("link", name="Nieuwe melding", exact=True).click()
    choose_pupil(page, "Leerling", PUPIL[:3].lower(), PUPIL)
    page.get_by_label("Wie meldt het?").select_option(label="De leerling zelf")
    page.get_by_label("Digitaal (via sociale media of berichten)").check()
    page.get_by_label("Korte beschrijving").fill("Berichten in de klassenapp, al weken.")
    choice = page.get_by_label("Herhaald pesten: meteen het stappenplan van de school")
    order = page.locator("input[name=triage]").evaluate_all("els => els.map(e => e.value)")
    assert order.index("stappenplan") < order.index("herhaald")  # the school's road first
    choice.check()
    page.get_by_label(re.compile("^Zonder steungroep")).fill(
        "Het protocol van de school: de coach pakt het op met het stappenplan.")
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page).to_have_url(re.compile(r"/zaken/\d+"))
    expect(page.locator(".page-head")).to_contain_text("Stappenplan:")
    return int(re.search(r"/zaken/(\d+)", page.url).group(1))


@pytest.mark.browser
def test_an_mbo_case_runs_by_the_schools_own_stappenplan(
        browser, live_server, screenshots):
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page, COORDINATOR)
        set_up_as_mbo(page, screenshots)
        case_id = melding_into_the_plan(page)

        # the pupil who bullied, privately
        involved = section(page, "Betrokken leerlingen")
        involved.locator("summary", has_text="Leerling toevoegen").click()
        choose_pupil(involved, "Leerling", BULLY[:3].lower(), BULLY)
        involved.get_by_label("Pestte").check()
        involved.get_by_role("button", name="Toevoegen").click()
        expect_flash(page, f"{BULLY} staat bij de betrokken leerlingen")

        # who is informed: the APC, from the school's own list
        record_informed(page, "Anti-pestcoördinator (APC)")

        # the first step belongs to the coach
        step = page.locator("li.plan-step").first
        step.locator("summary").click()
        step.get_by_label("Wie zet de stap").select_option(label="Coach")
        step.get_by_role("button", name="Opslaan").click()
        expect_flash(page, "Stap 1 is voor Coach")
        expect(page.locator("li.plan-step").first.locator(".badge-owner")).to_have_text("Coach")

        # the talk with the pupil who bullied, by the guide; and one with the teamleider
        guide = section(page, "Betrokken leerlingen").locator("details.guide")
        guide.locator("summary").click()
        expect(guide).to_contain_text("Confronteren met het gedrag en de gevolgen.")
        expect(guide).to_contain_text("Wat er volgt.")
        talks = section(page, "Gesprekken en contacten")
        talks.locator("summary", has_text="Gesprek vastleggen").click()
        talks.get_by_label("Met wie").select_option(label="Een leerling")
        talks.get_by_label("Leerling (of wiens ouders)").select_option(label=BULLY)
        talks.get_by_label("Kort verslag").fill("Geconfronteerd met de berichten; het stopt nu.")
        talks.get_by_label("Afspraken").fill("Geen berichten meer over Milan.")
        talks.get_by_role("button", name="Gesprek vastleggen").click()
        expect_flash(page, "Het gesprek is vastgelegd")
        talks = section(page, "Gesprekken en contacten")
        talks.locator("summary", has_text="Gesprek vastleggen").click()
        talks.get_by_label("Met wie").select_option(label="Teamleider")
        talks.get_by_label("Kort verslag").fill("Herhaling besproken: schorsing van twee dagen.")
        talks.get_by_role("button", name="Gesprek vastleggen").click()
        expect_flash(page, "Het gesprek is vastgelegd")
        expect(section(page, "Gesprekken en contacten")).to_contain_text("Teamleider")

        # the suspension, on the ladder of the protocol
        measure = section(page, "Betrokken leerlingen").locator("details.move").filter(
            has_text="Maatregel vastleggen")
        measure.locator("summary").click()
        measure.get_by_label("Schorsing", exact=True).check()
        measure.get_by_label("Schooldagen (bij schorsing)").fill("7")
        measure.get_by_role("button", name="Vastleggen").click()
        expect(page.locator("[data-refusal]").first).to_contain_text(
            "Een schorsing duurt één tot vijf schooldagen.")
        page.problems.clear()  # that refusal is a 422 on purpose
        measure = section(page, "Betrokken leerlingen").locator("details.move").filter(
            has_text="Maatregel vastleggen")
        measure.get_by_label("Schooldagen (bij schorsing)").fill("2")
        measure.get_by_role("button", name="Vastleggen").click()
        expect_flash(page, "De maatregel is vastgelegd")
        expect(section(page, "Betrokken leerlingen")).to_contain_text(
            "Schorsing (2 schooldagen)")
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "mbo-case-tablet.png"), full_page=True)
        page.set_viewport_size(PHONE)
        section(page, "Betrokken leerlingen").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "mbo-involved-phone.png"))
        page.set_viewport_size(TABLET)

        # the coordinator closes the plan with its outcome
        close_plan(page, "het pesten is gestopt", "Na de schorsing geen berichten meer.")
        expect(page.locator(".closed-status strong")).to_have_text(
            "Stappenplan afgerond: het pesten is gestopt")
        page.goto(f"/archief?q={BULLY[:3]}")
        expect(page.locator("body")).to_contain_text(f"betrokken: {BULLY}")
        page.goto("/statistieken")
        expect(section(page, "Hoe de stappenplannen eindigden")).to_contain_text(
            "Schorsing")
        assert case_id
        assert_no_problems(page)
    finally:
        context.close()
