"""The whole case around the steungroep in a real browser (Playwright + Debian Chromium), on a
1024×768 tablet: a melding on the one-off path, the restoring talk and the check after two
weeks that finds it did not stop (the triage changes to the steungroep), a steungroep of two
rounds, the stappenplan after it with three steps, a talk with the parents with a follow-up,
closing by the coordinator, and the case found again in the archive."""

from __future__ import annotations

import re

import pytest

from .helpers import (
    GROUP,
    PHONE,
    TABLET,
    add_member,
    assert_no_problems,
    choose_pupil,
    decide,
    expect,
    expect_flash,
    expect_saved,
    finish_meeting,
    group_evaluation,
    log_in,
    open_page,
    pupil_evaluation,
    section,
    type_action,
)

COORDINATOR = "sanne@a.example"
PUPIL = "Bas"


def one_off_melding(page) -> int:
    page.get_by_role("link", name="Nieuwe melding", exact=True).click()
    choose_pupil(page, "Leerling", PUPIL, PUPIL)
    page.get_by_label("Wie meldt het?").select_option(label="Personeel")
    page.get_by_label("Lichamelijk (duwen, schoppen, slaan)").check()
    page.get_by_label("Korte beschrijving").fill("Geduwd bij de kapstok, één keer gezien.")
    page.get_by_label(re.compile("Eenmalig incident: herstelgesprek")).check()
    page.get_by_label(re.compile("^Zonder steungroep")).fill(
        "Herstelgesprek met de ander, dan controle.")
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page).to_have_url(re.compile(r"/zaken/\d+#eenmalig$"))
    return int(re.search(r"/zaken/(\d+)", page.url).group(1))


def one_round(page, round_number: int, improved: str) -> None:
    page.get_by_role("link", name="Naar de bijeenkomst").click()
    expect(page.locator(".meeting-title")).to_have_text(f"Bijeenkomst · ronde {round_number}")
    for name in GROUP:
        type_action(page, name, f"Ik ga {PUPIL} helpen (ronde {round_number}, {name}).")
    for name in GROUP:
        expect_saved(page, name)
    finish_meeting(page)
    pupil_evaluation(page, face="Gaat wel", improved=improved)
    group_evaluation(page)


def do_step(page, title: str, who: str, note: str) -> None:
    step = page.locator("li.plan-step").filter(has_text=title)
    step.locator("summary").click()
    step.get_by_label("Wie deed het").fill(who)
    step.get_by_label("Notitie").fill(note)
    step.get_by_role("button", name="Vastleggen").click()
    expect_flash(page, "is vastgelegd")
    expect(page.locator("li.plan-step").filter(has_text=title)).to_contain_text("✓")


