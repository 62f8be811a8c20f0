"""triage: officers' verdicts on flags (the feedback loop)

Revision ID: 0004_triage
Revises: 0003_sources
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0004_triage"
down_revision = "0003_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "triage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("position", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("correct_positions", sa.JSON(), nullable=True),
        sa.Column("user", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["change_id"], ["change.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("triage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_triage_change_id"), ["change_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_triage_position"), ["position"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("triage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_triage_position"))
        batch_op.drop_index(batch_op.f("ix_triage_change_id"))
    op.drop_table("triage")
