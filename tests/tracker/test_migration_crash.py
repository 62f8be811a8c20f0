"""kill -9 in the middle of a migration: the database stays at the revision it had, and the
next command migrates it. On SQLite and, when the suite runs there, on PostgreSQL.

The killed process migrates as every command does first (``tracker.database.migrate``) and
stops (sleeps) right after the statement named, so the kill lands inside the migration."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from tests.support.cli import REPO, console_env, sptrack
from tracker.database import MIGRATIONS, migrate, open_engine

#: Migrate the database, stopping for good after the first statement holding NEEDLE.
PAUSING_MIGRATION = """
import sys, time
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.engine import Engine
from tracker.database import migrate, open_engine

url, needle, marker = sys.argv[1], sys.argv[2], Path(sys.argv[3])

@event.listens_for(Engine, "after_cursor_execute")
def stop_here(conn, cursor, statement, parameters, context, executemany):
    if needle in statement:
        marker.write_text(statement)
        time.sleep(600)

migrate(open_engine(url))
"""


def _config(tmp_path: Path, database_url: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{database_url}"\n[storage]\npath = "{tmp_path / "blobs"}"\n',
        encoding="utf-8",
    )
    return config


def _kill_after(needle: str, database_url: str, tmp_path: Path) -> None:
    marker = tmp_path / "stopped"
    marker.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSING_MIGRATION, database_url, needle, str(marker)],
        cwd=REPO,
        env=console_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    try:
        while not marker.exists():
            if process.poll() is not None:
                pytest.fail(f"ended before {needle!r}: {process.stderr.read().decode()}")
            assert time.monotonic() < deadline, f"never reached {needle!r}"
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL


def _revision(database_url: str) -> str | None:
    engine = open_engine(database_url)
    try:
        if "alembic_version" not in inspect(engine).get_table_names():
            return None
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def _head_revision() -> str:
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


def _tables(database_url: str) -> set[str]:
    engine = open_engine(database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _users_list_works(config: Path) -> None:
    """`sptrack users list` through the console script's entry point, in this process (the
    process that matters, the one killed, is a process of its own)."""
    listed = sptrack("users", "list", "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    assert "already exists" not in listed.stderr


def test_kill_9_during_the_first_migration(tmp_path: Path, database_url: str) -> None:
    # Killed after the first migration created its first tables (source, then instrument).
    _kill_after("CREATE TABLE instrument", database_url, tmp_path)
    assert _revision(database_url) is None
    assert _tables(database_url) <= {"alembic_version"}, "no table of a half-made schema"
    _users_list_works(_config(tmp_path, database_url))  # it migrates
    assert _revision(database_url) is not None
    assert {"source", "instrument", "websession"} <= _tables(database_url)


def test_kill_9_during_an_upgrade(tmp_path: Path, database_url: str) -> None:
    engine = open_engine(database_url)
    migrate(engine, "0004_triage")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (id, name, spider, baseline_done, consecutive_failures) "
                "VALUES ('moj', 'ក្រសួងយុត្តិធម៌ Ministry of Justice', 'listing', true, 0)"
            )
        )
    engine.dispose()
    # 0005 made its first table; then comes the rest of it.
    _kill_after("CREATE TABLE auditentry", database_url, tmp_path)
    assert _revision(database_url) == "0004_triage"
    assert "auditentry" not in _tables(database_url)
    engine = open_engine(database_url)
    migrate(engine)  # what the next command does first
    assert _revision(database_url) == _head_revision()
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM source")).scalars().all()
    engine.dispose()
    assert names == ["ក្រសួងយុត្តិធម៌ Ministry of Justice"]
