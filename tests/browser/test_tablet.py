"""The shared classroom tablet outside meeting mode: touch targets, drafts that belong to one
login, a refused form that comes back with its message in view, and printed cards that keep
every part on the card (Playwright + Debian Chromium)."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright import sync_api
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.core.timeutil import school_today
from steungroep.models import Case, User

from .. import factories
from .helpers import (
    TABLET,
    case_waiting_for_meeting,
    case_waiting_for_talk,
    log_in,
    open_meeting,
    open_page,
    wait_until,
)

expect = sync_api.expect
pytestmark = pytest.mark.browser


def test_touch_targets_are_at_least_44_px(browser, server, live_app):
    """Every button, summary and button-like link on the meeting, case and group screens is
    at least 44 px high on a tablet."""
    case_id, context, page = open_meeting(browser, server, live_app)
    measure = """() => Array.from(document.querySelectorAll(
        'button, summary, a.btn, input[type=submit], .previous .btn'))
      .filter(e => e.offsetParent !== null)
      .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
      .filter(([, h]) => h < 44)"""
    try:
        pages = ("/zaken/{id}/bijeenkomst", "/zaken/{id}", "/zaken/{id}/groep", "/",
                 "/meldingen/nieuw", "/agenda", "/zaken/{id}/notities", "/account/wachtwoord")
        for path in (p.format(id=case_id) for p in pages):
            page.goto(path)
            small = page.evaluate(measure)
            assert small == [], f"{path}: {small}"
    finally:
        context.close()


def test_drafts_belong_to_one_login(browser, server, live_app):
    """What a teacher typed stays in the tab through an idle lock, but five wrong passwords
    end it: the colleague who logs in next on the same tablet sees an empty form, and the
    tab holds nothing of it."""
    context, page = open_page(browser, server.base, TABLET)
    live_app.config["IDLE_LOCK_MINUTES"] = 0.05  # three seconds
    draft = "CONCEPT-van-juf-Anne over de pauze"
    try:
        log_in(page)
        page.goto("/meldingen/nieuw")
        page.get_by_label("Korte beschrijving").fill(draft)
        expect(page).to_have_url(re.compile(r"/vergrendeld\?next="), timeout=8000)
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        assert any(draft in v for v in page.evaluate("Object.values(sessionStorage)"))
        for _ in range(5):
            page.get_by_label("Wachtwoord").fill("niet-het-goede-wachtwoord")
            page.get_by_role("button", name="Ontgrendelen").click()
        expect(page).to_have_url(re.compile(r"/inloggen"))
        expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
        wait_until(page, "!Object.keys(sessionStorage).some(k => k.startsWith('steungroep-'))")

        log_in(page, "karim@a.example")
        page.goto("/meldingen/nieuw")
        expect(page.get_by_label("Korte beschrijving")).to_have_value("")
        expect(page.locator(".flash", has_text="teruggezet")).to_have_count(0)
    finally:
        live_app.config["IDLE_LOCK_MINUTES"] = 15
        context.close()


def test_another_login_in_the_same_tab_forgets_the_first_ones_drafts(
        browser, server, live_app):
    context, page = open_page(browser, server.base, TABLET)
    try:
        log_in(page)
        page.goto("/meldingen/nieuw")
        page.get_by_label("Korte beschrijving").fill("Alleen voor Anne.")
        # The session ends on the server (an admin switched it off, or it expired) and a
        # colleague logs in in the same tab.
        context.clear_cookies()
        log_in(page, "karim@a.example")
        page.goto("/meldingen/nieuw")
        expect(page.get_by_label("Korte beschrijving")).to_have_value("")
        assert not any("Anne" in v for v in page.evaluate("Object.values(sessionStorage)"))
    finally:
        context.close()


def _case_with_cards(app, long_action: str) -> int:
    """A case after its meeting whose first member's action is ``long_action``."""
    with app.app_context():
        case_id = case_waiting_for_meeting(app)
        case = db.session.get(Case, case_id)
        teacher = db.session.scalar(select(User).where(User.email == "anne@a.example"))
        factories.with_meeting(SimpleNamespace(teacher=teacher), case)
        first = case.group.members[0]
        action = next(a for a in case.group.cycles[0].actions if a.member_id == first.id)
        action.text = long_action
        db.session.commit()
        return case_id


