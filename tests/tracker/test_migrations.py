from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from tracker.database import downgrade, migrate, open_engine
from tracker.errors import DatabaseError

TABLES = {
    "source",
    "instrument",
    "version",
    "change",
    "flag",
    "alert",
    "delivery",
    "crawlrun",
    "user",
    "verdict",
    "alerthandling",
}


def test_migrations_apply_downgrade_and_reapply(database_url: str) -> None:
    """On SQLite and, when the suite runs there, on PostgreSQL."""
    engine = open_engine(database_url)
    migrate(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    migrate(engine)  # idempotent
    downgrade(engine)
    assert not TABLES & set(inspect(engine).get_table_names())
    migrate(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_a_new_sqlite_file_gets_its_folder(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'db' / 'sptrack.db'}")
    migrate(engine)
    assert (tmp_path / "db" / "sptrack.db").is_file()
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"


def test_bad_database_url_is_one_clear_error() -> None:
    with pytest.raises(DatabaseError, match="not a database URL"):
        open_engine("not a url at all")


def test_text_search_indexes_on_postgresql(database_url: str) -> None:
    """On PostgreSQL the search's substring match is served by pg_trgm indexes (on SQLite
    by the FTS5 trigram table)."""
    engine = open_engine(database_url)
    migrate(engine)
    if engine.dialect.name == "postgresql":
        indexes = {i["name"] for i in inspect(engine).get_indexes("version")}
        assert "ix_version_text_trgm" in indexes
        downgrade(engine, "0005_web_tracker")
        indexes = {i["name"] for i in inspect(engine).get_indexes("version")}
        assert "ix_version_text_trgm" not in indexes
    else:
        tables = set(inspect(engine).get_table_names())
        assert "instrument_fts" in tables
    engine.dispose()


def test_every_revision_id_fits_alembic_version_on_postgresql() -> None:
    """PostgreSQL's ``alembic_version.version_num`` is VARCHAR(32): a longer revision id
    migrates on SQLite and fails on PostgreSQL, so it is refused here, on both."""
    from alembic.script import ScriptDirectory

    from tracker.database import MIGRATIONS

    revisions = list(ScriptDirectory(str(MIGRATIONS)).walk_revisions())
    assert len(revisions) >= 12
    too_long = [r.revision for r in revisions if len(r.revision) > 32]
    assert not too_long, too_long
