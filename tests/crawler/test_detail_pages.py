"""Detail pages and Drive share links, crawled by configuration alone (real Scrapy)."""

from __future__ import annotations

from pathlib import Path

from sites.detail import DRIVE_ID, TITLES, build_detail_site, drive_url

from crawler.filehosts import direct_download, download_domains
from crawler.spec import SourceSpec
from tests.support.publisher_site import FixtureSite, crawl_site


def detail_spec(site: FixtureSite, **changes: object) -> SourceSpec:
    values: dict[str, object] = {
        "id": "fixture-detail",
        "start_urls": (site.url("/laws/"),),
        "documents": "div.item a.btn",
        "title": "h3",
        "date": "span.date",
        "next_page": "a.next",
        "detail": "article.entry a",
        "file_hosts": ("localhost",),
        "allow_private_network": True,
    }
    values.update(changes)
    return SourceSpec(**values)  # type: ignore[arg-type]


def test_listing_detail_page_document_and_drive(site: FixtureSite, tmp_path: Path) -> None:
    build_detail_site(site)
    report, docs = crawl_site(detail_spec(site), tmp_path / "crawl")

    by_url = {d.url: d for d in docs}
    drive = drive_url(site, f"/uc?export=download&id={DRIVE_ID}")
    assert set(by_url) == {
        site.url("/uploads/doc-1.pdf"),
        drive,
        site.url("/uploads/doc-3.pdf"),
        site.url("/uploads/old.pdf"),  # the listing linked the file itself
    }
    assert all(d.status == "fetched" for d in docs)
    assert by_url[site.url("/uploads/doc-1.pdf")].title == TITLES[0]  # Khmer, from the listing
    assert by_url[site.url("/uploads/doc-1.pdf")].listing_date == "2024-01-15"
    assert by_url[drive].title == TITLES[1]
    assert by_url[drive].final_url.endswith(f"/download?id={DRIVE_ID}&export=download")
    assert by_url[drive].discovery["detail_url"] == site.url("/archives/102")
    assert b"drive file" in Path(by_url[drive].blob_path or "").read_bytes()
    # Nothing around the listing items: no navigation or header PDFs, no Drive viewer page.
    paths = {h.path for h in site.hits}
    assert "/about.pdf" not in paths and "/logo-card.pdf" not in paths
    assert f"/file/d/{DRIVE_ID}/view" not in paths
    assert report.failed == 0


def test_detail_page_without_the_document_link_is_reported(
    site: FixtureSite, tmp_path: Path
) -> None:
    build_detail_site(site)
    site.pages["/archives/103"] = "<html><body><p>redesigned page</p></body></html>"
    report, docs = crawl_site(detail_spec(site), tmp_path / "crawl")
    assert site.url("/uploads/doc-3.pdf") not in {d.url for d in docs}
    assert report.failed >= 1


def test_without_file_hosts_a_drive_link_stays_off_site(site: FixtureSite, tmp_path: Path) -> None:
    build_detail_site(site)
    report, docs = crawl_site(detail_spec(site, file_hosts=()), tmp_path / "crawl")
    assert not any("localhost" in d.url for d in docs)
    assert report.failed >= 1  # refused as outside allowed_domains, and said so


def test_share_links_become_direct_downloads() -> None:
    hosts = ("drive.google.com", "docs.google.com", "www.dropbox.com")
    cases = {
        "https://drive.google.com/file/d/1AbCdEfGhIjK/view?usp=sharing": "https://drive.google.com/uc?export=download&id=1AbCdEfGhIjK",
        "https://drive.google.com/open?id=1AbCdEfGhIjK": "https://drive.google.com/uc?export=download&id=1AbCdEfGhIjK",
        "https://docs.google.com/document/d/1AbCdEfGhIjK/edit": "https://docs.google.com/document/d/1AbCdEfGhIjK/export?format=pdf",
        "https://www.dropbox.com/s/abc/prakas.pdf?dl=0": "https://www.dropbox.com/s/abc/prakas.pdf?dl=1",
        "https://nssf.gov.kh/file/d/1AbCdEfGhIjK/view": "https://nssf.gov.kh/file/d/1AbCdEfGhIjK/view",
    }
    for shared, direct in cases.items():
        assert direct_download(shared, hosts) == direct
    assert direct_download("https://drive.google.com/file/d/1AbCdEfGhIjK/view", ()).startswith(
        "https://drive.google.com/file/d/"
    )
    assert "drive.usercontent.google.com" in download_domains(("drive.google.com",))
