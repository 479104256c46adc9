"""each school's evaluation intervals, in school days

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(
            sa.Column("pupil_eval_days", sa.Integer(), nullable=False, server_default="5")
        )
        batch.add_column(
            sa.Column("group_eval_days", sa.Integer(), nullable=False, server_default="10")
        )


def downgrade():
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("group_eval_days")
        batch.drop_column("pupil_eval_days")
