"""where each case stands, kept on the case for the coordinator's overview

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("step", sa.String(20), nullable=True))
        batch.add_column(sa.Column("step_due_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("cycle_number", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_index("ix_cases_open_school", "cases", ["school_id", "closed_at"])
    # Fill the new columns for the cases already there, with the same code that keeps them
    # up to date from now on (it reads only columns that exist at this revision).
    from steungroep.status import refresh_all

    refresh_all(op.get_bind(), bump_versions=False)  # data_version arrives in 0008


def downgrade():
    op.drop_index("ix_cases_open_school", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("last_activity_at")
        batch.drop_column("cycle_number")
        batch.drop_column("step_due_on")
        batch.drop_column("step")
