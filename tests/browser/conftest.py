"""The browser tests' fixtures: the real app on a fresh database of its own (CSRF on, the
schema built by the migrations, the world of tests/factories.py), served on a free port,
and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright import sync_api

from steungroep.core.extensions import db

from .. import factories
from ..conftest import BACKENDS, make_app
from ..live import Restartable, serving
from .helpers import CHROMIUM, CHROMIUM_ARGS, HTMX, OUTPUT, browser_database


@pytest.fixture(scope="module", params=BACKENDS)
def live_app(request, tmp_path_factory):
    """The real app on a fresh database, schema by the migrations, CSRF switched on."""
    assert HTMX.is_file(), f"{HTMX} is missing: run `make deps` to build static/vendor/"
    database = browser_database(request.param, tmp_path_factory)
    instance = tmp_path_factory.mktemp("browser-instance")
    app = make_app(database, str(instance), WTF_CSRF_ENABLED=True)
    with app.app_context():
        upgrade()
        factories.make_world()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app) -> Iterator[str]:
    """Serve the app on a free port in a daemon thread; yields the base URL."""
    with serving(live_app) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="module")
def server(live_app) -> Iterator[Restartable]:
    running = Restartable(live_app)
    yield running
    if running._serving is not None:
        running.stop()
