"""Language versions of one instrument (a work with a text per language), the other
language's text of a changed provision, and legal vs translation alerts. Instruments
already stored in two languages whose type, number and date agree are merged into one
work (each keeps its URL and versions).

Revision ID: 0008_language_versions
Revises: 0007_sessions
Create Date: 2026-12-03
"""

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008_language_versions"
down_revision = "0007_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "languageversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("publisher", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attached_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attached_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["instrument_id"], ["instrument.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["instrument.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("instrument_id"),
    )
    with op.batch_alter_table("languageversion") as batch_op:
        batch_op.create_index(batch_op.f("ix_languageversion_work_id"), ["work_id"], unique=False)
    op.create_table(
        "changecounterpart",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["change_id"], ["change.id"]),
        sa.ForeignKeyConstraint(["instrument_id"], ["instrument.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["version.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("change_id", "instrument_id"),
    )
    with op.batch_alter_table("changecounterpart") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_changecounterpart_change_id"), ["change_id"], unique=False
        )
    with op.batch_alter_table("alert") as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="legal"
            )
        )
    _merge_agreeing_pairs()


def _merge_agreeing_pairs() -> None:
    """One work per set of instruments in different languages whose type, number and date
    agree, the first known naming it; a set with two texts in one language is left alone
    (the Secretariat attaches those by hand)."""
    from tracker.languages import role_of, type_key, number_key

    bind = op.get_bind()
    instrument = sa.table(
        "instrument",
        sa.column("id", sa.Integer),
        sa.column("source_id", sa.String),
        sa.column("type", sa.String),
        sa.column("number", sa.String),
        sa.column("signed_date", sa.String),
        sa.column("listing_date", sa.String),
        sa.column("language", sa.String),
        sa.column("issuer", sa.String),
        sa.column("title", sa.String),
    )
    version = sa.table(
        "version",
        sa.column("instrument_id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("fetched_at", sa.DateTime),
        sa.column("id", sa.Integer),
    )
    source = sa.table("source", sa.column("id", sa.String), sa.column("name", sa.String))
    rows = bind.execute(
        sa.select(instrument).where(instrument.c.language != "").order_by(instrument.c.id)
    ).all()
    groups: dict[tuple[str, str, str], list[sa.Row]] = {}
    for row in rows:
        key = (
            type_key(row.type or ""),
            number_key(row.number or ""),
            (row.signed_date or "").strip(),
        )
        if all(key):
            groups.setdefault(key, []).append(row)
    names = dict(bind.execute(sa.select(source.c.id, source.c.name)).all())
    table = sa.table(
        "languageversion",
        *(
            sa.column(name)
            for name in (
                "work_id",
                "instrument_id",
                "language",
                "role",
                "publisher",
                "date",
                "attached_by",
                "attached_at",
            )
        ),
    )
    now = datetime.now(UTC)
    for members in groups.values():
        languages = [m.language for m in members]
        if len(members) < 2 or len(set(languages)) != len(languages):
            continue
        work = members[0].id
        for m in members:
            text = bind.execute(
                sa.select(version.c.text)
                .where(version.c.instrument_id == m.id)
                .order_by(version.c.fetched_at.desc(), version.c.id.desc())
                .limit(1)
            ).scalar()
            bind.execute(
                table.insert().values(
                    work_id=work,
                    instrument_id=m.id,
                    language=m.language,
                    role=role_of(m.language, text or m.title or ""),
                    publisher=m.issuer or names.get(m.source_id) or m.source_id,
                    date=m.signed_date or m.listing_date or "",
                    attached_by="auto",
                    attached_at=now,
                )
            )


def downgrade() -> None:
    with op.batch_alter_table("alert") as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("changecounterpart") as batch_op:
        batch_op.drop_index(batch_op.f("ix_changecounterpart_change_id"))
    op.drop_table("changecounterpart")
    with op.batch_alter_table("languageversion") as batch_op:
        batch_op.drop_index(batch_op.f("ix_languageversion_work_id"))
    op.drop_table("languageversion")
