from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.demo import SITE
from tests.support.mockserver import SiteServer, WebhookServer, serving


@pytest.fixture
def site() -> Iterator[SiteServer]:
    server = SiteServer(SITE / "state1")
    with serving(server):
        yield server


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer()
    with serving(server):
        yield server
