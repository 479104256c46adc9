"""A school board starts from an empty database, in a real browser: `flask setup` makes the
board's first admin, who creates two schools and names their admin in the app; that admin
chooses a password with the link and invites a teacher and a coordinator of both schools;
they choose their passwords and log in. Then the same for a school whose staff sign in with
the school's account (the local OpenID provider). Screenshots in test-output/."""

from __future__ import annotations

import re

import pytest
from flask_migrate import upgrade

from steungroep.core.extensions import db

from .. import accessibility
from ..conftest import BACKENDS, make_app
from ..live import serving
from ..oidc import SECRET, Provider, client
from .helpers import (
    PHONE,
    TABLET,
    at_provider,
    browser_database,
    expect,
    expect_flash,
    open_page,
)

BOARD_PASSWORD = "stichting-klimop-eerste-beheer"
CHOSEN = "blauwe-fiets-onder-de-lindeboom"


@pytest.fixture(scope="module", params=BACKENDS)
def empty_app(request, tmp_path_factory):
    """The real app on an empty database (schema by the migrations, CSRF on)."""
    database = browser_database(request.param, tmp_path_factory)
    app = make_app(database, str(tmp_path_factory.mktemp("board-instance")),
                   WTF_CSRF_ENABLED=True)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def board_server(empty_app):
    with serving(empty_app) as base:
        yield base


