"""which road a school's protocol takes first when bullying repeats: the steungroep or the
school's own stappenplan (mbo schools start with the stappenplan)

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("first_road", sa.String(20), nullable=False,
                                   server_default="steungroep"))
    op.execute("UPDATE schools SET first_road = 'stappenplan' WHERE kind = 'mbo'")


def downgrade():
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("first_road")
