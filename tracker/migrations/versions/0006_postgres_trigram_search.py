"""PostgreSQL: trigram indexes (pg_trgm) for the tracker's text search.

Khmer has no spaces between words, so word-based full-text search (tsvector) cannot find a
Khmer word inside a run of text; any three characters can. With ``pg_trgm``'s GIN indexes
the search's case-insensitive substring match (ILIKE) is served by an index on titles,
numbers and version texts. SQLite has its own FTS5 trigram table (0005). Creating the
extension needs a role allowed to; without it the search still works, unindexed.

Revision ID: 0006_postgres_trigram_search
Revises: 0005_web_tracker
Create Date: 2026-11-27
"""

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0006_postgres_trigram_search"
down_revision = "0005_web_tracker"
branch_labels = None
depends_on = None

logger = logging.getLogger("alembic.runtime.migration")

INDEXES = {
    "ix_instrument_title_trgm": ("instrument", "title"),
    "ix_instrument_number_trgm": ("instrument", "number"),
    "ix_version_text_trgm": ("version", "text"),
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        logger.warning("pg_trgm not available (%s): text search stays unindexed", exc.orig)
        return
    for name, (table, column) in INDEXES.items():
        bind.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for name in INDEXES:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
