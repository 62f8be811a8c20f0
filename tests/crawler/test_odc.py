"""The ODC spider against a CKAN portal shaped like data.opendevelopmentcambodia.net."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from configured import configured_spec
from sites.ckan import SEARCH, CkanSite

from crawler.spec import SourceSpec
from tests.support.publisher_site import Doc, FixtureSite, crawl_site, pdf_bytes, validators_of


def spec(site: FixtureSite, **changes: object) -> SourceSpec:
    values: dict[str, object] = {
        "id": "odc-laws",
        "spider": "odc",
        "start_urls": (site.url("/"),),
        "allow_private_network": True,
    }
    values.update(changes)
    return SourceSpec(**values)  # type: ignore[arg-type]


@pytest.mark.slow
def test_every_language_edition_with_bilingual_metadata(site: FixtureSite, tmp_path: Path) -> None:
    CkanSite(site)
    report, documents = crawl_site(spec(site), tmp_path / "out")
    assert len(documents) == 6, "two PDFs (km, en) per dataset; the GeoJSON is skipped"
    assert next(h.query for h in site.hits if h.path == SEARCH).startswith(
        "fq=dataset_type%3Alaws_record"
    )
    assert len([h for h in site.hits if h.path == SEARCH]) == 2, "3 datasets, 2 rows a page"
    assert report.cursor == "2024-03-10T08:00:00.000001"
    assert report.found == 3, "the portal's count of datasets"
    km = next(d for d in documents if d.url.endswith("sub-decree-1-km.pdf"))
    en = next(d for d in documents if d.url.endswith("sub-decree-1-en.pdf"))
    assert (km.title, km.number, km.language) == ("អនុក្រឹត្យស្តីពីសោធននិវត្តន៍", "៣២ អនក្រ.បក", "km")
    assert (en.title, en.number, en.language) == ("Sub-decree on pensions", "32 ANK.BK", "en")
    assert km.edition_key == en.edition_key == "odc:sub-decree-1"
    assert km.listing_date == "2021-03-01"
    assert km.discovery["status"] == "in_force"
    assert km.discovery["effective_date"] == "2022-07-01"
    assert km.discovery["parent"] == ["law-on-social-security-schemes"]
    two = next(d for d in documents if d.url.endswith("sub-decree-2-en.pdf"))
    assert two.discovery["previous"] == ["sub-decree-1"]


@pytest.mark.slow
def test_incremental_by_metadata_modified(site: FixtureSite, tmp_path: Path) -> None:
    ckan = CkanSite(site)
    first, documents = crawl_site(spec(site), tmp_path / "one")
    changed = ckan.datasets[0]
    changed["metadata_modified"] = "2024-06-01T00:00:00.000001"
    en_url = changed["resources"][1]["url"]
    site.docs[urlsplit(en_url).path] = Doc(pdf_bytes("amended"))
    site.hits.clear()
    second, again = crawl_site(
        spec(site, since=first.cursor), tmp_path / "two", validators_of(documents)
    )
    assert len([h for h in site.hits if h.path == SEARCH]) == 1, "stops at the known datasets"
    assert {d.url for d in again} == {r["url"] for r in changed["resources"][:2]}
    statuses = {d.url: d.status for d in again}
    assert statuses[en_url] == "fetched"
    assert list(statuses.values()).count("not_modified") == 1
    assert second.cursor == "2024-06-01T00:00:00.000001"
    assert second.found == 3, "found is the portal's count, not what an increment offered"


@pytest.mark.slow
def test_an_empty_search_answer_is_reported(site: FixtureSite, tmp_path: Path) -> None:
    ckan = CkanSite(site)
    ckan.broken = True
    report, documents = crawl_site(spec(site), tmp_path / "out")
    assert documents == []
    assert any("matched nothing" in e.error for e in report.errors), report.errors


@pytest.mark.slow
def test_an_api_that_moved_is_reported(site: FixtureSite, tmp_path: Path) -> None:
    CkanSite(site)
    del site.routes[SEARCH]
    report, documents = crawl_site(spec(site), tmp_path / "out")
    assert documents == [] and report.errors
    assert "404" in report.errors[0].error


@pytest.mark.slow
def test_configured_source_takes_cambodia_only_from_the_mekong_portal(
    site: FixtureSite, tmp_path: Path
) -> None:
    CkanSite(site, mekong=True)
    report, documents = crawl_site(configured_spec("odc-laws", site), tmp_path / "out")
    names = {urlsplit(d.url).path.rsplit("/", 1)[-1] for d in documents}
    assert names == {f"sub-decree-{n}-{lang}.pdf" for n in (1, 2, 3) for lang in ("km", "en")}
    assert report.found == 3 and report.failed == 0
    query = next(h.query for h in site.hits if h.path == SEARCH)
    assert "extras_odm_spatial_range%3Akh" in query
