"""Source health through the real jobs: run records, fail-loud alerts, editions linked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sites.ckan import SEARCH, CkanSite
from sites.k2 import LISTING, K2Site
from sites.nextjs import NextSite
from sites.wordpress import WordPressSite
from sqlmodel import col, select
from werkzeug import Response

import evaluation
from alerts.deliver.source_health import FAILURES_BEFORE_ALERT, judge
from app.config_file import load_settings
from app.jobs import crawl
from app.runtime import Runtime
from tests.support.mockserver import WebhookServer, serving
from tests.support.publisher_site import Doc, FixtureSite, pdf_bytes
from tracker import history
from tracker.models import Alert, CrawlRun, Instrument, NoticeDelivery, Source, SourceNotice

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer()
    with serving(server):
        yield server


def runtime(
    tmp_path: Path, sources: str, webhook: WebhookServer, positions: str = '["*"]'
) -> Runtime:
    (tmp_path / "positions.toml").write_bytes((REPO / "positions.toml").read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(
        f"""[database]
url = "sqlite:///data/t.db"

[crawler]
delay_s = 0

{sources}

[[channels]]
name = "hook"
url = "json://127.0.0.1:{webhook.port}/alerts"
positions = {positions}
""",
        encoding="utf-8",
    )
    return Runtime(load_settings(config), environ={})


def listing_site(site: FixtureSite, count: int) -> None:
    items = "".join(f'<li><a href="/d/{n}.pdf">Prakas {n}</a></li>' for n in range(count))
    site.pages["/docs"] = f"<html><body><ul class='docs'>{items}</ul></body></html>"
    for n in range(count):
        site.docs[f"/d/{n}.pdf"] = Doc(pdf_bytes(f"doc {n}"))


def generic(site: FixtureSite) -> str:
    return f"""[[sources]]
id = "ministry"
name = "A ministry"
start_urls = ["{site.url("/docs")}"]
documents = "ul.docs a::attr(href)"
allow_private_network = true"""


def test_judge_rules() -> None:
    assert (
        judge(status="ok", pages=1, found=5, last_found=5, consecutive_failures=0).broken is False
    )
    assert (
        judge(status="ok", pages=1, found=4, last_found=5, consecutive_failures=0).broken is False
    )
    assert judge(status="failed", pages=1, found=0, last_found=5, consecutive_failures=1).broken
    assert judge(status="ok", pages=1, found=2, last_found=10, consecutive_failures=0).broken
    down = judge(status="failed", pages=0, found=0, last_found=5, consecutive_failures=2)
    assert down.broken is False, "a site down for a day is not yet broken"
    third = judge(
        status="failed",
        pages=0,
        found=0,
        last_found=5,
        consecutive_failures=FAILURES_BEFORE_ALERT,
        first_error="HTTP 503",
    )
    assert third.broken and "3 runs in a row: HTTP 503" in third.reason


@pytest.mark.slow
def test_a_listing_that_suddenly_yields_nothing_alerts_once(
    site: FixtureSite, tmp_path: Path, webhook: WebhookServer
) -> None:
    listing_site(site, 3)
    rt = runtime(tmp_path, generic(site), webhook)
    [first] = crawl(rt)
    assert (first.counts.found, first.counts.listing_pages, first.health) == (3, 1, "")
    with rt.session() as s:
        source = s.get(Source, "ministry")
        assert source is not None and (source.health, source.last_found) == ("ok", 3)

    site.pages["/docs"] = "<html><body><div class='cards'>ឯកសារ</div></body></html>"
    [broken] = crawl(rt)
    assert "no documents" in broken.health and broken.counts.alerts == 1
    assert "SOURCE BROKEN" in broken.line()
    assert len(webhook.received) == 1
    assert "A ministry" in str(webhook.received[0])
    [again] = crawl(rt)
    assert again.counts.alerts == 0 and len(webhook.received) == 1, "one alert per episode"

    listing_site(site, 3)
    [healed] = crawl(rt)
    assert healed.health == ""
    with rt.session() as s:
        source = s.get(Source, "ministry")
        assert source is not None and source.health == "ok" and source.health_note is None
        runs = s.exec(select(CrawlRun).order_by(col(CrawlRun.id))).all()
        assert [r.found for r in runs] == [3, 0, 0, 3]
        assert all(r.duration_s > 0 and r.listing_pages == 1 for r in runs)
        assert s.exec(select(Alert)).all() == [], "a notice, not an alert about an instrument"
        notice = s.exec(select(SourceNotice)).one()
        assert (notice.source_id, notice.kind, notice.severity) == ("ministry", "broken", "high")
        assert "no documents" in notice.summary
        assert {d.status for d in s.exec(select(NoticeDelivery))} == {"sent"}


@pytest.mark.slow
def test_three_failed_runs_in_a_row_alert(
    site: FixtureSite, tmp_path: Path, webhook: WebhookServer
) -> None:
    listing_site(site, 2)
    rt = runtime(tmp_path, generic(site), webhook, positions='["source_health"]')
    crawl(rt)
    del site.pages["/docs"]  # the listing answers 404 from now on
    outcomes = [crawl(rt)[0] for _ in range(FAILURES_BEFORE_ALERT)]
    assert [o.counts.status for o in outcomes] == ["failed"] * 3
    assert [bool(o.health) for o in outcomes] == [False, False, True]
    assert "HTTP 404" in outcomes[-1].health
    assert len(webhook.received) == 1


@pytest.mark.slow
def test_odc_editions_and_discovery_metadata_reach_the_instruments(
    site: FixtureSite, tmp_path: Path, webhook: WebhookServer
) -> None:
    CkanSite(site)
    source = f"""[[sources]]