@pytest.mark.browser
def test_a_case_from_melding_through_one_off_steungroep_and_stappenplan_to_the_archive(
        browser, live_server, screenshots):
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page)
        case_id = one_off_melding(page)
        one_off = section(page, "Eenmalig incident: herstelgesprek en controle")
        choose_pupil(one_off, "Met wie (de andere leerling)", "groep 6", "Noor")
        one_off.get_by_label("Kort verslag").fill("Noor zag in wat het deed en maakte excuses.")
        page.screenshot(path=str(screenshots / "case-one-off-tablet.png"))
        one_off.get_by_role("button", name="Herstelgesprek vastleggen").click()
        expect_flash(page, "De controle staat op")
        expect(page.locator(".page-head .btn-step")).to_have_text("Controle na twee weken")
        betrokken = section(page, "Betrokken leerlingen")
        expect(betrokken).to_contain_text("Noor")
        expect(betrokken).to_contain_text("Pestte")

        # The check finds it did not stop: the case moves on to the steungroep.
        check = section(page, "Eenmalig incident: herstelgesprek en controle")
        check.get_by_label(re.compile("Het gaat niet goed")).check()
        check.get_by_label(re.compile("^Wat je zag en hoorde")).fill("Het gaat door op het plein.")
        check.get_by_role("button", name="Controle vastleggen").click()
        expect(page).to_have_url(re.compile(rf"/zaken/{case_id}/gesprek$"))

        page.get_by_label("Ja, een steungroep mag").check()
        page.get_by_role("button", name="Gesprek vastleggen").click()
        for count, (name, role) in enumerate(GROUP.items(), start=1):
            add_member(page, name, role, count)
        page.get_by_role("button", name="Groep vastleggen").click()

        one_round(page, 1, improved="Nee")
        decide(page, "Nieuwe ronde")
        expect_flash(page, "Ronde 2 is begonnen")
        one_round(page, 2, improved="Nee")
        page.get_by_label(re.compile(r"^\s*Doorverwijzen naar het stappenplan")).check()
        page.get_by_label(re.compile("^Toelichting")).fill("Twee rondes, het houdt niet op.")
        page.get_by_role("button", name="Besluit vastleggen").click()
        expect_flash(page, "verder met het stappenplan")
        expect(page).to_have_url(re.compile(rf"/zaken/{case_id}#stappenplan$"))
        plan = section(page, "Stappenplan van de school")
        expect(plan.locator("li.plan-step")).to_have_count(7)

        titles = [t.strip() for t in plan.locator("li.plan-step > p > strong").all_inner_texts()]
        do_step(page, titles[0], "Juf Anne en IB", "Plan gedeeld met alle betrokkenen.")
        do_step(page, titles[1], "Sanne SMW", "Sanne begeleidt Bas, IB begeleidt Noor.")

        # The parents' talk, with a follow-up in two weeks.
        talks = section(page, "Gesprekken en contacten")
        talks.locator("summary", has_text="Gesprek vastleggen").click()
        talks.get_by_label("Met wie").select_option(label="Ouders/verzorgers van een leerling")
        talks.get_by_label("Leerling (of wiens ouders)").select_option(label="Noor")
        talks.get_by_label("Kort verslag").fill("Ouders van Noor gesproken over de vervolgstappen.")
        talks.get_by_label("Afspraken").fill("Over twee weken bellen we weer.")
        follow_up = page.evaluate(
            "new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10)")
        talks.get_by_label(re.compile("^Vervolg op")).fill(follow_up)
        talks.get_by_role("button", name="Gesprek vastleggen").click()
        expect_flash(page, "het vervolg staat op")
        expect(section(page, "Gesprekken en contacten")).to_contain_text("de ouders van Noor")
        expect(section(page, "Gesprekken en contacten")).to_contain_text("Vervolg gepland op")
        do_step(page, titles[2], "Juf Anne", "Gesprekken met Noor en beide ouders gehouden.")
        page.screenshot(path=str(screenshots / "case-stappenplan-tablet.png"), full_page=True)
        assert_no_problems(page)
    finally:
        context.close()

    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page, COORDINATOR)
        page.goto("/overzicht")
        expect(page.locator("body")).to_contain_text(f"Stappenplan: {titles[3]}")
        page.goto(f"/zaken/{case_id}")
        page.set_viewport_size(PHONE)
        page.locator("#stappenplan").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "case-stappenplan-phone.png"))
        page.locator("#gesprekken").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "case-talks-phone.png"))
        page.set_viewport_size(TABLET)
        close = page.locator("form.close-plan")
        close.get_by_role("button", name="Afsluiten").click()
        expect(page.locator("[data-refusal]").first).to_contain_text(
            "Nog niet alle stappen zijn gezet")
        page.problems.clear()  # that refusal is a 422 on purpose
        page.locator("form.close-plan").screenshot(
            path=str(screenshots / "case-close-plan-refused-tablet.png"))
        page.locator("form.close-plan").get_by_label("het pesten is gestopt").check()
        page.locator("form.close-plan").get_by_label("Toelichting").fill(
            "Het pesten is gestopt; de laatste stappen zijn niet meer nodig.")
        page.locator("form.close-plan").get_by_role("button", name="Afsluiten").click()
        expect_flash(page, "Het stappenplan is afgerond")
        expect(page.locator(".closed-status strong")).to_have_text(
            "Stappenplan afgerond: het pesten is gestopt")

        page.get_by_role("link", name="Archief").click()
        page.get_by_label("Voornaam").fill(PUPIL)
        page.get_by_label("Uitkomst").select_option(
            label="Stappenplan afgerond: het pesten is gestopt")
        page.get_by_role("button", name="Zoeken").click()
        found = page.locator(f'a.case-name[href="/zaken/{case_id}"]')
        expect(found).to_have_count(1)
        found.click()
        expect(page).to_have_url(re.compile(rf"/zaken/{case_id}$"))
        timeline = section(page, "Tijdlijn")
        for text in ("Herstelgesprek gehouden", "Triage gewijzigd van ‘Eenmalig incident",
                     "was het niet gestopt", "Besluit: nieuwe ronde",
                     "Verder met het stappenplan", "Gesprek met de ouders van Noor",
                     "Stappenplan afgerond"):
            expect(timeline).to_contain_text(text)
        assert_no_problems(page)
    finally:
        context.close()
