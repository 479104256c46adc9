"""Every page the app has, opened by who may open it at tablet and phone size: no
Content-Security-Policy violation, no console error, nothing an accessibility check
refuses (Playwright + Debian Chromium)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright import sync_api
from sqlalchemy import select

from steungroep.admin import invitations
from steungroep.core import access
from steungroep.core.extensions import db
from steungroep.evaluations import use_cases as evaluations
from steungroep.models import (
    Case,
    CaseTalk,
    GroupMember,
    Letter,
    Pupil,
    School,
    SupportGroup,
    User,
)
from steungroep.web.writes import UnitOfWork

from .. import accessibility, factories
from .helpers import (
    CSP_LISTENER,
    PHONE,
    TABLET,
    TEACHER,
    assert_no_problems,
    log_in,
    open_page,
    wait_until,
)

expect = sync_api.expect

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
    "health.livez", "health.readyz",  # JSON for probes (tests/web/test_health.py)
    "metrics.metrics",  # Prometheus text (tests/web/test_metrics.py)
}
VISITOR = {  # who opens a page of each access rule
    "public": None, "token": None, "signed-in": TEACHER, "own": TEACHER, "case": TEACHER,
    "school-settings": "sanne@a.example", "school-records": "sanne@a.example",
    "school-coordinator": "sanne@a.example", "coordinator": "sanne@a.example",
    "admin": "beheer@a.example", "board": "bestuur@a.example",
    "letters": "sanne@a.example",  # nobody was chosen at School A: its coordinator reads
}


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
        closed = db.session.get(Case, cases["gesloten"])
        parents = CaseTalk(case=closed, kind="brief", party="ouders", pupil=closed.pupil,
                           held_on=closed.reported_on, summary="Beste ouders,\n\nGroet",
                           user=teacher)
        db.session.add(parents)
        db.session.commit()
        app.cases_in_every_state = {**cases, "member": member.id,
                                    "member_token": member.card_token, "talk": parents.id}
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


def _letter(school_id: int) -> tuple[int, str]:
    """A letter in School A's letterbox (once), and the letterbox's address."""
    school = db.session.get(School, school_id)
    letter = db.session.scalar(select(Letter).where(Letter.school_id == school_id))
    if letter is None:
        letter = Letter(school_id=school_id, code_hash="e" * 64, writer="zelf",
                        what="Ze doen niet aardig in de pauze.", wants_talk="ja")
        db.session.add(letter)
        db.session.commit()
    return letter.id, school.letterbox_token


def _page_urls(app) -> dict[str | None, list[tuple[str, str]]]:
    """{visitor e-mail (None: nobody signed in): [(endpoint, url)]} for every page."""
    cases = _cases_in_every_state(app)
    with app.app_context():
        pupil_id = db.session.scalar(select(Pupil.id).where(Pupil.first_name == "Lina"))
        school_id, user_id, invite = _board_admin_and_link()
        letter_id, letterbox = _letter(school_id)
    visits: dict[str | None, list[tuple[str, str]]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        values = {
            "case_id": cases[PAGE_STEPS.get(rule.endpoint, "gesloten")],
            "member_id": cases["member"],
            "pupil_id": pupil_id,
            "token": invite if rule.endpoint == "invite.welcome" else letterbox
            if rule.endpoint.startswith("letterbox_public.") else cases["member_token"],
            "school_id": school_id,
            "user_id": user_id,
            "letter_id": letter_id,
            "talk_id": cases["talk"],
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
    sideways: list[str] = []  # pages wider than the screen: a phone would scroll sideways
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
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > viewport["width"]:
                    sideways.append(f"{url}: {width}px")
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
    assert sideways == [], "\n".join(sideways)

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
