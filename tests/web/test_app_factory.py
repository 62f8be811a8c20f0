"""create_app: settings and sessions are dependencies a caller can override."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tracker.database import migrate, open_engine
from web.app import create_app
from web.dependencies import get_session, get_settings
from web.errors import SettingError
from web.settings import WebSettings

SECRET = "another-test-secret-0123456789"


def test_settings_need_a_real_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingError) as caught:
        WebSettings(database_url="sqlite://", storage_path=tmp_path, secret_key="short")
    assert caught.value.name == "secret_key" and "5 characters" in str(caught.value)


def test_overriding_settings_opens_the_pages(tracker_db: Any) -> None:
    settings = WebSettings(
        database_url=tracker_db.url, storage_path=tracker_db.storage, secret_key=SECRET
    )
    app = create_app(settings)
    app.dependency_overrides[get_settings] = lambda: replace(settings, public_read=True)
    with TestClient(app) as client:
        assert client.get("/instruments", follow_redirects=False).status_code == 200


def test_overriding_the_session_points_the_app_at_another_database(
    tracker_db: Any, tmp_path: Path
) -> None:
    empty = open_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(empty)
    settings = WebSettings(
        database_url=tracker_db.url,
        storage_path=tracker_db.storage,
        secret_key=SECRET,
        public_read=True,
        site_name="Test Tracker",
    )
    app = create_app(settings)

    def empty_session() -> Iterator[Session]:
        with Session(empty) as session:
            yield session

    app.dependency_overrides[get_session] = empty_session
    try:
        with TestClient(app) as client:
            assert client.get("/api/instruments").json() == []
            page = client.get("/")
            assert "<title>Dashboard · Test Tracker</title>" in page.text
            assert "No alerts yet." in page.text
    finally:
        empty.dispose()
