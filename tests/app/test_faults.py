"""Faults the machine throws at a crawl: a full disk under the blob store, a locked
database. Each gives a clear, recorded error and loses nothing: the next run completes."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlmodel import select

from app.config_file import load_settings
from app.demo import demo_config
from app.runtime import Runtime
from tests.support.cli import SPTRACK, sptrack
from tests.support.mockserver import SiteServer, WebhookServer
from tracker.models import Alert, CrawlRun, Version


def _config(tmp_path: Path, site: SiteServer, webhook: WebhookServer, database_url: str) -> Path:
    shutil.copyfile(Path(__file__).parents[2] / "positions.toml", tmp_path / "positions.toml")
    config = tmp_path / "config.toml"
    config.write_text(demo_config(site.url, webhook.port, database_url), encoding="utf-8")
    return config


def _crawl_on_a_full_disk(config: Path, blobs: Path) -> subprocess.CompletedProcess[str]:
    """`sptrack crawl` with the blob store on a 64 KiB tmpfs, mounted in a private user and
    mount namespace (no privileges needed, nothing visible outside)."""
    blobs.mkdir(parents=True)
    script = f'mount -t tmpfs -o size=64k tmpfs "{blobs}" && exec "$@"'
    namespace = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"]
    return subprocess.run(
        [*namespace, str(SPTRACK), "crawl", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_full_disk_under_the_blob_store_is_recorded_and_the_next_run_loses_nothing(
    tmp_path: Path, site: SiteServer, webhook: WebhookServer, database_url: str
) -> None:
    if shutil.which("unshare") is None:
        pytest.fail("util-linux's unshare is needed for the full-disk test")
    config = _config(tmp_path, site, webhook, database_url)
    blobs = tmp_path / "data" / "blobs"
    full = _crawl_on_a_full_disk(config, blobs)
    assert "Operation not permitted" not in full.stderr, full.stderr  # namespaces allowed
    assert full.returncode == 0, full.stdout + full.stderr  # partial, not failed: see below
    assert "partial" in full.stdout + full.stderr
    assert "No space left on device" in full.stdout + full.stderr
    assert not list(blobs.glob("**/.tmp-*")), "no half-written blob"
    rt = Runtime(load_settings(config), environ={})
    try:
        spooled = list((tmp_path / "data" / "spool" / "demo-ministry").iterdir())
        assert spooled, "what was fetched stays in the spool"
        with rt.session() as s:
            run = s.exec(select(CrawlRun)).one()
            assert run.status == "partial" and run.failed == 2
            assert all("No space left on device" in e["error"] for e in run.errors)

        again = sptrack("crawl", "--config", str(config))
        assert again.returncode == 0, again.stdout + again.stderr
        with rt.session() as s:
            versions = s.exec(select(Version)).all()
            assert len(versions) == 3, "every document of the first crawl is stored"
            assert all(rt.blobs.exists(v.sha256) for v in versions)
            assert s.exec(select(Alert)).all() == [], "a baseline sends nothing"
        spool = tmp_path / "data" / "spool" / "demo-ministry"
        assert not spool.exists() or not any(spool.iterdir()), "the spool was ingested"
    finally:
        rt.close()


def test_a_locked_database_is_a_clear_error_and_the_next_run_completes(
    tmp_path: Path, site: SiteServer, webhook: WebhookServer
) -> None:
    database = tmp_path / "data" / "sptrack.db"
    config = _config(tmp_path, site, webhook, f"sqlite:///{database}")
    rt = Runtime(load_settings(config), environ={})
    rt.engine  # noqa: B018 - create and migrate the database
    rt.close()
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[storage]", "busy_timeout_s = 1\n\n[storage]"), "utf-8")
    holder = sqlite3.connect(database, timeout=1)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        locked = sptrack("crawl", "--config", str(config))
    finally:
        holder.rollback()
        holder.close()
    assert locked.returncode != 0
    assert "locked" in locked.stdout + locked.stderr
    assert "Traceback" not in locked.stdout + locked.stderr
    again = sptrack("crawl", "--config", str(config))
    assert again.returncode == 0, again.stdout + again.stderr
