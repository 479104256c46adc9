"""A teacher practises the whole method in a real browser with a made-up class: from the
home page's link to a practice case, the talk, a group with two girls called Julia, meeting
mode, the cards (each Julia can tell hers), both evaluations, the decision; the case is
marked on every page, is on no list of real cases, and is thrown away with its class."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import GroupMember, Pupil, SupportGroup

from .. import accessibility
from .helpers import (
    PHONE,
    TABLET,
    add_member,
    assert_no_problems,
    assert_safe_for_pupils,
    decide,
    expect,
    expect_flash,
    expect_saved,
    finish_meeting,
    group_evaluation,
    log_in,
    open_page,
    pupil_evaluation,
    record_talk,
    type_action,
)

# (how the group page is searched, the name on the cards and in meeting mode, the role)
PLAYED = [
    ("Daan", "Daan", "Aanvoerder"),
    ("Noah", "Noah", "Meeloper"),
    ("Sem", "Sem", "Meeloper"),
    ("Mila", "Mila", "Omstander"),
    ("Julia B", "Julia B.", "Helper / vriend"),
    ("Julia K", "Julia K.", "Helper / vriend"),
    ("Finn", "Finn", "Omstander"),
]
BANNER = "Oefenaanpak · met verzonnen leerlingen"


def _tokens(app, case_id: int) -> dict[str, str]:
    with app.app_context():
        return {f"{first} {initial}.": token for first, initial, token in db.session.execute(
            select(Pupil.first_name, Pupil.surname_initial, GroupMember.card_token)
            .join(GroupMember, GroupMember.pupil_id == Pupil.id)
            .join(SupportGroup, SupportGroup.id == GroupMember.group_id)
            .where(SupportGroup.case_id == case_id))}


@pytest.mark.browser
def test_a_teacher_practises_the_whole_method_with_a_made_up_class(
        browser, live_server, live_app, screenshots):
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page)
        page.get_by_role("link", name="Oefenen met de aanpak, met een verzonnen klas").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Oefenen met de steungroepaanpak")
        accessibility.assert_accessible(page)
        page.get_by_role("button", name="Begin een oefenaanpak").click()
        expect(page).to_have_url(re.compile(r"/zaken/\d+/gesprek$"))
        expect(page.locator(".practice-banner")).to_contain_text(BANNER)
        case_id = int(re.search(r"/zaken/(\d+)/", page.url).group(1))
        record_talk(page)
        expect(page.locator(".practice-banner")).to_be_visible()
        for count, (picked, _, role) in enumerate(PLAYED, start=1):
            add_member(page, picked, role, count)
        page.screenshot(path=str(screenshots / "tablet-practice-group.png"), full_page=True)
        page.get_by_role("button", name="Groep vastleggen").click()
        page.get_by_role("link", name="Naar de bijeenkomst").click()
        for _, name, _ in PLAYED:  # the two Julias apart: the initial, nothing more
            type_action(page, name, f"Ik ga met Sanne spelen ({name}).")
        for _, name, _ in PLAYED:
            expect_saved(page, name)
        assert_safe_for_pupils(page)
        page.screenshot(path=str(screenshots / "tablet-practice-meeting.png"))
        finish_meeting(page)

        page.goto(f"/zaken/{case_id}/kaarten")
        for julia in ("Julia B.", "Julia K."):
            expect(page.get_by_role("link", name=julia, exact=True)).to_be_visible()
        tokens = _tokens(live_app, case_id)
        phone, card = open_page(browser, live_server, PHONE)
        card.goto(f"/k/{tokens['Julia K.']}")
        expect(card.locator("body")).to_contain_text("Hoi Julia!")
        expect(card.locator("body")).to_contain_text("Ik ga met Sanne spelen (Julia K.).")
        expect(card.locator("body")).not_to_contain_text("Julia B.")
        card.screenshot(path=str(screenshots / "phone-practice-card.png"), full_page=True)
        phone.close()

        page.goto(f"/zaken/{case_id}")
        pupil_evaluation(page, face="Goed", improved="Ja")
        group_evaluation(page)
        decide(page, "Afsluiten")
        expect_flash(page, "De steungroep is afgesloten")
        expect(page.locator(".practice-banner")).to_be_visible()

        page.get_by_role("link", name="Mijn meldingen").click()
        expect(page.locator("li.case-row").filter(has_text="Sanne")).to_have_count(0)
        page.get_by_role("link", name="Archief").click()
        expect(page.locator("body")).not_to_contain_text("Oefenklas")
        page.goto("/oefenen")
        row = page.locator("li.case-row").filter(has_text="Sanne V.")
        expect(row).to_contain_text("Afgesloten")
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(screenshots / "phone-practice-list.png"), full_page=True)
        page.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="Weggooien").click()
        expect_flash(page, "De oefenaanpak is weggegooid")
        expect(page.locator("li.case-row")).to_have_count(0)
        assert_no_problems(page)
        finished, gone = open_page(browser, live_server, PHONE)
        gone.goto(f"/k/{tokens['Julia B.']}")
        expect(gone.locator("body")).not_to_contain_text("Julia")
        finished.close()
    finally:
        context.close()
