"""A letter for the parents printed from a real browser: composed on the case with the
agreements of a talk that named another child, kept, and printed (Chromium's PDF); the
printed letter names no other pupil, no role and no note."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from steungroep.contacts import use_cases as contacts
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import Case, User
from steungroep.web.writes import UnitOfWork

from .helpers import (
    STAFF_NOTE,
    TABLET,
    TEACHER,
    assert_no_problems,
    case_with_evaluations,
    expect,
    log_in,
    open_page,
)

ROLES = re.compile(r"aanvoerder|meeloper|omstander|helper|dader|slachtoffer", re.I)


def _talk_with_the_parents(app, case_id: int) -> list[str]:
    """A talk with the parents whose agreements name a member of the group; the names of the
    group's members."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        teacher = db.session.scalar(select(User).where(User.email == TEACHER))
        other = case.group.members[0].pupil.first_name
        with UnitOfWork() as uow:
            uow.lock_cases([case_id])
            case = db.session.get(Case, case_id)
            contacts.record_talk(case, teacher, contacts.TalkInput(
                party="ouders", pupil_id=case.pupil_id, party_name="",
                held_on=school_today(), summary=STAFF_NOTE,
                agreements=f"Ouders bellen de juf als {other} thuis in de app iets stuurt."))
        return [m.pupil.first_name for m in db.session.get(Case, case_id).group.members]


@pytest.mark.browser
def test_a_printed_letter_names_no_other_pupil_role_or_note(browser, live_server, live_app,
                                                            screenshots):
    case_id = case_with_evaluations(live_app, "Gijs")
    members = _talk_with_the_parents(live_app, case_id)
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}")
        page.get_by_role("link", name="Brief aan ouders schrijven").click()
        page.get_by_label("Voor de ouders van").select_option(index=1)  # the pupil it is about
        page.get_by_label("Moment").select_option(label="Na een evaluatie")
        page.get_by_role("button", name="Brief opstellen").click()
        letter = page.get_by_label(re.compile("^De brief"))
        expect(letter).to_contain_text("een klasgenoot thuis in de app")
        page.get_by_role("button", name="Bewaren en afdrukken").click()
        expect(page.get_by_role("heading", name="Brief aan ouders")).to_be_visible()
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        (screenshots / "parent-letter.pdf").write_bytes(pdf)
        page.screenshot(path=str(screenshots / "parent-letter.png"), full_page=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
        printed = page.locator("[data-letter]").inner_text()
        visible = page.locator("body").inner_text()  # what the printer puts on paper
        assert "Beste ouder(s)/verzorger(s) van Gijs," in printed
        assert "Afdrukken" not in visible or page.locator(".no-print").is_hidden()
        for name in members:
            assert not re.search(rf"\b{name}\b", printed), name
        assert STAFF_NOTE not in printed and not ROLES.search(printed)
        assert_no_problems(page)
    finally:
        context.close()
