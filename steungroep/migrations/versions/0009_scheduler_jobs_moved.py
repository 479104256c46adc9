"""the scheduler's jobs now live in steungroep.planning.scheduler

The job store keeps each job's function by its dotted name. Stored jobs that name the old
module are removed; the scheduler adds its jobs again at start-up and its reconciliation
recreates every reminder from the evaluation rows (the rows are the truth).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text("DELETE FROM apscheduler_jobs"))


def downgrade():
    op.execute(sa.text("DELETE FROM apscheduler_jobs"))
