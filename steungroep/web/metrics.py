"""Prometheus metrics at `/metrics`: requests by route and status, their latency, the
outbox backlog, the reminders sent, and whether a scheduler is running.

Requests are counted in each process (``prometheus_client``); with several gunicorn workers
set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder (the gunicorn configuration
``steungroep.gunicorn_config`` and ``steungroep web`` do the rest), and every worker's counts
are summed, also those of workers that have stopped. The rest is read from the database at
each scrape, so it is the same whoever answers: no worker or scheduler has to share memory.

Readable with ``Authorization: Bearer <METRICS_TOKEN>``, or from the machine itself
(loopback, and not forwarded by a proxy in front); anyone else gets a 404. The labels hold
route patterns (``/kaart/<token>``), never an address as typed, so no token or id leaks."""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from datetime import timedelta

from flask import Blueprint, Flask, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from steungroep.core.extensions import db
from steungroep.core.timeutil import aware, utcnow
from steungroep.models import MAIL_PENDING, Notice, OutboxMessage
from steungroep.web import writes
from steungroep.web.health import scheduler_lateness

bp = Blueprint("metrics", __name__)

REQUESTS = Counter("steungroep_http_requests", "Requests answered, by route and status",
                   ("route", "method", "status"))
LATENCY = Histogram("steungroep_http_request_duration_seconds",
                    "Time to answer a request, by route", ("route", "method"),
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5))
UNMATCHED = "(no route)"  # a 404 for an address no route knows: one label, not the address


def _route() -> str:
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED


def allowed() -> bool:
    """The metrics' token, or a request from this machine that no proxy passed on."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


class _FromDatabase:
    """Gauges read at scrape time: outbox, reminders of the last day, the scheduler."""

    def collect(self):
        pending = GaugeMetricFamily("steungroep_outbox_pending", "E-mails not sent yet")
        oldest = GaugeMetricFamily("steungroep_outbox_oldest_pending_seconds",
                                   "Age of the oldest unsent e-mail (0 when none)")
        sent = GaugeMetricFamily("steungroep_reminders_sent_last_day",
                                 "Reminders (due) and overdue notices written in the last "
                                 "24 hours, per staff member", labels=["kind"])
        active = GaugeMetricFamily("steungroep_scheduler_active",
                                   "1 when a scheduler ran its scan on time")
        late = GaugeMetricFamily("steungroep_scheduler_scan_late_seconds",
                                 "How late the scheduler's scan is (0 when on time)")
        try:
            count, first = db.session.execute(
                select(func.count(), func.min(OutboxMessage.created_at))
                .where(OutboxMessage.status == MAIL_PENDING)).one()
            since = utcnow() - timedelta(days=1)
            kinds = db.session.execute(
                select(Notice.kind, func.count()).where(Notice.created_at >= since)
                .group_by(Notice.kind)).all()
            lateness = scheduler_lateness()
        except SQLAlchemyError:
            writes.end_transaction()
            return  # the database does not answer: /readyz says so; no made-up numbers
        writes.end_transaction()
        pending.add_metric([], count)
        oldest.add_metric([], (utcnow() - aware(first)).total_seconds() if first else 0)
        for kind in ("due", "overdue"):
            sent.add_metric([kind], dict(kinds).get(kind, 0))
        on_time = lateness is not None and lateness[0] <= lateness[1]
        active.add_metric([], 1 if on_time else 0)
        late.add_metric([], lateness[0] if lateness else 0)
        yield from (pending, oldest, sent, active, late)


def exposition() -> bytes:
    """The text Prometheus reads: this process's (or every worker's) counts and the gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    gauges = CollectorRegistry(auto_describe=False)
    gauges.register(_FromDatabase())
    return generate_latest(registry) + generate_latest(gauges)


@bp.get("/metrics")
def metrics():
    if not allowed():
        abort(404)
    return exposition(), 200, {"Content-Type": CONTENT_TYPE_LATEST,
                               "Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    """Count every answered request with its final status (errors included); /metrics."""
    app.register_blueprint(bp)

    @app.before_request
    def _start():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        started = g.pop("metrics_started", None)
        if started is not None:
            route = _route()
            REQUESTS.labels(route, request.method, str(response.status_code)).inc()
            LATENCY.labels(route, request.method).observe(time.perf_counter() - started)
        return response
