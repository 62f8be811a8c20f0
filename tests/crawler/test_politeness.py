"""Politeness and safety settings, checked where they act."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.project import get_project_settings
from werkzeug import Request, Response

from crawler.middlewares import backoff_delay
from tests.support.publisher_site import Doc, FixtureSite, crawl_site, pdf_bytes, publisher_spec


def test_project_settings_are_polite() -> None:
    settings = get_project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getint("RETRY_TIMES") >= 1
    assert settings.getbool("COOKIES_ENABLED") is False
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert "crawler.middlewares.BackoffRetryMiddleware" in middlewares


def test_backoff_doubles_up_to_the_cap_and_obeys_retry_after() -> None:
    assert [backoff_delay(n, 2.0, 60.0) for n in (1, 2, 3, 6, 7)] == [2.0, 4.0, 8.0, 60.0, 60.0]
    assert backoff_delay(1, 2.0, 60.0, "30") == 30.0
    assert backoff_delay(1, 2.0, 60.0, "3600") == 60.0, "capped"
    assert backoff_delay(2, 2.0, 60.0, "Wed, 21 Oct 2026 07:28:00 GMT") == 4.0


@pytest.mark.slow
def test_a_busy_server_is_retried_with_backoff(site: FixtureSite, tmp_path: Path) -> None:
    answers = iter([503, 503, 200])
    body = pdf_bytes("after two refusals")

    def flaky(request: Request) -> Response:
        status = next(answers)
        if status == 503:
            return Response("busy", status=503, headers={"Retry-After": "0"})
        return Response(body, content_type="application/pdf")

    site.pages["/listing/"] = "<ul class='docs'><li><a href='/busy.pdf'>Busy</a></li></ul>"
    site.routes["/busy.pdf"] = flaky
    site.docs["/other.pdf"] = Doc(body)
    report, documents = crawl_site(
        publisher_spec(site, next_page=None),
        tmp_path / "out",
        RETRY_ENABLED=True,
        RETRY_TIMES=2,
        RETRY_BACKOFF_BASE=0.01,
    )
    assert [h.status for h in site.hits if h.path == "/busy.pdf"] == [503, 503, 200]
    assert [d.status for d in documents] == ["fetched"] and report.failed == 0


@pytest.mark.slow
def test_the_user_agent_names_the_tracker_and_its_contact(
    site: FixtureSite, tmp_path: Path
) -> None:
    from crawler.run import run_crawl
    from tests.support.publisher_site import FAST

    site.pages["/listing/"] = "<ul class='docs'><li><a href='/a.pdf'>A</a></li></ul>"
    site.docs["/a.pdf"] = Doc(pdf_bytes("a"))
    agent = "SPTracker/0.1 (+https://sp4all.example.org/tracker) tracker@sp4all.example.org"
    run_crawl(publisher_spec(site), tmp_path / "out", {}, user_agent=agent, settings_overrides=FAST)
    assert {h.headers.get("User-Agent") for h in site.hits} == {agent}
    assert site.hits[0].path == "/robots.txt", "robots.txt is read before anything else"


def test_source_settings_reach_the_spider_spec() -> None:
    from app.config import SourceSettings
    from app.crawling import source_spec

    settings = SourceSettings(
        id="ministry",
        start_urls=("https://www.mlvt.gov.kh/index.php/ឯកសារ.html",),
        documents="table a::attr(href)",
        title="td.name",
        query="prakas",
        allowed_domains=("www.mlvt.gov.kh", "mlvt.gov.kh"),
    )
    spec = source_spec(settings, since="2024-01-01T00:00:00")
    assert (spec.title, spec.query, spec.since) == ("td.name", "prakas", "2024-01-01T00:00:00")
    assert spec.allowed_domains == ("www.mlvt.gov.kh", "mlvt.gov.kh")
    assert spec.allow_private_network is False
    default = source_spec(SourceSettings(id="x", start_urls=("https://a.gov.kh/l",), documents="a"))
    assert default.allowed_domains == ("a.gov.kh",), "the start URLs' hosts by default"
