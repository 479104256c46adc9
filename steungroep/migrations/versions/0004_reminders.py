"""school calendar, reminders, outbox, calendar feed, and the scheduler's job table

Revision ID: 0004
Revises: 0003
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(
            sa.Column("region", sa.String(length=10), nullable=False, server_default="midden")
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("calendar_token", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_users_calendar_token", ["calendar_token"])
    with op.batch_alter_table("cycles") as batch:
        batch.add_column(sa.Column("meeting_planned_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("meeting_planned_time", sa.Time(), nullable=True))
    with op.batch_alter_table("evaluations") as batch:
        batch.add_column(sa.Column("reminded_for", sa.Date(), nullable=True))
        batch.add_column(sa.Column("escalated_for", sa.Date(), nullable=True))
    # Evaluations already past when reminders arrive count as reminded: the first start of
    # the scheduler must not flood teachers and coordinators with old news (the home page
    # shows them as overdue anyway).
    evaluations = sa.table(
        "evaluations",
        sa.column("due_on", sa.Date()),
        sa.column("held_on", sa.Date()),
        sa.column("reminded_for", sa.Date()),
        sa.column("escalated_for", sa.Date()),
    )
    op.execute(
        evaluations.update()
        .where(evaluations.c.due_on < date.today(), evaluations.c.held_on.is_(None))
        .values(reminded_for=evaluations.c.due_on, escalated_for=evaluations.c.due_on)
    )

    op.create_table(
        "days_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name="fk_days_off_school_id_schools", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_days_off"),
        sa.UniqueConstraint("school_id", "day", name="uq_days_off_school_id"),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_notices_user_id_users"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_notices_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["evaluation_id"], ["evaluations.id"], name="fk_notices_evaluation_id_evaluations"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
        sa.UniqueConstraint(
            "user_id", "evaluation_id", "kind", "due_on", name="uq_notices_user_id"
        ),
    )
    op.create_index("ix_notices_user_id", "notices", ["user_id"])
    op.create_index("ix_notices_case_id", "notices", ["case_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("to_address", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    )
    op.create_index("ix_outbox_status", "outbox", ["status"])
    # APScheduler 3.x's SQLAlchemy job store, created here so the schema has one owner
    # (the job store's own create_all then finds it present).
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_apscheduler_jobs"),
    )
    op.create_index("ix_apscheduler_jobs_next_run_time", "apscheduler_jobs", ["next_run_time"])


def downgrade():
    op.drop_index("ix_apscheduler_jobs_next_run_time", table_name="apscheduler_jobs")
    op.drop_table("apscheduler_jobs")
    op.drop_index("ix_outbox_status", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_notices_case_id", table_name="notices")
    op.drop_index("ix_notices_user_id", table_name="notices")
    op.drop_table("notices")
    op.drop_table("days_off")
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_column("escalated_for")
        batch.drop_column("reminded_for")
    with op.batch_alter_table("cycles") as batch:
        batch.drop_column("meeting_planned_time")
        batch.drop_column("meeting_planned_on")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_calendar_token", type_="unique")
        batch.drop_column("calendar_token")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("region")
