"""Server-side web sessions, disabled users, expiring API tokens, subscription ids that
are never reused (SQLite: AUTOINCREMENT, so a deleted subscription's id and with it its
channel name ``subscription-N`` never comes back for someone else).

Revision ID: 0007_sessions
Revises: 0006_postgres_trigram_search
Create Date: 2026-12-03
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007_sessions"
down_revision = "0006_postgres_trigram_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "websession",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("websession") as batch_op:
        batch_op.create_index(batch_op.f("ix_websession_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(
            sa.Column("disabled", sa.Boolean(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("apitoken") as batch_op:
        batch_op.add_column(
            sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "subscription", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    with op.batch_alter_table("apitoken") as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("disabled")
    with op.batch_alter_table("websession") as batch_op:
        batch_op.drop_index(batch_op.f("ix_websession_user_id"))
    op.drop_table("websession")
