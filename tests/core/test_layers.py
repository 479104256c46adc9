"""The floors of the house, read from the imports of every module of the package: plain
rules at the bottom, then the infrastructure (core/), the models, the web layer (the write
path, audit, memo, the case loader, health and metrics), the features, and on top the app
factory and the command line. Nothing imports upwards, no two modules import each other
(round about or directly), and no import hides in a function to get around that."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "steungroep"
# What the web layer may read of the features: where a case stands, the case kernel.
KERNEL = {"cases.state", "cases.status"}
TOP = {"", "cli", "demo", "gunicorn_config"}
# A feature's pages: its views, and a page without a login (the pupil's card).
PAGES = ("views", "public")
# The app factory imports the features when an app is made, so that importing one piece of
# the package (the domain's rules, the gunicorn settings) does not load the whole app.
COMPOSITION_ROOT = ""  # steungroep/__init__.py


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _floor(module: str) -> int:
    first = module.split(".")[0]
    if first == "domain":
        return 0
    if first == "web":
        return 3
    if first == "core":
        return 1
    if first == "models":
        return 2
    if module in KERNEL:
        return 3
    return 5 if first in TOP else 4


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(module: str):
    """(imported module, line, inside a function) for each import of the package's own."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if _type_checking(child):
                continue
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom):
                base = (".".join(package[:len(package) - child.level + 1]) if child.level
                        else (child.module or "").removeprefix("steungroep").lstrip("."))
                if child.level and child.module:
                    base = ".".join(filter(None, [base, child.module]))
                if not child.level and not (child.module or "").startswith("steungroep"):
                    continue
                for alias in child.names:
                    full = ".".join(filter(None, [base, alias.name]))
                    yield (full if full in MODULES else base), child.lineno, inner, alias.name
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("steungroep"):
                        yield alias.name.removeprefix("steungroep").lstrip("."), \
                            child.lineno, inner, alias.name
            yield from visit(child, inner)

    yield from visit(ast.parse(path.read_text()), False)


def test_the_package_is_read_whole():
    assert {"web.writes", "domain", "models.case", "cases.views", ""} <= set(MODULES)
    writes = {target for target, _, _, _ in _imports("web.writes")}
    assert {"web.pages", "core.errors", "models", "domain.i18n"} <= writes
    assert ("models.contacts", False) not in {(t, i) for t, _, i, _ in _imports("models.case")}
    assert [_floor(m) for m in ("domain.text", "core.mail", "models.case", "web.writes",
                                "cases.state", "talk.views", "cli.main")] == [0, 1, 2, 3, 3,
                                                                                4, 5]


def test_no_import_hides_in_a_function():
    hidden = [f"{module}:{line} imports {target}"
              for module in MODULES if module != COMPOSITION_ROOT
              for target, line, inner, _ in _imports(module) if inner]
    assert hidden == []


def test_no_import_cycle_between_modules():
    graph = {module: {target for target, _, inner, _ in _imports(module)
                      if not inner and target in MODULES and target != module}
             for module in MODULES}
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def connect(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in graph:
        if module not in index:
            connect(module)
    assert cycles == []


def test_nothing_imports_a_floor_above_its_own():
    upward = [f"{module} (floor {_floor(module)}) imports {target} (floor {_floor(target)})"
              for module in MODULES for target, _, inner, _ in _imports(module)
              if not inner and target in MODULES and _floor(target) > _floor(module)]
    assert upward == []


def _feature(module: str) -> str | None:
    return module.split(".")[0] if _floor(module) == 4 else None


def test_no_feature_imports_another_features_views_or_private_names():
    """Features share through the case kernel or a module of their own that is not a page
    (cases/page.py, cases/state.py, ...), never through another feature's views."""
    found = []
    for module in MODULES:
        for target, line, _, name in _imports(module):
            views = target.rsplit(".", 1)[-1].endswith(PAGES)
            mine, theirs = _feature(module), _feature(target)
            other = mine is not None and theirs is not None and mine != theirs
            if other and views or name.startswith("_") and name != "__future__":
                found.append(f"{module}:{line} imports {name} from {target}")
    assert found == []
