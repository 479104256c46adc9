"""Real-browser walks through the app (Playwright + Debian Chromium, sync API).

A live server runs the real app (CSRF on, the schema built by the migrations, the world of
tests/factories.py) in a thread; Chromium clicks through it the way a teacher does on a
classroom tablet or a phone. These tests protect what unit tests cannot see: the htmx
round-trips with their CSRF header, the autosave of actions, the CSP-safe scripts, and what a
screen used in front of pupils actually shows.

Screenshots land in test-output/ for a human to look at.
"""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright import sync_api
from sqlalchemy import select

from steungroep import domain
from steungroep.admin import invitations
from steungroep.core import access
from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.core.writes import UnitOfWork
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import (
    Cycle,
    Evaluation,
    GroupMember,
    Pupil,
    School,
    SupportGroup,
    User,
)

from .. import accessibility, factories
from .helpers import (
    GROUP,
    PHONE,
    TABLET,
    TEACHER,
    action_card,
    add_member,
    assert_no_problems,
    assert_safe_for_pupils,
    case_waiting_for_meeting,
    case_waiting_for_talk,
    case_with_evaluations,
    create_melding,
    decide,
    dutch,
    expect_flash,
    expect_saved,
    finish_meeting,
    group_evaluation,
    log_in,
    open_page,
    pupil_evaluation,
    record_talk,
    type_action,
    wait_until,
)

expect = sync_api.expect


# ---- the live server and the browser -------------------------------------------------------


# ---- steps a teacher takes -------------------------------------------------------------------


# ---- the tests -----------------------------------------------------------------------------------


@pytest.mark.browser
def test_tablet_walk_from_melding_to_closed_case(browser, live_server, screenshots):
    """The whole method on a 1024×768 tablet, through the real forms and htmx with CSRF on:
    melding → talk → group of 7 picked by role buttons (htmx panel) → meeting with autosaved
    actions (nothing confidential and no role on that screen) → evaluations planned on school
    days → a second round that keeps some actions → closed as improved. No console error and
    no CSP violation on the way."""
    context, page = open_page(browser, live_server, TABLET)
    try:
        log_in(page)
        create_melding(page, "Bas")
        record_talk(page)

        # The group, chosen with the pupil: the counter follows every click.
        expect(page.locator("#group-panel .count")).to_have_text("0 van 6–8 leerlingen")
        for count, (name, role) in enumerate(GROUP.items(), start=1):
            add_member(page, name, role, count)
        expect(page.locator("#group-panel .counter")).to_contain_text("Aanvoerders en meelopers: 3")
        accessibility.assert_accessible(page)  # the group panel with seven chosen
        page.get_by_role("button", name="Groep vastleggen").click()
        expect(page.get_by_role("heading", name="Uitnodigingen")).to_be_visible()
        page.get_by_role("link", name="Naar de bijeenkomst").click()

        # Round 1: one action per member, each saved by htmx as it is typed.
        expect(page.locator(".meeting-title")).to_have_text("Bijeenkomst · ronde 1")
        expect(page.locator("#progress")).to_have_text("0 van 7")
        first_actions = {
            name: f"Ik ga {name.lower()}-actie doen: Bas gedag zeggen." for name in GROUP
        }
        for name, text in first_actions.items():
            type_action(page, name, text)
        for name in GROUP:  # each card says so once its autosave has answered
            expect_saved(page, name)
        expect(page.locator("#progress")).to_have_text("7 van 7")
        accessibility.assert_accessible(page)  # meeting mode with seven actions typed
        page.screenshot(path=str(screenshots / "meeting-tablet.png"))
        assert_safe_for_pupils(page)
        finish_meeting(page)

        # The case page shows both evaluations, planned on school days.
        pupil_due, group_due = domain.evaluation_dates(school_today())
        assert pupil_due.weekday() < 5 and group_due.weekday() < 5
        round_1 = page.locator("section.card").filter(
            has=page.get_by_role("heading", name="Ronde 1", exact=True)
        )
        expect(round_1).to_contain_text(f"Gepland op {dutch(pupil_due)}")
        expect(round_1).to_contain_text(f"Gepland op {dutch(group_due)}")
        for name, text in first_actions.items():
            expect(round_1).to_contain_text(f"{name}: {text}")

        pupil_evaluation(page, face="Gaat wel", improved="Nee")
        group_evaluation(page)
        decide(page, "Nieuwe ronde")
        expect_flash(page, "Ronde 2 is begonnen")

        # Round 2: the same group; some keep last round's action, others think of a new one.
        page.get_by_role("link", name="Naar de bijeenkomst").click()
        expect(page.locator(".meeting-title")).to_have_text("Bijeenkomst · ronde 2")
        expect(page.locator("#progress")).to_have_text("0 van 7")
        keepers, new_ones = list(GROUP)[:4], list(GROUP)[4:]
        for name in keepers:
            card = action_card(page, name)
            expect(card.locator(".previous")).to_contain_text(first_actions[name])
            card.get_by_role("button", name="Zelfde actie houden").click()
            expect_saved(page, name)
            expect(action_card(page, name).get_by_label(name, exact=True)).to_have_value(
                first_actions[name]
            )
        second_actions = {name: f"Ik vraag Bas om mee te doen ({name})." for name in new_ones}
        for name, text in second_actions.items():
            type_action(page, name, text)
        for name in GROUP:  # each card says so once its autosave has answered
            expect_saved(page, name)
        expect(page.locator("#progress")).to_have_text("7 van 7")
        assert_safe_for_pupils(page)
        # A last change, and Afronden at once: the text travels with the finish form.
        last = new_ones[-1]
        second_actions[last] = "Ik ga Bas helpen met opruimen."
        type_action(page, last, second_actions[last])
        finish_meeting(page)

        round_2 = page.locator("section.card").filter(
            has=page.get_by_role("heading", name="Ronde 2", exact=True)
        )
        for name in keepers:
            expect(round_2).to_contain_text(f"{name}: {first_actions[name]}")
        for name, text in second_actions.items():
            expect(round_2).to_contain_text(f"{name}: {text}")

        pupil_evaluation(page, face="Goed", improved="Ja")
        group_evaluation(page)
        decide(page, "Afsluiten")
        expect_flash(page, "De steungroep is afgesloten")
        expect(page.locator(".closed-status strong")).to_have_text("Afgesloten: het gaat beter")
        expect(page.locator(".page-head .btn-step")).to_have_count(0)
        page.screenshot(path=str(screenshots / "case-tablet.png"), full_page=True)

        # Closed: it is off the teacher's list.
        page.get_by_role("link", name="Mijn meldingen").click()
        expect(page.get_by_role("heading", name="Mijn open meldingen")).to_be_visible()
        expect(page.locator("li.case-row").filter(has_text="Bas")).to_have_count(0)
        assert_no_problems(page)
    finally:
        context.close()


