"""each school's own texts for the letters to parents (seed 004 §2.2 stap 5, seed 003), by
moment; a letter given is a case talk of kind 'brief', which needs no change of its own

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("parent_letters", sa.JSON(), nullable=False,
                                   server_default="{}"))


def downgrade():
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("parent_letters")
