"""Health checks for a load balancer, a container platform or the IT person's monitoring:
`/livez` (the process answers; nothing else is asked) and `/readyz` (the database answers
and its schema is at this code's head; beside it, for information, whether Redis answers
when the limits live there, the scheduler's scan and the oldest unsent e-mail). JSON, no
personal data.

Ready means "send traffic here": a Redis that is away (the workers count in their own memory
meanwhile), a stopped scheduler or a slow mail server does not make the web workers unready,
so those are reported with ``ok`` but do not change the status."""

from __future__ import annotations

import time
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from steungroep.core import limits
from steungroep.core.extensions import db
from steungroep.core.timeutil import aware, utcnow
from steungroep.models import MAIL_PENDING, OutboxMessage
from steungroep.web import writes

bp = Blueprint("health", __name__)


def init_app(app: Flask) -> None:
    """/livez and /readyz."""
    app.register_blueprint(bp)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
SCAN_JOB = "scan"  # planning/scheduler.py: runs every SCHEDULER_SCAN_SECONDS
LATE_SCANS = 3  # the scan is this many intervals late: no scheduler is running


@lru_cache(maxsize=1)
def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head() or ""


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/livez")
def livez():
    """The process answers."""
    return _no_store(jsonify(status="ok"))


def _database() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    except SQLAlchemyError:
        writes.end_transaction()
        return {"ok": False, "error": "database unreachable or not set up"}
    head = head_revision()
    return {"ok": True, "schema": {"ok": revision == head, "at": revision, "head": head}}


def _limits_store() -> dict:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    if uri.startswith("memory"):
        return {"ok": True, "kind": "memory"}
    if limits.store_answers():
        return {"ok": True, "kind": uri.split(":", 1)[0]}
    # the workers count in their own memory meanwhile (core/limits.py): still serving
    return {"ok": False, "kind": uri.split(":", 1)[0], "counting_in": "memory"}


def scheduler_lateness() -> tuple[float, int] | None:
    """How many seconds the scheduler's scan is late, and how late it may be; None when no
    scheduler has ever started on this database."""
    try:
        due = db.session.scalar(text("SELECT next_run_time FROM apscheduler_jobs WHERE id = :id"),
                                {"id": SCAN_JOB})
    except SQLAlchemyError:
        writes.end_transaction()
        return None
    if due is None:
        return None
    allowed = LATE_SCANS * int(current_app.config.get("SCHEDULER_SCAN_SECONDS", 60))
    return max(0.0, time.time() - float(due)), allowed


def scheduler_stopped_since():
    """When the scheduler stopped scanning (a datetime), for the coordinator's and admin's
    home; None while it runs, or where none ever ran (a fresh install, the tests)."""
    lateness = scheduler_lateness()
    if lateness is None or lateness[0] <= lateness[1]:
        return None
    return utcnow() - timedelta(seconds=lateness[0])


def _scheduler() -> dict:
    lateness = scheduler_lateness()
    if lateness is None:
        return {"ok": False, "error": "no scheduler has started yet"}
    late, allowed = lateness
    return {"ok": late <= allowed, "scan_late_seconds": round(late)}


def _outbox() -> dict:
    try:
        count, oldest = db.session.execute(
            select(func.count(), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status == MAIL_PENDING)).one()
    except SQLAlchemyError:
        writes.end_transaction()
        return {"ok": False}
    age = (utcnow() - aware(oldest)).total_seconds() if oldest else 0
    return {"ok": age < 3600, "pending": count, "oldest_seconds": round(age)}


@bp.get("/readyz")
def readyz():
    """Whether this worker can serve: 200 when the database answers at the schema head, else
    503; the limits' store, the scheduler and the outbox are told beside it."""
    database = _database()
    checks = {"database": database, "limits": _limits_store()}
    if database["ok"]:
        checks["scheduler"] = _scheduler()
        checks["outbox"] = _outbox()
    ready = database["ok"] and database["schema"]["ok"]
    writes.end_transaction()
    response = jsonify(status="ready" if ready else "not ready", checks=checks)
    response.status_code = 200 if ready else 503
    return _no_store(response)
