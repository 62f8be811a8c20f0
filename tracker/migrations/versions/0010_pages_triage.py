"""Which way a flag goes for the coalition (``flag.direction``), and the officer an alert is
assigned to (``alerttriage.assignee``), for the one-step triage (issue 16).

Revision ID: 0010_pages_triage
Revises: 0009_parameters
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_pages_triage"
down_revision = "0009_parameters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("flag") as batch_op:
        batch_op.add_column(sa.Column("direction", sa.String(), nullable=False, server_default=""))
    with op.batch_alter_table("alerttriage") as batch_op:
        batch_op.add_column(sa.Column("assignee", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("alerttriage") as batch_op:
        batch_op.drop_column("assignee")
    with op.batch_alter_table("flag") as batch_op:
        batch_op.drop_column("direction")
