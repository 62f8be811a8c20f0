"""The generic listing spider: listing pages -> document links -> documents.

Reads a source spec (``-a spec=spec.json -a out=OUT``): starts at ``start_urls``, takes
document links with the ``documents`` CSS selector, follows ``next_page`` (at most
``max_pages`` listing pages, never the same page twice) and requests each document with
``If-None-Match``/``If-Modified-Since`` from the validators of the previous crawl. A 200
yields the bytes, a 304 a ``not_modified`` row. Listing metadata comes along: the link
text as title and, with a ``date`` selector, the date printed in the link's listing item.

A ``documents`` selector that matches nothing on a first listing page is reported as an
error (the layout probably changed), not taken for an empty listing.

With ``json_items`` the start URLs are JSON listings instead (``crawler.jsonlisting``):
each page's items give the document links (or, with ``detail``, the detail pages), and
the pages are asked for by the URL's ``{page}``/``{offset}`` placeholder until the count
is reached.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

from cssselect import SelectorError
from parsel import Selector
from parsel.csstranslator import css2xpath
from scrapy.http import Request, Response, TextResponse
from w3lib.url import safe_url_string

from crawler import jsonlisting
from crawler.errors import SelectorMatchedNothing, SpecInvalid
from crawler.items import DocumentItem
from crawler.spec import SourceSpec
from crawler.spiders.documents import DocumentSpider, ListingLink, describe_failure, header

__all__ = [
    "ListingLink",
    "ListingSpider",
    "describe_failure",
    "extract_links",
    "extract_next_page",
    "split_selector",
]

logger = logging.getLogger(__name__)

_ATTR = re.compile(r"^(?P<css>.+?)::attr\((?P<attr>[\w:-]+)\)\s*$")
_ITEM = "ancestor-or-self::*[self::li or self::tr or self::article or self::dd][1]"
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:")


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
        "detail": source.detail,
    }
    for key, css in selectors.items():
        if not css:
            continue
        try:
            css2xpath(css)
        except SelectorError as exc:
            raise SpecInvalid(key, "a CSS selector", f"{css} ({exc})") from exc
        if key in ("documents", "next_page", "detail"):
            split_selector(css)


class ListingSpider(DocumentSpider):
    """Generic listing spider: ``documents``/``next_page``/``date``/``title`` selectors."""

    name = "listing"
    #: The selectors of a layout this spider knows, for a source that sets none.
    default_documents = ""
    default_next_page = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing_seen: set[str] = set()
        self._detail_seen: set[str] = set()

    def check_spec(self, source: SourceSpec) -> SourceSpec:
        if self.default_documents and not source.documents:
            source = replace(source, documents=self.default_documents)
        if self.default_next_page and not source.next_page:
            source = replace(source, next_page=self.default_next_page)
        _check_selectors(source)
        return source

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.start_urls:
            if self.source.json_items is not None:
                request = self._json_request(url, 1, 0)
            else:
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

    # -- JSON listings ---------------------------------------------------------------------

    def _json_request(self, template: str, page: int, seen: int) -> Request | None:
        url = safe_url_string(jsonlisting.fill(template, page, self.source.page_size))
        request = self._listing_request(url, first=page == 1)
        if request is None:
            return None
        return request.replace(
            callback=self.parse_json_listing,
            headers={"Accept": "application/json"},
            cb_kwargs={"template": template, "page": page, "seen": seen},
        )

    def parse_json_listing(
        self, response: Response, template: str, page: int, seen: int
    ) -> Iterator[Request]:
        """One page of a JSON listing: offer its items' documents, ask for the next page."""
        self.crawler.stats.inc_value("listing/pages")
        source = self.source
        items_path = source.json_items or "."
        try:
            data = json.loads(response.body)
            items = jsonlisting.items_of(data, items_path)
        except (ValueError, jsonlisting.NotFound) as exc:
            content_type = header(response, "Content-Type")
            self.report_failure(response.url, f"expected a JSON listing ({content_type}): {exc}")
            return
        links = []
        for entry in items:
            item = jsonlisting.read_item(entry, source.json_fields)
            if item is None:
                continue
            links.append(
                ListingLink(
                    url=safe_url_string(response.urljoin(item.url)),
                    title=item.title,
                    date=item.date,
                    number=item.number,
                    language=item.language,
                    edition_key=f"{source.id}:{item.edition}" if item.edition else None,
                )
            )
        if page == 1 and not links:
            fields = source.json_fields.get("url")
            what = f"items at {items_path!r} with a {fields!r} link"
            self.report_failure(response.url, str(SelectorMatchedNothing(what, response.url)))
        yield from self._follow(links, response.url)
        seen += len(items)
        total = jsonlisting.total_of(data, source.json_total)
        if jsonlisting.has_more(template, len(items), seen, total, source.page_size):
            request = self._json_request(template, page + 1, seen)
            if request is not None:
                yield request

    def _follow(self, links: list[ListingLink], listing_url: str) -> Iterator[Request]:
        """Requests for the documents (or detail pages) of a listing page's links."""
        for link in links:
            if self.source.detail:
                detail = self._detail_request(link, listing_url)
                if detail is not None:
                    yield detail
                continue
            if link.url in self._document_seen:
                continue
            request = self.offer(link, listing_url)
            if request is None and self.capped:
                break
            if request is not None:
                yield request

    # -- HTML listings ---------------------------------------------------------------------

    def parse_listing(self, response: Response, first: bool = True) -> Iterator[Request]:
        """Yield a request per new document link, then the next listing page."""
        self.crawler.stats.inc_value("listing/pages")
        source = self.source
        if not isinstance(response, TextResponse):
            content_type = header(response, "Content-Type")
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
        yield from self._follow(links, response.url)
        if source.next_page:
            next_url = extract_next_page(response, source.next_page)
            if next_url is not None:
                request = self._listing_request(next_url, first=False)
                if request is not None:
                    yield request

    def _detail_request(self, link: ListingLink, listing_url: str) -> Request | None:
        if link.url in self._detail_seen:
            return None
        if len(self._detail_seen) >= self.source.max_documents:
            logger.warning(
                "max_documents=%d reached; not following %s", len(self._detail_seen), link.url
            )
            self.crawler.stats.set_value("listing/truncated", True)
            return None
        self._detail_seen.add(link.url)
        return Request(
            link.url,
            callback=self.parse_detail_page,
            errback=self.on_error,
            meta={"link": link},
            cb_kwargs={"link": link, "listing_url": listing_url},
        )

    def parse_detail_page(
        self, response: Response, link: ListingLink, listing_url: str
    ) -> Iterator[Request | DocumentItem]:
        """A detail page: offer the document links the ``detail`` selector finds on it,
        titled and dated by the listing item when the listing said so."""
        self.crawler.stats.inc_value("listing/detail_pages")
        detail = self.source.detail or ""
        content_type = (header(response, "Content-Type") or "").lower()
        if not isinstance(response, TextResponse) or "html" not in content_type:
            # The listing linked the file itself: it is the document, fetched already.
            logger.info("%s: detail link is a file (%s)", response.url, content_type)
            if link.url not in self._document_seen:
                self._document_seen.add(link.url)
                self.crawler.stats.inc_value("listing/found")
                if self.source.dry_run:
                    self.plan_link(link.url, link, listing_url, response.status, response)
                    return
                yield from self.parse_document(response, listing_url, link.title, link.date)
            return
        found = extract_links(response, detail)
        if not self.expect(found, detail, response.url):
            return
        for document in found:
            offered = ListingLink(
                url=document.url,
                title=link.title or document.title,
                date=link.date,
                discovery={**link.discovery, "detail_url": response.url},
            )
            request = self.offer(offered, listing_url)
            if request is not None:
                yield request
