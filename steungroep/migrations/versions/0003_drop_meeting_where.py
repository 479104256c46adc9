"""drop support_groups.meeting_where (never used: the invitations ask for the place)

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("support_groups") as batch:
        batch.drop_column("meeting_where")


def downgrade():
    with op.batch_alter_table("support_groups") as batch:
        batch.add_column(
            sa.Column("meeting_where", sa.String(length=200), nullable=False, server_default="")
        )
