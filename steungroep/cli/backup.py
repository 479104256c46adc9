"""`flask backup FILE` and `flask restore FILE`: a copy of the whole database taken while the
app runs, and put back into an empty database.

- SQLite: through SQLite's online backup API, so the copy holds what is still in the `-wal`
  file too (a plain copy of the database file does not); the backup is a SQLite file.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore` (the PostgreSQL client tools).

A restore goes only into an empty database and refuses a backup made by a newer version of
the app (its schema is unknown here); an older one is restored and then upgraded with
`flask db upgrade`. SECRET_KEY belongs with the backup: it seals the school-account secrets.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import inspect
from sqlalchemy.engine import URL

from steungroep.core.extensions import db
from steungroep.web.health import MIGRATIONS, head_revision

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def _url() -> URL:
    return db.engine.url


def _libpq(url: URL) -> str:
    """The SQLAlchemy URL as the PostgreSQL tools read it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise click.ClickException(
            f"{name} is niet gevonden. Installeer de PostgreSQL-programma's (Debian: "
            "apt-get install postgresql-client) in dezelfde versie als de server.")
    return found


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise click.ClickException(f"{Path(command[0]).name} lukte niet: "
                                   f"{done.stderr.strip()[:500]}")
    return done.stdout


# ---- backup ------------------------------------------------------------------------------------


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Copy the whole database into TARGET (a new file), while the app runs."""
    if target.exists():
        raise click.ClickException(f"{target} bestaat al; kies een nieuwe bestandsnaam.")
    url = _url()
    revision = _current_revision()
    if url.get_backend_name() == "sqlite":
        db.session.remove()
        with sqlite3.connect(url.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}",
              _libpq(url)])
    click.echo(f"Kopie gemaakt: {target} ({target.stat().st_size:,} bytes, schema {revision}). "
               "Bewaar SECRET_KEY erbij: zonder die sleutel zijn de geheimen van het "
               "inloggen met het schoolaccount niet te lezen.")


def _current_revision() -> str:
    from sqlalchemy import text

    revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.remove()
    return revision or "?"


# ---- restore -----------------------------------------------------------------------------------


def _revision_in(source: Path, kind: str) -> str | None:
    """The schema revision the backup was made at."""
    if kind == "sqlite":
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
            row = backup.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    listing = _run([_tool("pg_restore"), "--data-only", "--table=alembic_version",
                    "--file=-", str(source)])
    copying = False
    for line in listing.splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            copying = True
        elif copying:
            return None if line == "\\." else line.strip()
    return None


def _kind_of(source: Path) -> str:
    with source.open("rb") as handle:
        start = handle.read(16)
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_MAGIC):
        return "postgresql"
    raise click.ClickException(f"{source} is geen kopie van flask backup (geen SQLite-bestand "
                               "en geen pg_dump-bestand).")


def check_known(revision: str | None) -> None:
    """Refuse a backup made by a newer version of the app, whose schema is unknown here."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        known = revision is not None and ScriptDirectory.from_config(config).get_revision(
            revision) is not None
    except CommandError:
        known = False
    if not known:
        raise click.ClickException(
            f"Deze kopie is gemaakt met een nieuwere versie van de app (schema {revision}; "
            f"deze versie kent tot en met {head_revision()}). Installeer eerst die versie.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(source: Path) -> None:
    """Put a backup made by `flask backup` into this (empty) database."""
    url = _url()
    kind = _kind_of(source)
    if kind != url.get_backend_name():
        raise click.ClickException(f"Dit is een kopie van een {kind}-database; DATABASE_URL "
                                   f"wijst naar {url.get_backend_name()}.")
    tables = inspect(db.engine).get_table_names()
    db.session.remove()
    if tables:
        raise click.ClickException(
            "Deze database is niet leeg: een kopie terugzetten kan alleen in een lege "
            "database (maak een nieuwe, of zet DATABASE_URL op een nieuw SQLite-bestand).")
    revision = _revision_in(source, kind)
    check_known(revision)
    if kind == "sqlite":
        db.engine.dispose()
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup, \
                sqlite3.connect(url.database) as target:
            backup.backup(target)
    else:
        _run([_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_libpq(url)}",
              str(source)])
    db.engine.dispose()
    click.echo(f"Teruggezet: schema {revision}."
               + ("" if revision == head_revision() else
                  " Werk het schema bij met: flask db upgrade."))


COMMANDS = (backup_command, restore_command)
