"""End-to-end crawls through the contract: run_crawl -> subprocess -> files on disk."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from crawler.errors import CrawlFailed
from crawler.manifest import CrawlReport, FetchedDocument, read_manifest, read_report
from crawler.run import run_crawl
from crawler.spec import SourceSpec
from tests.support.publisher_site import (
    FAST,
    KHMER_DATE,
    KHMER_SLUG,
    KHMER_TITLE,
    Doc,
    FixtureSite,
    build_publisher,
    publisher_spec,
    serve_site,
    validators_of,
)

FETCHABLE = {
    "/docs/sub-decree-12.pdf",
    "/docs/copy-of-12.pdf",
    KHMER_SLUG,
    "/docs/notice.html",
    "/docs/prakas-7.docx",
    "/docs/current-rates.pdf",
}
# Where the server holds each document: the listing's link redirects for one of them.
SERVED = FETCHABLE - {"/docs/current-rates.pdf"} | {"/docs/rates-2024.pdf"}


@dataclass
class Crawl:
    site: FixtureSite
    out: Path
    report: CrawlReport
    documents: list[FetchedDocument]

    def by_path(self) -> dict[str, FetchedDocument]:
        return {_path(self.site, d.url): d for d in self.documents}

    def served(self, document: FetchedDocument) -> Doc:
        return self.site.docs[_path(self.site, document.final_url)]


def _path(site: FixtureSite, url: str) -> str:
    assert url.startswith(site.url("/")), url
    return unquote(urlsplit(url).path)


def crawl(site: FixtureSite, out: Path, spec: SourceSpec | None = None, **kwargs: object) -> Crawl:
    validators = kwargs.pop("validators", {})
    report = run_crawl(
        spec or publisher_spec(site),
        out,
        validators,  # type: ignore[arg-type]
        user_agent="SPTracker-test/0.1 (+tests)",
        settings_overrides={**FAST, **kwargs},
    )
    return Crawl(site, out, report, read_manifest(out))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """One crawl of the standard publisher, shared by the read-only tests below."""
    with serve_site() as site:
        build_publisher(site)
        yield crawl(site, tmp_path_factory.mktemp("baseline"))


def test_finds_every_document_across_pages(baseline: Crawl) -> None:
    assert set(baseline.by_path()) == FETCHABLE
    assert all(d.status == "fetched" for d in baseline.documents)
    assert baseline.report.finished is True
    assert baseline.report.listing_pages == 2
    assert baseline.report.documents == len(FETCHABLE)


def test_titles_and_dates_come_from_the_listing(baseline: Crawl) -> None:
    docs = baseline.by_path()
    khmer = docs[KHMER_SLUG]
    assert khmer.title == KHMER_TITLE
    assert khmer.listing_date == KHMER_DATE
    assert "%E1%9E%A2" in khmer.url  # the Khmer slug is percent-encoded in the manifest
    twelve = docs["/docs/sub-decree-12.pdf"]
    assert twelve.title == "Sub-decree No. 12 on pensions"
    assert twelve.listing_date == "2024-06-27"
    assert twelve.listing_url == baseline.site.url("/listing/")
    assert docs["/docs/prakas-7.docx"].listing_url == baseline.site.url("/listing/page-2.html")
    assert docs["/docs/notice.html"].listing_date is None


def test_bytes_are_stored_once_by_content(baseline: Crawl) -> None:
    docs = baseline.by_path()
    original, copy = docs["/docs/sub-decree-12.pdf"], docs["/docs/copy-of-12.pdf"]
    assert original.sha256 == copy.sha256 and original.blob_path == copy.blob_path
    for doc in baseline.documents:
        assert doc.blob_path is not None
        data = Path(doc.blob_path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == doc.sha256
        assert len(data) == doc.size
        assert data == baseline.served(doc).body
    assert len(list((baseline.out / "blobs").iterdir())) == len(FETCHABLE) - 1
    assert baseline.report.stored == len(FETCHABLE) - 1


def test_validators_and_content_types_are_recorded(baseline: Crawl) -> None:
    docs = baseline.by_path()
    for doc in docs.values():
        served = baseline.served(doc)
        assert doc.etag == served.etag
        assert doc.last_modified == served.last_modified
        assert doc.content_type == served.content_type
    moved = docs["/docs/current-rates.pdf"]
    assert moved.final_url == baseline.site.url("/docs/rates-2024.pdf")
    assert moved.title == "Current contribution rates"


def test_each_document_is_requested_once(baseline: Crawl) -> None:
    paths = [h.path for h in baseline.site.document_hits()]
    assert len(paths) == len(set(paths))  # the Khmer slug linked twice, fetched once
    listing = [h.path for h in baseline.site.hits if h.path.startswith("/listing/")]
    assert listing == ["/listing/", "/listing/page-2.html"]  # page 2 links back: no loop


def test_failures_are_reported_and_the_crawl_goes_on(baseline: Crawl) -> None:
    errors = {e.url.removeprefix(baseline.site.url("/")): e.error for e in baseline.report.errors}
    assert errors["docs/missing.pdf"] == "HTTP 404"
    assert "robots.txt" in errors["private/draft.pdf"]
    assert "max size (30000)" in errors["docs/big.pdf"]
    offsite = [e for url, e in errors.items() if "localhost" in url]
    assert offsite and "outside allowed_domains" in offsite[0]
    assert "redirected from" in offsite[0] and "/moved.pdf" in offsite[0]
    assert baseline.report.failed == len(baseline.report.errors) == 4
    assert not any(h.path == "/private/draft.pdf" for h in baseline.site.hits)


def test_report_file_holds_the_contract_keys(baseline: Crawl) -> None:
    data = json.loads((baseline.out / "report.json").read_text(encoding="utf-8"))
    for key in ("requests", "responses", "documents", "not_modified", "bytes", "failed"):
        assert isinstance(data[key], int), key
    assert data["listing_pages"] == 2
    assert data["finished"] is True
    assert {"url", "error"} <= set(data["errors"][0])
    assert data["bytes"] == sum(d.size for d in baseline.documents)


@pytest.mark.slow
def test_recrawl_with_validators_costs_no_document_bytes(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    first = crawl(site, tmp_path / "first")
    site.hits.clear()

    second = crawl(site, tmp_path / "second", validators=validators_of(first.documents))

    assert second.report.documents == 0
    assert second.report.bytes == 0
    assert second.report.not_modified == len(FETCHABLE)
    assert {d.status for d in second.documents} == {"not_modified"}
    assert all(d.sha256 is None and d.blob_path is None for d in second.documents)
    known = [h for h in site.document_hits() if h.path in SERVED]
    assert len(known) == len(SERVED)
    assert all(h.status == 304 and h.size == 0 for h in known)
    for hit in known:
        assert hit.headers["If-None-Match"] == site.docs[hit.path].etag
        assert hit.headers["If-Modified-Since"] == site.docs[hit.path].last_modified
    assert second.report.requests == first.report.requests
    assert not (tmp_path / "second" / "blobs").exists()


@pytest.mark.slow
def test_a_changed_document_is_fetched_again(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    first = crawl(site, tmp_path / "first")
    old = site.docs["/docs/prakas-7.docx"]
    site.docs["/docs/prakas-7.docx"] = Doc(
        b"PK\x03\x04 amended docx", old.content_type, old.modified + timedelta(days=3)
    )
    # Only Last-Modified known (no ETag): the server compares dates.
    validators = validators_of(first.documents)
    plain = {url: {"etag": "", "last_modified": v.last_modified} for url, v in validators.items()}

    second = crawl(site, tmp_path / "second", validators=plain)

    changed = second.by_path()["/docs/prakas-7.docx"]
    assert changed.status == "fetched"
    assert changed.etag == site.docs["/docs/prakas-7.docx"].etag
    assert changed.sha256 != first.by_path()["/docs/prakas-7.docx"].sha256
    assert Path(str(changed.blob_path)).read_bytes() == b"PK\x03\x04 amended docx"
    assert second.report.documents == 1
    assert second.report.not_modified == len(FETCHABLE) - 1


def test_private_network_is_refused_unless_allowed(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    result = crawl(site, tmp_path, publisher_spec(site, allow_private_network=False))

    assert result.documents == []
    assert site.hits == []  # not even robots.txt was asked for
    assert [e.url for e in result.report.errors] == [site.url("/listing/")]
    assert "non-public address 127.0.0.1" in result.report.errors[0].error
    assert result.report.finished is True


def test_selector_matching_nothing_is_an_error(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    for path, html in site.pages.items():  # the site moved to a new theme
        site.pages[path] = html.replace('class="docs"', 'class="files"')
    result = crawl(site, tmp_path)

    assert result.documents == []
    assert [e.error for e in result.report.errors] == [
        f"selector 'ul.docs a::attr(href)' matched nothing on {site.url('/listing/')}:"
        " layout changed?"
    ]
    assert result.report.failed == 1
    assert result.report.listing_pages == 2  # a later empty page is only a warning


def test_caps_stop_the_crawl_and_say_so(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    result = crawl(site, tmp_path, publisher_spec(site, max_pages=1, max_documents=2))

    assert set(result.by_path()) == {"/docs/sub-decree-12.pdf", KHMER_SLUG}
    assert len(site.document_hits()) == 2
    assert result.report.listing_pages == 1
    assert result.report.truncated is True


def test_a_failed_child_raises_crawl_failed(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    with pytest.raises(CrawlFailed) as caught:
        crawl(site, tmp_path, publisher_spec(site, spider="no-such-spider"))
    assert caught.value.returncode not in (0, None)
    assert "no-such-spider" in caught.value.stderr_tail
    assert read_report(tmp_path) is None


def test_a_crawl_past_its_timeout_is_stopped(site: FixtureSite, tmp_path: Path) -> None:
    build_publisher(site)
    with pytest.raises(CrawlFailed, match=r"timed out after 0\.01 s"):
        run_crawl(publisher_spec(site), tmp_path, {}, user_agent="t", timeout_s=0.01)


def test_scrapy_crawl_works_from_the_repository_root(
    site: FixtureSite, tmp_path: Path, repo_root: Path
) -> None:
    build_publisher(site)
    spec = tmp_path / "spec.json"
    spec.write_text(
        json.dumps({**publisher_spec(site).to_json(), "validators": {}}), encoding="utf-8"
    )
    out = tmp_path / "out"
    scrapy = Path(sys.executable).parent / "scrapy"
    settings = [f"-s{k}={v}" for k, v in FAST.items()]
    subprocess.run(
        [str(scrapy), "crawl", "listing", "-a", f"spec={spec}", "-a", f"out={out}", *settings],
        cwd=repo_root,
        check=True,
        capture_output=True,
        timeout=60,
    )
    report = read_report(out)
    assert report is not None and report.finished
    assert {_path(site, d.url) for d in read_manifest(out)} == FETCHABLE
