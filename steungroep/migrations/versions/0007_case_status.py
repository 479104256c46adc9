"""where each case stands, kept on the case for the coordinator's overview

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("step", sa.String(20), nullable=True))
        batch.add_column(sa.Column("step_due_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("cycle_number", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_index("ix_cases_open_school", "cases", ["school_id", "closed_at"])
    _fill_status(op.get_bind())


# The status as the app computed it at this revision. A copy on purpose: a migration must
# give the same result whatever the app's code says later, so it imports nothing from it.
_CASES = sa.table("cases", sa.column("id", sa.Integer), sa.column("triage", sa.String),
                  sa.column("closed_at", sa.DateTime), sa.column("created_at", sa.DateTime),
                  sa.column("step", sa.String), sa.column("step_due_on", sa.Date),
                  sa.column("cycle_number", sa.Integer),
                  sa.column("last_activity_at", sa.DateTime))
_TALKS = sa.table("pupil_talks", sa.column("case_id", sa.Integer),
                  sa.column("consent", sa.Boolean))
_GROUPS = sa.table("support_groups", sa.column("id", sa.Integer),
                   sa.column("case_id", sa.Integer), sa.column("confirmed_at", sa.DateTime))
_CYCLES = sa.table("cycles", sa.column("id", sa.Integer), sa.column("group_id", sa.Integer),
                   sa.column("number", sa.Integer),
                   sa.column("meeting_completed_at", sa.DateTime),
                   sa.column("meeting_planned_on", sa.Date), sa.column("decision", sa.String))
_EVALUATIONS = sa.table("evaluations", sa.column("cycle_id", sa.Integer),
                        sa.column("kind", sa.String), sa.column("due_on", sa.Date),
                        sa.column("held_on", sa.Date))
_TIMELINE = sa.table("timeline", sa.column("case_id", sa.Integer),
                     sa.column("kind", sa.String), sa.column("at", sa.DateTime))


def _step(triage, closed, talk, consent, confirmed, number, completed, planned_on, decision,
          pupil_eval, group_eval):
    """(step, due date) of one case."""
    if closed or (triage and triage != "herhaald"):
        return "gesloten", None
    if not triage:
        return "triage", None
    if not talk or consent is None:
        return "gesprek", None
    if not consent:
        return "gesloten", None
    if not confirmed:
        return "groep", None
    if not number or not completed:
        return "bijeenkomst", planned_on
    if pupil_eval is None or pupil_eval[1] is None:
        return "evaluatie_leerling", pupil_eval[0] if pupil_eval else None
    if group_eval is None or group_eval[1] is None:
        return "evaluatie_groep", group_eval[0] if group_eval else None
    if not decision:
        return "besluit", None
    return "gesloten", None


def _fill_status(bind) -> None:
    talks = dict(bind.execute(sa.select(_TALKS.c.case_id, _TALKS.c.consent)).all())
    groups = {case_id: (group_id, confirmed) for group_id, case_id, confirmed in bind.execute(
        sa.select(_GROUPS.c.id, _GROUPS.c.case_id, _GROUPS.c.confirmed_at)).all()}
    latest = {}
    for row in bind.execute(sa.select(_CYCLES).order_by(_CYCLES.c.number)).all():
        latest[row.group_id] = row
    evaluations = {(row.cycle_id, row.kind): (row.due_on, row.held_on)
                   for row in bind.execute(sa.select(_EVALUATIONS)).all()}
    activity = dict(bind.execute(
        sa.select(_TIMELINE.c.case_id, sa.func.max(_TIMELINE.c.at))
        .where(_TIMELINE.c.kind.not_in(("gewist", "bewaartermijn")))
        .group_by(_TIMELINE.c.case_id)).all())
    for case in bind.execute(sa.select(_CASES)).all():
        group_id, confirmed = groups.get(case.id, (None, None))
        cycle = latest.get(group_id)
        step, due = _step(
            case.triage, case.closed_at is not None, case.id in talks, talks.get(case.id),
            confirmed is not None, cycle.number if cycle else 0,
            bool(cycle and cycle.meeting_completed_at), cycle.meeting_planned_on if cycle else None,
            cycle.decision if cycle else None,
            evaluations.get((cycle.id, "leerling")) if cycle else None,
            evaluations.get((cycle.id, "groep")) if cycle else None,
        )
        bind.execute(_CASES.update().where(_CASES.c.id == case.id).values(
            step=step, step_due_on=due, cycle_number=cycle.number if cycle else 0,
            last_activity_at=activity.get(case.id) or case.created_at))


def downgrade():
    op.drop_index("ix_cases_open_school", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("last_activity_at")
        batch.drop_column("cycle_number")
        batch.drop_column("step_due_on")
        batch.drop_column("step")
