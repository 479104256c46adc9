"""The pupils' cards in a real browser: each QR code scans to that pupil's own card, and an
A4 sheet of eight cards prints on one page and scans (Playwright + Debian Chromium)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright import sync_api
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import (
    Pupil,
    User,
)

from .. import factories
from .helpers import (
    PHONE,
    TABLET,
    TEACHER,
    case_waiting_for_meeting,
    log_in,
    open_page,
)

expect = sync_api.expect


@pytest.mark.browser
def test_each_qr_scans_to_that_pupils_own_card(browser, live_server, live_app, screenshots):
    """Kaarten on the tablet: every member's QR decodes (zxing-cpp) to their own card URL,
    and that URL on a phone shows their first name and their own idea only."""
    import io

    import zxingcpp
    from PIL import Image

    from steungroep.models import Case

    case_id = case_waiting_for_meeting(live_app)
    with live_app.app_context():
        case = db.session.get(Case, case_id)
        factories.with_meeting(SimpleNamespace(teacher=case.teacher), case)
        expected = {
            m.pupil.first_name: (m.card_token, next(a.text for a in case.group.cycles[0].actions
                                                    if a.member_id == m.id))
            for m in case.group.members
        }
    context, page = open_page(browser, live_server, TABLET)
    phone, phone_page = open_page(browser, live_server, PHONE)
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}/kaarten")
        for name, (token, action) in expected.items():
            page.goto(f"/zaken/{case_id}/kaarten")
            page.get_by_role("link", name=name, exact=True).click()
            expect(page.locator(".qr-name")).to_have_text(name)
            if name == next(iter(expected)):
                page.screenshot(path=str(screenshots / "qr-tablet.png"))
            image = Image.open(io.BytesIO(page.locator(".qr-box").screenshot()))
            decoded = [r.text for r in zxingcpp.read_barcodes(image)]
            assert decoded == [f"{live_server}/k/{token}"], name
            phone_page.goto(decoded[0])
            text = phone_page.locator("body").inner_text()
            assert name in text and action in text
            others = [other for other in expected if other != name]
            assert not [other for other in others if other in text]
        phone_page.screenshot(path=str(screenshots / "card-phone.png"))
        assert page.problems == [] and phone_page.problems == []
    finally:
        context.close()
        phone.close()


@pytest.mark.browser
def test_a4_sheet_of_eight_cards_is_one_page_and_scans(browser, live_server, live_app,
                                                       screenshots):
    """Eight cards print on one A4 page (Chromium's PDF), and every printed QR code decodes
    to the card URL of the name printed beside it."""
    import io
    import time

    import zxingcpp
    from PIL import Image

    from steungroep.models import Case

    with live_app.app_context():
        teacher = db.session.scalar(select(User).where(User.email == TEACHER))
        pupils = sorted(
            db.session.scalars(select(Pupil).where(Pupil.school_id == teacher.schools[0].id)),
            key=lambda p: p.id,
        )
        world = SimpleNamespace(teacher=teacher, pupils=pupils, subject=pupils[11])
        case = factories.new_case(world, pupil=pupils[11])
        factories.with_talk(world, case)
        factories.with_group(world, case, size=8)
        factories.with_meeting(world, case)
        case = db.session.get(Case, case.id)
        tokens = {m.pupil.first_name: m.card_token for m in case.group.members}
        case_id = case.id
    assert len(tokens) == 8
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page)
        started = time.perf_counter()
        page.goto(f"/zaken/{case_id}/kaarten/afdrukken")
        rendered_ms = (time.perf_counter() - started) * 1000
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        (screenshots / "cards-a4.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, f"the sheet of 8 cards takes {pages} pages"
        page.screenshot(path=str(screenshots / "cards-a4.png"), full_page=True)
        cards = page.locator(".paper-card")
        assert cards.count() == 8
        # on paper, the small lines stay readable for an eight-year-old: 10 pt (13.3 px) or
        # more, and the day they will be asked is not cut off
        sizes = page.evaluate("""() => [...document.querySelectorAll(
            '.paper-ask, .paper-thanks')].map(e => parseFloat(getComputedStyle(e).fontSize))""")
        assert sizes and min(sizes) >= 13.3, sizes
        assert page.evaluate("""() => [...document.querySelectorAll('.paper-card')].every(
            c => c.querySelector('.paper-ask').getBoundingClientRect().bottom
                 <= c.getBoundingClientRect().bottom)""")
        for index in range(8):
            card = cards.nth(index)
            name = card.locator(".paper-name").inner_text()
            image = Image.open(io.BytesIO(card.locator(".paper-qr").screenshot(scale="device")))
            decoded = [r.text for r in zxingcpp.read_barcodes(image)]
            assert decoded == [f"{live_server}/k/{tokens[name]}"], name
        print(f"A4 sheet: {len(page.content())} bytes of HTML, rendered in {rendered_ms:.0f} ms")
        assert page.problems == []
    finally:
        context.close()
