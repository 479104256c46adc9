"""gunicorn's settings for steungroep: `steungroep web` uses them, and so does
`gunicorn -c python:steungroep.gunicorn_config`. Command-line options override them.

- ``BIND`` (default 127.0.0.1:8000) and ``WEB_CONCURRENCY`` (workers, default 2);
- the app writes its own access line per request (core/requestlog.py): gunicorn's is off;
- metrics from every worker: ``PROMETHEUS_MULTIPROC_DIR`` (a fresh temporary folder when
  unset), emptied when gunicorn starts; a stopped worker's gauges are dropped, its counts
  kept (web/metrics.py).

This file imports nothing of the app: the master process never loads it (no preload), so
each worker builds the app after the fork, with the folder above already set."""

import os
import tempfile
from pathlib import Path

wsgi_app = "steungroep:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = None
errorlog = "-"
timeout = 30
graceful_timeout = 20
# A proxy's X-Forwarded-* headers are believed by the app itself, as far as TRUSTED_PROXIES
# says (core/security.py); gunicorn's own handling would believe any local proxy.
forwarded_allow_ips = ""

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="steungroep-metrics-"))


def on_starting(server) -> None:
    """Counts of an earlier run must not be added to this one."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
