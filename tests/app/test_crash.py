"""kill -9 during ingest: the next run stores every document once, no half-written blob,
no duplicate change or alert, and a baseline cut short is still a baseline."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.config_file import load_settings
from app.demo import SITE, demo_config
from app.runtime import Runtime
from tests.support.cli import SPTRACK, sptrack
from tests.support.mockserver import SiteServer, WebhookServer, serving
from tracker.models import Alert, Change, Instrument, Version

DOCUMENTS = 12
EDITED = frozenset({0, 1, 3, 4, 6, 7, 9, 10})
PDF = "wp-content/uploads/2024/03/sub-decree-38-pension-km.pdf"  # v2 raises the rates


def _build_site(root: Path, edited: frozenset[int] = frozenset()) -> None:
    """A listing of DOCUMENTS PDFs, each with its own bytes; ``edited`` ones raise the
    contribution rate (a flagged change)."""
    uploads = root / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    v1, v2 = (SITE / "state1" / PDF).read_bytes(), (SITE / "state2" / PDF).read_bytes()
    links = []
    for i in range(DOCUMENTS):
        body = (v2 if i in edited else v1) + f"\n% copy {i}\n".encode()
        (uploads / f"doc-{i}.pdf").write_bytes(body)
        links.append(f'<li><a href="/uploads/doc-{i}.pdf">Document {i}</a></li>')
    (root / "legal-documents").mkdir(exist_ok=True)
    page = "<html><body><ul class='docs'>" + "".join(links) + "</ul></body></html>"
    (root / "legal-documents" / "index.html").write_text(page, encoding="utf-8")


def _crawl(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(SPTRACK), "crawl", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes its children too
    )


def _kill_during_ingest(rt: Runtime, config: Path, stored_before: int) -> int:
    """Start a crawl, kill -9 its whole group once ingest has stored a version."""
    process = _crawl(config)
    deadline = time.monotonic() + 120
    stored = stored_before
    try:
        while stored == stored_before:
            assert process.poll() is None, f"the crawl ended before it could be killed ({stored})"
            assert time.monotonic() < deadline, "ingest never started"
            time.sleep(0.02)
            with rt.session() as s:
                stored = s.exec(select(func.count()).select_from(Version)).one()
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return stored


def _assert_no_half_written_blob(rt: Runtime) -> None:
    """Every file stored under a sha256 name holds exactly those bytes (a write cut short
    can only leave a ``.tmp-`` file, which no reader ever opens)."""
    for path in rt.blobs.root.glob("*/*/*"):
        if not path.name.startswith(".tmp-"):
            rt.blobs.get(path.name)


def _finish(config: Path) -> None:
    done = sptrack("crawl", "--config", str(config))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_kill_9_during_ingest_loses_nothing_and_duplicates_nothing(
    tmp_path: Path, database_url: str
) -> None:
    site_root = tmp_path / "site"
    _build_site(site_root)
    site, webhook = SiteServer(site_root), WebhookServer()
    with serving(site), serving(webhook):
        shutil.copyfile(Path(__file__).parents[2] / "positions.toml", tmp_path / "positions.toml")
        config = tmp_path / "config.toml"
        text = demo_config(site.url, webhook.port, database_url)
        config.write_text(text.replace("\nnext_page", "\n#next_page"), encoding="utf-8")
        rt = Runtime(load_settings(config), environ={})
        try:
            # 1. The baseline crawl is killed part-way through ingest.
            stored = _kill_during_ingest(rt, config, 0)
            assert stored < DOCUMENTS, "killed before ingest finished"
            _finish(config)
            with rt.session() as s:
                versions = s.exec(select(Version)).all()
                assert len(versions) == DOCUMENTS
                assert len({v.sha256 for v in versions}) == DOCUMENTS
                assert len(s.exec(select(Instrument)).all()) == DOCUMENTS
                assert s.exec(select(Alert)).all() == [], "still a baseline: nothing alerted"
                for version in versions:
                    rt.blobs.get(version.sha256)  # present, and its bytes match its name
            _assert_no_half_written_blob(rt)

            # 2. Eight documents change; that crawl is killed part-way through ingest too.
            _build_site(site_root, edited=EDITED)
            _kill_during_ingest(rt, config, DOCUMENTS)
            _finish(config)
            _finish(config)  # and a repeated crawl adds nothing
            with rt.session() as s:
                assert len(s.exec(select(Version)).all()) == DOCUMENTS + len(EDITED)
                changes = s.exec(select(Change)).all()
                keys = Counter((c.new_version_id, c.kind, c.old_ref, c.new_ref) for c in changes)
                assert max(keys.values()) == 1, "no change recorded twice"
                alerts = s.exec(select(Alert)).all()
                assert len(alerts) == len(EDITED), "one alert per changed document"
                assert len({a.version_id for a in alerts}) == len(EDITED)
            assert len(webhook.received) == len(EDITED), "each alert delivered once"
            _assert_no_half_written_blob(rt)
        finally:
            rt.close()
