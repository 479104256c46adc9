"""What the browser tests share: Chromium and its pages, the steps a teacher takes, and cases
built ready for a step (Playwright + Debian Chromium, sync API). The fixtures that serve the
app and start the browser are in conftest.py beside this file."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from babel.dates import format_date
from playwright import sync_api
from sqlalchemy import select

from steungroep.core.extensions import db
from steungroep.models import Pupil, School, User

from .. import accessibility, factories
from ..conftest import postgres_database

expect = sync_api.expect

ROOT = Path(__file__).resolve().parents[2]
HTMX = ROOT / "steungroep" / "static" / "vendor" / "htmx.min.js"
OUTPUT = ROOT / "test-output"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

TEACHER = "anne@a.example"
SECRET = "GEHEIM-thuissituatie-van-Bas"
STAFF_NOTE = "NOTITIE-alleen-voor-personeel"
LETTER = "Ik wil graag dat iedereen in de pauze weer met mij speelt."
# The group of round 1: name -> role label on the buttons of the group page.
GROUP = {
    "Noor": "Aanvoerder",
    "Sven": "Meeloper",
    "Yara": "Meeloper",
    "Thijs": "Omstander",
    "Lina": "Helper / vriend",
    "Ruben": "Helper / vriend",
    "Isa": "Omstander",
}
ROLE_WORDS = re.compile(r"\b(aanvoerder|meeloper|omstander|helper)s?\b", re.IGNORECASE)
# Collects what the browser refuses under the Content-Security-Policy, before any page
# script runs (an init script is not itself subject to the policy).
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


# ---- the live server and the browser ----------------------------------------------------


def browser_database(backend: str, tmp_path_factory) -> str:
    """A fresh database of its own: a SQLite file, or a PostgreSQL database created beside
    TEST_DATABASE_URL's (so the client tests' schema is never touched)."""
    if backend == "sqlite":
        return "sqlite:///" + str(tmp_path_factory.mktemp("browser-db") / "browser.sqlite")
    return postgres_database("steungroep_browser")


def open_page(browser, base_url: str, viewport: dict):
    """A fresh context (no cookies) and page; collects console errors, CSP reports and
    failed responses in page.problems."""
    context = browser.new_context(viewport=viewport, base_url=base_url, locale="nl-NL")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def on_console(msg):
        if msg.type == "error" or "Content Security Policy" in msg.text:
            problems.append(f"console {msg.type} on {page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error on {page.url}: {error}"))

    def on_response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status} {response.request.method} {response.url}")

    page.on("response", on_response)
    page.problems = problems
    return context, page


# ---- steps a teacher takes -------------------------------------------------------------------


def log_in(page, email: str = TEACHER) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # "Mijn open meldingen" for a teacher, "Wat nu aandacht vraagt" for a coordinator,
    # "Beheer" for an admin
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("Mijn open meldingen|Wat nu aandacht vraagt|Beheer"))


def case_id_from(page) -> int:
    match = re.search(r"/zaken/(\d+)/", page.url)
    assert match, page.url
    return int(match.group(1))


def choose_pupil(scope, legend: str, typed: str, name: str) -> None:
    """Search a pupil field (``_pupil_picker.html``) and tick the pupil: the matches come in
    as you type, without a page load."""
    picker = scope.get_by_role("group", name=legend)
    picker.get_by_label("Zoek op voornaam of klas").fill(typed)
    picker.get_by_role("radio", name=re.compile(rf"^{re.escape(name)}\b")).check()
    accessibility.assert_accessible(getattr(scope, "page", scope))  # with the matches shown


def create_melding(page, pupil: str) -> int:
    """Fill in a new melding with triage 'herhaald'; returns the case id."""
    page.get_by_role("link", name="Nieuwe melding", exact=True).click()
    choose_pupil(page, "Leerling", pupil[:3].lower(), pupil)
    page.get_by_label("Wie meldt het?").select_option(label="Ouder/verzorger")
    page.get_by_label("Isolatie (buitensluiten, negeren)").check()
    page.get_by_label("Verbaal (schelden, vernederen, dreigen)").check()
    page.get_by_label("Korte beschrijving").fill("Wordt al weken buitengesloten in de pauze.")
    page.get_by_label("Herhaald pesten: steungroepaanpak").check()
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page).to_have_url(re.compile(r"/zaken/\d+/gesprek$"))
    expect(page.get_by_role("heading", name=f"Gesprek met {pupil}")).to_be_visible()
    return case_id_from(page)


def record_talk(page) -> None:
    page.get_by_label("Ja, een steungroep mag").check()
    page.get_by_label("Brief of tekening voor de groep").fill(LETTER)
    page.get_by_label("Wat blijft vertrouwelijk?").fill(SECRET)
    page.get_by_label("Aantekeningen (alleen voor personeel)").fill(STAFF_NOTE)
    page.get_by_role("button", name="Gesprek vastleggen").click()
    expect(page).to_have_url(re.compile(r"/zaken/\d+/groep$"))


def add_member(page, name: str, role: str, count: int) -> None:
    """Click the role button next to a classmate; htmx swaps the group panel."""
    pick = page.locator("#group-panel li.pick").filter(
        has=page.locator(".pick-name", has_text=re.compile(rf"^{name}\b"))
    )
    pick.get_by_role("button", name=role, exact=True).click()
    expect(page.locator("#group-panel .count")).to_have_text(f"{count} van 6–8 leerlingen")
    member = page.locator("#group-panel li.member").filter(has_text=name)
    expect(member.locator(".role")).to_have_text(role)


def action_card(page, name: str):
    return page.locator("form.action-card").filter(has=page.get_by_text(name, exact=True))


def wait_until(page, expression: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Poll ``expression`` with page.evaluate. (page.wait_for_function evaluates its
    expression inside the page on every poll, which the page's CSP, without
    'unsafe-eval', refuses.)"""
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still not true after {timeout_ms} ms: {expression}")