@pytest.mark.browser
def test_phone_home_and_meeting_with_blank_screen(browser, live_server, live_app, screenshots):
    """At phone size (390×844) the home page and the meeting mode render, and "Scherm leeg"
    hides everything behind the overlay in one tap and brings it back with a second tap."""
    case_id = case_waiting_for_meeting(live_app)
    context, page = open_page(browser, live_server, PHONE)
    try:
        log_in(page)
        row = page.locator("li.case-row").filter(has_text="Amira")
        expect(row.locator(".btn-step")).to_have_text("Bijeenkomst houden (ronde 1)")
        page.screenshot(path=str(screenshots / "home-phone.png"), full_page=True)

        row.locator(".btn-step").click()
        expect(page).to_have_url(re.compile(rf"/zaken/{case_id}/bijeenkomst$"))
        expect(page.locator("#progress")).to_have_text("0 van 7")
        page.screenshot(path=str(screenshots / "meeting-phone.png"))
        page.locator("form.action-card").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "meeting-phone-cards.png"))

        overlay = page.locator("[data-blank-overlay]")
        cards = page.locator("section.cards")
        expect(overlay).to_be_hidden()
        page.get_by_role("button", name="Scherm leeg").click()
        expect(overlay).to_be_visible()
        box = overlay.bounding_box()
        assert box and box["width"] >= PHONE["width"] and box["height"] >= PHONE["height"]
        # The overlay lies on top: a tap in the middle of the screen reaches the overlay.
        top = page.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('[data-blank-overlay]')",
            [PHONE["width"] // 2, PHONE["height"] // 2],
        )
        assert top, "the blank overlay does not cover the screen"
        page.screenshot(path=str(screenshots / "meeting-phone-blank.png"))

        page.get_by_role("button", name="Tik om verder te gaan").click()
        expect(overlay).to_be_hidden()
        expect(cards).to_be_visible()
        assert_no_problems(page)
    finally:
        context.close()


