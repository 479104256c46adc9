"""the protocols' analysis at the melding (seed 000 "Controle van feiten"; seed 004 §1.2 and
§2.2 stap 2): when, what the pupil tried and wants, who helps, how serious, the group's part
and the pupil's own word for it; all optional

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

COLUMNS = (("fact_when", sa.String(200)), ("fact_tried", sa.Text()), ("fact_wants", sa.Text()),
           ("fact_helpers", sa.String(200)), ("fact_severity", sa.String(20)),
           ("fact_group", sa.Text()), ("fact_view", sa.String(10)))


def upgrade():
    with op.batch_alter_table("cases") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("cases") as batch:
        for name, _kind in reversed(COLUMNS):
            batch.drop_column(name)
