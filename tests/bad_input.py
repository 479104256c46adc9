"""Sending bad input and checking that nothing changed: shared by the tables of bad input
(tests/core/test_bad_input_table.py, tests/admin/test_bad_input.py)."""

from __future__ import annotations

from sqlalchemy import select

from steungroep.core.extensions import db

HUGE = "99999999999999999999"
LONG = "x" * 2001  # one more than the longest text the app keeps

# Tables whose rows a read may add to (the audit trail records reads; a login adds a session).
NOT_COMPARED = {"audit_log", "login_sessions", "apscheduler_jobs"}


def database_picture() -> dict[str, list[tuple]]:
    """Every row of every table, as a comparable picture of the database."""
    db.session.rollback()
    picture = {}
    for table in db.metadata.sorted_tables:
        if table.name in NOT_COMPARED:
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        picture[table.name] = [tuple(row) for row in rows]
    db.session.rollback()
    return picture


def answered_without_change(client, method, path, form, status, text) -> None:
    """Send one bad input: the expected status and text, never a traceback, a Dutch page for
    an error, and the database row for row as it was."""
    before = database_picture()
    response = client.get(path) if method == "GET" else client.post(path, data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == status, body[:600]
    assert text in body
    if response.status_code >= 400 and response.mimetype == "text/html":
        assert "Traceback" not in body and "<html lang=\"nl\">" in body
    assert database_picture() == before