def type_action(page, name: str, text: str) -> None:
    action_card(page, name).get_by_label(name, exact=True).fill(text)


def expect_saved(page, name: str) -> None:
    expect(action_card(page, name).locator(".action-status")).to_have_text("✓ Opgeslagen")


def assert_safe_for_pupils(page) -> None:
    """Meeting mode is used with pupils beside the tablet: no roles, nothing confidential."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    text = page.locator("body").inner_text()
    assert LETTER in text  # the letter is there to be read out: the details really opened
    found = ROLE_WORDS.findall(text)
    assert not found, f"role words on the meeting screen: {found}"
    assert SECRET not in text and STAFF_NOTE not in text
    assert SECRET not in page.content() and STAFF_NOTE not in page.content()
    assert not re.search(r"\bpest", text, re.IGNORECASE), "'pesten' on the meeting screen"


def finish_meeting(page) -> None:
    """Afronden: the group still sees the tablet, so a neutral thank-you screen follows;
    the teacher then opens the case page on purpose."""
    page.get_by_role("button", name="Afronden").click()
    expect(page).to_have_url(re.compile(r"/zaken/\d+/bijeenkomst/klaar$"))
    expect(page.get_by_role("heading", name="Dank jullie wel!")).to_be_visible()
    text = page.locator("body").inner_text()
    assert not ROLE_WORDS.findall(text) and SECRET not in text and STAFF_NOTE not in text
    assert not re.search(r"\bpest", text, re.IGNORECASE)
    page.get_by_role("link", name=re.compile("Naar de melding")).click()
    expect(page).to_have_url(re.compile(r"/zaken/\d+$"))


def expect_flash(page, text: str) -> None:
    """The flash of the page a form led to, and that page ready as a person meets it: a
    flash is in the HTML, so it shows before the deferred scripts run; typing in that gap
    reaches no script (the unsaved-changes guard missed a change that way on a busy machine)."""
    expect(page.locator(".flash", has_text=text)).to_be_visible()
    page.wait_for_load_state("load")


def go_to_next_step(page, label: str) -> None:
    """The big 'next step' button of the case page."""
    page.locator(".page-head").get_by_role("link", name=label).click()


def pupil_evaluation(page, face: str, improved: str) -> None:
    go_to_next_step(page, "Evaluatie met de leerling")
    page.locator("label.face").filter(has_text=re.compile(rf"^\s*{face}\s*$")).click()
    expect(page.get_by_role("radio", name=face, exact=True)).to_be_checked()
    page.get_by_label("Wat is er veranderd?").fill("Noor zei gedag, Lina speelde met mij.")
    page.get_by_label(improved, exact=True).check()
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    confirm_same_day(page)
    expect_flash(page, "De evaluatie met de leerling is vastgelegd")


def confirm_same_day(page) -> None:
    """The walk holds its evaluations on the meeting day: the app asks whether that is
    right, keeps what was filled in, and stores it once the box is ticked."""
    expect(page.locator("[data-refusal]").first).to_contain_text("dag van de bijeenkomst zelf")
    accessibility.assert_accessible(page)  # a refused form, its message at the field
    page.get_by_label("Ja, dit gesprek was echt op de dag van de bijeenkomst").check()
    # the question itself is a 422 (its response and the console's note of it), nothing else
    asked = [p for p in page.problems if "422" in p and "/evaluatie-" in p]
    assert asked and len(asked) == len(page.problems), page.problems
    page.problems.clear()
    page.get_by_role("button", name="Evaluatie vastleggen").click()


def group_evaluation(page) -> None:
    go_to_next_step(page, "Evaluatie met de groep")
    rows = page.locator("li.eval-row")
    expect(rows).to_have_count(len(GROUP))
    for row in rows.all():
        row.get_by_label("Gedaan", exact=True).check()
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    confirm_same_day(page)
    expect(page).to_have_url(re.compile(r"/zaken/\d+/besluit$"))


def decide(page, label_start: str) -> None:
    page.get_by_label(re.compile(rf"^\s*{label_start}")).check()
    page.get_by_role("button", name="Besluit vastleggen").click()


def dutch(day) -> str:
    """A date as the app's `datum` filter writes it."""
    return format_date(day, "EEEE d MMMM", locale="nl")


