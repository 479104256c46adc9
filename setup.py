"""Only the build check: a wheel without the files the build makes (htmx from npm, the
compiled catalogs) would install an app with no htmx and no English. Everything else is in
pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
MADE_BY_THE_BUILD = {
    "steungroep/static/vendor/htmx.min.js": "htmx, copied from the npm package by `make deps`",
    "steungroep/translations/en/LC_MESSAGES/messages.mo":
        "the English catalog, compiled by `make deps`",
}


class CheckedBuildPy(build_py):
    def run(self):
        if not getattr(self, "editable_mode", False):  # an editable install serves the tree
            missing = [f"{path} ({what})" for path, what in MADE_BY_THE_BUILD.items()
                       if not (ROOT / path).is_file()]
            if missing:
                raise SystemExit("steungroep: the wheel would lack files the app needs; run "
                                 "`make deps` first. Missing: " + "; ".join(missing))
        super().run()


setup(cmdclass={"build_py": CheckedBuildPy})
