"""The `steungroep` command (a console script): every command of the app — `db upgrade`,
`setup`, `scheduler`, `serve`, `backup`, `import-pupils` … — from any folder, without
FLASK_APP. The same commands as `flask …` with FLASK_APP=steungroep."""

from __future__ import annotations

from flask.cli import FlaskGroup


def _app():
    from steungroep import create_app

    return create_app()


def main() -> None:
    group = FlaskGroup(name="steungroep", create_app=_app, add_version_option=False,
                       help="Steungroep: the app's commands (steungroep COMMAND --help).")
    group.main(prog_name="steungroep")
