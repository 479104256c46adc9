"""Upgrades that cannot drift: a landed migration never changes (its file's hash is held
here), a database that went through the first version of 0018 is repaired by 0022, and a
database upgraded from earlier versions of the schema, with data in it, ends with the same
schema as a fresh one and its pages work. On SQLite and, when TEST_DATABASE_URL is set, on
PostgreSQL."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from steungroep.core.extensions import db

from .. import factories as f
from ..conftest import BACKENDS, make_app, postgres_database

VERSIONS = Path(__file__).resolve().parents[2] / "steungroep" / "migrations" / "versions"

# Every migration that has landed, with the SHA-256 of its file. A landed migration never
# changes: a change to the schema is a new migration (add its file's hash here when it lands).
LANDED = {
    "0001_initial_schema.py": "350586311f0da8adebf6ff4c8190cc607dac6093cdb62f6c4a23bb16d66eccc1",
    "0002_card_tokens.py": "518e3c1a1705adf75eb89f40c1bc3213bb3c6e966217f8db68e6ec4af5e809e6",
    "0003_drop_meeting_where.py":
        "fda36645f61ab677d998c6e43617dceb4fcffbad703cd72f60c91c74403f8a41",
    "0004_reminders.py": "276fde6657ab0855406cb504436a1eea1000aeb878ea792d9ff3e57cc0ed1e18",
    "0005_sessions_audit.py": "312ebcc84cf8bd4c2d55c1e477b285684f32de8da8e5c7d0e46dd8f692c24fbc",
    "0006_retention.py": "b5197cc4544189bf4fd2bdb9a525e440465d670ed44c8985a16e8ea9efb96df1",
    "0007_case_status.py": "4691882307486d908bf54487859e5e1feb6f133a56dcfd1e171fc526ac1bf965",
    "0008_school_data_version.py":
        "fdeb9b13879940b65564d36240a349162966e48a9b693b59c3fc589daf0d66b6",
    "0009_scheduler_jobs_moved.py":
        "33a43a4996e914103817e0ea9a7d4155d8011d3d75c159c81e6af3a35a7befdd",
    "0010_outbox_case.py": "3cc0f5d5fe7140c3de95e55d78791edfe2d174cefa296b1bd3d3923e176f5856",
    "0011_replaced_cards.py": "83204968fba6ec131784f57bb98de80734d86e0cc6b3bc4905a9dc6ea5fc6860",
    "0012_unlock_failures.py": "93e97848b7cbc19b28e0b46108659060235074ab0d000bc07e430ba15a841a40",
    "0013_dossier_roles.py": "ae50ba9c18e2a9061fcea98fcd50d5ab6c7a952ae6dc8450fd794e7230a0724a",
    "0014_evaluation_intervals.py":
        "8d40a06a140bd6821e7cf6625b5ba612a65a594e0d0369030fc12e3b987ba711",
    "0015_melding_facts.py": "141b3461dabe145ae87169d5cb547e86874427357b42574d412f0bcd3d5e1ce2",
    "0016_school_kind.py": "491364a7e09a517f69127cdcc9bb8a97408d00a18d8665643d87ead539fe90c5",
    "0017_inform_parties.py": "0beaad9d46a2a7e382308e6ddeeb0559f856c379fcbd6790eb5d2ba37392bf3f",
    # 0018 as it is now: its first version lacked case_talks.submission_key (0022 repairs)
    "0018_case_around_group.py":
        "73e6b0664b5b4ce5d9fb7bf60b1a2f8822dcef2d7ba750624f4d16237b23eb50",
    "0019_school_sign_in.py": "62425a3b3bf218387da3c4424cf84c3b49934bc5ba1b8ab3a5b1076b58782e90",
    "0020_languages.py": "7320dcd3e10b6921b552464283c7e6333950d0a5c63623decaf23bec78d8deba",
    "0021_boards_and_invitations.py":
        "f1bc1ad413cfaa0899ab8daef7714283d25cce3f96e309afffb00a851a095be1",
    "0022_repair_case_talks_key.py":
        "ece1feebbcf4a80d9d0e3a0ac6e578f5f5ec31b97646dbb2d6280d739acc27c6",
    "0023_first_road.py": "8dcc3831527c6c2259db6de6927ec0c519b8169c6eba21c8384c71397f205a52",
    "0024_ask_again_reminders.py":
        "ea66e06c21b51002b59dda321f8342e58566297f2a0640b43dc058f824f1e615",
    "0025_school_functions.py":
        "59ec219e2171da3c6eb4c02cbbe14d7c0092756ba4e6368813318ddc67f5eb4e",
    "0026_consequences.py":
        "896edba3c2604451a3cc8536b5bab6c4e720ee487cc51909d34370aa790118a7",
    "0027_melding_analysis.py":
        "5449666079777c17775baad0663ba9c11257c8c7820e42cae6c18964df33e839",
    "0030_parent_letters.py":
        "e44aaab16e45e411039f3ec2e644a9df90a02b1ceb2cfee38be148e0f5ca2499",
    "0029_letterbox.py":
        "0a06e418c9a2a17a82caa8e1c7658cf1431c1c9155d4224fe6824fda4477ccff",
    "0028_group_evaluation_again.py":
        "88a9a0437c37a11deedc61c1c2bfaf21332406b107cac349a601f06b70205b9b",
    "0031_practice.py":
        "e6bfe27ec2d2bbbf7639316c6039c68277d7c592f4e6a9fd6027022ae622c21e",
}


def test_landed_migrations_never_change():
    found = {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(VERSIONS.glob("[0-9]*.py"))}
    changed = sorted(name for name in LANDED if found.get(name) != LANDED[name])
    assert changed == [], ("a landed migration changed or went: write a new migration instead "
                           f"of changing {changed}")
    new = sorted(set(found) - set(LANDED))
    assert new == [], f"add the hash of {new} to LANDED when it lands"


def schema(connection) -> dict:
    """Tables with their columns (type, null), keys, foreign keys, unique constraints and
    indexes, as the database reports them; the migrations' bookkeeping left out."""
    inspector = inspect(connection)
    result = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        result[table] = {
            "columns": sorted((c["name"], str(c["type"]).upper(), c["nullable"])
                              for c in inspector.get_columns(table)),
            "primary": sorted(inspector.get_pk_constraint(table)["constrained_columns"]),
            "foreign": sorted((tuple(k["constrained_columns"]), k["referred_table"],
                               tuple(k["referred_columns"]))
                              for k in inspector.get_foreign_keys(table)),
            "unique": sorted(tuple(u["column_names"])
                             for u in inspector.get_unique_constraints(table)),
            "indexes": sorted((tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
        }
    return result


@pytest.fixture(params=BACKENDS)
def fresh_app(request, tmp_path):
    """An app on a database of its own (not the shared test database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/history.sqlite"
    else:
        url = postgres_database("steungroep_history")
    app = make_app(url, str(tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _fresh_schema(tmp_path, backend: str) -> dict:
    url = (f"sqlite:///{tmp_path}/fresh.sqlite" if backend == "sqlite"
           else postgres_database("steungroep_fresh"))
    app = make_app(url, str(tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            found = schema(connection)
        db.engine.dispose()
    return found


def _backend(app) -> str:
    return "sqlite" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else \
        "postgresql"


def _pages_work(app, case_ids: list[int]) -> None:
    client = app.test_client()
    for email, pages in (("anne@a.example", ["/", "/archief",
                                             *[f"/zaken/{i}" for i in case_ids]]),
                         ("sanne@a.example", ["/overzicht", "/statistieken"]),
                         ("beheer@a.example", ["/beheer/personen", "/instellingen"])):
        client.post("/uitloggen")
        assert client.post("/inloggen", data={"email": email,
                                               "password": f.PASSWORD}).status_code == 302
        for page in pages:
            assert client.get(page).status_code == 200, page


def test_a_database_of_the_first_0018_is_repaired(fresh_app, tmp_path):
    """Built when 0018 had no submission_key and upgraded to today's code it said '0021
    (head)' and every case page was a 500: 0022 adds the column where it is missing. (The
    data is made with today's models, at head, before going back to 0021.)"""
    upgrade()
    world = f.make_world()
    case_id = f.case_at(world, "gesprek").id
    db.session.remove()
    downgrade(revision="0021")
    with db.engine.begin() as connection:  # the table as the first 0018 made it
        if _backend(fresh_app) == "sqlite":
            connection.execute(text("PRAGMA foreign_keys=OFF"))
        from alembic.migration import MigrationContext
        from alembic.operations import Operations

        operations = Operations(MigrationContext.configure(connection))
        with operations.batch_alter_table("case_talks") as batch:
            batch.drop_constraint("uq_case_talks_submission_key", type_="unique")
            batch.drop_column("submission_key")
    upgrade()
    with db.engine.connect() as connection:
        assert schema(connection) == _fresh_schema(tmp_path, _backend(fresh_app))
    upgrade()  # once more: nothing to do, nothing changes
    _pages_work(fresh_app, [case_id])


@pytest.mark.parametrize("earlier", ["0006", "0013", "0017", "0020"])
def test_upgrading_from_an_earlier_schema_with_data(fresh_app, tmp_path, earlier):
    """A database at an earlier version, with schools, staff and cases in it, upgraded to
    today's: the same schema as a fresh one, and its pages open."""
    upgrade()
    world = f.make_world()
    cases = [f.case_at(world, step, pupil=world.pupils[i]).id
             for i, step in enumerate(["gesprek", "groep", "evaluatie_leerling", "besluit"])]
    db.session.remove()
    downgrade(revision=earlier)
    upgrade()
    with db.engine.connect() as connection:
        assert schema(connection) == _fresh_schema(tmp_path, _backend(fresh_app))
    _pages_work(fresh_app, cases)


def test_the_schema_check_sees_a_difference(fresh_app, tmp_path):
    """The comparison above can fail: a column missing is seen."""
    upgrade()
    with db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE boards ADD COLUMN extra INTEGER"))
    with db.engine.connect() as connection:
        assert schema(connection) != _fresh_schema(tmp_path, _backend(fresh_app))
    assert os.path.isdir(VERSIONS)
