"""Sources added or edited on the web (the keys of a config.toml ``[[sources]]`` table).

Revision ID: 0009_source_definitions
Revises: 0009_notice_facts
Create Date: 2026-12-03
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009_source_definitions"
down_revision = "0009_notice_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sourcedefinition",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=True),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("sourcedefinition")
