"""the facts a melding is checked against: where, how often, since when, do the parents
know, what was done before (all optional)

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = (
    ("fact_where", sa.String(200)),
    ("fact_frequency", sa.String(20)),
    ("fact_since", sa.String(200)),
    ("fact_parents_know", sa.String(10)),
    ("fact_earlier", sa.Text()),
)


def upgrade():
    with op.batch_alter_table("cases") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("cases") as batch:
        for name, _kind in reversed(COLUMNS):
            batch.drop_column(name)
