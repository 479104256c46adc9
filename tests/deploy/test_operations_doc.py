"""docs/operations.md works as written: its install, upgrade, roll-back and restore steps
(the ```sh blocks marked `<!-- test: … -->`) run one after the other, in a shell, on a
PostgreSQL server of the test's own.

What differs from a real server is only where things are and who does them: the doc's paths
(/opt, /etc, /var) are moved into a temporary folder; `systemctl` is a stand-in that starts
and stops the units' ExecStart with their EnvironmentFile (tests/fake_systemctl.py);
`sudo -u USER` runs the command as root (the test's server trusts every local user, as
PostgreSQL's peer login does for the right account); `useradd`, `chown` and `chgrp` are
noted, not done; and pip installs the wheel without fetching its dependencies again (they
come from the test's environment; the container test installs them from PyPI)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from ..factories import FIRST_START, SETUP_PASSWORD
from ..fake_systemctl import alive
from ..services import Browser, free_port, own_postgres

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "operations.md"
DOC_PATHS = ("/opt/steungroep", "/etc/steungroep", "/var/lib/steungroep",
             "/var/backups/steungroep", "/etc/systemd/system", "/run/steungroep")
PIP_INSTALL = "/opt/steungroep/bin/pip install dist/steungroep-*.whl"
BOTH = {"steungroep-web", "steungroep-scheduler"}
PIP_UPGRADE = "/opt/steungroep/bin/pip install --upgrade dist/steungroep-*.whl"


def blocks() -> dict[str, str]:
    """The marked shell blocks of the doc, by their mark."""
    found = re.findall(r"<!-- test: (\w+) -->\n```sh\n(.*?)```", DOC.read_text(), re.S)
    return dict(found)


def shims(folder: Path) -> Path:
    """sudo, useradd, chown, chgrp and systemctl as the module's docstring says."""
    folder.mkdir()
    scripts = {
        "sudo": '#!/bin/sh\nif [ "$1" = "-u" ]; then\n  [ "$2" = postgres ] && '
                'export PGUSER=postgres\n  shift 2\nfi\nexec "$@"\n',
        "useradd": '#!/bin/sh\necho "useradd $*" >> "$FAKE_SYSTEMD_ROOT/done.log"\n',
        "chown": '#!/bin/sh\necho "chown $*" >> "$FAKE_SYSTEMD_ROOT/done.log"\n',
        "chgrp": '#!/bin/sh\necho "chgrp $*" >> "$FAKE_SYSTEMD_ROOT/done.log"\n',
        "systemctl": f'#!/bin/sh\nexec {sys.executable} {ROOT}/tests/fake_systemctl.py "$@"\n',
    }
    for name, text in scripts.items():
        (folder / name).write_text(text)
        (folder / name).chmod(0o755)
    return folder


def _ready(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
        return json.loads(response.read())


def running(system: Path) -> set[str]:
    """The units the stand-in systemctl has running."""
    folder = system / "run-units"
    return {unit.name for unit in folder.glob("*") if alive(int(unit.read_text()))}


def _logs_in(port: int, email: str, password: str) -> bool:
    return Browser(port, "127.0.0.1", tls=False).log_in(email, password).status == 302


@pytest.fixture
def release(tmp_path):
    """The folder of the release: the wheel in dist/ and the deploy/ files."""
    folder = tmp_path / "release"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(folder / "dist"), str(ROOT)], check=True, timeout=600)
    (folder / "deploy").symlink_to(ROOT / "deploy")
    return folder


