"""kill -9 of `sptrack crawl` alone (not its process group): the crawl process it started
stops by itself soon after ``crawler.timeout_s``, the run left ``running`` is marked
``interrupted`` by the next crawl, and that crawl ingests what the orphan fetched, each
document once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sptrack_cli import FIXTURES, SPTRACK, sptrack
from sqlmodel import col, select

from app.config import load_settings
from app.demo import serving
from app.jobs import CLOSE_GRACE_S, INTERRUPTED
from app.runtime import Runtime
from tracker.models import CrawlRun, Version

PAGES = 30
DOCUMENTS = 3  # on the first listing pages; the rest only lead on
TIMEOUT_S = 10  # the least crawler.timeout_s allowed
PDF = (FIXTURES / "budget_en.pdf").read_bytes()


class SlowListing(ThreadingHTTPServer):
    """Listing pages /list/0 .. /list/PAGES-1, the first DOCUMENTS with a document each,
    every page ``delay`` seconds late: the whole listing takes a minute, far longer than
    the crawl timeout."""

    daemon_threads = True

    def __init__(self) -> None:
        self.delay = 2.0
        self.pages_served = 0
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: SlowListing

    def do_GET(self) -> None:
        if self.path.startswith("/list/"):
            number = int(self.path.rsplit("/", 1)[1])
            time.sleep(self.server.delay)
            self.server.pages_served += 1
            more = (
                f'<a class="next" href="/list/{number + 1}">next</a>' if number + 1 < PAGES else ""
            )
            link = (
                f'<li><a href="/doc-{number}.pdf">អនុក្រឹត្យ Sub-decree {number}</a></li>'
                if number < DOCUMENTS
                else ""
            )
            body = f'<html><body><ul class="docs">{link}</ul>{more}</body></html>'.encode()
            kind = "text/html; charset=utf-8"
        elif self.path.startswith("/doc-"):
            body, kind = PDF + f"\n% copy {self.path}\n".encode(), "application/pdf"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


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
        config = _config(tmp_path, site.url, database_url)
        crawl = subprocess.Popen(
            [str(SPTRACK), "crawl", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # so the test can clean up whatever is left
        )
        orphans: list[int] = []
        try:
            deadline = time.monotonic() + 120
            while site.pages_served < 1:
                assert crawl.poll() is None, "the crawl ended before it could be killed"
                assert time.monotonic() < deadline, "the crawl never fetched a page"
                time.sleep(0.05)
            orphans = _children(crawl.pid)
            assert orphans, "the crawl runs in a process of its own"
            crawl.send_signal(signal.SIGKILL)  # the command only, not its group
            crawl.wait(timeout=30)
            killed_at = time.monotonic()
            # The orphan stops by itself: its spider closes a little after the timeout.
            limit = killed_at + TIMEOUT_S + CLOSE_GRACE_S + 10
            while any(_alive(pid) for pid in orphans):
                assert time.monotonic() < limit, "the orphaned crawl outlived its timeout"
                time.sleep(0.2)
        finally:
            os.killpg(crawl.pid, signal.SIGKILL)
        fetched_by_orphan = site.pages_served
        assert 1 <= fetched_by_orphan < PAGES, "the orphan stopped before the end"

        rt = Runtime(load_settings(config), environ={})
        try:
            with rt.session() as s:
                (left,) = s.exec(select(CrawlRun)).all()
                assert left.status == "running" and left.finished_at is None
            site.delay = 0
            done = sptrack("crawl", "--config", str(config))
            assert done.returncode == 0, done.stdout + done.stderr
            with rt.session() as s:
                first, second = s.exec(select(CrawlRun).order_by(col(CrawlRun.id))).all()
                assert first.status == "interrupted" and first.finished_at is not None
                assert first.errors[-1]["error"] == INTERRUPTED
                assert second.status == "ok" and second.finished_at is not None
                versions = s.exec(select(Version)).all()
            urls = sorted(v.url for v in versions)
            assert urls == sorted(f"{site.url}/doc-{n}.pdf" for n in range(DOCUMENTS))
            assert len({v.sha256 for v in versions}) == DOCUMENTS, "each document stored once"
            assert not any((tmp_path / "spool" / "slow").iterdir()), "the spool is ingested"
        finally:
            rt.close()