id = "odc-laws"
spider = "odc"
start_urls = ["{site.url("/")}"]
allow_private_network = true"""
    rt = runtime(tmp_path, source, webhook)
    [outcome] = crawl(rt)
    assert outcome.counts.found == 3 and outcome.counts.documents == 6
    with rt.session() as s:
        km = s.exec(
            select(Instrument).where(col(Instrument.url).endswith("sub-decree-1-km.pdf"))
        ).one()
        assert (km.title, km.number, km.language) == ("អនុក្រឹត្យស្តីពីសោធននិវត្តន៍", "៣២ អនក្រ.បក", "km")
        assert (km.type, km.status, km.signed_date) == ("sub_decree", "in_force", "2021-03-01")
        assert km.discovery is not None and km.discovery["odc_name"] == "sub-decree-1"
        two = s.exec(
            select(Instrument).where(col(Instrument.url).endswith("sub-decree-2-en.pdf"))
        ).one()
        assert two.discovery is not None and two.discovery["previous"] == ["sub-decree-1"]
        [en] = history.editions(s, km)
        assert en.url.endswith("sub-decree-1-en.pdf") and en.number == "32 ANK.BK"
        source_row = s.get(Source, "odc-laws")
        assert source_row is not None and source_row.cursor == "2024-03-10T08:00:00.000001"


@pytest.mark.slow
def test_an_unreadable_document_is_not_downloaded_again(
    site: FixtureSite, tmp_path: Path, webhook: WebhookServer
) -> None:
    listing_site(site, 1)
    site.pages["/docs"] = site.pages["/docs"].replace(
        "</ul>", '<li><a href="/d/broken.pdf">ខូច</a></li></ul>'
    )
    corrupt = (evaluation.DOCUMENTS / "corrupt_truncated.pdf").read_bytes()
    site.docs["/d/broken.pdf"] = Doc(corrupt)
    rt = runtime(tmp_path, generic(site), webhook)
    [first] = crawl(rt)
    assert first.counts.status == "partial", first.counts.errors
    assert any("broken.pdf" in e["url"] for e in first.counts.errors)
    site.hits.clear()
    [second] = crawl(rt)
    assert (second.counts.status, second.counts.not_modified, second.counts.failed) == ("ok", 2, 0)
    assert [h.status for h in site.hits if h.path == "/d/broken.pdf"] == [304]


def _break_wordpress(site: FixtureSite) -> None:
    for path in list(site.routes):
        site.routes[path] = lambda request: Response("<html>maintenance</html>", status=200)
    site.pages["/legal-documents/"] = "<html><body><div class='grid'>redesigned</div></body></html>"


def _break_ckan(site: FixtureSite) -> None:
    site.routes[SEARCH] = lambda request: Response(
        json.dumps({"success": True, "result": {"count": 0, "results": []}}),
        content_type="application/json",
    )


def _break_k2(site: FixtureSite) -> None:
    site.pages[LISTING] = "<html><body><div class='uk-grid'>ឯកសារ</div></body></html>"


def _break_next(site: FixtureSite) -> None:
    for path in [p for p in site.pages if "/publications" in p]:
        site.pages[path] = "<html><body><div id='__next'>Coming soon</div></body></html>"


PUBLISHERS = {
    "nssf": (WordPressSite, "/legal-documents/", _break_wordpress),
    "odc": (CkanSite, "/", _break_ckan),
    "mlvt": (K2Site, LISTING, _break_k2),
    "nspc": (NextSite, "/en/publications", _break_next),
}


@pytest.mark.slow
@pytest.mark.parametrize("spider", sorted(PUBLISHERS))
def test_a_changed_layout_trips_each_spiders_health_check(
    spider: str, site: FixtureSite, tmp_path: Path, webhook: WebhookServer
) -> None:
    build, start, breaks = PUBLISHERS[spider]
    build(site)
    source = f"""[[sources]]
id = "{spider}-fixture"
name = "{spider} fixture"
spider = "{spider}"
start_urls = ["{site.url(start)}"]
allow_private_network = true"""
    rt = runtime(tmp_path, source, webhook, positions='["source_health"]')
    [healthy] = crawl(rt)
    assert healthy.counts.found >= 3 and healthy.health == "", healthy.counts.errors
    breaks(site)
    [broken] = crawl(rt)
    assert broken.counts.found == 0 and "layout changed?" in broken.health
    assert len(webhook.received) == 1, "the source-broken alert, and nothing else"
    with rt.session() as s:
        row = s.get(Source, f"{spider}-fixture")
        assert row is not None and row.health == "broken" and row.health_note
