"""A small publisher's site on 127.0.0.1 for crawl tests.

Listing page 1 -> page 2 -> back to page 1 (a loop the spider must not follow), documents
in English and Khmer (one Khmer slug linked raw on page 1 and percent-encoded on page 2),
two URLs serving identical bytes, a 404, a robots.txt-disallowed file, a file over the
size cap, and a redirect to another host. Documents answer ETag/Last-Modified validators
with 304, and every request is logged so tests can count what a crawl cost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote

from werkzeug import Request, Response

from crawler.manifest import CrawlReport, FetchedDocument, read_manifest
from crawler.run import run_crawl
from crawler.spec import SourceSpec, Validators
from tests.support.mockserver import AppServer, serving

KHMER_SLUG = "/docs/អនុក្រឹត្យ-១០.pdf"
KHMER_TITLE = "អនុក្រឹត្យ ស្ដីពី ប្រាក់សោធននិវត្តន៍"
KHMER_DATE = "២៧ មិថុនា ២០២៤"
SIZE_CAP = 30_000

FAST = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "RETRY_ENABLED": False,
    "RETRY_BACKOFF_BASE": 0.01,  # tests that turn retries on need not wait seconds
    "LOG_LEVEL": "DEBUG",
    "DOWNLOAD_MAXSIZE": SIZE_CAP,
    "DOWNLOAD_WARNSIZE": SIZE_CAP,
}


def pdf_bytes(label: str, size: int = 0) -> bytes:
    body = f"%PDF-1.4\n% {label}\n".encode()
    return body + b"0" * max(0, size - len(body)) + b"\n%%EOF\n"


@dataclass
class Doc:
    body: bytes
    content_type: str = "application/pdf"
    modified: datetime = field(default_factory=lambda: datetime(2024, 6, 27, 8, 0, tzinfo=UTC))

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        return format_datetime(self.modified, usegmt=True)


@dataclass
class Hit:
    path: str
    status: int
    size: int
    headers: dict[str, str]
    query: str = ""


class FixtureSite:
    """Pages, documents and redirects, served by an ``AppServer`` (``serve_site``)."""

    def __init__(self, server: AppServer) -> None:
        self.server = server
        self.robots = "User-agent: *\nDisallow: /private/\n"
        self.pages: dict[str, str] = {}
        self.docs: dict[str, Doc] = {}
        self.redirects: dict[str, str] = {}
        self.routes: dict[str, Callable[[Request], Response]] = {}
        self.hits: list[Hit] = []

    def url(self, path: str) -> str:
        return self.server.url(path)

    def handle(self, request: Request) -> Response:
        path = request.path
        query = request.query_string.decode("latin-1")
        if query and f"{path}?{query}" in self.pages:
            path = f"{path}?{query}"  # a listing paginated by its query string
        response = self._respond(request, path)
        self.hits.append(
            Hit(
                request.path,
                response.status_code,
                len(response.get_data()),
                dict(request.headers),
                request.query_string.decode("latin-1"),
            )
        )
        return response

    def _respond(self, request: Request, path: str) -> Response:
        if path in self.redirects:
            return Response(status=302, headers={"Location": self.redirects[path]})
        if path == "/robots.txt":
            return Response(self.robots, content_type="text/plain")
        if path in self.routes:
            return self.routes[path](request)
        if path in self.pages:
            return Response(self.pages[path], content_type="text/html; charset=utf-8")
        doc = self.docs.get(path)
        if doc is None:
            return Response("not found", status=404)
        headers = {"ETag": doc.etag, "Last-Modified": doc.last_modified}
        if_none_match = request.headers.get("If-None-Match")
        if_modified_since = request.headers.get("If-Modified-Since")
        if if_none_match is not None:
            if if_none_match == doc.etag:
                return Response(status=304, headers=headers)
        elif if_modified_since is not None and parsedate_to_datetime(
            if_modified_since
        ) >= doc.modified.replace(microsecond=0):
            return Response(status=304, headers=headers)
        return Response(doc.body, content_type=doc.content_type, headers=headers)

    def document_hits(self, status: int | None = None) -> list[Hit]:
        return [
            h
            for h in self.hits
            if h.path.startswith("/docs/") and (status is None or h.status == status)
        ]


def build_publisher(site: FixtureSite) -> None:
    """The standard fixture listing: two pages, eleven links, six documents to fetch."""
    offsite = site.url("/docs/prakas-7.docx").replace("127.0.0.1", "localhost")
    site.pages["/listing/"] = f"""<html><body><h1>Legal documents</h1>
