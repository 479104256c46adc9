"""Fixtures: an app per database backend (SQLite always, PostgreSQL when TEST_DATABASE_URL
is set), the schema built by the real migrations, and every table emptied after each test."""

from __future__ import annotations

import os

import pytest
from flask import g
from flask_migrate import upgrade
from jinja2 import StrictUndefined
from sqlalchemy import create_engine, make_url, text

from steungroep import create_app
from steungroep.core.extensions import db, limiter
from steungroep.planning.scheduler import SCHEDULER_TABLE
from steungroep.web import memo

from . import factories

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1" … under pytest -n


def postgres_database(name: str) -> str:
    """A fresh PostgreSQL database ``name`` beside TEST_DATABASE_URL's, one per test worker
    (pytest-xdist runs workers side by side), as a URL."""
    url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{name}_{WORKER}" if WORKER else name
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        # Workers create their databases one at a time: CREATE DATABASE copies template1,
        # and two copies at once can refuse ("being accessed by other users").
        conn.execute(text("SELECT pg_advisory_lock(5354)"))
        try:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(5354)"))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _database_url(backend: str, tmp_path_factory) -> str:
    if backend == "sqlite":
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    if WORKER:
        return postgres_database(make_url(os.environ["TEST_DATABASE_URL"]).database)
    return os.environ["TEST_DATABASE_URL"]


def make_app(url: str, instance_path: str, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "SSO_ALLOW_LOOPBACK": True,  # the test OpenID provider runs on 127.0.0.1
        **extra,
    }
    app = create_app(config)
    app.instance_path = instance_path
    app.jinja_env.undefined = StrictUndefined
    # Tests keep an app context open, and Flask reuses it for the test client's requests, so
    # `g` would carry the logged-in user (and the audited case) from one request, or one
    # client, to the next. Each request starts clean, as it does in production.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_globals)
    return app


def _fresh_request_globals() -> None:
    for name in ("_login_user", "audit_case", "pupil_language", "_flask_babel"):
        g.pop(name, None)


@pytest.fixture(scope="session", params=BACKENDS)
def _app(request, tmp_path_factory):
    url = _database_url(request.param, tmp_path_factory)
    app = make_app(url, str(tmp_path_factory.mktemp("instance")))
    with app.app_context():
        if request.param == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    app.config["BACKEND"] = request.param
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_app):
    """The app, with an app context open, and all rows removed after the test."""
    with _app.app_context():
        yield _app
        db.session.rollback()
        db.session.remove()
        assert_status_in_step()
        limiter.reset()
        memo.clear_all()  # what the overview and the statistics remembered
        with db.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {SCHEDULER_TABLE}"))
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


def assert_status_in_step() -> None:
    """After every test: each case's stored status (step, date, round, last activity) is what
    its rows say now. Whatever a test did through views, jobs or the use cases, the overview
    would have shown the truth."""
    from sqlalchemy import select

    from steungroep.cases import status
    from steungroep.models import Case

    rows = db.session.execute(select(Case.id, Case.step, Case.step_due_on, Case.cycle_number,
                                     Case.last_activity_at)).all()
    if rows:
        facts = db.session.execute(status._facts([r.id for r in rows])).all()
        expected = {f[0]: status.status(f) for f in facts}
        for row in rows:
            want = expected[row.id]
            stored = (row.step, row.step_due_on, row.cycle_number)
            assert stored == (want["step"], want["step_due_on"], want["cycle_number"]), (
                f"case {row.id}: stored {stored}, rows say {want}")
            assert row.last_activity_at is not None
    db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """Two schools with classes, pupils and staff (see factories.make_world)."""
    return factories.make_world()


@pytest.fixture
def login(client):
    """Log a staff member in on the test client."""

    def _login(user, password=factories.PASSWORD):
        client.post("/uitloggen")  # the login page ignores a second login in one session
        response = client.post("/inloggen", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login


@pytest.fixture
def inbox():
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and an ephemeral port."""
    from .smtp import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_to(app, monkeypatch):
    """Point the app's e-mail settings at an SMTP server: mail_to(port)."""

    def _configure(port: int) -> None:
        for key, value in {
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
            "MAIL_USE_SSL": False, "MAIL_USERNAME": "",
            "MAIL_SENDER": "Steungroep <steungroep@school.example>",
            "MAIL_TIMEOUT": 5, "PUBLIC_URL": "https://steungroep.school.example",
        }.items():
            monkeypatch.setitem(app.config, key, value)

    return _configure


@pytest.fixture(scope="session")
def provider():
    """A real OpenID provider (oidc-provider) on a loopback port, with clients whose return
    address is the test client's (see tests/oidc.py)."""
    from .oidc import Provider, client

    running = Provider([client("steungroep", "http://localhost"),
                        client("andere-app", "http://localhost")])
    yield running
    running.stop()