def test_the_production_steps_work_as_written(tmp_path, release):
    steps = blocks()
    assert list(steps) == ["install", "database", "services", "upgrade", "rollback", "restore"]
    system = tmp_path / "system"
    paths = {doc: f"{system}{doc}" for doc in DOC_PATHS}
    port = free_port()
    venv_site = f"/opt/steungroep/lib/python3.{sys.version_info.minor}/site-packages"  # moved below
    deps = f"echo {sysconfig.get_paths()['purelib']} > {venv_site}/dependencies.pth"
    local = {PIP_INSTALL: f"{PIP_INSTALL} --quiet --no-deps && {deps}",
             PIP_UPGRADE: f"{PIP_UPGRADE} --quiet --no-deps --force-reinstall",
             "127.0.0.1:8000": f"127.0.0.1:{port}"}

    def script(name: str) -> str:
        text = steps[name]
        for doc, here in local.items():
            text = text.replace(doc, here)
        for doc, here in paths.items():
            text = text.replace(doc, here)
        return "set -ex\n" + text

    for folder in ("/etc", "/etc/systemd/system", "/opt", "/var/lib", "/var/backups", "/run"):
        Path(f"{system}{folder}").mkdir(parents=True, exist_ok=True)
    with own_postgres() as libpq:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("FLASK_", "PROMETHEUS", "DATABASE_URL", "SECRET_KEY"))}
        env.update(libpq, PATH=f"{shims(tmp_path / 'bin')}:{os.environ['PATH']}",
                   FAKE_SYSTEMD_ROOT=str(system), FAKE_SYSTEMD_PATHS=json.dumps(paths))

        def run(name: str, given: str = "") -> str:
            done = subprocess.run(["bash", "-c", script(name)], cwd=release, env=env,
                                  input=given, capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, f"step {name}:\n{done.stdout}\n{done.stderr}"
            return done.stdout

        try:
            run("install")
            settings = Path(paths["/etc/steungroep"]) / "steungroep.env"
            text = settings.read_text()
            key = re.search(r"^SECRET_KEY=(.*)$", text, re.M).group(1)
            assert re.fullmatch(r"[0-9a-f]{64}", key), "the install gives the file a key"
            # what the IT person edits: here, the paths and the port of this test
            for doc, here in {**paths, "127.0.0.1:8000": f"127.0.0.1:{port}",
                              "redis://127.0.0.1:6379": "redis://127.0.0.1:6379/9"}.items():
                text = text.replace(doc, here)
            settings.write_text(text)

            run("database", FIRST_START)
            run("services")
            assert _ready(port)["status"] == "ready"
            assert running(system) == BOTH
            for _ in range(300):  # the scheduler's first scan
                if _ready(port)["checks"]["scheduler"]["ok"]:
                    break
                time.sleep(0.1)
            assert _ready(port)["checks"]["scheduler"]["ok"], "the scheduler did not start"
            assert _logs_in(port, "els@linde.example", SETUP_PASSWORD)

            run("upgrade")
            backup = Path(paths["/var/backups/steungroep"]) / "before-upgrade.backup"
            assert backup.read_bytes()[:5] == b"PGDMP"
            assert _ready(port)["status"] == "ready"
            assert running(system) == BOTH

            run("rollback")
            assert running(system) == BOTH
            assert _logs_in(port, "els@linde.example", SETUP_PASSWORD)
            databases = subprocess.run(["psql", "-U", "postgres", "-Atc",
                                        "SELECT datname FROM pg_database"], env=env,
                                       capture_output=True, text=True, check=True).stdout
            assert "steungroep_failed_upgrade" in databases.split()

            output = run("restore")
            assert "(head)" in output  # the restored copy, read through its own DATABASE_URL
            databases = subprocess.run(["psql", "-U", "postgres", "-Atc",
                                        "SELECT datname FROM pg_database"], env=env,
                                       capture_output=True, text=True, check=True).stdout
            assert "steungroep_drill" not in databases.split()
        finally:
            subprocess.run([sys.executable, str(ROOT / "tests" / "fake_systemctl.py"), "stop",
                            "steungroep-web", "steungroep-scheduler"], env=env, timeout=120)
    logged = (system / "done.log").read_text()
    assert "useradd --system" in logged and "chown steungroep:" in logged
