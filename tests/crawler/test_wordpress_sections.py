"""WordPress walks scoped to the section a start URL names, incremental by modification."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from configured import configured_spec
from sites.wpsections import LEGAL_SLUG, WordPressSections

from crawler.spiders.wordpress import section_of
from tests.support.publisher_site import FixtureSite, crawl_site, validators_of


def paths(documents: list) -> set[str]:  # type: ignore[type-arg]
    return {unquote(urlsplit(d.url).path) for d in documents}


def test_what_a_start_url_names() -> None:
    assert section_of("https://nssf.gov.kh/") is None
    assert section_of("https://www.nssf.gov.kh/language/en") is None
    assert section_of("https://pressocm.gov.kh/en/") is None
    category = (
        "https://pressocm.gov.kh/archives/category/general-information-km/press-release-km-km"
    )
    assert section_of(category) == ("categories", "press-release-km-km")
    assert section_of(category + "/page/3/") == ("categories", "press-release-km-km")
    assert section_of("https://x.org/tag/prakas/") == ("tags", "prakas")
    assert section_of("https://mosvy.gov.kh/%E1%9E%85%E1%9F%92") == ("pages", "ច្")
    assert section_of(f"https://mosvy.gov.kh/{LEGAL_SLUG}") == ("pages", LEGAL_SLUG)


@pytest.mark.slow
def test_a_page_section_takes_its_links_attachments_and_children_only(
    site: FixtureSite, tmp_path: Path
) -> None:
    wp = WordPressSections(site)
    report, documents = crawl_site(configured_spec("mosvy-legal", site), tmp_path / "out")
    assert paths(documents) == wp.legal, "no annual report, event programme or org chart"
    assert report.failed == 0 and report.errors == []
    assert not any(h.path == f"/{LEGAL_SLUG}/" for h in site.hits), "no HTML fallback"


@pytest.mark.slow
def test_a_category_of_articles_then_only_what_changed(site: FixtureSite, tmp_path: Path) -> None:
    wp = WordPressSections(site)
    spec = configured_spec("pressocm-news", site)
    report, documents = crawl_site(spec, tmp_path / "one")
    assert paths(documents) == wp.press, "the press releases, no news post or its PDF"
    assert report.cursor == "2024-06-03T08:00:00"
    titles = {d.title for d in documents}
    assert "សេចក្តីប្រកាសព័ត៌មាន ស្តីពីប្រាក់សោធន" in titles
    wp.touch(5102, "2024-09-01T10:00:00", "/wp-content/uploads/2024/09/family-package-annex.pdf")
    site.hits.clear()
    again = dataclasses.replace(spec, since=report.cursor)
    report2, changed = crawl_site(again, tmp_path / "two", validators_of(documents))
    assert paths(changed) == {
        "/archives/5102",
        "/wp-content/uploads/2024/09/family-package-annex.pdf",
    }
    assert report2.cursor == "2024-09-01T10:00:00"
    assert report2.found == 3, "the section's size, as the API counts it"
    posts = [h for h in site.hits if h.path == "/wp-json/wp/v2/posts"]
    assert len(posts) == 1, "the walk stops at the first post not modified since"
