"""The house rules a reader can check: one write path, small files, migrations that stand
alone, tests laid out like the package."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "steungroep"
TESTS = ROOT / "tests"
MAX_LINES = 400
# POST routes that do not go through a write-path decorator themselves, and why.
NOT_DECORATED = {
    "letterbox_public.read_answer": "shows the answer for a typed code; it writes nothing",
    "auth.login": "start_session opens the unit of work once the password is right",
    "auth.logout": "log_out ends the login session in a unit of work",
    "auth.lock": "unlocking changes only the browser session; five failures call log_out",
    "auth.password": "GET and POST on one address: the POST runs _change_password",
    "records.erase": "GET and POST on one address: the POST runs _erase",
    "pupil_imports.preview": "reads the file and shows what would change; it writes nothing",
    "invite.welcome": "GET and POST on one address: the POST runs _choose, then logs in",
    "invite.forgotten": "GET and POST on one address: the POST runs _send_reset",
    "sign_ins.settings": "GET and POST on one address: the POST asks the provider, then runs "
                         "_save",
}


def _sources():
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def test_only_the_write_path_commits_or_rolls_back():
    """No view, use case or job commits or rolls back by itself: web/writes.py does (and
    the scheduler's lock connection, which holds no data)."""
    offenders = []
    for path in _sources():
        if path == PACKAGE / "web" / "writes.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"\.(commit|rollback)\(\)", line) and "connection.commit()" not in line:
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []


def test_every_post_route_goes_through_the_write_path(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.endpoint in NOT_DECORATED:
            continue
        if not getattr(app.view_functions[rule.endpoint], "write_path", False):
            missing.append(rule.endpoint)
    assert missing == []


def test_files_stay_small_enough_to_read_in_one_sitting():
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html")]
    long = {str(p.relative_to(PACKAGE)): n for p in files
            if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_migrations_import_nothing_from_the_app():
    """A migration must give the same result whatever the app's code becomes later."""
    for path in sorted((PACKAGE / "migrations" / "versions").glob("*.py")):
        imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", path.read_text(), re.M)
        assert [name for name in imports if name.split(".")[0] == "steungroep"] == [], path.name


def test_the_domain_exports_what_it_names():
    import steungroep.domain as domain

    assert [name for name in domain.__all__ if not hasattr(domain, name)] == []


def _named_modules(path: Path):
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        for name in re.findall(r"\b([a-z_]+(?:/[a-z_]+)+\.py)\b", line):
            yield number, name


def test_every_module_a_comment_names_exists():
    """A comment, docstring or page of the documentation that sends the reader to a
    module by its path (a folder, a slash, a name ending in .py) points at a file that is
    there (in the package, or from the checkout's root: tests/, benchmarks/, deploy/)."""
    places = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.js"),
              *TESTS.rglob("*.py"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md",
              *(ROOT / "benchmarks").glob("*.py"), ROOT / "Makefile", ROOT / ".ci" / "run"]
    missing = []
    for path in places:
        if "migrations" in path.parts and path.is_relative_to(PACKAGE) or "vendor" in path.parts:
            continue
        for number, name in _named_modules(path):
            if not (PACKAGE / name).exists() and not (ROOT / name).exists():
                missing.append(f"{path.relative_to(ROOT)}:{number}: {name}")
    assert missing == []


def _test_modules():
    return [p for p in TESTS.rglob("*.py") if p.name.startswith("test_")]


def test_no_test_module_imports_another():
    """What tests share lives in helpers (tests/factories.py, tests/services.py,
    tests/browser/helpers.py, ...) or in a conftest.py, never in another test module."""
    found = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(alias.name for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            if any(part.startswith("test_") for name in names for part in name.split(".")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_tests_are_laid_out_like_the_package():
    """tests/<feature>/ for each package of the app, and beside them only the browser walks
    and the deployment (deploy/ at the checkout's root); no test module left in tests/."""
    packages = {p.parent.name for p in PACKAGE.glob("*/*.py")}
    folders = {p.parent.name for p in TESTS.glob("*/__init__.py")}
    assert folders - packages == {"browser", "deploy"}
    assert packages - folders == set()
    assert [p.name for p in TESTS.glob("test_*.py")] == []


def test_tests_stay_small_enough_to_read_in_one_sitting():
    long = {str(p.relative_to(TESTS)): n for p in TESTS.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}
