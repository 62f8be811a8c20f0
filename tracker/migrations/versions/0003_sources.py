"""Source health, discovery metadata, per-URL validators

Revision ID: 0003_sources
Revises: 0002_delivery_keys
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003_sources"
down_revision = "0002_delivery_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "health", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="unknown"
            )
        )
        batch_op.add_column(sa.Column("health_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_found", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("cursor", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
    with op.batch_alter_table("instrument", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "edition_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("discovery", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_instrument_edition_key"), ["edition_key"], unique=False)
    with op.batch_alter_table("crawlrun", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("listing_pages", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("found", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("duration_s", sa.Float(), nullable=False, server_default="0"))
    op.create_table(
        "documenturl",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("etag", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("last_modified", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["instrument_id"], ["instrument.id"]),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "url"),
    )
    with op.batch_alter_table("documenturl", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documenturl_source_id"), ["source_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_documenturl_instrument_id"), ["instrument_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("documenturl")
    with op.batch_alter_table("crawlrun", schema=None) as batch_op:
        batch_op.drop_column("duration_s")
        batch_op.drop_column("found")
        batch_op.drop_column("listing_pages")
    with op.batch_alter_table("instrument", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instrument_edition_key"))
        batch_op.drop_column("discovery")
        batch_op.drop_column("edition_key")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_column("cursor")
        batch_op.drop_column("last_found")
        batch_op.drop_column("health_note")
        batch_op.drop_column("health")
