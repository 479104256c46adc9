"""the idle lock counts wrong passwords on the server, per login session

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("login_sessions") as batch:
        batch.add_column(
            sa.Column("unlock_failures", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("login_sessions") as batch:
        batch.drop_column("unlock_failures")
