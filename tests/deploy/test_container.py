"""deploy/Containerfile builds an image that runs the web workers and the scheduler: the
schema migrated from a container, /livez, /readyz ready (PostgreSQL at the head, Redis, the
scheduler's scan), the login page, a backup with pg_dump inside, no root, a clean stop.

Built with podman on a base image made from Debian's packages (mmdebstrap), as TECH-NOTES
describes: no registry is needed. `make test` installs podman, runc and mmdebstrap; without
them the test is skipped, except where REQUIRE_CONTAINER_TEST=1 (.ci/run) makes it fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from ..services import free_port, get

ROOT = Path(__file__).resolve().parents[2]
BASE = "localhost/steungroep-test-base"
IMAGE = "localhost/steungroep-test"
PG = "postgresql://postgres@127.0.0.1:5432"
# The newest migration: what `db current` says once the image upgraded the database.
HEAD = max(p.name[:4] for p in (ROOT / "steungroep" / "migrations" / "versions").glob("0*.py"))
TOOLS = ("podman", "/usr/sbin/runc", "mmdebstrap")


def _missing() -> list[str]:
    return [tool for tool in TOOLS if not shutil.which(tool)]


@pytest.fixture(scope="module")
def podman(tmp_path_factory):
    if missing := _missing():
        if os.environ.get("REQUIRE_CONTAINER_TEST") == "1":
            pytest.fail(f"missing {', '.join(missing)}: run `make containers`")
        pytest.skip(f"missing {', '.join(missing)} (make containers)")
    folder = tmp_path_factory.mktemp("podman")
    conf = folder / "containers.conf"
    conf.write_text("[containers]\ndefault_ulimits = []\n")  # refused in this sandbox
    env = {**os.environ, "CONTAINERS_CONF": str(conf)}

    def run(*args: str, timeout: int = 600, check: bool = True, stderr: bool = False) -> str:
        done = subprocess.run(["podman", "--runtime", "/usr/sbin/runc", *args], env=env,
                              capture_output=True, text=True, timeout=timeout)
        if check:
            assert done.returncode == 0, f"podman {' '.join(args)}\n{done.stdout}{done.stderr}"
        return done.stdout + (done.stderr if stderr else "")

    if subprocess.run(["podman", "image", "exists", BASE], env=env).returncode != 0:
        rootfs = folder / "rootfs.tar"
        subprocess.run(["mmdebstrap", "--variant=minbase", "--quiet",
                        "--include=python3,python3-venv,ca-certificates", "bookworm",
                        str(rootfs)], check=True, capture_output=True, timeout=900)
        run("import", str(rootfs), BASE)
    return run


def _build_arguments() -> list[str]:
    """Where this machine reaches PyPI through a proxy with its own certificate authority,
    the build sees the machine's certificates and pip settings (a build-time mount only)."""
    mounts = []
    for path in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pip.conf"):
        if Path(path).is_file():
            mounts += ["-v", f"{path}:{path}:ro"]
    return mounts


@pytest.fixture(scope="module")
def image(podman, tmp_path_factory):
    context = tmp_path_factory.mktemp("context")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(context / "dist"), str(ROOT)], check=True, timeout=600)
    shutil.copy(ROOT / "deploy" / "Containerfile", context / "Containerfile")
    podman("build", "--format", "docker", "--network", "host", *_build_arguments(),
           "--build-arg", f"BASE={BASE}", "-t", IMAGE, "-f", str(context / "Containerfile"),
           str(context), timeout=1200)
    return IMAGE


@pytest.fixture
def database():
    name = f"steungroep_container_{os.getpid()}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG}/{name}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_until(check, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if result := check():
                return result
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {seconds} s")


def test_the_image_runs_web_and_scheduler(podman, image, database):
    port = free_port()
    names = (f"sg-web-{port}", f"sg-scheduler-{port}")
    env = ["-e", f"DATABASE_URL={database}", "-e", "SECRET_KEY=" + "k" * 40,
           "-e", "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379",
           "-e", f"BIND=127.0.0.1:{port}"]
    common = ["--network", "host", *env, image]
    podman("run", "--rm", *common, "steungroep", "db", "upgrade")
    assert f"{HEAD} (head)" in podman("run", "--rm", *common, "steungroep", "db", "current")
    try:
        podman("run", "-d", "--name", names[0], *common)
        podman("run", "-d", "--name", names[1], *common, "steungroep", "scheduler")
        base = f"http://127.0.0.1:{port}"
        assert _wait_until(lambda: get(base + "/livez") == (200, '{"status":"ok"}\n'),
                           "/livez")

        def ready():
            status, body = get(base + "/readyz")
            checks = json.loads(body)["checks"]
            return status == 200 and checks["scheduler"]["ok"] and checks

        checks = _wait_until(ready, "/readyz with the scheduler's scan")
        assert checks["limits"] == {"ok": True, "kind": "redis"}
        assert checks["database"]["schema"]["ok"] is True
        status, page = get(base + "/inloggen")
        assert status == 200 and "Inloggen" in page and "htmx.min.js" in page
        assert get(base + "/static/vendor/htmx.min.js")[0] == 200
        assert podman("exec", names[0], "id", "-u").strip() == "10001"
        podman("exec", names[0], "steungroep", "backup", "/var/lib/steungroep/b.backup")
        assert podman("exec", names[0], "head", "-c", "5",
                      "/var/lib/steungroep/b.backup") == "PGDMP"
        podman("stop", "-t", "20", *names)
        assert podman("inspect", "--format", "{{.State.ExitCode}}", names[1]).strip() == "0"
        assert "Planner gestopt." in podman("logs", names[1], stderr=True)
    finally:
        podman("rm", "-f", *names, check=False)
