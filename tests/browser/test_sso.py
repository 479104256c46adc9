"""Logging in with the school's account in a real browser, end to end: the app's login page,
the school's OpenID provider (oidc-provider, run locally), back in the app; the idle lock
unlocked the same way; the admin's settings page. Screenshots in test-output/."""

from __future__ import annotations

import re

import pytest

from steungroep.core.extensions import db
from steungroep.core.sealed import seal
from steungroep.models import School, SchoolSignIn
from steungroep.web.writes import UnitOfWork

from .. import accessibility
from ..oidc import SECRET, Provider, client
from .helpers import (
    PHONE,
    TABLET,
    at_provider,
    expect,
    expect_flash,
    log_in,
    open_page,
)


@pytest.fixture(scope="module")
def school_provider(live_app, live_server):
    """The provider, with steungroep registered to return to the live server; School A
    signs in through it."""
    running = Provider([client("steungroep", live_server)])
    with live_app.app_context():
        school = db.session.scalar(db.select(School).where(School.name == "School A"))
        with UnitOfWork():
            db.session.add(SchoolSignIn(school_id=school.id, issuer=running.issuer,
                                        client_id="steungroep", client_secret=seal(SECRET)))
    yield running
    running.stop()


def ours(page, live_server) -> list[str]:
    """Problems on the app's own pages (the test provider has no favicon)."""
    return [p for p in page.problems if live_server in p]


@pytest.mark.browser
def test_a_teacher_logs_in_and_unlocks_with_the_school_account(
        browser, live_server, school_provider, screenshots):
    context, page = open_page(browser, live_server, TABLET)
    try:
        page.goto("/inloggen")
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "sso-login-tablet.png"), full_page=True)
        page.get_by_role("link", name="Inloggen via School A").click()
        at_provider(page, "anne@a.example")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn open meldingen")

        page.goto("/vergrendeld")  # the tablet was left alone
        expect(page.get_by_role("heading", name="Scherm vergrendeld")).to_be_visible()
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "sso-lock-tablet.png"), full_page=True)
        page.get_by_role("link", name="Ontgrendelen met je schoolaccount").click()
        at_provider(page, "anne@a.example")  # asked again (prompt=login), not waved through
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn open meldingen")

        page.get_by_role("button", name="Uitloggen").click()
        # this tablet remembers the school: one big button first
        expect(page.get_by_role("link", name="Inloggen via School A")).to_be_visible()
        page.get_by_role("link", name="Inloggen via School A").click()
        at_provider(page, "nobody@a.example")
        expect(page).to_have_url(re.compile(r"/inloggen$"))
        expect_flash(page, "Er is bij School A geen account voor nobody@a.example")
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "sso-refused-tablet.png"), full_page=True)
        assert ours(page, live_server) == []
    finally:
        context.close()


@pytest.mark.browser
def test_the_login_page_on_a_phone_and_the_admins_settings(
        browser, live_server, school_provider, screenshots):
    context, page = open_page(browser, live_server, PHONE)
    try:
        page.goto("/inloggen")
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "sso-login-phone.png"), full_page=True)
        log_in(page, "beheer@a.example")  # an admin keeps the password
        page.goto("/beheer/schoolaccount")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Inloggen met het schoolaccount")
        expect(page.locator("[data-redirect-uri]")).to_have_text(
            live_server + "/inloggen/school/terug")
        page.get_by_label("Verplicht: collega’s van deze school").check()
        page.get_by_role("button", name="Controleren en opslaan").click()
        expect_flash(page, "Opgeslagen.")
        accessibility.assert_accessible(page)
        page.screenshot(path=str(screenshots / "sso-settings-phone.png"), full_page=True)
        page.get_by_label("Uitgever (issuer)").fill("http://login.example.org")
        page.get_by_role("button", name="Controleren en opslaan").click()
        expect(page.locator(".field-error")).to_have_text("De uitgever moet een https-adres "
                                                          "hebben.")
        refused = f"{live_server}/beheer/schoolaccount?school="
        assert [p for p in ours(page, live_server) if refused not in p] == []
    finally:
        context.close()