def _setup(app) -> None:
    """`flask setup` on the empty database, answered as an IT person would."""
    answers = ["Stichting Klimop", "Bea Bestuur", "bea@klimop.example", BOARD_PASSWORD,
               BOARD_PASSWORD, ""]
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["setup"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert BOARD_PASSWORD not in result.output


def _log_in(page, email: str, password: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def _handed_link(page) -> str:
    field = page.locator("[data-handed-link]")
    expect(field).to_be_visible()
    link = field.input_value()
    assert re.search(r"/welkom/[\w-]{30,}$", link), link
    return link


def _new_school(page, name: str, region: str, admin: tuple[str, str] | None) -> str | None:
    form = page.locator("form[data-school-create]")
    form.get_by_label("Naam van de school").fill(name)
    form.get_by_label("Vakantieregio").select_option(region)
    if admin:
        form.get_by_label("Naam", exact=True).fill(admin[0])
        form.get_by_label("E-mailadres").fill(admin[1])
    form.get_by_role("button", name="School aanmaken").click()
    expect_flash(page, f"{name} is aangemaakt.")
    return _handed_link(page) if admin else None


def _choose_password(browser, base, link, screenshots=None, shot=None) -> tuple:
    context, page = open_page(browser, base, PHONE)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    accessibility.assert_accessible(page)
    if shot:
        page.screenshot(path=str(screenshots / shot), full_page=True)
    page.get_by_label("Nieuw wachtwoord").fill(CHOSEN)
    page.get_by_label("Nog een keer").fill(CHOSEN)
    page.get_by_role("button", name="Opslaan en inloggen").click()
    expect_flash(page, "Je wachtwoord is opgeslagen.")
    return context, page


def _invite(page, name: str, email: str, role: str, schools: list[str]) -> str:
    form = page.locator("form[data-person-add]")
    if not form.is_visible():
        page.get_by_text("Iemand toevoegen").click()
    form.get_by_label("Naam", exact=True).fill(name)
    form.get_by_label("E-mailadres").fill(email)
    form.get_by_label(role).check()
    for school in schools:
        form.get_by_label(school).check()
    form.get_by_role("button", name="Toevoegen").click()
    expect_flash(page, f"{name} is toegevoegd.")
    return page.locator("[data-handed]").inner_text()


@pytest.mark.browser
def test_a_board_sets_up_two_schools_and_their_people(
        browser, empty_app, board_server, screenshots):
    _setup(empty_app)
    context, page = open_page(browser, board_server, TABLET)
    try:
        _log_in(page, "bea@klimop.example", BOARD_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Beheer")
        page.get_by_role("link", name="Maak de eerste school aan.").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Scholen van Stichting Klimop")
        accessibility.assert_accessible(page)
        ria_link = _new_school(page, "OBS De Regenboog", "noord",
                               ("Ria Regenboog", "ria@klimop.example"))
        page.screenshot(path=str(screenshots / "board-link-tablet.png"), full_page=True)
        _new_school(page, "CBS Het Kompas", "midden", None)
        page.get_by_role("link", name="CBS Het Kompas").first.click()
        page.get_by_label("E-mailadres").fill("ria@klimop.example")
        page.get_by_label("Naam", exact=True).first.fill("Ria Regenboog")
        page.get_by_role("button", name="Beheerder toevoegen").click()
        expect_flash(page, "De beheerder van CBS Het Kompas is toegevoegd.")
        page.goto("/beheer/scholen")
        expect(page.get_by_text("Beheer: Ria Regenboog")).to_have_count(2)
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "board-schools-tablet.png"), full_page=True)
    finally:
        context.close()

    ria_context, ria = _choose_password(browser, board_server, ria_link, screenshots,
                                        "board-welcome-phone.png")
    try:
        expect(ria.get_by_role("heading", name="Beheer van je scholen")).to_be_visible()
        ria.get_by_role("link", name="Personen", exact=True).first.click()
        tom = _invite(ria, "Tom Tuin", "tom@klimop.example", "Leerkracht / mentor",
                      ["OBS De Regenboog"])
        assert "maar één keer" in tom
        tom_link = _handed_link(ria)
        ria.set_viewport_size(PHONE)
        accessibility.assert_accessible(ria)
        ria.screenshot(path=str(screenshots / "board-people-phone.png"), full_page=True)
        _invite(ria, "Cor Coördinator", "cor@klimop.example", "Coördinator",
                ["OBS De Regenboog", "CBS Het Kompas"])
        cor_link = _handed_link(ria)
        expect(ria.locator(".person-row", has_text="Tom Tuin")).to_contain_text("uitgenodigd")
    finally:
        ria_context.close()

    tom_context, tom_page = _choose_password(browser, board_server, tom_link)
    try:
        expect(tom_page.get_by_role("heading", level=1)).to_have_text("Mijn open meldingen")
        tom_page.get_by_role("button", name="Uitloggen").click()
        _log_in(tom_page, "tom@klimop.example", CHOSEN)
        expect(tom_page.get_by_role("heading", level=1)).to_have_text("Mijn open meldingen")
        tom_page.goto(tom_link)  # the link was used
        expect(tom_page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet")
    finally:
        tom_context.close()

    cor_context, cor_page = _choose_password(browser, board_server, cor_link)
    try:
        cor_page.get_by_role("link", name="Overzicht", exact=True).click()
        school_filter = cor_page.locator("select[name=school]")
        expect(school_filter.locator("option")).to_have_text(
            ["Alle scholen", "CBS Het Kompas", "OBS De Regenboog"])
    finally:
        cor_context.close()


@pytest.fixture(scope="module")
def zonnebloem_provider(board_server):
    running = Provider([client("steungroep", board_server)], users=[
        {"sub": "zara", "email": "zara@zonnebloem.example", "name": "Zara Zon"},
        {"sub": "tim", "email": "tim@zonnebloem.example", "name": "Tim Tuinder"},
        {"sub": "vera", "email": "vera@elders.example", "name": "Vera Vreemd"},
    ])
    yield running
    running.stop()


@pytest.mark.browser
def test_a_school_that_signs_in_with_its_own_accounts(
        browser, empty_app, board_server, zonnebloem_provider, screenshots):
    if not _has_board(empty_app):
        _setup(empty_app)
    context, page = open_page(browser, board_server, TABLET)
    try:
        _log_in(page, "bea@klimop.example", BOARD_PASSWORD)
        page.goto("/beheer/scholen")
        zara_link = _new_school(page, "OBS De Zonnebloem", "zuid",
                                ("Zara Zon", "zara@zonnebloem.example"))
    finally:
        context.close()

    zara_context, zara = _choose_password(browser, board_server, zara_link)
    try:
        zara.goto("/beheer/schoolaccount")
        zara.get_by_label("Uitgever (issuer)").fill(zonnebloem_provider.issuer)
        zara.get_by_label("Client-id").fill("steungroep")
        zara.get_by_label("Client secret").fill(SECRET)
        zara.get_by_label("Verplicht: collega’s van deze school").check()
        zara.get_by_label("Wie met een bevestigd adres van de school inlogt").check()
        zara.get_by_label("E-maildomein(en) van de school").fill("zonnebloem.example")
        zara.get_by_role("button", name="Controleren en opslaan").click()
        expect_flash(zara, "Opgeslagen.")
        accessibility.assert_accessible(zara)
        zara.screenshot(path=str(screenshots / "board-sso-settings-tablet.png"),
                        full_page=True)
        zara.goto("/beheer/personen")
        handed = _invite(zara, "Cas Coördinator", "cas@zonnebloem.example", "Coördinator", [])
        assert "een wachtwoord is niet nodig" in handed
    finally:
        zara_context.close()

    tim_context, tim = open_page(browser, board_server, PHONE)
    try:
        tim.goto("/inloggen")
        tim.get_by_role("link", name="Inloggen via OBS De Zonnebloem").click()
        at_provider(tim, "tim@zonnebloem.example")  # no account yet: made as a teacher
        expect(tim.get_by_role("heading", level=1)).to_have_text("Mijn open meldingen")
        accessibility.assert_accessible(tim)
        tim.screenshot(path=str(screenshots / "board-sso-first-login-phone.png"),
                       full_page=True)
        tim.get_by_role("button", name="Uitloggen").click()
        tim.get_by_role("link", name="Inloggen via OBS De Zonnebloem").click()
        at_provider(tim, "vera@elders.example")  # not the school's domain
        expect_flash(tim, "Er is bij OBS De Zonnebloem geen account voor vera@elders.example")
    finally:
        tim_context.close()


def _has_board(app) -> bool:
    from steungroep.models import Board

    with app.app_context():
        return db.session.scalar(db.select(Board.id).limit(1)) is not None