def test_a_long_action_never_pushes_the_name_or_the_date_off_the_printed_card(
        browser, server, live_app, screenshots):
    longest = ("Ik ga in de pauze elke dag vragen of ze mee wil doen met tikkertje of met "
               "voetbal, en als ze nee zegt vraag ik de volgende dag opnieuw, en bij het "
               "buitenspelen ga ik naast haar staan als iemand iets naars zegt.")[:200]
    case_id = _case_with_cards(live_app, longest)
    context, page = open_page(browser, server.base, {"width": 794, "height": 1123})
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}/kaarten/afdrukken")
        page.emulate_media(media="print")
        cut = page.evaluate("""() => Array.from(document.querySelectorAll('.paper-card'))
          .map(card => {
            const box = card.getBoundingClientRect();
            const inside = sel => { const e = card.querySelector(sel); if (!e) return false;
              const r = e.getBoundingClientRect();
              return r.top >= box.top && r.bottom <= box.bottom + 0.5; };
            const action = card.querySelector('.paper-action');
            return {name: inside('.paper-name'), thanks: inside('.paper-thanks'),
                    ask: inside('.paper-ask'),
                    fits: action.scrollHeight <= action.clientHeight + 1};
          }).filter(c => !(c.name && c.thanks && c.ask && c.fits))""")
        assert cut == [], cut
        expect(page.locator(".paper-card").first).to_contain_text(longest[:60])
        page.screenshot(path=str(screenshots / "cards-print-long-action.png"), full_page=True)
    finally:
        context.close()


def test_a_refused_form_low_on_the_page_comes_back_with_its_message_in_view(
        browser, server, live_app):
    """Verplaatsen sits far down the case page: refused, the page comes back with the fold
    open and the message on screen, not at the top of the page."""
    case_id = _case_with_cards(live_app, "Ik ga naast haar zitten.")
    saturday = school_today() + timedelta(days=(5 - school_today().weekday()) % 7 + 7)
    context, page = open_page(browser, server.base, TABLET)
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}")
        move = page.locator("details.move").filter(has_text="Verplaatsen").first
        move.locator("summary").click()
        move.get_by_label("Nieuwe datum").fill(saturday.isoformat())
        move.get_by_label("Waarom?").fill("Leerling ziek")
        move.get_by_role("button", name="Verplaats").click()
        refusal = page.locator("[data-refusal]").first
        expect(refusal).to_be_visible()
        expect(refusal).to_be_in_viewport()
        assert page.evaluate("window.scrollY") > 0
        expect(move.get_by_label("Waarom?")).to_have_value("Leerling ziek")
    finally:
        context.close()


def test_the_talk_asks_what_follows_a_no_only_when_no_is_chosen(
        browser, server, live_app):
    case_id = case_waiting_for_talk(live_app, "Gijs")
    context, page = open_page(browser, server.base, TABLET)
    try:
        log_in(page)
        page.goto(f"/zaken/{case_id}/gesprek")
        follow = page.locator("fieldset.no-consent")
        page.get_by_label("Ja, een steungroep mag").check()
        expect(follow).to_be_hidden()
        page.get_by_label("Nee, (nu) geen steungroep").check()
        expect(follow).to_be_visible()
        follow.get_by_label("Later opnieuw vragen").check()
        page.get_by_label("Vervolgafspraak").fill(
            (school_today() + timedelta(days=7)).isoformat())
        page.get_by_role("button", name="Gesprek vastleggen").click()
        expect(page.locator(".flash", has_text="vraag je het opnieuw")).to_be_visible()
    finally:
        context.close()


def test_choosing_a_pupil_by_searching(browser, server, live_app):
    """The melding's pupil field: matches come in as you type; Enter in the search neither
    sends the melding nor leaves the page; a pupil ticked stays ticked while searching on;
    the form sends the pupil chosen; without network the search fails quietly and the
    form keeps what was typed."""
    context, page = open_page(browser, server.base, TABLET)
    try:
        log_in(page)
        page.goto("/meldingen/nieuw")
        picker = page.get_by_role("group", name="Leerling")
        search = picker.get_by_label("Zoek op voornaam of klas")
        page.get_by_label("Korte beschrijving").fill("Wordt uitgelachen bij gym.")
        search.fill("li")
        expect(picker.get_by_role("radio", name=re.compile(r"^Lina\b"))).to_be_visible()
        url = page.url
        search.press("Enter")
        expect(picker.get_by_role("radio", name=re.compile(r"^Lina\b"))).to_be_visible()
        assert page.url == url  # neither a reload nor the melding sent
        picker.get_by_role("radio", name=re.compile(r"^Lina\b")).check()
        search.fill("noor")
        expect(picker.get_by_role("radio", name=re.compile(r"^Noor\b"))).to_be_visible()
        expect(picker.get_by_role("radio", name=re.compile(r"^Lina\b"))).to_be_checked()
        context.set_offline(True)
        with page.expect_event("requestfailed"):
            search.fill("bas")
        context.set_offline(False)
        expect(picker.get_by_role("radio", name=re.compile(r"^Lina\b"))).to_be_checked()
        expect(page.get_by_label("Korte beschrijving")).to_have_value(
            "Wordt uitgelachen bij gym.")
        page.get_by_label("Wie meldt het?").select_option(label="Ouder/verzorger")
        page.get_by_label("Verbaal (schelden, vernederen, dreigen)").check()
        page.get_by_label("Herhaald pesten: steungroepaanpak").check()
        page.get_by_role("button", name="Melding vastleggen").click()
        expect(page.locator("h1")).to_contain_text("Lina")
    finally:
        context.close()


