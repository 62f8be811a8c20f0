"""The MLVT spider against a Joomla/K2 site shaped like mlvt.gov.kh."""

from __future__ import annotations

from pathlib import Path

import pytest
from sites.k2 import ITEMS, LISTING, K2Site

from crawler.spec import SourceSpec
from crawler.spiders.mlvt import number_in
from tests.support.publisher_site import FixtureSite, crawl_site


def spec(site: FixtureSite, **changes: object) -> SourceSpec:
    values: dict[str, object] = {
        "id": "mlvt-prakas",
        "spider": "mlvt",
        "start_urls": (site.url(LISTING),),
        "allow_private_network": True,
    }
    values.update(changes)
    return SourceSpec(**values)  # type: ignore[arg-type]


def test_numbers_are_read_from_full_titles() -> None:
    assert number_in(ITEMS[0].title) == "២១៦/២៥"
    assert number_in(ITEMS[2].title) == "190/25"
    assert number_in("សេចក្តីជូនដំណឹង") is None


@pytest.mark.slow
def test_listing_detail_and_the_pdf_behind_the_viewer(site: FixtureSite, tmp_path: Path) -> None:
    K2Site(site)
    report, documents = crawl_site(spec(site), tmp_path / "out")
    by_url = {d.url: d for d in documents}
    assert {d.final_url for d in documents} == {site.url(i.file) for i in ITEMS}
    assert report.listing_pages == 2 and report.failed == 0
    assert site.url("/index.php/item/150/download") in by_url, "the K2 attachment link"
    first = by_url[site.url(ITEMS[0].file)]
    assert first.title == ITEMS[0].title, "the detail page's full title, not the cut one"
    assert "…" not in (first.title or "")
    assert (first.number, first.language) == ("២១៦/២៥", "km")
    assert first.listing_date == ITEMS[0].date
    assert first.discovery["page_url"].endswith("/216.html")
    english = by_url[site.url(ITEMS[2].file)]
    assert (english.number, english.language) == ("190/25", "en")


@pytest.mark.slow
def test_a_detail_page_without_its_pdf_is_reported(site: FixtureSite, tmp_path: Path) -> None:
    k2 = K2Site(site)
    site.pages[k2.items[1].path] = "<html><body><h2 class='itemTitle'>x</h2></body></html>"
    report, documents = crawl_site(spec(site), tmp_path / "out")
    assert len(documents) == 3
    assert any("PDF viewer" in e.error and "/215.html" in e.url for e in report.errors)


@pytest.mark.slow
def test_a_redesigned_listing_is_reported(site: FixtureSite, tmp_path: Path) -> None:
    K2Site(site)
    site.pages[LISTING] = "<html><body><div class='uk-grid'><a href='/x'>x</a></div></body></html>"
    report, documents = crawl_site(spec(site), tmp_path / "out")
    assert documents == [] and report.found == 0
    assert any("h3.catItemTitle" in e.error for e in report.errors), report.errors


@pytest.mark.slow
def test_items_are_found_by_url_shape_without_k2_markup(site: FixtureSite, tmp_path: Path) -> None:
    k2 = K2Site(site)
    links = "".join(
        f'<p><a href="{i.path}">{i.title[:30]}…</a></p><a href="/index.php/home.html">ទំព័រដើម</a>'
        for i in k2.items
    )
    site.pages[LISTING] = f"<html><body><div class='blog'>{links}</div></body></html>"
    report, documents = crawl_site(spec(site), tmp_path / "out")
    assert {d.final_url for d in documents} == {site.url(i.file) for i in ITEMS}
    assert report.failed == 0
