"""A database that can be read but not written (a read-only SQLite file here; a full disk
or a read-only PostgreSQL replica answer the same way): pages that only read work; logging
in, a case page (it writes the audit trail) and a form answer the same calm 503, with what
was typed kept; never a 500."""

from __future__ import annotations

import os
import re
import subprocess

from sqlalchemy import text

from steungroep import create_app
from steungroep.core.extensions import db

from ..services import SCRIPT


def _app(url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "r" * 40,
                       "WTF_CSRF_ENABLED": False, "TESTING": True})


def test_a_read_only_database_answers_503_never_500(tmp_path):
    path = tmp_path / "ro.sqlite"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PROMETHEUS"))}
    env.update(DATABASE_URL=f"sqlite:///{path}", SECRET_KEY="r" * 40)
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([str(SCRIPT), *command], env=env, check=True, capture_output=True,
                       timeout=120)
    writable = _app(f"sqlite:///{path}")
    teacher = writable.test_client()
    assert teacher.post("/inloggen", data={"email": "anne@vlinder.example",
                                           "password": "demo-leerkracht"}).status_code == 302
    with writable.app_context():
        case_id, card = db.session.execute(text(
            "SELECT c.id, m.card_token FROM cases c JOIN support_groups g ON g.case_id = c.id "
            "JOIN group_members m ON m.group_id = g.id LIMIT 1")).one()
        pupil = db.session.scalar(text("SELECT id FROM pupils WHERE first_name = 'Bas'"))
        db.engine.dispose()

    read_only = _app(f"sqlite:///file:{path}?mode=ro&uri=true")
    browser = read_only.test_client()
    cookie = teacher.get_cookie("session")
    browser.set_cookie("session", cookie.value)
    assert browser.get("/").status_code == 200  # reading works
    assert read_only.test_client().get(f"/k/{card}").status_code == 200  # and the cards

    page = browser.get(f"/zaken/{case_id}")  # writes a line in the audit trail
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Even geduld" in page.get_data(as_text=True)

    typed = "Wordt al drie weken buitengesloten bij het buitenspelen."
    posted = browser.post("/meldingen/nieuw", data={
        "pupil_id": str(pupil), "reported_on": "2026-12-01", "source": "leerling",
        "forms": ["verbaal"], "description": typed, "triage": "herhaald", "triage_note": ""})
    assert posted.status_code == 503  # the write path: the form again, as typed
    assert typed in posted.get_data(as_text=True)
    login = read_only.test_client().post("/inloggen", data={
        "email": "anne@vlinder.example", "password": "demo-leerkracht"})
    body = login.get_data(as_text=True)
    assert login.status_code == 503 and "anne@vlinder.example" in body
    assert "demo-leerkracht" not in body  # a password is never sent back
    assert re.search(r'name="email" value="anne@vlinder.example"', body)


def test_which_database_errors_mean_unavailable():
    """A 503 for "the database cannot serve now" (PostgreSQL's read-only transaction, full
    disk, no memory, too many connections, shutting down; any OperationalError); a 500 for
    a fault of the app."""
    from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError

    from steungroep.core.errors import unavailable

    class Failure(Exception):
        def __init__(self, sqlstate: str) -> None:
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    def error(kind, sqlstate: str = ""):
        return kind("SELECT 1", {}, Failure(sqlstate))

    for state in ("25006", "53100", "53200", "53300", "57P01"):
        assert unavailable(error(DBAPIError, state)), state
    assert unavailable(error(OperationalError))
    assert not unavailable(error(IntegrityError, "23505"))
    assert not unavailable(error(ProgrammingError, "42P01"))
    assert not unavailable(ValueError("x"))
