"""a school's type (basisonderwijs, voortgezet onderwijs, mbo) chooses the words pupils read

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="po"))


def downgrade():
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("kind")
