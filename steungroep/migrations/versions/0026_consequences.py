"""consequences for a pupil who bullied or joined in (time-out, a talk with the parents, a
suspension of 1-5 school days, removal), staff only

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consequences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_consequences_case_id_cases"),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupils.id"],
                                name="fk_consequences_pupil_id_pupils"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_consequences_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_consequences"),
    )
    op.create_index("ix_consequences_case_id", "consequences", ["case_id"])
    op.create_index("ix_consequences_pupil_id", "consequences", ["pupil_id"])


def downgrade():
    op.drop_index("ix_consequences_pupil_id", "consequences")
    op.drop_index("ix_consequences_case_id", "consequences")
    op.drop_table("consequences")
