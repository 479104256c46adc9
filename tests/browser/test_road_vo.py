"""A secondary school's protocol walked in a real browser (seed 004 §2.2, the PM-model): the
school is set to vo with its own steps (signaleren, analyseren, plan van actie, uitvoeren,
evalueren en vastleggen); a melding with the protocol's analysis goes straight into that
plan; the mentor owns the steps; the leerlingcoördinator is informed; the agreements made
with the pupil and the parents are shared in the notes for the pupil record; closed with the
plan's outcome. At tablet size, the plan at phone size too."""

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
PUPIL = "Fenna"
PM_MODEL = ("Signaleren en melden bij de mentor", "Analyseren met de leerlingcoördinator",
            "Plan van actie opstellen", "Plan van actie uitvoeren",
            "Evalueren en vastleggen in het leerlingdossier")


def set_up_as_vo(page) -> None:
    page.get_by_role("link", name="Instellingen").click()
    form = page.locator("form[data-unsaved-guard]").first
    form.get_by_label("Soort school").select_option(label="Voortgezet onderwijs")
    form.get_by_label("Eerste route bij herhaald pesten").select_option(
        label="Het stappenplan van de school")
    form.get_by_label(re.compile("^Stappenplan na de steungroep")).fill("\n".join(PM_MODEL))
    form.get_by_role("button", name="Opslaan").click()
    expect_flash(page, "zijn opgeslagen")
    expect(page.get_by_label("Functies op school (één per regel)")).to_have_value(
        re.compile(r"^Mentor\nLeerlingcoördinator\n"))


def melding_with_analysis(page) -> None:
    page.get_by_role("link", name="Nieuwe melding", exact=True).click()
    choose_pupil(page, "Leerling", PUPIL[:3].lower(), PUPIL)
    page.get_by_label("Wie meldt het?").select_option(label="Ouder/verzorger")
    page.get_by_label("Isolatie (buitensluiten, negeren)").check()
    page.get_by_label("Korte beschrijving").fill("Wordt in de les en de pauze genegeerd.")
    page.locator("details.facts-form summary").click()
    page.get_by_label("Wanneer gebeurt het?").fill("In de pauzes en bij groepswerk")
    page.get_by_label("Hoe ernstig?").select_option(
        label="Ernstig: de leerling voelt zich niet meer veilig")
    page.get_by_label("Wat wil de leerling dat er nu gebeurt?").fill(
        "Gewoon mee kunnen doen bij groepswerk.")
    page.get_by_label("Wat is de rol van de groep?").fill("De meesten kijken weg.")
    page.get_by_label("Pesten", exact=True).check()
    page.get_by_label("Herhaald pesten: meteen het stappenplan van de school").check()
    page.get_by_label(re.compile("^Zonder steungroep")).fill(
        "Ons pestprotocol: de mentor pakt het op volgens het PM-model.")
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page.locator(".page-head")).to_contain_text(f"Stappenplan: {PM_MODEL[0]}")


def own_step(page, title: str, day: str) -> None:
    step = page.locator("li.plan-step").filter(has_text=title)
    step.locator("summary").click()
    step.get_by_label("Wie zet de stap").select_option(label="Mentor")
    step.get_by_label("Plannen op").fill(day)
    step.get_by_role("button", name="Opslaan").click()
    expect_flash(page, "is gepland")


def talk(page, who: str, summary: str, agreements: str) -> None:
    talks = section(page, "Gesprekken en contacten")
    talks.locator("summary", has_text="Gesprek vastleggen").click()
    talks.get_by_label("Met wie").select_option(label=who)
    if who.startswith(("Een leerling", "Ouders")):
        talks.get_by_label("Leerling (of wiens ouders)").select_option(label=PUPIL)
    talks.get_by_label("Kort verslag").fill(summary)
    talks.get_by_label("Afspraken").fill(agreements)
    talks.get_by_role("button", name="Gesprek vastleggen").click()
    expect_flash(page, "Het gesprek is vastgelegd")


@pytest.mark.browser
def test_a_vo_case_runs_by_the_pm_model_with_the_mentor_owning_steps(
        browser, live_server, screenshots):
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page, COORDINATOR)
        set_up_as_vo(page)
        melding_with_analysis(page)
        facts = page.locator("dl.facts").first
        expect(facts).to_contain_text("Ernstig: de leerling voelt zich niet meer veilig")
        expect(facts).to_contain_text("De meesten kijken weg.")

        days = page.evaluate("[7, 14].map(n => new Date(Date.now() + n * 864e5)"
                             ".toISOString().slice(0, 10))")
        own_step(page, PM_MODEL[0], days[0])
        own_step(page, PM_MODEL[1], days[1])
        expect(page.locator("li.plan-step .badge-owner")).to_have_count(2)

        record_informed(page, "Leerlingcoördinator")

        talk(page, "Ouders/verzorgers van een leerling", "Ouders gesproken over het plan.",
             "De mentor belt elke vrijdag even.")
        talk(page, "Een leerling", "Plan doorgenomen met Fenna.",
             "Fenna meldt zich bij de mentor als het weer gebeurt.")
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "vo-case-tablet.png"), full_page=True)
        page.set_viewport_size(PHONE)
        section(page, "Stappenplan van de school").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "vo-plan-phone.png"))
        page.set_viewport_size(TABLET)

        close_plan(page, "het gaat beter", "Fenna doet weer mee; de mentor blijft volgen.")

        # the agreements go into the note for the pupil record, as the protocol asks
        page.get_by_role("link", name=re.compile("Notities voor het leerlingdossier")).click()
        note = page.locator("body")
        expect(note).to_contain_text("Afspraken (gesprek met de ouders")
        expect(note).to_contain_text("De mentor belt elke vrijdag even.")
        expect(note).to_contain_text("Afspraken (gesprek met de leerling")
        expect(note).to_contain_text("Geïnformeerd: leerlingcoördinator")
        page.screenshot(path=str(screenshots / "vo-notes-tablet.png"), full_page=True)
        assert_no_problems(page)
    finally:
        context.close()
