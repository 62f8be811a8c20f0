"""`sptrack add`: a document added by hand goes through the same pipeline as a crawled one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from app.config_file import load_settings
from app.runtime import Runtime
from tests.support.cli import FIXTURES, sptrack
from tests.support.mockserver import WebhookServer, serving
from tracker.models import Alert, Instrument, Version

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer()
    with serving(server):
        yield server


def _config(tmp_path: Path, webhook: WebhookServer) -> Path:
    (tmp_path / "positions.toml").write_bytes((REPO / "positions.toml").read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(
        f"""[database]
url = "sqlite:///data/t.db"

[[channels]]
name = "hook"
url = "json://127.0.0.1:{webhook.port}/alerts"
""",
        encoding="utf-8",
    )
    return config


@pytest.mark.slow
def test_added_versions_are_compared_matched_and_alerted(
    tmp_path: Path, webhook: WebhookServer
) -> None:
    config = _config(tmp_path, webhook)
    title = "អនុក្រឹត្យលេខ ៣៨ ស្តីពីរបបសោធននិវត្តន៍"
    args = ["--source", "mef-budget", "--title", title, "--config", str(config)]
    first = sptrack("add", str(FIXTURES / "subdecree_km_v1.pdf"), *args, "--number", "៣៨")
    assert first.returncode == 0, first.stderr
    assert "1 new" in first.stdout
    second = sptrack("add", str(FIXTURES / "subdecree_km_v2.pdf"), *args)
    assert second.returncode == 0, second.stderr
    assert "1 changed" in second.stdout and "1 alert;" in second.stdout
    again = sptrack("add", str(FIXTURES / "subdecree_km_v2.pdf"), *args)
    assert "1 unchanged" in again.stdout and "0 alerts" in again.stdout
    rt = Runtime(load_settings(config), environ={})
    with rt.session() as s:
        instrument = s.exec(select(Instrument)).one()
        assert (instrument.title, instrument.number, instrument.source_id) == (
            title,
            "៣៨",
            "mef-budget",
        )
        assert instrument.url.startswith("upload://mef-budget/")
        assert len(s.exec(select(Version)).all()) == 2
        alerts = s.exec(select(Alert)).all()
    assert len(alerts) == len(webhook.received) >= 1
    assert "៦%" in json.dumps(webhook.received, ensure_ascii=False)


def test_a_missing_file_or_bad_source_is_one_clear_line(
    tmp_path: Path, webhook: WebhookServer
) -> None:
    config = _config(tmp_path, webhook)
    missing = sptrack(
        "add",
        str(tmp_path / "nope.pdf"),
        "--source",
        "mef",
        "--title",
        "x",
        "--config",
        str(config),
    )
    assert missing.returncode == 1 and "nope.pdf" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad = sptrack(
        "add",
        str(FIXTURES / "budget_en.pdf"),
        "--source",
        "MEF!",
        "--title",
        "x",
        "--config",
        str(config),
    )
    assert bad.returncode == 1 and "--source" in bad.stderr
