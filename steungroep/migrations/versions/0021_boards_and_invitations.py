"""school boards, a school's BRIN, board admins, one-time invitation links, and accounts
made on a first login with the school's account

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

FIRST_BOARD = "Schoolbestuur"


def upgrade():
    op.create_table(
        "boards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_boards"),
        sa.UniqueConstraint("name", name="uq_boards_name"),
    )
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("board_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("brin", sa.String(6), nullable=True))
        batch.create_foreign_key("fk_schools_board_id_boards", "boards", ["board_id"], ["id"])
        batch.create_unique_constraint("uq_schools_brin", ["brin"])
        batch.create_index("ix_schools_board_id", ["board_id"])
    # The schools that exist already belong to one board, named so an admin can rename it.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM schools")).scalar():
        bind.execute(sa.text("INSERT INTO boards (name) VALUES (:name)"), {"name": FIRST_BOARD})
        board_id = bind.execute(sa.text("SELECT id FROM boards WHERE name = :name"),
                                {"name": FIRST_BOARD}).scalar()
        bind.execute(sa.text("UPDATE schools SET board_id = :b"), {"b": board_id})
    with op.batch_alter_table("schools") as batch:
        batch.alter_column("board_id", existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("board_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_users_board_id_boards", "boards", ["board_id"], ["id"])

    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_invitations_user_id_users"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL",
                                name="fk_invitations_created_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
    )
    op.create_index("ix_invitations_user_id", "invitations", ["user_id"])

    with op.batch_alter_table("school_sign_ins") as batch:
        batch.add_column(sa.Column("create_accounts", sa.Boolean(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("domains", sa.String(300), nullable=False,
                                   server_default=""))


def downgrade():
    with op.batch_alter_table("school_sign_ins") as batch:
        batch.drop_column("domains")
        batch.drop_column("create_accounts")
    op.drop_index("ix_invitations_user_id", table_name="invitations")
    op.drop_table("invitations")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("fk_users_board_id_boards", type_="foreignkey")
        batch.drop_column("board_id")
    with op.batch_alter_table("schools") as batch:
        batch.drop_index("ix_schools_board_id")
        batch.drop_constraint("uq_schools_brin", type_="unique")
        batch.drop_constraint("fk_schools_board_id_boards", type_="foreignkey")
        batch.drop_column("brin")
        batch.drop_column("board_id")
    op.drop_table("boards")