<ul class="docs">
  <li><a href="/docs/sub-decree-12.pdf">Sub-decree   No. 12
      on pensions</a> <span class="date">2024-06-27</span></li>
  <li><a href="{KHMER_SLUG}">{KHMER_TITLE}</a> <span class="date">{KHMER_DATE}</span></li>
  <li><a href="../docs/notice.html">Notice on registration</a></li>
  <li><a href="/docs/missing.pdf">Missing file</a></li>
  <li><a href="/private/draft.pdf">Internal draft</a></li>
  <li><a href="/docs/big.pdf">Budget annex (large)</a></li>
  <li><a href="#top">Back to top</a></li>
</ul>
<a class="next" href="page-2.html">Next</a>
</body></html>"""
    site.pages["/listing/page-2.html"] = f"""<html><body>
<ul class="docs">
  <li><a href="{quote(KHMER_SLUG)}">same Khmer document, encoded link</a></li>
  <li><a href="/docs/copy-of-12.pdf">Sub-decree No. 12 (copy)</a>
      <span class="date">2024-06-28</span></li>
  <li><a href="/docs/prakas-7.docx">Prakas No. 7</a></li>
  <li><a href="/moved.pdf">Moved elsewhere</a></li>
  <li><a href="/docs/current-rates.pdf">Current contribution rates</a></li>
</ul>
<a class="next" href="/listing/">First page</a>
</body></html>"""
    twelve = pdf_bytes("sub-decree 12")
    site.docs["/docs/sub-decree-12.pdf"] = Doc(twelve)
    site.docs["/docs/copy-of-12.pdf"] = Doc(twelve)
    site.docs[KHMER_SLUG] = Doc(pdf_bytes("អនុក្រឹត្យ ១០"))
    site.docs["/docs/notice.html"] = Doc(
        "<html><body><p>ការចុះឈ្មោះ notice</p></body></html>".encode(),
        content_type="text/html; charset=utf-8",
    )
    site.docs["/docs/prakas-7.docx"] = Doc(
        b"PK\x03\x04 docx bytes",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    site.docs["/docs/big.pdf"] = Doc(pdf_bytes("big", SIZE_CAP + 10_000))
    site.docs["/private/draft.pdf"] = Doc(pdf_bytes("draft"))
    site.redirects["/moved.pdf"] = offsite
    site.redirects["/docs/current-rates.pdf"] = site.url("/docs/rates-2024.pdf")
    site.docs["/docs/rates-2024.pdf"] = Doc(pdf_bytes("rates 2024"))


def publisher_spec(site: FixtureSite, **changes: object) -> SourceSpec:
    values: dict[str, object] = {
        "id": "fixture-publisher",
        "start_urls": (site.url("/listing/"),),
        "documents": "ul.docs a::attr(href)",
        "next_page": "a.next::attr(href)",
        "date": "span.date",
        "allow_private_network": True,
    }
    values.update(changes)
    return SourceSpec(**values)  # type: ignore[arg-type]


def validators_of(documents: list[FetchedDocument]) -> dict[str, Validators]:
    return {d.url: Validators(etag=d.etag, last_modified=d.last_modified) for d in documents}


@contextmanager
def serve_site() -> Iterator[FixtureSite]:
    """A FixtureSite on its own server on 127.0.0.1, stopped on exit."""
    server = AppServer(lambda request: Response("not yet", status=503))
    site = FixtureSite(server)
    server.app = site.handle
    with serving(server):
        yield site


def crawl_site(
    spec: SourceSpec,
    out: Path,
    validators: dict[str, Validators] | None = None,
    **overrides: object,
) -> tuple[CrawlReport, list[FetchedDocument]]:
    """Crawl ``spec`` into ``out`` through the real subprocess, fast settings."""
    report = run_crawl(
        spec,
        out,
        validators or {},
        user_agent="SPTracker-test/0.1 (+tests)",
        settings_overrides={**FAST, **overrides},
    )
    return report, read_manifest(out)
