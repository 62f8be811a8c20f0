"""exactly-once deliveries (idempotency key, claim owner) and source-health notices

Revision ID: 0002_delivery_keys
Revises: 0001
Create Date: 2026-11-27
"""

from uuid import uuid4

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002_delivery_keys"
down_revision = "0001"
branch_labels = None
depends_on = None


def _outbox_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempt_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column("attempt_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM delivery"))]
    for row_id in ids:
        connection.execute(
            sa.text("UPDATE delivery SET key = :key WHERE id = :id"),
            {"key": uuid4().hex, "id": row_id},
        )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.alter_column(
            "key", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
        )
        batch_op.create_unique_constraint("uq_delivery_key", ["key"])

    op.create_table(
        "sourcenotice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("sourcenotice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sourcenotice_source_id"), ["source_id"], unique=False)

    op.create_table(
        "noticedelivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        *_outbox_columns(),
        sa.ForeignKeyConstraint(["notice_id"], ["sourcenotice.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notice_id", "channel"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("noticedelivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_noticedelivery_notice_id"), ["notice_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_noticedelivery_channel"), ["channel"], unique=False)
        batch_op.create_index(batch_op.f("ix_noticedelivery_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("noticedelivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_noticedelivery_status"))
        batch_op.drop_index(batch_op.f("ix_noticedelivery_channel"))
        batch_op.drop_index(batch_op.f("ix_noticedelivery_notice_id"))
    op.drop_table("noticedelivery")
    with op.batch_alter_table("sourcenotice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sourcenotice_source_id"))
    op.drop_table("sourcenotice")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_constraint("uq_delivery_key", type_="unique")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("attempt_key")
        batch_op.drop_column("key")
