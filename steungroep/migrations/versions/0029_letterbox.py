"""the digital letterbox (seed 002 §3-4): letters, each school's letterbox address, and who
reads it

Revision ID: 0029
Revises: 0028
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("letterbox_token", sa.String(64), nullable=True))
    schools = sa.table("schools", sa.column("id", sa.Integer),
                       sa.column("letterbox_token", sa.String))
    connection = op.get_bind()
    for (school_id,) in connection.execute(sa.select(schools.c.id)).all():
        connection.execute(schools.update().where(schools.c.id == school_id)
                           .values(letterbox_token=secrets.token_urlsafe(24)))
    with op.batch_alter_table("schools") as batch:
        batch.alter_column("letterbox_token", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_schools_letterbox_token", ["letterbox_token"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("reads_letters", sa.Boolean(), nullable=False, server_default="0"))
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("school_id", sa.Integer(), sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("writer", sa.String(10), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("where", sa.String(200), nullable=False),
        sa.Column("about", sa.String(100), nullable=False),
        sa.Column("wants_talk", sa.String(10), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("class_name", sa.String(50), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True)),
        sa.Column("read_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("answered_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="SET NULL")),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("close_reason", sa.String(20), nullable=False),
        sa.Column("close_note", sa.String(200), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
    )
    op.create_index("ix_letters_school_id", "letters", ["school_id"])
    op.create_index("ix_letters_created_at", "letters", ["created_at"])
    op.create_index("ix_letters_case_id", "letters", ["case_id"])


def downgrade():
    op.drop_index("ix_letters_case_id", "letters")
    op.drop_index("ix_letters_created_at", "letters")
    op.drop_index("ix_letters_school_id", "letters")
    op.drop_table("letters")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("reads_letters")
    with op.batch_alter_table("schools") as batch:
        batch.drop_constraint("uq_schools_letterbox_token", type_="unique")
        batch.drop_column("letterbox_token")
