from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.demo import SITE, SiteServer, WebhookServer, serving


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
