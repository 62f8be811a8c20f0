"""WordPress spiders (NSSF, MoSVY, pressocm, NSAF) against a WordPress-shaped site."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from sites.wordpress import POST_PDF, UPLOADS, WordPressSite

from crawler.spec import SourceSpec
from tests.support.publisher_site import FixtureSite, crawl_site, validators_of

PDFS = {u.path for u in UPLOADS if u.mime_type == "application/pdf"}


def spec(site: FixtureSite, spider: str = "nssf", **changes: object) -> SourceSpec:
    values: dict[str, object] = {
        "id": "wp-fixture",
        "spider": spider,
        "start_urls": (site.url("/legal-documents/"),),
        "allow_private_network": True,
    }
    values.update(changes)
    return SourceSpec(**values)  # type: ignore[arg-type]


def whole_site(site: FixtureSite, spider: str = "nssf", **changes: object) -> SourceSpec:
    """The site root as start URL: the whole media library, then all posts."""
    return spec(site, spider, start_urls=(site.url("/"),), **changes)


def paths(documents: list) -> set[str]:  # type: ignore[type-arg]
    return {unquote(urlsplit(d.url).path) for d in documents}


@pytest.mark.slow
def test_rest_api_media_and_posts_across_pages(site: FixtureSite, tmp_path: Path) -> None:
    WordPressSite(site)
    report, documents = crawl_site(whole_site(site), tmp_path / "out")
    assert paths(documents) == PDFS | {POST_PDF}
    assert report.failed == 0 and report.found == 5
    api = [h.path for h in site.hits if h.path.startswith("/wp-json/")]
    assert api.count("/wp-json/wp/v2/media") == 2, "X-WP-TotalPages=2 followed, no more"
    assert "/legal-documents/" not in {h.path for h in site.hits}, "no fallback needed"
    by_path = {unquote(urlsplit(d.url).path): d for d in documents}
    pension = by_path[UPLOADS[0].path]
    assert pension.title == "Sub-Decree No. 32 on the Pension Scheme – unofficial translation"
    assert (pension.listing_date, pension.language) == ("2023-02-14", "en")
    khmer = by_path[UPLOADS[2].path]
    assert (khmer.title, khmer.language) == ("អនុក្រឹត្យលេខ ៣៨ អនក្រ.បក", "km")
    assert by_path[POST_PDF].title == "Prakas No. 095 on maternity allowance"
    assert by_path[POST_PDF].discovery["wp_type"] == "posts"


@pytest.mark.slow
def test_recrawl_with_validators_downloads_no_document(site: FixtureSite, tmp_path: Path) -> None:
    WordPressSite(site)
    _, first = crawl_site(whole_site(site, "mosvy"), tmp_path / "one")
    site.hits.clear()
    report, again = crawl_site(whole_site(site, "mosvy"), tmp_path / "two", validators_of(first))
    assert {d.status for d in again} == {"not_modified"}
    assert report.bytes == 0 and len(again) == 5
    assert all(h.status == 304 for h in site.hits if h.path.startswith("/wp-content/"))


@pytest.mark.slow
def test_html_listing_when_the_rest_api_is_off(site: FixtureSite, tmp_path: Path) -> None:
    wp = WordPressSite(site)
    wp.rest = False
    report, documents = crawl_site(spec(site, "nsaf"), tmp_path / "out")
    assert paths(documents) == PDFS
    assert report.listing_pages == 2, "the fallback follows the listing's next page"
    titles = {d.title for d in documents}
    assert titles == {"មើលឯកសារ"}, "the link text is the fallback title"


@pytest.mark.slow
def test_changed_layout_with_the_api_off_is_reported(site: FixtureSite, tmp_path: Path) -> None:
    wp = WordPressSite(site)
    wp.rest = False
    site.pages["/legal-documents/"] = "<html><body><div class='grid'>redesigned</div></body></html>"
    report, documents = crawl_site(spec(site, "nssf"), tmp_path / "out")
    assert documents == [] and report.found == 0
    assert any("matched nothing" in e.error for e in report.errors), report.errors


@pytest.mark.slow
def test_query_becomes_the_rest_search_filter(site: FixtureSite, tmp_path: Path) -> None:
    WordPressSite(site)
    crawl_site(whole_site(site, "wordpress", query="prakas"), tmp_path / "out")
    api = [h for h in site.hits if h.path.startswith("/wp-json/wp/v2/")]
    assert api and all("search=prakas" in h.query for h in api)
    assert any("mime_type=application%2Fpdf" in h.query for h in api)
