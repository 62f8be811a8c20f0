from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tracker.database import open_engine


@pytest.fixture
def engine(migrated_database_url: str) -> Iterator[Engine]:
    engine = open_engine(migrated_database_url)
    yield engine
    engine.dispose()
