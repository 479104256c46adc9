"""Counting the SQL statements a request runs (list pages must run a fixed number)."""

from __future__ import annotations

from sqlalchemy import event

from steungroep.core.extensions import db


def counted(send):
    """(number of statements, what ``send()`` returned)."""
    seen = []

    def listener(*args):
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = send()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen), result


def statements(client, url: str, *, cold: bool = False):
    """(number of statements, response) for GET ``url``; the response must be a 200. The
    requests share the test's session: ``cold`` forgets what it holds first."""
    if cold:
        db.session.expire_all()
    count, response = counted(lambda: client.get(url))
    assert response.status_code == 200, url
    return count, response
