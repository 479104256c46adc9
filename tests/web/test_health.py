"""/livez and /readyz: what a probe or the IT person's monitoring reads. Ready means the
database answers at this code's schema and the limits' store answers; the scheduler's scan
and the oldest unsent e-mail are told beside it, without making the worker unready."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import text

from steungroep.core.extensions import db, limiter
from steungroep.core.timeutil import utcnow
from steungroep.models import OutboxMessage
from steungroep.web import health
from steungroep.web.writes import UnitOfWork

from .. import factories
from ..conftest import make_app


def test_livez_answers_without_asking_anything(client):
    response = client.get("/livez")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_on_a_database_at_the_head(client, world):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    checks = response.json["checks"]
    assert response.json["status"] == "ready"
    assert checks["database"]["schema"] == {"ok": True, "at": health.head_revision(),
                                            "head": health.head_revision()}
    assert health.head_revision() >= "0022"
    assert checks["limits"] == {"ok": True, "kind": "memory"}
    assert checks["scheduler"] == {"ok": False, "error": "no scheduler has started yet"}
    assert checks["outbox"] == {"ok": True, "pending": 0, "oldest_seconds": 0}
    assert "@" not in response.get_data(as_text=True)  # no address, no name


def test_readyz_reads_the_scheduler_and_the_outbox(app, client, world):
    factories.scheduler_scan_at(time.time() + 30)
    assert client.get("/readyz").json["checks"]["scheduler"] == {"ok": True,
                                                                 "scan_late_seconds": 0}
    factories.scheduler_scan_at(time.time() - 1000)  # no scan for a quarter of an hour
    response = client.get("/readyz")
    assert response.status_code == 200  # the web workers still serve
    scheduler = response.json["checks"]["scheduler"]
    assert scheduler["ok"] is False and 995 <= scheduler["scan_late_seconds"] <= 1100
    with UnitOfWork():
        db.session.add(OutboxMessage(dedupe_key="oud", to_address="anne@a.example",
                                     subject="s", body="b",
                                     created_at=utcnow() - timedelta(hours=2)))
    outbox = client.get("/readyz").json["checks"]["outbox"]
    assert outbox["ok"] is False and outbox["pending"] == 1
    assert 7100 <= outbox["oldest_seconds"] <= 7300


def test_readyz_is_503_when_the_schema_is_behind(app, client, world):
    with db.engine.begin() as connection:
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        connection.execute(text("UPDATE alembic_version SET version_num = '0021'"))
    try:
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json["status"] == "not ready"
        assert response.json["checks"]["database"]["schema"]["at"] == "0021"
    finally:
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})


def test_readyz_stays_ready_when_the_limits_store_does_not_answer(app, client, monkeypatch):
    """The workers count in their own memory meanwhile (core/limits.py): still serving."""
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1")

    def unreachable():
        raise ConnectionError("refused")

    monkeypatch.setattr(limiter.storage, "check", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json["status"] == "ready"
    assert response.json["checks"]["limits"] == {"ok": False, "kind": "redis",
                                                 "counting_in": "memory"}


def test_readyz_is_503_without_a_database(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/missing/dir/x.sqlite", str(tmp_path))
    with app.app_context():
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["database"]["ok"] is False
        assert app.test_client().get("/livez").status_code == 200
        db.engine.dispose()


def test_the_coordinator_and_admin_are_told_when_the_scheduler_stopped(client, world, login):
    banner = "Herinneringen gaan nu niet uit."
    factories.scheduler_scan_at(time.time() + 30)
    for user in (world.coordinator, world.admin, world.teacher):
        login(user)
        assert banner not in client.get("/").get_data(as_text=True)
    factories.scheduler_scan_at(time.time() - 1000)  # no scan for a quarter of an hour
    for user, told in ((world.coordinator, True), (world.admin, True), (world.teacher, False)):
        login(user)
        page = client.get("/").get_data(as_text=True)
        assert (banner in page) is told, user.role
        if told:
            assert "Vraag de ICT-beheerder om de planner te starten" in page
