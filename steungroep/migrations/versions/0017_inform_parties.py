"""each school's list of who is informed when a steungroep starts

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("inform_parties", sa.String(100), nullable=False,
                                   server_default="directie,ib,smw,ouders"))


def downgrade():
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("inform_parties")
