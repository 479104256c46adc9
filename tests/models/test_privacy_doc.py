"""docs/privacy.md stays true as the schema grows: every table and column in the database
after all migrations is described there, and nothing is described that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import inspect

from steungroep import create_app
from steungroep.core.extensions import db

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def documented() -> dict[str, dict[str, tuple[str, str]]]:
    """{table: {column: (what, why)}} from the '### `table`' sections and their tables."""
    tables: dict[str, dict[str, tuple[str, str]]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"### `(\w+)`", line.strip())
        if heading:
            current = tables.setdefault(heading.group(1), {})
            continue
        if line.startswith("## "):
            current = None
        row = re.match(r"\|\s*`(\w+)`\s*\|([^|]*)\|([^|]*)\|", line)
        if current is not None and row:
            assert row.group(1) not in current, f"{row.group(1)} twice"
            current[row.group(1)] = (row.group(2).strip(), row.group(3).strip())
    return tables


def migrated_schema(tmp_path, monkeypatch) -> dict[str, set[str]]:
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/schema.sqlite"})
    with app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        schema = {
            table: {column["name"] for column in inspector.get_columns(table)}
            for table in inspector.get_table_names()
        }
        models = {
            table.name: {c.name for c in table.columns}
            for table in db.metadata.tables.values()
        }
        db.engine.dispose()
    # The migrations build exactly what the models describe (plus the scheduler's and
    # Alembic's own tables).
    assert {t: schema.get(t) for t in models} == models
    return schema


def test_every_table_and_column_is_documented(tmp_path, monkeypatch):
    schema = migrated_schema(tmp_path, monkeypatch)
    doc = documented()
    assert set(schema) - set(doc) == set(), "tables missing from docs/privacy.md"
    assert set(doc) - set(schema) == set(), "docs/privacy.md describes tables that do not exist"
    for table, columns in schema.items():
        assert columns - set(doc[table]) == set(), f"{table}: columns missing from the doc"
        assert set(doc[table]) - columns == set(), f"{table}: the doc has columns that do not exist"
        for column, (what, why) in doc[table].items():
            assert what and why, f"{table}.{column}: say what it is and why it is kept"


def test_the_doc_covers_what_a_dpia_asks():
    text = DOC.read_text(encoding="utf-8")
    for heading in ["## Waar de gegevens staan", "## Wat de server verlaat", "## Wie ziet wat",
                    "## Bewaartermijnen", "## Een verzoek om inzage",
                    "## Een verzoek om verwijdering"]:
        assert heading in text
    assert len(documented()) >= 20
