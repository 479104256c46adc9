"""The built wheel is a working app: templates, static files and migrations inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from ..services import free_port, get

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel as `make wheel` builds it. setuptools builds in the checkout's build/ and
    takes what an earlier build left there: a module renamed since would ride along."""
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT))
    return next(out.glob("steungroep-*.whl"))


def test_wheel_holds_templates_static_files_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {n for n in names if n.endswith(".html")}
    in_tree = {str(p.relative_to(ROOT)) for p in (ROOT / "steungroep").rglob("*.html")}
    assert templates == in_tree
    assert "steungroep/static/css/app.css" in names
    assert "steungroep/static/vendor/htmx.min.js" in names, "run make (npm build) first"
    assert "steungroep/translations/en/LC_MESSAGES/messages.mo" in names
    assert "steungroep/migrations/env.py" in names
    assert "steungroep/migrations/versions/0001_initial_schema.py" in names


def test_app_installed_from_the_wheel_serves_the_login_page(wheel, tmp_path):
    """A fresh virtualenv with only the wheel installed (its dependencies are taken from
    the test environment), started away from the checkout: the login page renders."""
    fresh = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", str(fresh))
    python = fresh / "bin" / "python"
    _run(str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel))
    site = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
                     ).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/app.sqlite",
           "SECRET_KEY": "wheel-test", "FLASK_APP": "steungroep", "PYTHONPATH": ""}
    located = _run(str(python), "-c", "import steungroep; print(steungroep.__file__)",
                   cwd=work, env=env).stdout
    assert located.startswith(str(site)), located
    _run(str(python), "-m", "flask", "db", "upgrade", cwd=work, env=env)
    # the console script, without FLASK_APP, from anywhere
    plain = {k: v for k, v in env.items() if k != "FLASK_APP"}
    assert "(head)" in _run(str(fresh / "bin" / "steungroep"), "db", "current", cwd=work,
                            env=plain).stdout
    # without DATABASE_URL the data never lives inside the virtualenv
    home = tmp_path / "home"
    bare = {k: v for k, v in plain.items() if k not in ("DATABASE_URL", "SECRET_KEY",
                                                          "XDG_DATA_HOME",
                                                          "STEUNGROEP_INSTANCE")}
    where = "from steungroep import create_app; print(create_app().instance_path)"
    folder = _run(str(python), "-c", where, cwd=work, env={**bare, "HOME": str(home)}).stdout
    assert folder.strip() == str(home / ".local" / "share" / "steungroep")
    assert (home / ".local" / "share" / "steungroep" / "secret_key").is_file()
    chosen = _run(str(python), "-c", where, cwd=work,
                  env={**bare, "STEUNGROEP_INSTANCE": str(tmp_path / "data")}).stdout
    assert chosen.strip() == str(tmp_path / "data")
    port = free_port()
    server = subprocess.Popen(
        [str(python), "-m", "flask", "run", "--port", str(port), "--no-reload"],
        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        seen = []
        while not any("Running on" in line for line in seen):  # the server says it listens
            line = server.stderr.readline()
            if not line:
                pytest.fail("".join(seen))
            seen.append(line)
        status, page = get(base + "/inloggen")
        assert status == 200 and 'name="password"' in page
        assert get(base + "/static/css/app.css")[0] == 200
        assert get(base + "/static/vendor/htmx.min.js")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_wheel_without_the_built_files_is_refused_with_the_reason(tmp_path):
    """A clean clone without `make deps` has no htmx and no compiled catalog: the build says
    so instead of making a wheel that lacks them."""
    tracked = _run("git", "ls-files", cwd=ROOT).stdout.split()
    tree = tmp_path / "clone"
    for name in tracked:
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name).read_bytes())
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out),
                             str(tree)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "run `make deps` first" in said and "htmx.min.js" in said and "messages.mo" in said
    assert not out.exists() or not list(out.glob("*.whl"))