@pytest.mark.browser
def test_idle_lock_keeps_what_was_typed(browser, live_server, live_app):
    """A tablet left alone mid-talk locks itself; after the password the talk form comes
    back with what was typed, and nothing was stored in between."""
    case_id = case_waiting_for_talk(live_app, "Gijs")
    context, page = open_page(browser, live_server, TABLET)
    live_app.config["IDLE_LOCK_MINUTES"] = 0.05  # three seconds
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}/gesprek")
        page.get_by_label(re.compile("^Brief of tekening")).fill("Mijn brief aan de groep.")
        expect(page).to_have_url(re.compile(r"/vergrendeld\?next="), timeout=8000)
        assert "Mijn brief" not in page.content()
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        page.get_by_label("Wachtwoord").fill(factories.PASSWORD)
        page.get_by_role("button", name="Ontgrendelen").click()
        expect(page).to_have_url(re.compile(rf"/zaken/{case_id}/gesprek$"))
        expect(page.get_by_label(re.compile("^Brief of tekening"))).to_have_value(
            "Mijn brief aan de groep."
        )
        expect(page.locator(".flash", has_text="teruggezet")).to_be_visible()
        assert page.problems == []
    finally:
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        context.close()


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


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_moving_an_evaluation_agenda_and_settings(browser, live_server, live_app, screenshots,
                                                  viewport):
    """Move an evaluation: a weekend date is refused with the next school day named and the
    reason kept; a school day is accepted. The agenda page makes a feed address that serves
    iCalendar. The coordinator's settings page shows the school calendar. No console error,
    no CSP violation (the refused date's 422 is the one expected HTTP error)."""
    name = "Stijn" if viewport is TABLET else "Roos"
    case_id = case_with_evaluations(live_app, name)
    context, page = open_page(browser, live_server, viewport)
    size = "tablet" if viewport is TABLET else "phone"
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}")
        section = page.locator("details.move").first
        section.locator("summary").click()
        saturday = school_today() + timedelta(days=(5 - school_today().weekday()) % 7 or 7)
        section.get_by_label("Nieuwe datum").fill(saturday.isoformat())
        section.get_by_label("Waarom?").fill("Leerling op schoolreis")
        section.get_by_role("button", name="Verplaats").click()
        refused = page.locator("details.move[open]")
        expect(refused.get_by_role("alert")).to_contain_text("is geen schooldag")
        expect(refused.get_by_label("Waarom?")).to_have_value("Leerling op schoolreis")
        page.screenshot(path=str(screenshots / f"{size}-move-refused.png"))
        page.problems[:] = [p for p in page.problems if "422" not in p]
        calendar = domain.RegionCalendar("midden")
        with live_app.app_context():
            due = db.session.scalar(
                select(Evaluation.due_on)
                .join(Cycle).join(SupportGroup)
                .where(SupportGroup.case_id == case_id, Evaluation.kind == "leerling")
            )
        new_day = domain.next_school_day(saturday, calendar)
        if new_day == due:
            new_day = domain.add_school_days(new_day, 1, calendar)
        refused.get_by_label("Nieuwe datum").fill(new_day.isoformat())
        refused.get_by_role("button", name="Verplaats").click()
        expect_flash(page, "Verplaatst naar")
        expect(page.locator("#ronde-1")).to_contain_text(dutch(new_day))

        page.goto("/agenda")
        if page.get_by_role("button", name="Agenda-adres maken").count():
            page.get_by_role("button", name="Agenda-adres maken").click()
            url = page.locator("#agenda-url").input_value()
        else:  # made by the other viewport's run: a new address replaces it, after a confirm
            old = page.locator("#agenda-url").input_value()
            page.once("dialog", lambda dialog: dialog.accept())
            page.get_by_role("button", name="Nieuw adres maken").click()
            expect_flash(page, "Een eerder adres werkt niet meer")
            url = page.locator("#agenda-url").input_value()
            assert url != old and page.request.get(old).status == 404
            page.problems[:] = [p for p in page.problems if "404" not in p]
        assert url.endswith(".ics")
        page.screenshot(path=str(screenshots / f"{size}-agenda.png"), full_page=True)
        feed = page.request.get(url)
        assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
        assert f"Vervolggesprek met {name}" in feed.text()
        assert_no_problems(page)
    finally:
        context.close()

    context, page = open_page(browser, live_server, viewport)
    try:
        log_in(page, "sanne@a.example")
        page.goto("/instellingen")
        expect(page.get_by_role("heading", name="Schoolkalender School A")).to_be_visible()
        expect(page.get_by_text("Kerstvakantie").first).to_be_visible()
        page.screenshot(path=str(screenshots / f"{size}-settings.png"), full_page=True)
        assert_no_problems(page)
    finally:
        context.close()


