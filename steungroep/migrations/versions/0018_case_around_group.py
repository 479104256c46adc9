"""the case around the steungroep: talks and contacts, pupils involved, the stappenplan

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# The defaults of seed 001 §6.1 stap 4-10, as the app wrote them at this revision.
PLAN_STEPS = "\n".join((
    "Plan van aanpak opstellen en met alle betrokkenen delen",
    "Coaching en begeleiding afspreken",
    "Gespreksronde: met de leerling die pestte, de ouders van beide leerlingen",
    "Reflectie en excuses van de leerling die pestte",
    "Bespreking in de groep",
    "Terug in de dagelijkse situatie: de afspraken volgen",
    "Afrondend gesprek met alle betrokkenen",
))


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("plan_steps", sa.Text(), nullable=False,
                                   server_default=PLAN_STEPS))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("step_title", sa.String(200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "case_talks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("party", sa.String(20), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("party_name", sa.String(200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("agreements", sa.Text(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("followed_by_id", sa.Integer(), nullable=True),
        sa.Column("reminded_for", sa.Date(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submission_key", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_talks_case_id_cases"),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupils.id"],
                                name="fk_case_talks_pupil_id_pupils"),
        sa.ForeignKeyConstraint(["followed_by_id"], ["case_talks.id"],
                                name="fk_case_talks_followed_by_id_case_talks"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_case_talks_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_case_talks"),
        sa.UniqueConstraint("submission_key", name="uq_case_talks_submission_key"),
    )
    op.create_index("ix_case_talks_case_id", "case_talks", ["case_id"])
    op.create_index("ix_case_talks_pupil_id", "case_talks", ["pupil_id"])
    op.create_index("ix_case_talks_follow_up_on", "case_talks", ["follow_up_on"])
    op.create_table(
        "case_pupils",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("involvement", sa.String(20), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_pupils_case_id_cases"),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupils.id"],
                                name="fk_case_pupils_pupil_id_pupils"),
        sa.PrimaryKeyConstraint("id", name="pk_case_pupils"),
        sa.UniqueConstraint("case_id", "pupil_id", name="uq_case_pupils_case_id"),
    )
    op.create_index("ix_case_pupils_case_id", "case_pupils", ["case_id"])
    op.create_index("ix_case_pupils_pupil_id", "case_pupils", ["pupil_id"])
    op.create_table(
        "plan_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_plan_steps_case_id_cases"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_plan_steps_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_steps"),
        sa.UniqueConstraint("case_id", "position", name="uq_plan_steps_case_id"),
    )
    op.create_index("ix_plan_steps_case_id", "plan_steps", ["case_id"])
    with op.batch_alter_table("notices") as batch:
        batch.alter_column("evaluation_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("talk_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_notices_talk_id_case_talks", "case_talks",
                                 ["talk_id"], ["id"])
        batch.create_unique_constraint("uq_notices_talk_id",
                                       ["talk_id", "user_id", "kind", "due_on"])


def downgrade():
    op.execute("DELETE FROM notices WHERE evaluation_id IS NULL")
    with op.batch_alter_table("notices") as batch:
        batch.drop_constraint("uq_notices_talk_id", type_="unique")
        batch.drop_constraint("fk_notices_talk_id_case_talks", type_="foreignkey")
        batch.drop_column("talk_id")
        batch.alter_column("evaluation_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("plan_steps")
    op.drop_table("case_pupils")
    op.drop_table("case_talks")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("escalated_at")
        batch.drop_column("step_title")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("plan_steps")
