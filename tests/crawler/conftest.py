"""Fixtures for crawler tests: a publisher's site on 127.0.0.1 (tests/support/publisher_site.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.publisher_site import FixtureSite, serve_site


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    """An empty site; tests fill it in (build_publisher for the standard one)."""
    with serve_site() as fixture:
        yield fixture


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
