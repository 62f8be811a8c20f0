"""One crawl through a real Scrapyd daemon on 127.0.0.1 (the scale-out path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.errors import CrawlFailed
from crawler.manifest import read_manifest
from crawler.remote import run_crawl_remote
from tests.support.ports import free_port
from tests.support.publisher_site import FAST, build_publisher, publisher_spec, serve_site

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Scrapyd daemon serving the crawler as the ``[settings]`` project ``sptrack``."""
    home = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (home / "scrapyd.conf").write_text(
        f"""[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {home / "eggs"}
logs_dir = {home / "logs"}
dbs_dir = {home / "dbs"}
items_dir =
max_proc = 2
poll_interval = 0.2

[settings]
sptrack = crawler.settings
""",
        encoding="utf-8",
    )
    # Scrapy itself (``scrapy list`` behind schedule.json) finds the project here.
    (home / "scrapy.cfg").write_text("[settings]\nsptrack = crawler.settings\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with (home / "scrapyd.err").open("wb") as errors:
        daemon = subprocess.Popen(
            [str(Path(sys.executable).with_name("scrapyd"))],
            cwd=home,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/daemonstatus.json", timeout=2) as answer:
                if json.loads(answer.read()).get("status") == "ok":
                    break
        except OSError:
            pass
        assert daemon.poll() is None, (home / "scrapyd.err").read_text()
        assert time.monotonic() < deadline, "Scrapyd did not start"
        time.sleep(0.1)
    yield url
    daemon.terminate()
    daemon.wait(timeout=30)


@pytest.mark.slow
def test_a_crawl_through_scrapyd_writes_the_same_spool(scrapyd: str, tmp_path: Path) -> None:
    with serve_site() as site:
        build_publisher(site)
        out = tmp_path / "spool" / "run-1"
        report = run_crawl_remote(
            publisher_spec(site),
            out,
            {},
            scrapyd_url=scrapyd,
            user_agent="SPTracker-test/0.1 (+tests, via Scrapyd)",
            settings_overrides=FAST,
            timeout_s=120,
        )
        documents = read_manifest(out)
    assert report.finished and report.documents == len(documents) > 0
    assert all(d.status == "fetched" for d in documents)
    for document in documents:
        assert document.blob_path is not None and Path(document.blob_path).is_file()
    assert site.hits and all(
        "via Scrapyd" in hit.headers.get("User-Agent", "") for hit in site.hits
    ), "the setting overrides reach the spider"


def test_an_unreachable_scrapyd_is_a_clear_crawl_error(tmp_path: Path) -> None:
    with serve_site() as site, pytest.raises(CrawlFailed, match="did not answer"):
        run_crawl_remote(
            publisher_spec(site),
            tmp_path / "out",
            {},
            scrapyd_url=f"http://127.0.0.1:{free_port()}",
            user_agent="test",
        )


@pytest.mark.slow
def test_sptrack_crawls_through_scrapyd_when_configured(scrapyd: str, tmp_path: Path) -> None:
    from app.config_file import load_settings
    from app.demo import SITE, demo_config
    from app.jobs import crawl
    from app.runtime import Runtime
    from tests.support.mockserver import SiteServer, WebhookServer, serving

    site, webhook = SiteServer(SITE / "state1"), WebhookServer()
    with serving(site), serving(webhook):
        (tmp_path / "positions.toml").write_bytes((REPO / "positions.toml").read_bytes())
        config = tmp_path / "config.toml"
        text = demo_config(site.url, webhook.port)
        text = text.replace("[crawler]\n", f'[crawler]\nscrapyd_url = "{scrapyd}"\n')
        config.write_text(text, encoding="utf-8")
        rt = Runtime(load_settings(config), environ={})
        try:
            [outcome] = crawl(rt)
        finally:
            rt.close()
    assert (outcome.counts.status, outcome.counts.new) == ("ok", 3), outcome.counts.errors
