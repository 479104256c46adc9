"""repair: a database that went through the first version of 0018 has no
case_talks.submission_key (the column was added to 0018 after it had landed); add it where it
is missing, change nothing where it is there

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _has_key() -> bool:
    columns = sa.inspect(op.get_bind()).get_columns("case_talks")
    return any(column["name"] == "submission_key" for column in columns)


def upgrade():
    if _has_key():
        return
    with op.batch_alter_table("case_talks") as batch:
        batch.add_column(sa.Column("submission_key", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_case_talks_submission_key", ["submission_key"])


def downgrade():
    pass  # the column belongs to 0018 as it is now; there is nothing of this one to undo
