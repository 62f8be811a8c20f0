"""The NSPC spider against a Next.js site with /en and /kh publications."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sites.nextjs import PUBLICATIONS, NextSite, file_path

from crawler.spec import SourceSpec
from tests.support.publisher_site import FixtureSite, crawl_site


def spec(site: FixtureSite, **changes: object) -> SourceSpec:
    values: dict[str, object] = {
        "id": "nspc-publications",
        "spider": "nspc",
        "start_urls": (site.url("/en/publications"), site.url("/kh/publications")),
        "allow_private_network": True,
    }
    values.update(changes)
    return SourceSpec(**values)  # type: ignore[arg-type]


@pytest.mark.slow
def test_publications_of_both_locales_linked_as_editions(site: FixtureSite, tmp_path: Path) -> None:
    NextSite(site)
    report, documents = crawl_site(spec(site), tmp_path / "out")
    expected = {site.url(file_path(loc, p)) for loc in ("en", "kh") for p in PUBLICATIONS}
    assert {d.url for d in documents} == expected
    assert report.listing_pages == 4, "page 2 of each locale followed"
    by_url = {d.url: d for d in documents}
    en = by_url[site.url(file_path("en", PUBLICATIONS[0]))]
    km = by_url[site.url(file_path("kh", PUBLICATIONS[0]))]
    assert (en.language, km.language) == ("en", "km")
    assert km.title == "ក្របខ័ណ្ឌគោលនយោបាយជាតិគាំពារសង្គម ២០១៦-២០២៥"
    assert en.edition_key == km.edition_key == "nspc:12"
    assert en.listing_date == "2017-03-24"


@pytest.mark.slow
def test_pages_without_next_data_fall_back_to_links(site: FixtureSite, tmp_path: Path) -> None:
    NextSite(site)
    for path, html in list(site.pages.items()):
        site.pages[path] = re.sub(r"<script id=\"__NEXT_DATA__\".*?</script>", "", html, flags=re.S)
    report, documents = crawl_site(spec(site), tmp_path / "out")
    assert len(documents) == 6 and report.failed == 0
    assert {d.language for d in documents} == {"en", "km"}


@pytest.mark.slow
def test_a_redesigned_page_is_reported(site: FixtureSite, tmp_path: Path) -> None:
    NextSite(site)
    site.pages["/en/publications"] = "<html><body><div id='__next'>Coming soon</div></body></html>"
    report, documents = crawl_site(spec(site), tmp_path / "out")
    assert len(documents) == 3, "the Khmer locale still works"
    assert any("/en/publications" in e.url and "matched nothing" in e.error for e in report.errors)
