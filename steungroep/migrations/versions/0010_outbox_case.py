"""each e-mail in the outbox names the case it is about

Anonymising or erasing a case removed its pending e-mails by a pattern on the key, which
also matched other cases' keys (dates contain the same digits). Now by this column; the
rows already there get it from the evaluation id in their key.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_OUTBOX = sa.table("outbox", sa.column("id", sa.Integer), sa.column("dedupe_key", sa.String),
                   sa.column("case_id", sa.Integer))
_EVALUATIONS = sa.table("evaluations", sa.column("id", sa.Integer),
                        sa.column("cycle_id", sa.Integer))
_CYCLES = sa.table("cycles", sa.column("id", sa.Integer), sa.column("group_id", sa.Integer))
_GROUPS = sa.table("support_groups", sa.column("id", sa.Integer),
                   sa.column("case_id", sa.Integer))


def upgrade():
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch.create_index("ix_outbox_case_id", ["case_id"])
        batch.create_foreign_key("fk_outbox_case_id_cases", "cases", ["case_id"], ["id"],
                                 ondelete="SET NULL")
    bind = op.get_bind()
    case_of = dict(bind.execute(
        sa.select(_EVALUATIONS.c.id, _GROUPS.c.case_id)
        .join(_CYCLES, _CYCLES.c.id == _EVALUATIONS.c.cycle_id)
        .join(_GROUPS, _GROUPS.c.id == _CYCLES.c.group_id)
    ).all())
    for message_id, key in bind.execute(sa.select(_OUTBOX.c.id, _OUTBOX.c.dedupe_key)).all():
        parts = key.split("-")  # "<kind>-<evaluation id>-<yyyy>-<mm>-<dd>-<user id>"
        if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) in case_of:
            bind.execute(_OUTBOX.update().where(_OUTBOX.c.id == message_id)
                         .values(case_id=case_of[int(parts[1])]))


def downgrade():
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_case_id_cases", type_="foreignkey")
        batch.drop_index("ix_outbox_case_id")
        batch.drop_column("case_id")
