"""`flask backup` and `flask restore` on SQLite and PostgreSQL: a copy taken while the app
runs, put back into a new, empty database, gives the same rows and the same card opens; a
restore refuses a database that is not empty, a backup of the other kind, a backup of a
newer version, and a backup file that already exists is never overwritten."""

from __future__ import annotations

import sqlite3

import click
import pytest
from sqlalchemy import select

from steungroep.cases import state
from steungroep.cli.backup import check_known
from steungroep.core.extensions import db

from .. import factories as f
from ..conftest import make_app, postgres_database


def _rows() -> dict[str, list[tuple]]:
    db.session.remove()
    found = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        found[table.name] = [tuple(r) for r in db.session.execute(
            select(table).order_by(*order)).all()]
    db.session.remove()
    return found


def _empty_database(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/restored.sqlite"
    return postgres_database("steungroep_restore")


def test_backup_and_restore_give_the_same_rows_and_the_same_card(app, runner, world, tmp_path):
    case = f.case_at(world, "evaluatie_leerling")
    member = state.current_members(case.group)[0]
    token, name = member.card_token, member.pupil.first_name
    before = _rows()
    copy = tmp_path / "steungroep.backup"
    result = runner.invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    assert "SECRET_KEY" in result.output and copy.stat().st_size > 0
    again = runner.invoke(args=["backup", str(copy)])
    assert again.exit_code == 1 and "bestaat al" in again.output

    target = make_app(_empty_database(app.config["BACKEND"], tmp_path), str(tmp_path))
    with target.app_context():
        restored = target.test_cli_runner().invoke(args=["restore", str(copy)])
        assert restored.exit_code == 0, restored.output
        assert "Teruggezet" in restored.output and "flask db upgrade" not in restored.output
        assert _rows() == before
        card = target.test_client().get(f"/k/{token}")
        assert card.status_code == 200 and name in card.get_data(as_text=True)
        twice = target.test_cli_runner().invoke(args=["restore", str(copy)])
        assert twice.exit_code == 1 and "niet leeg" in twice.output
        db.engine.dispose()


def test_a_backup_of_the_other_kind_or_no_backup_is_refused(app, runner, world, tmp_path):
    other = tmp_path / "other.backup"
    if app.config["BACKEND"] == "sqlite":
        other.write_bytes(b"PGDMP" + b"\0" * 100)
        expected = "postgresql-database"
    else:
        sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
        expected = "sqlite-database"
    result = runner.invoke(args=["restore", str(other)])
    assert result.exit_code == 1 and expected in result.output
    junk = tmp_path / "junk.txt"
    junk.write_text("geen kopie")
    result = runner.invoke(args=["restore", str(junk)])
    assert result.exit_code == 1 and "geen kopie van flask backup" in result.output


def test_a_backup_of_a_newer_version_is_refused(tmp_path):
    check_known("0001")
    check_known("0022")
    for newer in ("9999", None, "' OR 1=1"):
        with pytest.raises(click.ClickException) as refused:
            check_known(newer)
        assert "nieuwere versie" in refused.value.message


def test_restore_refuses_a_newer_sqlite_backup(tmp_path):
    source = make_app(f"sqlite:///{tmp_path}/source.sqlite", str(tmp_path))
    from flask_migrate import upgrade

    with source.app_context():
        upgrade()
        copy = tmp_path / "newer.backup"
        assert source.test_cli_runner().invoke(args=["backup", str(copy)]).exit_code == 0
        db.engine.dispose()
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    target = make_app(f"sqlite:///{tmp_path}/target.sqlite", str(tmp_path))
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(copy)])
        assert result.exit_code == 1 and "nieuwere versie" in result.output
        assert db.inspect(db.engine).get_table_names() == []
        db.engine.dispose()
