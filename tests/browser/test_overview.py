"""The coordinator's overview in a real browser: its filters, and handing a case over to a
colleague (Playwright + Debian Chromium)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright import sync_api
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import (
    Pupil,
    School,
    User,
)

from .. import factories
from .helpers import (
    CSP_LISTENER,
    PHONE,
    TABLET,
    TEACHER,
    assert_no_problems,
    expect_flash,
    log_in,
    open_page,
)

expect = sync_api.expect


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_coordinator_overview_filters_and_hands_over(browser, live_server, live_app, screenshots,
                                                     viewport):
    """The coordinator's overview: typing a name narrows the list through htmx (the page
    itself stays: no reload), a row's actions load when it opens, handing the case to a
    colleague says so and the row shows the new teacher. Then the statistics page and a
    case's notes for the pupil record. No console error, no CSP violation."""
    name = "Gijs" if viewport is TABLET else "Yara"
    size = "tablet" if viewport is TABLET else "phone"
    with live_app.app_context():
        school = db.session.scalar(select(School).where(School.name == "School A"))
        pupils = sorted(db.session.scalars(select(Pupil).where(Pupil.school_id == school.id)),
                        key=lambda p: p.id)
        subject = next(p for p in pupils if p.first_name == name)
        teacher = db.session.scalar(select(User).where(User.email == TEACHER))
        w = SimpleNamespace(teacher=teacher, pupils=pupils, subject=subject)
        case_id = factories.case_at(w, "evaluatie_leerling", pupil=subject).id
        first_name = subject.first_name
    subject = SimpleNamespace(first_name=first_name)
    context, page = open_page(browser, live_server, viewport)
    context.add_init_script(CSP_LISTENER)
    try:
        log_in(page, "sanne@a.example")
        page.get_by_role("link", name="Overzicht", exact=True).click()
        expect(page.get_by_role("heading", name="Overzicht van alle steungroepen")
               ).to_be_visible()
        page.evaluate("window.__marker = 'same page'")
        page.get_by_label("Zoek leerling of leerkracht").fill(subject.first_name)
        expect(page).to_have_url(re.compile(f"q={subject.first_name}"))  # can be shared
        row = page.locator(f"#aanpak-{case_id}")
        expect(row).to_be_visible()
        rows = page.locator(".overview-row")
        expect(rows.filter(has_not_text=subject.first_name)).to_have_count(0)
        assert page.evaluate("window.__marker") == "same page"  # htmx swapped the list only
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(screenshots / f"{size}-overview-search.png"), full_page=True)
        row.locator("summary").click()
        select_box = row.get_by_label("Verantwoordelijke")
        expect(select_box).to_be_visible()
        select_box.select_option(label="Meester Karim")
        row.get_by_role("button", name="Overdragen").click()
        expect_flash(page, f"Meester Karim is nu verantwoordelijk voor de aanpak van "
                           f"{subject.first_name}")
        expect(page.locator(f"#aanpak-{case_id}")).to_contain_text("Meester Karim")
        assert f"q={subject.first_name}" in page.url  # back to the same filtered view

        page.get_by_role("link", name="Cijfers", exact=True).click()
        expect(page.get_by_text("evaluaties op tijd gehouden")).to_be_visible()
        page.screenshot(path=str(screenshots / f"{size}-statistics.png"), full_page=True)
        with page.expect_download() as download:
            page.locator("a", has_text="CSV").first.click()
        assert download.value.suggested_filename.endswith(".csv")

        page.goto(f"/zaken/{case_id}/notities")
        expect(page.get_by_role("heading", name="Notities voor het leerlingdossier")
               ).to_be_visible()
        page.screenshot(path=str(screenshots / f"{size}-notes.png"), full_page=True)
        page.goto(f"/zaken/{case_id}/verslag")
        page.screenshot(path=str(screenshots / f"{size}-report.png"), full_page=True)
        page.emulate_media(media="print")  # as it goes to paper or PDF: no menu, no buttons
        expect(page.locator(".topbar")).to_be_hidden()
        expect(page.get_by_role("button", name="Afdrukken of PDF")).to_be_hidden()
        expect(page.get_by_text("Vertrouwelijk — alleen voor het dossier")).to_be_visible()
        page.screenshot(path=str(screenshots / f"{size}-report-print.png"), full_page=True)
        if viewport is TABLET:
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(
                b"/Type /Pages") <= 3  # the whole case on a few A4 pages
        assert page.evaluate("window.__csp") == []
        assert_no_problems(page)
    finally:
        context.close()
