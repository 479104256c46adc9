"""the day to ask a pupil again (after a 'not yet') is reminded like an evaluation: the
talk remembers for which date it was reminded, and a notice may point to it

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pupil_talks") as batch:
        batch.add_column(sa.Column("reminded_for", sa.Date(), nullable=True))
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("pupil_talk_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_notices_pupil_talk_id_pupil_talks", "pupil_talks",
                                 ["pupil_talk_id"], ["id"])
        batch.create_unique_constraint("uq_notices_pupil_talk_id",
                                       ["pupil_talk_id", "user_id", "kind", "due_on"])


def downgrade():
    op.execute("DELETE FROM notices WHERE pupil_talk_id IS NOT NULL")
    with op.batch_alter_table("notices") as batch:
        batch.drop_constraint("uq_notices_pupil_talk_id", type_="unique")
        batch.drop_constraint("fk_notices_pupil_talk_id_pupil_talks", type_="foreignkey")
        batch.drop_column("pupil_talk_id")
    with op.batch_alter_table("pupil_talks") as batch:
        batch.drop_column("reminded_for")
