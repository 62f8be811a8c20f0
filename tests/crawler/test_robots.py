"""robots.txt refusals: named by their rule, one source-health notice, a documented override."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sites.ckan import CKAN_DEFAULT_ROBOTS, CkanSite
from sqlmodel import select
from test_source_health import runtime

from app.jobs import crawl
from crawler.robots import refusing_rule
from crawler.spec import SourceSpec
from tests.support.mockserver import WebhookServer, serving
from tests.support.publisher_site import FixtureSite, crawl_site
from tracker.models import Source, SourceNotice


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer()
    with serving(server):
        yield server


def test_the_refusing_rule_is_named() -> None:
    rule = refusing_rule(
        CKAN_DEFAULT_ROBOTS, "https://x.org/api/3/action/package_search?q=1", "SPTracker/0.1"
    )
    assert rule == ("Disallow: /api/", "*")
    assert refusing_rule(CKAN_DEFAULT_ROBOTS, "https://x.org/dataset/a/history", "SPTracker") == (
        "Disallow: /dataset/*/history",
        "*",
    )
    own = "User-agent: *\nDisallow: /a/\n\nUser-agent: SPTracker\nDisallow: /ឯកសារ/\n"
    assert refusing_rule(own, "https://x.org/ឯកសារ/1.pdf", "SPTracker/0.1 (+c)") == (
        "Disallow: /ឯកសារ/",
        "SPTracker",
    )
    assert refusing_rule(own, "https://x.org/a/1.pdf", "SPTracker/0.1") is None


def odc_source(site: FixtureSite, extra: str = "") -> str:
    return f"""[[sources]]
id = "odc-laws"
name = "Open Development Cambodia: laws"
spider = "odc"
start_urls = ["{site.url("/")}"]
allow_private_network = true
{extra}"""


@pytest.mark.slow
def test_ckan_default_robots_is_one_health_notice_naming_the_rule(
    site: FixtureSite, tmp_path: Path, webhook: WebhookServer
) -> None:
    CkanSite(site)
    site.robots = CKAN_DEFAULT_ROBOTS
    rt = runtime(tmp_path, odc_source(site), webhook, positions='["source_health"]')
    [first] = crawl(rt)
    assert first.counts.status == "failed" and first.counts.alerts == 1
    assert "Disallow: /api/" in first.health and "robots.txt" in first.health
    [second] = crawl(rt)
    assert second.counts.alerts == 0, "one notice while the refusal lasts"
    assert len(webhook.received) == 1
    with rt.session() as s:
        notice = s.exec(select(SourceNotice)).one()
        assert "`Disallow: /api/` for User-agent: *" in notice.summary
        source = s.get(Source, "odc-laws")
        assert source is not None and source.health == "broken"
        assert "Disallow: /api/" in (source.health_note or "")


def test_respect_robots_false_is_per_source(site: FixtureSite, tmp_path: Path) -> None:
    CkanSite(site)
    site.robots = CKAN_DEFAULT_ROBOTS
    spec = SourceSpec(
        id="odc-laws", spider="odc", start_urls=(site.url("/"),), allow_private_network=True
    )
    report, docs = crawl_site(spec, tmp_path / "obeyed")
    assert docs == [] and any("Disallow: /api/" in e.error for e in report.errors)
    allowed = replace(spec, respect_robots=False)
    report, docs = crawl_site(allowed, tmp_path / "permitted")
    assert len(docs) == 6 and report.failed == 0