# ---- every page, zero CSP violations --------------------------------------------------------

# Which case state shows a case page the way it is meant to be seen (others: a closed case).
PAGE_STEPS = {
    "talk.talk_form": "gesprek",
    "group.group_page": "groep",
    "group.invitations": "bijeenkomst",
    "meeting.meeting_page": "bijeenkomst",
    "evaluations.pupil_evaluation_form": "evaluatie_leerling",
    "evaluations.group_evaluation_form": "evaluatie_leerling",
    "card_screens.cards_names": "evaluatie_leerling",
    "card_screens.cards_print": "evaluatie_leerling",
    "card_screens.card_qr": "evaluatie_leerling",
    "card_screens.card_print": "evaluatie_leerling",
    "meeting.meeting_done": "evaluatie_leerling",
    "evaluations.decision_form": "besluit",
}
# Not pages: files, fragments for htmx, JSON, the calendar feed, and logging out. The lock
# page is visited last, on purpose.
NOT_PAGES = {
    "static", "feed.calendar", "records.access_copy_json", "group.pupil_search",
    "cases.pupil_choice_search",  # the matches of a pupil field, a fragment for htmx
    "statistics.export", "dossier.notes_csv",
    "auth.keep_alive", "auth.logout", "auth.lock",
    "sso.start", "sso.callback",  # on to the school's provider and back (test_browser_sso)
    "health.livez", "health.readyz",  # JSON for probes (tests/core/test_health.py)
    "metrics.metrics",  # Prometheus text (tests/core/test_metrics.py)
}
VISITOR = {  # who opens a page of each access rule
    "public": None, "token": None, "signed-in": TEACHER, "own": TEACHER, "case": TEACHER,
    "school-settings": "sanne@a.example", "school-records": "sanne@a.example",
    "school-coordinator": "sanne@a.example", "coordinator": "sanne@a.example",
    "admin": "beheer@a.example", "board": "bestuur@a.example",
}
# Collects what the browser refuses under the Content-Security-Policy, before any page
# script runs (an init script is not itself subject to the policy).
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


def _cases_in_every_state(app) -> dict[str, int]:
    """One case of Juf Anne per step (and a closed one), built by the factories; once per
    database."""
    if hasattr(app, "cases_in_every_state"):
        return app.cases_in_every_state
    with app.app_context():
        school = db.session.scalar(select(School).where(School.name == "School A"))
        pupils = sorted(
            db.session.scalars(select(Pupil).where(Pupil.school_id == school.id)),
            key=lambda p: p.id,
        )
        teacher = db.session.scalar(select(User).where(User.email == TEACHER))
        cases = {}
        for step, name in [("gesprek", "Milan"), ("groep", "Fenna"), ("bijeenkomst", "Isa"),
                           ("evaluatie_leerling", "Ruben"), ("besluit", "Lina"),
                           ("gesloten", "Thijs")]:
            w = SimpleNamespace(teacher=teacher, pupils=pupils,
                                subject=next(p for p in pupils if p.first_name == name))
            case = factories.case_at(w, "besluit" if step == "gesloten" else step,
                                     pupil=w.subject)
            if step == "gesloten":
                evaluations.decide(case, teacher, "afsluiten", "")
                db.session.commit()
            cases[step] = case.id
        member = db.session.scalar(
            select(GroupMember).join(SupportGroup)
            .where(SupportGroup.case_id == cases["evaluatie_leerling"])
            .order_by(GroupMember.id)
        )
        app.cases_in_every_state = {**cases, "member": member.id,
                                    "member_token": member.card_token}
    return app.cases_in_every_state


