"""The app factory and configuration."""

from __future__ import annotations

import os
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from steungroep import create_app
from steungroep.config import load, normalise_database_url
from steungroep.extensions import db


def test_templates_and_static_are_found(app):
    """The top-level templates/ and static/ folders are the app's."""
    assert Path(app.template_folder, "base.html").exists()
    assert Path(app.static_folder, "css", "app.css").exists()
    assert Path(app.static_folder, "vendor", "htmx.min.js").exists(), "run make (npm build)"


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    """Without SECRET_KEY a random key is written to the instance folder and reused."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load(str(tmp_path))["SECRET_KEY"]
    second = load(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 64
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert load(str(tmp_path / "other"))["SECRET_KEY"] != first


def test_defaults_sqlite_in_instance_folder(tmp_path, monkeypatch):
    """Without DATABASE_URL the app uses a SQLite file in its instance folder."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = load(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/steungroep.sqlite"
    assert config["BABEL_DEFAULT_LOCALE"] == "nl"
    assert config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Amsterdam"


def test_postgres_urls_use_psycopg3():
    """postgres:// and postgresql:// URLs get the psycopg 3 driver."""
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_sqlite_uses_wal(tmp_path, monkeypatch):
    """SQLite connections run in WAL mode with foreign keys on."""
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/wal.sqlite"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


def test_migrations_match_the_models(app):
    """The schema built by the migrations is exactly what the models declare."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_environment_database_url_is_used(tmp_path, monkeypatch):
    """DATABASE_URL from the environment wins over the default."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    assert load(str(tmp_path))["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite")
    assert os.environ["DATABASE_URL"].startswith("sqlite")
