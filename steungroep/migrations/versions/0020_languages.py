"""the language of each staff member's pages and of each school's pupil cards and slips

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(5), nullable=False,
                                   server_default="nl"))
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("language", sa.String(5), nullable=False,
                                   server_default="nl"))


def downgrade():
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