def _board_admin_and_link() -> tuple[int, int, str]:
    """School A, a colleague, and a one-time link of hers; the board's admin (once)."""
    school = db.session.scalar(select(School).where(School.name == "School A"))
    colleague = db.session.scalar(select(User).where(User.email == "karim@a.example"))
    if db.session.scalar(select(User).where(User.email == "bestuur@a.example")) is None:
        board_admin = factories.make_user("Bestuur", "bestuur@a.example", "admin",
                                          *db.session.scalars(select(School)))
        board_admin.board = school.board
        db.session.commit()
    with UnitOfWork():
        link = invitations.issue(colleague, "herstel", by=None, base="http://localhost")
    return school.id, colleague.id, link.url.rsplit("/", 1)[1]


def _page_urls(app) -> dict[str | None, list[tuple[str, str]]]:
    """{visitor e-mail (None: nobody signed in): [(endpoint, url)]} for every page."""
    cases = _cases_in_every_state(app)
    with app.app_context():
        pupil_id = db.session.scalar(select(Pupil.id).where(Pupil.first_name == "Lina"))
        school_id, user_id, invite = _board_admin_and_link()
    visits: dict[str | None, list[tuple[str, str]]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        values = {
            "case_id": cases[PAGE_STEPS.get(rule.endpoint, "gesloten")],
            "member_id": cases["member"],
            "pupil_id": pupil_id,
            "token": invite if rule.endpoint == "invite.welcome" else cases["member_token"],
            "school_id": school_id,
            "user_id": user_id,
        }
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(
                rule.endpoint, {name: values[name] for name in rule.arguments}
            )
        visitor = VISITOR[access.RULES[rule.endpoint]]
        visits.setdefault(visitor, []).append((rule.endpoint, url))
    visits[None].append(("errors.not_found", "/bestaat-niet"))
    visits[TEACHER].append(("auth.lock", "/vergrendeld"))
    return visits


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_every_page_without_csp_violations(browser, live_server, live_app, screenshots,
                                           viewport):
    """Every page of the app (each GET route in app.url_map that renders HTML), opened by
    someone allowed to see it: it renders (no redirect, no error), the browser reports
    zero Content-Security-Policy violations and no console error, and axe-core finds no
    serious or critical accessibility violation (WCAG 2.1 AA) and no page without a
    level-one heading. A screenshot of each page lands in test-output/pages/."""
    size = "tablet" if viewport is TABLET else "phone"
    folder = screenshots / "pages"
    folder.mkdir(exist_ok=True)
    visits = _page_urls(live_app)
    inaccessible: list[str] = []
    seen = 0
    for visitor, pages in visits.items():
        context, page = open_page(browser, live_server, viewport)
        context.add_init_script(CSP_LISTENER)
        try:
            if visitor is not None:
                log_in(page, visitor)
            for endpoint, url in pages:
                response = page.goto(url)
                page.wait_for_load_state("networkidle")
                expected_status = 404 if endpoint == "errors.not_found" else 200
                assert response.status == expected_status, f"{url}: {response.status}"
                assert page.url.endswith(url), f"{url} went to {page.url}"
                assert page.evaluate("window.__csp") == [], f"CSP violation on {url}"
                inaccessible += accessibility.describe(url, accessibility.violations(page))
                assert page.evaluate("window.__csp") == [], f"axe broke the CSP on {url}"
                if endpoint == "errors.not_found":
                    page.problems[:] = [p for p in page.problems if "404" not in p]
                if live_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
                    page.screenshot(path=str(folder / f"{size}-{endpoint}.png"), full_page=True)
                seen += 1
            assert_no_problems(page)
        finally:
            context.close()
    assert seen >= 25
    assert inaccessible == [], "\n".join(inaccessible)

    # The listener really hears the policy: an inline script is refused and reported.
    context, page = open_page(browser, live_server, viewport)
    context.add_init_script(CSP_LISTENER)
    try:
        page.goto("/inloggen")
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.ran = true';
                                 document.body.appendChild(s); }""")
        wait_until(page, "window.__csp.length > 0")
        assert page.evaluate("window.ran") is None
        assert page.evaluate("window.__csp")[0].startswith("script-src")
        # and axe really finds what it should: an image without a text, a page without h1
        page.evaluate("""() => { document.querySelectorAll('h1').forEach(h => h.remove());
                                 const i = document.createElement('img');
                                 i.src = '/static/css/app.css'; document.body.appendChild(i); }""")
        found = {v["id"] for v in accessibility.violations(page)}
        assert {"image-alt", "page-has-heading-one"} <= found
    finally:
        context.close()


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