def test_a_search_typed_before_the_page_has_loaded_is_sent(browser, server, live_app):
    """On a slow tablet the teacher types before htmx listens: held back here by keeping
    htmx's file until the name is typed. The matches still come, without another key."""
    context, page = open_page(browser, server.base, TABLET)
    try:
        log_in(page)
        held = []
        page.route("**/vendor/htmx.min.js", lambda route: held.append(route))
        page.goto("/meldingen/nieuw", wait_until="commit")
        picker = page.get_by_role("group", name="Leerling")
        picker.get_by_label("Zoek op voornaam of klas").fill("lin")
        assert held and page.evaluate("typeof window.htmx") == "undefined"
        held[0].continue_()
        expect(picker.get_by_role("radio", name=re.compile(r"^Lina\b"))).to_be_visible()
    finally:
        context.close()


class _HeldSearches:
    """The pupil picker's searches held back (a slow network) until ``let_go``; from then
    on they pass."""

    def __init__(self, page) -> None:
        self.page, self.held, self.holding = page, [], True
        page.route("**/leerlingen/kiezen?*", self._route)

    def _route(self, route) -> None:
        if self.holding:
            self.held.append(route)
        else:
            route.continue_()

    def first(self):
        """The first search held, once the page has sent it."""
        for _ in range(100):
            if self.held:
                return self.held[0]
            self.page.wait_for_timeout(100)
        raise AssertionError("no search was sent")

    def let_go(self) -> None:
        self.holding = False


def _asked(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _melding_picker(page):
    """The melding's pupil field, with the matches for "li" shown: (picker, search)."""
    log_in(page)
    page.goto("/meldingen/nieuw")
    picker = page.get_by_role("group", name="Leerling")
    search = picker.get_by_label("Zoek op voornaam of klas")
    search.fill("li")
    expect(picker.get_by_role("radio", name=re.compile(r"^Lina\b"))).to_be_visible()
    return picker, search


def test_a_pupil_ticked_while_matches_are_on_their_way_stays_ticked(
        browser, server, live_app):
    """The teacher types on, then ticks a pupil from the matches shown before the new ones
    came (a slow network, or Enter pressed). The matches asked without the tick would
    untick it: they are not shown, the search is asked again with the pupil ticked."""
    context, page = open_page(browser, server.base, TABLET)
    try:
        picker, search = _melding_picker(page)
        lina = picker.get_by_role("radio", name=re.compile(r"^Lina\b"))
        searches = _HeldSearches(page)
        search.fill("lin")
        asked = searches.first()
        assert len(searches.held) == 1 and "pupil_id" not in _asked(asked.request.url)
        lina.check()
        searches.let_go()
        with page.expect_response(lambda r: "/leerlingen/kiezen?" in r.url
                                  and "pupil_id" in _asked(r.url)):
            asked.continue_()
        expect(lina).to_be_checked()
        expect(search).to_have_value("lin")
    finally:
        context.close()


def test_matches_never_come_in_out_of_order(browser, server, live_app):
    """The search button's matches, slow to come, never replace those of the name typed
    after it: the newer search stops the older one."""
    context, page = open_page(browser, server.base, TABLET)
    try:
        picker, search = _melding_picker(page)
        searches = _HeldSearches(page)
        picker.get_by_role("button", name="Zoeken").click()
        older = searches.first()
        searches.let_go()
        search.fill("noor")
        expect(picker.get_by_role("radio", name=re.compile(r"^Noor\b"))).to_be_visible()
        assert [_asked(route.request.url)["zoek_pupil_id"] for route in searches.held] == [
            ["li"]]
        assert older.request.failure  # stopped: its matches can never come in
    finally:
        context.close()
