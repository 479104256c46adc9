"""The app factory and configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from steungroep import create_app
from steungroep.core.config import load, normalise_database_url
from steungroep.core.extensions import db
from steungroep.planning.scheduler import SCHEDULER_TABLE


def test_templates_and_static_are_found(app):
    """The package's own templates/ and static/ folders are the app's."""
    assert Path(app.root_path, app.template_folder, "base.html").exists()
    assert Path(app.root_path) == Path(__file__).resolve().parents[2] / "steungroep"
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


def test_processes_starting_together_share_one_secret_key(tmp_path):
    """Gunicorn's workers (or test workers) starting on a new server at the same moment all
    end up with the same key, and none fails."""
    code = ("import sys; from steungroep.core.config import load; "
            "print(load(sys.argv[1])['SECRET_KEY'])")
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    starts = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(8)]
    results = [process.communicate(timeout=60) for process in starts]
    assert [err for _, err in results if err] == []
    keys = {out.strip() for out, _ in results}
    assert keys == {(tmp_path / "secret_key").read_text()} and len(keys.pop()) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


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


def include_object(obj, name, type_, reflected, compare_to):
    """The scheduler's job table is created by a migration but is not a model."""
    return not (type_ == "table" and name == SCHEDULER_TABLE) and not (
        type_ == "index" and name.startswith("ix_" + SCHEDULER_TABLE)
    )


def test_migrations_match_the_models(app):
    """The schema built by the migrations is exactly what the models declare."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_environment_database_url_is_used(tmp_path, monkeypatch):
    """DATABASE_URL from the environment wins over the default."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    assert load(str(tmp_path))["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite")
    assert os.environ["DATABASE_URL"].startswith("sqlite")


def test_upgrade_keeps_data_and_gives_every_member_a_card(tmp_path, monkeypatch):
    """Upgrading a SQLite database with groups and actions from revision 0001 keeps every
    row, gives each member a distinct card token, and leaves no broken foreign key."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/old.sqlite"})
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            conn.execute(text(
                "insert into schools(id,name) values(1,'S');"
            ))
            for statement in [
                "insert into school_classes values(1,1,'g6','2026-2027')",
                "insert into pupils(id,school_id,class_id,first_name) values"
                " (1,1,1,'A'),(2,1,1,'B'),(3,1,1,'C')",
                "insert into users(id,name,email,password_hash,role,active)"
                " values(1,'T','t@x','h','teacher',1)",
                "insert into cases(id,school_id,pupil_id,teacher_id,reported_on,source,"
                "description,triage,triage_note,outcome_note,created_at) values"
                " (1,1,1,1,'2026-11-02','ouder','d','herhaald','','','2026-11-02')",
                "insert into support_groups(id,case_id,meeting_where) values(1,1,'')",
                "insert into group_members(id,group_id,pupil_id,role,joined_cycle)"
                " values(1,1,2,'helper',1),(2,1,3,'aanvoerder',1)",
                "insert into cycles(id,group_id,number,decision_note) values(1,1,1,'')",
                "insert into actions(id,cycle_id,member_id,text,updated_at)"
                " values(1,1,1,'Ik ga helpen','2026-11-02')",
                # one evaluation long past, one far ahead
                "insert into evaluations(id,cycle_id,kind,due_on,changed,still_needed,notes)"
                " values(1,1,'leerling','2020-01-06','','',''),(2,1,'groep','2099-01-05','','','')",
            ]:
                conn.execute(text(statement))
        upgrade()
        with db.engine.connect() as conn:
            tokens = conn.execute(text("select card_token from group_members")).scalars().all()
            assert len(tokens) == 2 and len(set(tokens)) == 2 and all(len(t) >= 32 for t in tokens)
            assert conn.execute(text("select count(*) from actions")).scalar() == 1
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.execute(text("select count(*) from support_groups")).scalar() == 1
            # Reminders arrive with 0004: the past evaluation counts as reminded (no flood of
            # old e-mails on the scheduler's first start); the coming one will be reminded.
            rows = conn.execute(
                text("select id, reminded_for, escalated_for from evaluations order by id")
            ).all()
            assert [tuple(map(str, r)) for r in rows] == [
                ("1", "2020-01-06", "2020-01-06"), ("2", "None", "None")
            ]
            assert conn.execute(text("select region from schools")).scalar() == "midden"
        db.engine.dispose()


def test_the_built_app_is_kept_out_of_full_garbage_collections(tmp_path, monkeypatch):
    """Built for serving (no test config), the app freezes what exists then: the
    collector's full passes skip it. GC_FREEZE=0 leaves it to the collector."""
    import gc

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/gc.sqlite")
    monkeypatch.setenv("SECRET_KEY", "x")
    gc.unfreeze()
    try:
        monkeypatch.setenv("GC_FREEZE", "0")
        create_app()
        assert gc.get_freeze_count() == 0
        monkeypatch.setenv("GC_FREEZE", "1")
        create_app()
        assert gc.get_freeze_count() > 10_000
        frozen = gc.get_freeze_count()
        create_app({"TESTING": True})  # a test's app freezes nothing more
        assert gc.get_freeze_count() <= frozen  # (frozen objects freed since lower it)
    finally:
        gc.unfreeze()
