"""The `steungroep` command works from any folder without FLASK_APP: the schema, the demo,
a backup, the health check's view of the schema."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from pathlib import Path

from ..services import SCRIPT, free_port


def _run(*args: str, cwd: Path, env: dict) -> str:
    done = subprocess.run([str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_command_runs_the_production_tasks_from_any_folder(tmp_path):
    assert SCRIPT.is_file(), "the console script is missing: run make deps"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite", SECRET_KEY="x" * 40,
               GC_FREEZE="0")
    help_text = _run("--help", cwd=tmp_path, env=env)
    for command in ("db", "setup", "scheduler", "serve", "backup", "restore", "import-pupils",
                    "reset-link", "create-school", "web"):
        assert f"  {command} " in help_text, command
    _run("db", "upgrade", cwd=tmp_path, env=env)
    assert "(head)" in _run("db", "current", cwd=tmp_path, env=env)
    assert "anne@vlinder.example" in _run("demo", cwd=tmp_path, env=env)
    _run("backup", str(tmp_path / "copy.backup"), cwd=tmp_path, env=env)
    assert (tmp_path / "copy.backup").stat().st_size > 0


def test_web_serves_with_gunicorn_and_its_metrics_folder(tmp_path):
    """`steungroep web` starts gunicorn's workers on the address given; /metrics works without
    PROMETHEUS_MULTIPROC_DIR (the configuration makes a folder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PROMETHEUS"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/web.sqlite", SECRET_KEY="x" * 40,
               GC_FREEZE="0")
    _run("db", "upgrade", cwd=tmp_path, env=env)
    port = free_port()
    server = subprocess.Popen([str(SCRIPT), "web", "--bind", f"127.0.0.1:{port}", "-w", "2"],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(400):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=5) as r:
                    assert r.status == 200
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            assert 'route="/livez"' in r.read().decode()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Booting worker" in output and "GET /livez 200" in output
