"""The generic listing spider: listing pages -> document links -> documents.

Reads a source spec (``-a spec=spec.json -a out=OUT``): starts at ``start_urls``, takes
document links with the ``documents`` CSS selector, follows ``next_page`` (at most
``max_pages`` listing pages, never the same page twice) and requests each document with
``If-None-Match``/``If-Modified-Since`` from the validators of the previous crawl. A 200
yields the bytes, a 304 a ``not_modified`` row. Listing metadata comes along: the link
text as title and, with a ``date`` selector, the date printed in the link's listing item.

A ``documents`` selector that matches nothing on a first listing page is reported as an
error (the layout probably changed), not taken for an empty listing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import scrapy
from cssselect import SelectorError
from parsel import Selector
from parsel.csstranslator import css2xpath
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from crawler.errors import SelectorMatchedNothing, SpecInvalid, fetch_failed
from crawler.items import DocumentItem
from crawler.run import SourceSpec, Validators, read_spec

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_ATTR = re.compile(r"^(?P<css>.+?)::attr\((?P<attr>[\w:-]+)\)\s*$")
_ITEM = "ancestor-or-self::*[self::li or self::tr or self::article or self::dd][1]"
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:")


@dataclass(frozen=True)
class ListingLink:
    """A document link found on a listing page, with what the listing says about it."""

    url: str
    title: str | None
    date: str | None


def split_selector(css: str) -> tuple[str, str]:
    """``'ul.docs a::attr(href)'`` -> ``('ul.docs a', 'href')``; a bare selector means href."""
    match = _ATTR.match(css.strip())
    if match:
        return match["css"].strip(), match["attr"]
    if "::" in css:
        raise SpecInvalid("selector", "an element selector, optionally ending ::attr(name)", css)
    return css.strip(), "href"


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space (zero-width characters are not whitespace)."""
    return " ".join(text.split())


def _text_of(node: Selector, css: str | None = None) -> str | None:
    targets = node.css(css) if css else [node]
    parts: list[str] = []
    for target in targets:
        if isinstance(target.root, str):
            parts.append(target.root)
        else:
            parts.append(" ".join(target.css("::text").getall()))
    text = squash(" ".join(parts))
    return text or None


def _listing_item(link: Selector) -> Selector:
    item = link.xpath(_ITEM)
    if item:
        return item[0]
    parent = link.xpath("..")
    return parent[0] if parent else link


