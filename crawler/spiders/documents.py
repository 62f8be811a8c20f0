"""What every spider shares: the source spec, conditional document requests, failures.

A spider finds ``ListingLink``s its own way (HTML listing, WordPress REST, CKAN API, K2
detail pages) and hands each to ``offer``; ``DocumentSpider`` asks for the document with
``If-None-Match``/``If-Modified-Since`` from the previous crawl's validators, yields a
``DocumentItem`` (bytes on 200, a ``not_modified`` row on 304) with the link's discovery
metadata, and reports failures through ``fetch_failed``. ``expect`` is the fail-loud
check: a page that must hold something and does not is reported as a broken layout.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import scrapy
from scrapy import signals
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from crawler.errors import SelectorMatchedNothing, SpecInvalid, fetch_failed
from crawler.filehosts import direct_download
from crawler.items import DocumentItem
from crawler.run import PLAN_FILE, PROGRESS_FILE
from crawler.spec import SourceSpec, Validators, read_spec

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ListingLink:
    """A document link found on a listing page or API, with what it says about it."""

    url: str
    title: str | None
    date: str | None
    number: str | None = None
    language: str | None = None
    edition_key: str | None = None
    discovery: Mapping[str, Any] = field(default_factory=dict)


def describe_failure(failure: Failure) -> str:
    """One line saying why a request failed."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class DocumentSpider(scrapy.Spider):
    """Base of the tracker's spiders (not a spider itself: it has no ``name``).

    Arguments: ``spec`` (path to ``spec.json``, or a ``SourceSpec`` in tests), ``out`` (the
    output directory, passed on to the pipelines as ``CRAWL_OUTPUT_DIR``) and, with a
    ``SourceSpec``, ``validators`` (``{url: Validators}``; a spec file carries its own).
    """

    def __init__(
        self,
        spec: str | Path | SourceSpec | None = None,
        out: str | Path | None = None,
        validators: Mapping[str, Validators] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if spec is None:
            raise SpecInvalid("spec", "a spec.json path (-a spec=spec.json)", None)
        if isinstance(spec, SourceSpec):
            source, known = spec, dict(validators or {})
        else:
            source, known = read_spec(Path(spec))
        self.source = self.check_spec(source)
        self.out_dir = Path(out) if out is not None else None
        self.validators = {safe_url_string(url): v for url, v in known.items()}
        self.start_urls = list(source.start_urls)
        self.allowed_domains = list(source.allowed_domains)
        self.allow_private_network = source.allow_private_network
        self._document_seen: set[str] = set()
        #: What a dry run found: documents (HEAD answered), pages read, links skipped.
        self.plan: dict[str, list[dict[str, Any]]] = {"documents": [], "pages": [], "skipped": []}
        self.capped = False
        self._progress_at = 0.0

    def check_spec(self, source: SourceSpec) -> SourceSpec:
        """Refuse a spec this spider cannot work with (before any request is made), or
        return it with this spider's defaults filled in."""
        return source

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.out_dir is not None:
            if crawler.settings.frozen:
                logger.warning("settings already frozen: out=%s is ignored", spider.out_dir)
            else:
                crawler.settings.set("CRAWL_OUTPUT_DIR", str(spider.out_dir), priority="spider")
        crawler.signals.connect(spider._page_read, signal=signals.response_received)
        return spider

    def _page_read(self, response: Response, request: Request, spider: scrapy.Spider) -> None:
        page = request.method != "HEAD" and not request.url.endswith("/robots.txt")
        if self.source.dry_run and page:
            self.plan["pages"].append({"url": request.url, "status": response.status})
        self.note_progress()

    def note_progress(self, force: bool = False) -> None:
        """Write ``progress.json`` (listing pages read, documents found), at most twice a
        second, for the parent process to show how far a long crawl got."""
        now = time.monotonic()
        if self.out_dir is None or (not force and now - self._progress_at < 0.5):
            return
        self._progress_at = now
        stats = self.crawler.stats
        data = {
            "pages": int(stats.get_value("listing/pages") or 0),
            "found": int(stats.get_value("listing/found") or 0),
        }
        path = self.out_dir / PROGRESS_FILE
        tmp = path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            logger.debug("progress not written: %s", exc)

    def closed(self, reason: str) -> None:
        self.note_progress(force=True)
        if self.source.dry_run and self.out_dir is not None:
            path = self.out_dir / PLAN_FILE
            text = json.dumps({**self.plan, "finish_reason": reason}, ensure_ascii=False, indent=1)
            path.write_text(text + "\n", encoding="utf-8")

    # -- documents -------------------------------------------------------------------------

    def offer(self, link: ListingLink, listing_url: str) -> Request | None:
        """A request for a newly found document; None when seen already or over the cap."""
        url = safe_url_string(direct_download(link.url, self.source.file_hosts))
        if url != link.url:
            link = replace(link, discovery={**link.discovery, "shared_url": link.url})
        if url in self._document_seen:
            return None
        if len(self._document_seen) >= self.source.max_documents:
            logger.warning("max_documents=%d reached at %s", self.source.max_documents, url)
            self.crawler.stats.set_value("listing/truncated", True)
            self.capped = True
            self.skip(url, f"over max_documents = {self.source.max_documents}")
            return None
        self._document_seen.add(url)
        self.crawler.stats.inc_value("listing/found")
        return self._document_request(replace(link, url=url), listing_url)

    def _document_request(self, link: ListingLink, listing_url: str) -> Request:
        headers: dict[str, str] = {}
        known = self.validators.get(link.url)
        if known is not None and known.etag:
            headers["If-None-Match"] = known.etag
        if known is not None and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        dry = self.source.dry_run
        found: dict[str, Any] = {"listing_url": listing_url}
        if not dry:  # a dry run reads title and date off the link (``plan_link``)
            found.update(title=link.title, listing_date=link.date)
        return Request(
            link.url,
            method="HEAD" if dry else "GET",
            callback=self.plan_document if dry else self.parse_document,
            errback=self.on_error,
            headers=headers,
            meta={"handle_httpstatus_list": [304], "link": link},
            cb_kwargs=found,
        )

    # -- dry run ---------------------------------------------------------------------------

    def plan_document(
        self, response: Response, listing_url: str | None = None
    ) -> Iterator[DocumentItem]:
        """A dry run's answer to HEAD: the document a crawl would fetch."""
        link = response.meta.get("link") if response.request is not None else None
        self.plan_link(_original_url(response), link, listing_url, response.status, response)
        yield from ()

    def plan_link(
        self,
        url: str,
        link: object,
        listing_url: str | None,
        status: int,
        response: Response | None = None,
    ) -> None:
        entry: dict[str, Any] = {"url": url, "status": status, "listing_url": listing_url}
        if isinstance(link, ListingLink):
            entry.update(title=link.title, date=link.date, language=link.language)
        if response is not None:
            entry["content_type"] = header(response, "Content-Type")
            entry["size"] = _int(header(response, "Content-Length"))
        limit = int(self.crawler.settings.getint("DOWNLOAD_MAXSIZE") or 0)
        if limit and (entry.get("size") or 0) > limit:
            self.skip(url, f"{entry['size']} bytes, over the size cap of {limit}")
            return
        self.plan["documents"].append(entry)

    def skip(self, url: str, reason: str) -> None:
        if self.source.dry_run:
            self.plan["skipped"].append({"url": url, "reason": reason})

    def parse_document(
        self,
        response: Response,
        listing_url: str | None = None,
        title: str | None = None,
        listing_date: str | None = None,
    ) -> Iterator[DocumentItem]:
        """Yield the document: bytes on 200, a ``not_modified`` row on 304."""
        request_url = _original_url(response)
        known = self.validators.get(request_url) or Validators()
        not_modified = response.status == 304
        link = response.meta.get("link") if response.request is not None else None
        yield DocumentItem(
            source_id=self.source.id,
            url=request_url,
            final_url=response.url,
            status="not_modified" if not_modified else "fetched",
            body=None if not_modified else response.body,
            size=0 if not_modified else len(response.body),
            content_type=header(response, "Content-Type"),
            etag=header(response, "ETag") or (known.etag if not_modified else None),
            last_modified=strong_last_modified(response)
            or (known.last_modified if not_modified else None),
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            listing_url=listing_url,
            title=title,
            listing_date=listing_date,
            number=link.number if isinstance(link, ListingLink) else None,
            language=link.language if isinstance(link, ListingLink) else None,
            edition_key=link.edition_key if isinstance(link, ListingLink) else None,
            discovery=dict(link.discovery) if isinstance(link, ListingLink) else {},
        )

    # -- failures --------------------------------------------------------------------------

    def expect(self, found: object, what: str, url: str) -> bool:
        """Fail loudly when a page that must hold ``what`` does not (a layout change)."""
        if found:
            return True
        self.report_failure(url, str(SelectorMatchedNothing(what, url)))
        return False

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if isinstance(request, Request) else "?"
        self.report_failure(url, describe_failure(failure))

    def report_failure(self, url: str, error: str) -> None:
        logger.warning("%s: %s", url, error)
        self.skip(url, error)
        self.crawler.signals.send_catch_log(signal=fetch_failed, url=url, error=error)


def _original_url(response: Response) -> str:
    """The URL the spider asked for, before any redirect."""
    if response.request is None:
        return response.url
    chain: list[str] = response.request.meta.get("redirect_urls") or []
    return chain[0] if chain else response.request.url


def strong_last_modified(response: Response) -> str | None:
    """``Last-Modified``, unless it is too close to the answer's ``Date`` to be trusted.

    A file changed twice within one second keeps its Last-Modified, so a date less than a
    second before the response's Date is a weak validator (RFC 9110, 8.8.2.2): without an
    ETag it is not sent back, and the document is fetched whole next time.
    """
    value = header(response, "Last-Modified")
    if value is None or header(response, "ETag"):
        return value
    try:
        modified = parsedate_to_datetime(value)
        answered = parsedate_to_datetime(header(response, "Date") or "")
        weak = answered - modified < timedelta(seconds=1)
    except (TypeError, ValueError):
        return value
    if weak:
        logger.debug("%s: Last-Modified %s is weak (Date %s)", response.url, value, answered)
        return None
    return value


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
