"""The database every test that stores something uses.

SQLite, a file in the test's folder, unless ``SPTRACK_TEST_POSTGRES_URL`` names a
PostgreSQL server (``.ci/postgres start`` prints one): then each test gets a database of
its own on that server, dropped afterwards, and the same tests run on PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("SPTRACK_TEST_POSTGRES_URL", "")


def create_database(folder: Path) -> str:
    """A new, empty database's URL: a SQLite file in ``folder``, or a fresh PostgreSQL
    database when the suite runs on PostgreSQL."""
    if not POSTGRES_URL:
        return f"sqlite:///{folder / 'sptrack.db'}"
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    if not POSTGRES_URL:
        return
    name = make_url(url).database
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test."""
    url = create_database(tmp_path)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def new_database() -> Iterator[Callable[[Path], str]]:
    """Make fresh databases that live until the end of the session."""
    made: list[str] = []

    def make(folder: Path) -> str:
        made.append(create_database(folder))
        return made[-1]

    yield make
    for url in made:
        drop_database(url)
