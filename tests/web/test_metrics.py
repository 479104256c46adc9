"""/metrics for Prometheus: requests by route pattern (never a token), status and latency;
the outbox, the reminders and the scheduler read from the database; readable with the
token or from the machine itself; summed over gunicorn's workers, stopped ones included."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from steungroep.core.extensions import db
from steungroep.core.timeutil import utcnow
from steungroep.models import Notice, OutboxMessage
from steungroep.web.writes import UnitOfWork

from .. import factories
from ..services import free_port


def value(exposition: str, name: str, **labels: str) -> float:
    """One sample of the text exposition (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in exposition.splitlines():
        if line.startswith("#"):
            continue
        key, _, number = line.rpartition(" ")
        metric, _, rest = key.partition("{")
        found = ",".join(sorted(rest.rstrip("}").split(","))) if rest else ""
        if metric == name and found == wanted:
            return float(number)
    return 0.0


def scrape(client, **headers) -> str:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return response.get_data(as_text=True)


def test_requests_are_counted_by_route_pattern_and_status(client, world):
    token = factories.case_at(world, "evaluatie_leerling").group.members[0].card_token
    before = scrape(client)
    assert client.get(f"/k/{token}").status_code == 200
    client.get("/k/" + "x" * 30)
    client.get("/no/such/page/" + "y" * 25)
    after = scrape(client)
    route = dict(route="/k/<token>", method="GET")
    assert value(after, "steungroep_http_requests_total", status="200", **route) \
        == value(before, "steungroep_http_requests_total", status="200", **route) + 1
    assert value(after, "steungroep_http_requests_total", status="404", **route) \
        == value(before, "steungroep_http_requests_total", status="404", **route) + 1
    unmatched = dict(route="(no route)", method="GET", status="404")
    assert value(after, "steungroep_http_requests_total", **unmatched) \
        == value(before, "steungroep_http_requests_total", **unmatched) + 1
    assert value(after, "steungroep_http_request_duration_seconds_count", **route) \
        == value(before, "steungroep_http_request_duration_seconds_count", **route) + 2
    assert token not in after and "x" * 30 not in after and "y" * 25 not in after


def test_gauges_from_the_database(client, world):
    text_ = scrape(client)
    assert value(text_, "steungroep_outbox_pending") == 0
    assert value(text_, "steungroep_scheduler_active") == 0  # no scheduler ever ran
    case = factories.new_case(world)
    with UnitOfWork():
        db.session.add(OutboxMessage(dedupe_key="oud", to_address="anne@a.example",
                                     subject="s", body="b",
                                     created_at=utcnow() - timedelta(hours=2)))
        for kind, age in (("due", 1), ("due", 2), ("overdue", 3), ("due", 30)):
            db.session.add(Notice(user_id=world.teacher.id, case_id=case.id, kind=kind,
                                  due_on=(utcnow() - timedelta(hours=age)).date(),
                                  created_at=utcnow() - timedelta(hours=age)))
    factories.scheduler_scan_at(time.time() + 30)
    text_ = scrape(client)
    assert value(text_, "steungroep_outbox_pending") == 1
    assert 7100 <= value(text_, "steungroep_outbox_oldest_pending_seconds") <= 7300
    assert value(text_, "steungroep_reminders_sent_last_day", kind="due") == 2
    assert value(text_, "steungroep_reminders_sent_last_day", kind="overdue") == 1
    assert value(text_, "steungroep_scheduler_active") == 1
    assert "anne@a.example" not in text_


def test_only_with_the_token_or_from_the_machine_itself(app, client, monkeypatch):
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    outside = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.get("/metrics", environ_base=outside).status_code == 404
    # a proxy on the same machine passes the world's requests on: not "from the machine"
    assert client.get("/metrics", headers={"X-Forwarded-For": "192.0.2.7"}).status_code == 404
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "geheim-token-voor-prometheus")
    good = {"Authorization": "Bearer geheim-token-voor-prometheus"}
    assert client.get("/metrics", headers=good, environ_base=outside).status_code == 200
    for wrong in ("Bearer geheim", "geheim-token-voor-prometheus", "Bearer "):
        response = client.get("/metrics", headers={"Authorization": wrong},
                              environ_base=outside)
        assert response.status_code == 404, wrong


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_counts_of_every_worker_add_up_also_after_workers_are_replaced(tmp_path):
    """gunicorn with two workers, each replaced after three requests: twelve requests pass
    through at least four processes, and /metrics (whichever worker answers) counts twelve."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PROMETHEUS"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/m.sqlite", SECRET_KEY="x" * 40,
               GC_FREEZE="0", PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    script = Path(sys.executable).parent / "steungroep"
    subprocess.run([str(script), "db", "upgrade"], env=env, check=True, capture_output=True,
                   timeout=120)
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_1.db").write_bytes(b"stale")  # an earlier run's file
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:steungroep.gunicorn_config",
         "-b", f"127.0.0.1:{port}", "-w", "2", "--max-requests", "3"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _get(base + "/livez")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.05)
        for _ in range(11):
            _get(base + "/livez")
        exposition = _get(base + "/metrics")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert value(exposition, "steungroep_http_requests_total",
                 route="/livez", method="GET", status="200") == 12
    processes = {re.sub(r"\D", "", f.stem) for f in (tmp_path / "metrics").glob("counter_*.db")}
    assert len(processes) >= 4 and "1" not in processes
