"""The migrations build exactly the schema the models declare: the tables, columns, their
types, nullability, indexes, unique constraints and foreign keys (Alembic's autogenerate
comparison finds nothing to add, drop or alter). Only the search index, made by raw SQL in
a migration and known to no model, is the database's own: SQLite's FTS5 tables,
PostgreSQL's trigram indexes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers the tables)
from tracker.database import open_engine


def _is_search_index(difference: object) -> bool:
    if not isinstance(difference, tuple):
        return False
    kind, item = difference[0], difference[1]
    return (kind == "remove_table" and item.name.startswith("instrument_fts")) or (
        kind == "remove_index" and item.name.endswith("_trgm")
    )


def test_migrated_schema_is_the_models_schema(migrated_database_url: str) -> None:
    engine = open_engine(migrated_database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert [d for d in differences if not _is_search_index(d)] == []
