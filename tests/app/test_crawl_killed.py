"""kill -9 of `sptrack crawl` alone (not its process group): the crawl process it started
sees its parent go and stops within seconds (not at ``crawler.timeout_s``, an hour here),
its report says why, and the next crawl marks the run left ``running`` as ``interrupted``
and ingests what the orphan fetched."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.config_file import load_settings
from app.crawling import CLOSE_GRACE_S
from app.ingest import SourceOutcome, now
from app.jobs import INTERRUPTED, ORPHANED, close_interrupted_runs, recover_spool
from app.runtime import Runtime
from crawler.manifest import read_report
from crawler.run import PARENT_GONE
from tests.support.cli import FIXTURES, SPTRACK
from tests.support.mockserver import MockServer, QuietHandler, serving
from tracker.models import CrawlRun, Source, Version

PAGES = 8
DOCUMENTS = 3  # on the first listing pages; the rest only lead on
TIMEOUT_S = 3600  # the crawl timeout cannot be what stops the orphan
PDF = (FIXTURES / "budget_en.pdf").read_bytes()
#: The orphan finishes the listing page it is waiting for (``SlowListing.delay``), then stops
#: (measured: 2-6 s; under heavy load more).
ORPHAN_STOPS_WITHIN_S = 15


class SlowListing(MockServer):
    """Listing pages /list/0 .. /list/PAGES-1, the first DOCUMENTS with a document each,
    every page after the first ``delay`` seconds late: the listing takes far longer than
    the test waits. ``hits`` counts the downloads of each document."""

    def __init__(self) -> None:
        self.delay = 2.0
        super().__init__(_Handler)


class _Handler(QuietHandler):
    server: SlowListing

    def do_GET(self) -> None:
        if self.path.startswith("/list/"):
            number = int(self.path.rsplit("/", 1)[1])
            if number:
                time.sleep(self.server.delay)
            more = (
                f'<a class="next" href="/list/{number + 1}">next</a>' if number + 1 < PAGES else ""
            )
            link = (
                f'<li><a href="/doc-{number}.pdf">អនុក្រឹត្យ Sub-decree {number}</a></li>'
                if number < DOCUMENTS
                else ""
            )
            body = f'<html><body><ul class="docs">{link}</ul>{more}</body></html>'.encode()
            self.send_body(200, body)
        elif self.path.startswith("/doc-"):
            self.server.hits[self.path] += 1
            self.send_body(200, PDF + f"\n% copy {self.path}\n".encode(), "application/pdf")
        else:
            self.send_error(404)


def _config(tmp_path: Path, site: str, database_url: str) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f"""[database]
url = "{database_url}"
[storage]
path = "{tmp_path / "blobs"}"
[crawler]
delay_s = 0
timeout_s = {TIMEOUT_S}
spool = "{tmp_path / "spool"}"
[reading]
ocr = false
[[sources]]
id = "slow"
name = "Slow ministry"
start_urls = ["{site}/list/0"]
documents = "ul.docs a::attr(href)"
next_page = "a.next::attr(href)"
allow_private_network = true
max_pages = {PAGES}
""",
        encoding="utf-8",
    )
    return config


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_kill_9_of_the_crawl_command_alone(tmp_path: Path, database_url: str) -> None:
    site = SlowListing()
    with serving(site):
        config = _config(tmp_path, site.origin, database_url)
        command = subprocess.Popen(
            [str(SPTRACK), "crawl", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # so the test can clean up whatever is left
        )
        orphans: list[int] = []
        started = time.monotonic()
        try:
            deadline = time.monotonic() + 120
            while not site.hits:
                assert command.poll() is None, "the crawl ended before it could be killed"
                assert time.monotonic() < deadline, "the crawl never fetched a document"
                time.sleep(0.05)
            orphans = _children(command.pid)
            assert orphans, "the crawl runs in a process of its own"
            command.send_signal(signal.SIGKILL)  # the command only, not its group
            command.wait(timeout=30)
            killed_at = time.monotonic()
            print(f"killed {killed_at - started:.1f} s after the start")
            while any(_alive(pid) for pid in orphans):
                stopped_after = time.monotonic() - killed_at
                assert stopped_after < ORPHAN_STOPS_WITHIN_S, "the orphaned crawl kept going"
                time.sleep(0.1)
            print(f"the orphan stopped {time.monotonic() - killed_at:.1f} s after the kill")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(command.pid, signal.SIGKILL)
        fetched_by_orphan = dict(site.hits)
        assert 1 <= len(fetched_by_orphan) < DOCUMENTS, "the orphan stopped before the end"
        (left,) = (p for p in (tmp_path / "spool" / "slow").iterdir())
        report = read_report(left)
        assert report is not None and report.finish_reason == PARENT_GONE
        assert report.documents == len(fetched_by_orphan), "its manifest and report complete"

        rt = Runtime(load_settings(config), environ={})
        try:
            with rt.session() as s:
                (run,) = s.exec(select(CrawlRun)).all()
                assert run.status == "running" and run.finished_at is None
            # What the next crawl does first (a crawl of its own would then fetch the rest
            # conditionally: tests/app/test_pipeline.py).
            outcome = SourceOutcome("slow")
            recover_spool(rt, "slow", outcome, older_than_s=TIMEOUT_S)
            assert outcome.counts.new == len(fetched_by_orphan) and outcome.counts.failed == 0
            with rt.session() as s:
                run = s.exec(select(CrawlRun)).one()
                assert run.status == "interrupted" and run.finished_at is not None
                assert run.errors[-1]["error"] == ORPHANED
                versions = s.exec(select(Version)).all()
            assert sorted(v.url for v in versions) == sorted(
                site.origin + p for p in fetched_by_orphan
            )
            assert not any((tmp_path / "spool" / "slow").iterdir()), "the spool is ingested"
        finally:
            rt.close()


def test_a_run_older_than_the_crawl_timeout_is_interrupted(
    tmp_path: Path, database_url: str
) -> None:
    """A process killed while it ingested (its crawl had ended) leaves its run ``running``:
    once older than the crawl timeout it cannot still be going, and is closed."""
    rt = Runtime(load_settings(_config(tmp_path, "http://127.0.0.1:9", database_url)), {})
    try:
        at = now()
        age = timedelta(seconds=TIMEOUT_S + CLOSE_GRACE_S)
        with rt.session() as s:
            s.add(Source(id="slow", name="Slow ministry", spider="listing"))
            s.commit()
            for started in (at - age - timedelta(seconds=1), at - age + timedelta(seconds=60)):
                s.add(CrawlRun(source_id="slow", started_at=started))
            s.commit()
        assert close_interrupted_runs(rt, "slow", at) == 1
        with rt.session() as s:
            old, recent = s.exec(select(CrawlRun).order_by(col(CrawlRun.id))).all()
        assert old.status == "interrupted" and old.errors[-1]["error"] == INTERRUPTED
        assert recent.status == "running" and recent.finished_at is None
    finally:
        rt.close()
