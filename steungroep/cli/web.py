"""`steungroep web`: the web workers under gunicorn, with the settings of
steungroep/gunicorn_config.py (no scheduler: run `steungroep scheduler` once beside it)."""

from __future__ import annotations

import os
import sys

import click


@click.command("web")
@click.option("--bind", "-b", default=lambda: os.environ.get("BIND", "127.0.0.1:8000"),
              show_default="BIND or 127.0.0.1:8000", help="Address:port to listen on")
@click.option("--workers", "-w", type=click.IntRange(1, 64),
              default=lambda: int(os.environ.get("WEB_CONCURRENCY", "2")),
              show_default="WEB_CONCURRENCY or 2", help="Number of worker processes")
def web_command(bind: str, workers: int) -> None:
    """Serve the app with gunicorn (production); the scheduler runs on its own."""
    arguments = [sys.executable, "-m", "gunicorn", "--config", "python:steungroep.gunicorn_config",
                 "--bind", bind, "--workers", str(workers)]
    sys.stdout.flush()
    sys.stderr.flush()
    # A new process image: gunicorn's master starts clean, and each worker imports the app
    # after the fork, with the metrics folder set by the configuration.
    os.execv(sys.executable, arguments)