def assert_no_problems(page) -> None:
    assert page.problems == [], "\n".join(page.problems)


# ---- cases ready for a step ---------------------------------------------------------------


def _case_at(app, step: str, name: str) -> int:
    """A case of School A for ``name`` whose next step is ``step``, built by the factories
    (tests/factories.case_at) for the teacher of the walks."""
    with app.app_context():
        school = db.session.scalar(select(School).where(School.name == "School A"))
        pupils = sorted(
            db.session.scalars(select(Pupil).where(Pupil.school_id == school.id)),
            key=lambda p: p.id,
        )
        w = SimpleNamespace(
            teacher=db.session.scalar(select(User).where(User.email == TEACHER)),
            pupils=pupils,
            subject=next(p for p in pupils if p.first_name == name),
        )
        return factories.case_at(w, step, pupil=w.subject).id


def case_waiting_for_meeting(app) -> int:
    """A case for Amira whose next step is the group meeting."""
    return _case_at(app, "bijeenkomst", "Amira")


def case_waiting_for_talk(app, name: str) -> int:
    """A fresh melding for `name` whose next step is the talk with the pupil."""
    with app.app_context():
        pupil = db.session.scalar(select(Pupil).where(Pupil.first_name == name))
        teacher = db.session.scalar(select(User).where(User.email == TEACHER))
        w = SimpleNamespace(teacher=teacher, subject=pupil)
        return factories.new_case(w, pupil=pupil).id


def case_with_evaluations(app, name: str) -> int:
    """A case for ``name`` whose meeting was held today (evaluations planned)."""
    return _case_at(app, "evaluatie_leerling", name)


def open_meeting(browser, server, app, email: str = "anne@a.example"):
    case_id = case_waiting_for_meeting(app)
    context, page = open_page(browser, server.base, TABLET)
    log_in(page, email)
    page.goto(f"/zaken/{case_id}/bijeenkomst")
    return case_id, context, page


def at_provider(page, login: str) -> None:
    expect(page.get_by_role("heading", name="Test provider")).to_be_visible()
    page.get_by_label("E-mail").fill(login)
    page.get_by_role("button", name="Sign in").click()


def section(page, heading: str):
    """A card of the case page, by its heading."""
    return page.locator("section.card").filter(
        has=page.get_by_role("heading", name=heading, exact=True))


def record_informed(page, who: str) -> None:
    """Record on the case page that ``who`` (one of the school's functions) was informed
    today."""
    informed = section(page, "Geïnformeerd")
    informed.get_by_label("Wie").select_option(label=who)
    informed.get_by_label("Wanneer").fill(page.evaluate("new Date().toISOString().slice(0, 10)"))
    informed.get_by_role("button", name="Vastleggen").click()
    expect(section(page, "Geïnformeerd")).to_contain_text(f"{who} ·")


def close_plan(page, ending: str, reason: str) -> None:
    """The coordinator closes the stappenplan with how it ended."""
    close = page.locator("form.close-plan")
    close.get_by_label(ending).check()
    close.get_by_label("Toelichting").fill(reason)
    close.get_by_role("button", name="Afsluiten").click()
    expect_flash(page, "Het stappenplan is afgerond")
