"""The `steungroep` command (a console script): every command of the app — `db upgrade`,
`setup`, `web`, `scheduler`, `serve`, `backup`, `import-pupils` … — from any folder, without
FLASK_APP. The same commands as `flask …` with FLASK_APP=steungroep.

`steungroep --env-file /etc/steungroep/steungroep.env COMMAND` reads the settings from the
file the systemd units read (variables set in the environment win). A `.env` in the current
folder is not read: a command run by hand must not pick up a stray file's database."""

from __future__ import annotations

from flask.cli import FlaskGroup

from steungroep import create_app


def main() -> None:
    group = FlaskGroup(name="steungroep", create_app=create_app, add_version_option=False,
                       load_dotenv=False,
                       help="Steungroep: the app's commands (steungroep COMMAND --help).")
    group.main(prog_name="steungroep")
