"""Parameters over time: every labelled rate, amount and period of an instrument with the
history of its values (filled for existing stores by ``sptrack parameters --rebuild``).

Revision ID: 0009_parameters
Revises: 0009_source_definitions
Create Date: 2026-12-03
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009_parameters"
down_revision = "0009_source_definitions"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.create_table(
        "parameter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("key", _TEXT, nullable=False),
        sa.Column("label", _TEXT, nullable=False),
        sa.Column("unit", _TEXT, nullable=False),
        sa.Column("ref", _TEXT, nullable=False),
        sa.Column("heading", _TEXT, nullable=False),
        sa.Column("positions", sa.JSON(), nullable=True),
        sa.Column("last_version_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["instrument_id"], ["instrument.id"]),
        sa.ForeignKeyConstraint(["last_version_id"], ["version.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instrument_id", "key"),
    )
    with op.batch_alter_table("parameter") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parameter_instrument_id"), ["instrument_id"], unique=False
        )
    op.create_table(
        "parametervalue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parameter_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("text", _TEXT, nullable=False),
        sa.Column("ref", _TEXT, nullable=False),
        sa.Column("clause", sa.Text(), nullable=True),
        sa.Column("sha256", _TEXT, nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("effective_date", _TEXT, nullable=False),
        sa.ForeignKeyConstraint(["parameter_id"], ["parameter.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("parametervalue") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parametervalue_parameter_id"), ["parameter_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("parametervalue") as batch_op:
        batch_op.drop_index(batch_op.f("ix_parametervalue_parameter_id"))
    op.drop_table("parametervalue")
    with op.batch_alter_table("parameter") as batch_op:
        batch_op.drop_index(batch_op.f("ix_parameter_instrument_id"))
    op.drop_table("parameter")