def extract_links(
    response: Response, documents: str, date: str | None = None, title: str | None = None
) -> list[ListingLink]:
    """The document links of a listing page, in page order, joined to absolute URLs."""
    element_css, attr = split_selector(documents)
    links: list[ListingLink] = []
    for node in response.css(element_css):
        href = (node.attrib.get(attr) or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(_SKIPPED_SCHEMES):
            continue
        item = _listing_item(node) if (date or title) else node
        links.append(
            ListingLink(
                url=safe_url_string(response.urljoin(href)),
                title=_text_of(item, title) if title else _link_title(node),
                date=_text_of(item, date) if date else None,
            )
        )
    return links


def _link_title(node: Selector) -> str | None:
    return _text_of(node) or squash(node.attrib.get("title", "")) or None


def extract_next_page(response: Response, next_page: str) -> str | None:
    """Absolute URL of the next listing page, or None on the last page."""
    element_css, attr = split_selector(next_page)
    for node in response.css(element_css):
        href = (node.attrib.get(attr) or "").strip()
        if href and not href.startswith("#"):
            return safe_url_string(response.urljoin(href))
    return None


def _check_selectors(source: SourceSpec) -> None:
    """Refuse a spec whose selectors cannot work, before any request is made."""
    selectors = {
        "documents": source.documents,
        "next_page": source.next_page,
        "date": source.date,
        "title": source.title,
    }
    for key, css in selectors.items():
        if not css:
            continue
        try:
            css2xpath(css)
        except SelectorError as exc:
            raise SpecInvalid(key, "a CSS selector", f"{css} ({exc})") from exc
        if key in ("documents", "next_page"):
            split_selector(css)


def describe_failure(failure: Failure) -> str:
    """One line saying why a request failed."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    message = str(exc).strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class ListingSpider(scrapy.Spider):
    """Generic listing spider.

    Arguments: ``spec`` (path to ``spec.json``, or a ``SourceSpec`` in tests), ``out`` (the
    output directory, passed on to the pipelines as ``CRAWL_OUTPUT_DIR``) and, with a
    ``SourceSpec``, ``validators`` (``{url: Validators}``; a spec file carries its own).
    """

    name = "listing"

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
        _check_selectors(source)
        self.source = source
        self.out_dir = Path(out) if out is not None else None
        self.validators = {safe_url_string(url): v for url, v in known.items()}
        self.start_urls = list(source.start_urls)
        self.allowed_domains = list(source.allowed_domains)
        self.allow_private_network = source.allow_private_network
        self._listing_seen: set[str] = set()
        self._document_seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.out_dir is not None:
            if crawler.settings.frozen:
                logger.warning("settings already frozen: out=%s is ignored", spider.out_dir)
            else:
                crawler.settings.set("CRAWL_OUTPUT_DIR", str(spider.out_dir), priority="spider")
        return spider

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.start_urls:
            request = self._listing_request(safe_url_string(url), first=True)
            if request is not None:
                yield request

    def _listing_request(self, url: str, *, first: bool) -> Request | None:
        if url in self._listing_seen:
            return None
        if len(self._listing_seen) >= self.source.max_pages:
            logger.warning("max_pages=%d reached; not following %s", self.source.max_pages, url)
            self.crawler.stats.set_value("listing/truncated", True)
            return None
        self._listing_seen.add(url)
        return Request(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            cb_kwargs={"first": first},
        )

    def parse_listing(self, response: Response, first: bool = True) -> Iterator[Request]:
        """Yield a request per new document link, then the next listing page."""
        self.crawler.stats.inc_value("listing/pages")
        source = self.source
        if not isinstance(response, TextResponse):
            content_type = _header(response, "Content-Type")
            self.report_failure(
                response.url, f"expected an HTML listing page, got Content-Type {content_type}"
            )
            return
        links = extract_links(response, source.documents, source.date, source.title)
        if not links and first:
            problem = SelectorMatchedNothing(source.documents, response.url)
            self.report_failure(response.url, str(problem))
        elif not links:
            logger.warning("%s: no document links on a follow-up page", response.url)
        for link in links:
            if link.url in self._document_seen:
                continue
            if len(self._document_seen) >= source.max_documents:
                logger.warning("max_documents=%d reached at %s", source.max_documents, link.url)
                self.crawler.stats.set_value("listing/truncated", True)
                break
            self._document_seen.add(link.url)
            yield self._document_request(link, response.url)
        if source.next_page:
            next_url = extract_next_page(response, source.next_page)
            if next_url is not None:
                request = self._listing_request(next_url, first=False)
                if request is not None:
                    yield request

    def _document_request(self, link: ListingLink, listing_url: str) -> Request:
        headers: dict[str, str] = {}
        known = self.validators.get(link.url)
        if known is not None and known.etag:
            headers["If-None-Match"] = known.etag
        if known is not None and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return Request(
            link.url,
            callback=self.parse_document,
            errback=self.on_error,
            headers=headers,
            meta={"handle_httpstatus_list": [304]},
            cb_kwargs={"listing_url": listing_url, "title": link.title, "listing_date": link.date},
        )

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
        yield DocumentItem(
            source_id=self.source.id,
            url=request_url,
            final_url=response.url,
            status="not_modified" if not_modified else "fetched",
            body=None if not_modified else response.body,
            size=0 if not_modified else len(response.body),
            content_type=_header(response, "Content-Type"),
            etag=_header(response, "ETag") or (known.etag if not_modified else None),
            last_modified=_header(response, "Last-Modified")
            or (known.last_modified if not_modified else None),
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            listing_url=listing_url,
            title=title,
            listing_date=listing_date,
        )

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if isinstance(request, Request) else "?"
        self.report_failure(url, describe_failure(failure))

    def report_failure(self, url: str, error: str) -> None:
        logger.warning("%s: %s", url, error)
        self.crawler.signals.send_catch_log(signal=fetch_failed, url=url, error=error)


def _original_url(response: Response) -> str:
    """The URL the spider asked for, before any redirect."""
    if response.request is None:
        return response.url
    chain: list[str] = response.request.meta.get("redirect_urls") or []
    return chain[0] if chain else response.request.url


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
