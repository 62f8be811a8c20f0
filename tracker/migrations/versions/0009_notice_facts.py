"""What a source notice says as data (``facts``), so that a notice is worded in each
reader's language when it is sent; notices without facts keep their one stored summary.

Revision ID: 0009_notice_facts
Revises: 0008_language_versions
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_notice_facts"
down_revision = "0008_language_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sourcenotice") as batch_op:
        batch_op.add_column(sa.Column("facts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sourcenotice") as batch_op:
        batch_op.drop_column("facts")
