"""JSON listings: the generic spider reads a Next.js App Router site's JSON API by
configuration alone (NSPC's laws, both languages, paged by count)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from configured import configured_spec
from sites.nextapp import LAWS, NextAppSite

from crawler.errors import SpecInvalid
from crawler.jsonlisting import fill, has_more, items_of, read_item, resolve, text_of
from crawler.run import read_progress
from crawler.spec import SourceSpec
from tests.support.publisher_site import FixtureSite, crawl_site

FIELDS = {"url": "pdfUrl", "title": "title", "date": "date", "language": "language"}


def api_pages(site: FixtureSite) -> list[str]:
    return [h.query for h in site.hits if h.path == "/api/public/laws"]


@pytest.mark.slow
def test_nspc_laws_from_the_json_api_by_configuration(site: FixtureSite, tmp_path: Path) -> None:
    app = NextAppSite(site)
    spec = dataclasses.replace(configured_spec("nspc-laws", site), page_size=2)
    report, documents = crawl_site(spec, tmp_path / "out")
    assert {d.url for d in documents} == app.expected()
    assert report.failed == 0 and report.errors == []
    # 5 laws a language, 2 a page: pages 1-3, and no page past the total.
    queries = api_pages(site)
    assert len(queries) == 6
    assert {q for q in queries if "lang=km" in q} == {
        f"lang=km&page={n}&pageSize=2" for n in (1, 2, 3)
    }
    by_key = {(d.edition_key, d.language): d for d in documents}
    pension = by_key[("nspc-laws:sd-2021-032", "km")]
    assert pension.title == "អនុក្រឹត្យស្តីពីរបបសោធននិវត្តន៍"
    assert pension.listing_date == "2021-03-04"
    assert by_key[("nspc-laws:sd-2021-032", "en")].title == LAWS[1].en
    assert report.listing_pages == 6
    assert read_progress(tmp_path / "out") == (6, 8), "what a long crawl shows meanwhile"


@pytest.mark.slow
def test_a_wrong_items_path_is_reported_not_empty(site: FixtureSite, tmp_path: Path) -> None:
    NextAppSite(site)
    spec = dataclasses.replace(configured_spec("nspc-laws", site), json_items="data.items")
    report, documents = crawl_site(spec, tmp_path / "out")
    assert documents == []
    assert report.errors and all("'data.items'" in e.error for e in report.errors)


def test_paths_placeholders_and_language_values() -> None:
    data = {"result": {"results": [{"file": {"url": "/a.pdf"}, "title": {"en": "A", "km": "ក"}}]}}
    assert items_of(data, "result.results") == data["result"]["results"]
    assert resolve([{"x": 1}], "0.x") == 1
    assert text_of({"en": "A", "km": "ក"}, "km") == "ក"
    assert text_of({"en": "A", "kh": "ក"}, "km") == "ក"
    item = read_item(
        {"file": {"url": "/a.pdf"}, "title": {"en": "A", "km": "ក"}, "lang": "kh"},
        {"url": "file.url", "title": "title", "language": "lang"},
    )
    assert item is not None and (item.url, item.title, item.language) == ("/a.pdf", "ក", "km")
    assert read_item({"pdfUrl": None, "title": "no file"}, FIELDS) is None
    assert fill("/api?page={page}&skip={offset}&n={page_size}", 3, 9) == "/api?page=3&skip=18&n=9"
    with pytest.raises(ValueError, match="not a list"):
        items_of({"items": {"a": 1}}, "items")


def test_bad_json_settings_are_refused() -> None:
    base = {"id": "x", "start_urls": ("https://example.org/a?page={page}",), "json_items": "items"}
    with pytest.raises(SpecInvalid, match="json_fields"):
        SourceSpec(**base, json_fields={"title": "title"})  # type: ignore[arg-type]
    with pytest.raises(SpecInvalid, match="json_fields"):
        SourceSpec(**base, json_fields={"url": "pdfUrl", "pdf": "x"})  # type: ignore[arg-type]
    with pytest.raises(SpecInvalid, match="start_urls"):
        SourceSpec(  # type: ignore[arg-type]
            id="x",
            start_urls=("https://example.org/api?p={pg}",),
            json_items="items",
            json_fields=FIELDS,
        )


def test_paging_by_count_else_until_a_short_page() -> None:
    paged = "/api/public/laws?lang=km&page={page}&pageSize={page_size}"
    assert has_more(paged, items=2, seen=4, total=5, page_size=2)
    assert not has_more(paged, items=1, seen=5, total=5, page_size=2), "the count is reached"
    assert not has_more(paged, items=2, seen=4, total=4, page_size=2)
    assert has_more(paged, items=3, seen=3, total=None, page_size=3), "a full page: ask on"
    assert not has_more(paged, items=2, seen=5, total=None, page_size=3), "a short page"
    assert not has_more(paged, items=0, seen=5, total=9, page_size=3), "an empty page"
    assert not has_more("/api/public/laws?lang=km", items=3, seen=3, total=9, page_size=3)
    assert has_more("/api?skip={offset}", items=3, seen=3, total=9, page_size=3)
