"""a practice case (seed 002 §3: "2 x per jaar oefent het team de supportgroep aanpak"):
the case and the class of made-up pupils it is played with are marked, so that nothing real
counts them and the nightly housekeeping removes them after a week

Revision ID: 0031
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("practice", sa.Boolean(), nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("school_classes") as batch:
        batch.add_column(sa.Column("practice", sa.Boolean(), nullable=False,
                                   server_default="0"))


def downgrade():
    with op.batch_alter_table("school_classes") as batch:
        batch.drop_column("practice")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("practice")
