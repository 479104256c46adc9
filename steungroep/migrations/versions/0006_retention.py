"""retention: anonymised cases and members, and each school's retention period

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(
            sa.Column("retention_months", sa.Integer(), nullable=False, server_default="12")
        )
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("pupil_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("group_members") as batch:
        batch.alter_column("pupil_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table("group_members") as batch:
        batch.alter_column("pupil_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("purged_at")
        batch.alter_column("pupil_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("retention_months")
