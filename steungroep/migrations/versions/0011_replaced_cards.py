"""a retired card link knows whether it was replaced by a new card

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("retired_card_tokens") as batch:
        batch.add_column(
            sa.Column("replaced", sa.Boolean(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("retired_card_tokens") as batch:
        batch.drop_column("replaced")
