"""The web interface's language each user chose (``en`` or ``km``; empty: not chosen, the
browser's language decides).

Revision ID: 0010_i18n_user_language
Revises: 0010_pages_triage
Create Date: 2026-12-04
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010_i18n_user_language"
down_revision = "0010_pages_triage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("language")
