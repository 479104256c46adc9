"""card tokens per group member, and retired tokens

Revision ID: 0002
Revises: 0001
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("group_members") as batch:
        batch.add_column(sa.Column("card_token", sa.String(length=64), nullable=True))
    members = sa.table("group_members", sa.column("id", sa.Integer), sa.column("card_token"))
    connection = op.get_bind()
    for (member_id,) in connection.execute(sa.select(members.c.id)).all():
        connection.execute(
            members.update()
            .where(members.c.id == member_id)
            .values(card_token=secrets.token_urlsafe(24))
        )
    with op.batch_alter_table("group_members") as batch:
        batch.alter_column("card_token", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_group_members_card_token", ["card_token"])
    op.create_table(
        "retired_card_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retired_card_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_retired_card_tokens_token")),
    )


def downgrade():
    op.drop_table("retired_card_tokens")
    with op.batch_alter_table("group_members") as batch:
        batch.drop_constraint("uq_group_members_card_token", type_="unique")
        batch.drop_column("card_token")
