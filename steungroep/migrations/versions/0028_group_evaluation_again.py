"""each school chooses whether the decision after the group evaluation may be one last group
evaluation a week later, without a new meeting (seed 002 stap 4); such an evaluation is a
row of kind 'groep2' in evaluations, which needs no change of its own

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(
            sa.Column("group_eval_again", sa.Boolean(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("group_eval_again")
