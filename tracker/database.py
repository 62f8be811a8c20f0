"""The tracker's database: engine, schema migrations, sessions.

Any SQLAlchemy URL works; SQLite (the default) runs in WAL mode with a busy timeout so the
web server and a crawl can share one file. The schema is owned by Alembic migrations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlmodel import Session, create_engine

from tracker.errors import DatabaseError

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


def _sqlite_pragmas(busy_timeout_s: float) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout_s * 1000)}")
        cursor.close()

    return on_connect


def open_engine(url: str, *, busy_timeout_s: float = 30) -> Engine:
    """Create an engine for ``url``; a SQLite file's folder is created if missing. A lock
    held by another process longer than ``busy_timeout_s`` is an error, not a hang. An
    unknown dialect or a missing driver is a :class:`DatabaseError` naming it."""
    try:
        return _open_engine(url, busy_timeout_s)
    except (ArgumentError, ImportError) as exc:
        shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url
        raise DatabaseError(shown, f"cannot open: {exc}") from exc


def _open_engine(url: str, busy_timeout_s: float) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(url, f"not a database URL: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s}
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_s))
        return engine
    options = f"-c lock_timeout={round(busy_timeout_s * 1000)}"
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"options": options})
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (idempotent)."""
    try:
        command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise DatabaseError(str(engine.url), f"cannot migrate: {exc.orig}") from exc


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(engine), revision)


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
