"""WordPress publishers through the REST API, with the HTML listings as fallback.

``start_urls`` are the source's listing pages; the API lives at the site root
(``/wp-json/wp/v2/``). The spider pages through the media library filtered to PDFs
(``media?mime_type=application/pdf&per_page=100&page=N``, ``X-WP-TotalPages`` says how many
pages), then through posts, taking PDF/DOCX links out of ``content.rendered``. The ``query``
key becomes the API's ``search`` filter. When the API is switched off or blocked (404, 401,
403, a page that is not JSON) the spider falls back to the start URLs as HTML listings with
the generic ``documents``/``next_page`` selectors (a per-publisher default when unset).

NSSF, MoSVY, pressocm and NSAF are configured instances (``spider = "nssf"`` ...): each
publisher module only sets its fallback selectors.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from parsel import Selector
from scrapy.http import Request, Response
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from crawler.run import SourceSpec
from crawler.spiders.documents import ListingLink, describe_failure, header
from crawler.spiders.language import guess_language
from crawler.spiders.listing import ListingSpider, squash

logger = logging.getLogger(__name__)

PER_PAGE = 100
DOCUMENT_LINKS = (
    "a[href$='.pdf'], a[href$='.PDF'], a[href$='.docx'], a[href$='.doc'],"
    " a[href*='/wp-content/uploads/']"
)
_TAG = re.compile(r"<[^>]+>")


def rendered_text(value: object) -> str:
    """Plain text of a REST field: ``{"rendered": "<b>Prakas</b> &#8211; 2024"}`` -> text."""
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return squash(html.unescape(_TAG.sub(" ", str(value or ""))))


def api_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/wp-json/wp/v2/"


class WordPressSpider(ListingSpider):
    """WordPress REST (media PDFs, then posts) with the generic HTML listing as fallback."""

    name = "wordpress"
    #: Fallback selectors when the source sets none (publishers override them).
    default_documents = DOCUMENT_LINKS
    default_next_page = "a.next, a[rel='next']"
    #: REST collections walked, in order.
    collections: tuple[str, ...] = ("media", "posts")

    def check_spec(self, source: SourceSpec) -> SourceSpec:
        filled = replace(
            source,
            documents=source.documents or self.default_documents,
            next_page=source.next_page or self.default_next_page,
        )
        return super().check_spec(filled)

    async def start(self) -> AsyncIterator[Any]:
        roots = list(dict.fromkeys(api_root(u) for u in self.source.start_urls))
        self._api_pages = 0
        for root in roots:
            yield self._api_request(root, self.collections[0], 1)

    # -- REST ------------------------------------------------------------------------------

    def _api_request(self, root: str, collection: str, page: int) -> Request:
        params: dict[str, str | int] = {"per_page": PER_PAGE, "page": page}
        if collection == "media":
            params["mime_type"] = "application/pdf"
        if self.source.query:
            params["search"] = self.source.query
        url = f"{root}{collection}?{urlencode(params)}"
        return Request(
            url,
            callback=self.parse_api,
            errback=self.api_failed,
            headers={"Accept": "application/json"},
            cb_kwargs={"root": root, "collection": collection, "page": page},
        )

    def parse_api(
        self, response: Response, root: str, collection: str, page: int
    ) -> Iterator[Request]:
        """One page of a REST collection: offer its documents, ask for the next page."""
        try:
            entries = json.loads(response.body)
        except ValueError:
            entries = None
        if not isinstance(entries, list):
            content_type = header(response, "Content-Type")
            yield from self._fall_back(root, f"{response.url}: not a REST answer ({content_type})")
            return
        self.crawler.stats.inc_value("listing/pages")
        self._api_pages += 1
        for entry in entries:
            if isinstance(entry, dict):
                yield from self._offer_entry(entry, collection, response.url)
        total = _int(header(response, "X-WP-TotalPages"))
        if total > page and self._api_pages < self.source.max_pages:
            yield self._api_request(root, collection, page + 1)
        elif total > page:
            logger.warning("max_pages=%d reached in %s", self.source.max_pages, collection)
            self.crawler.stats.set_value("listing/truncated", True)
        else:
            index = self.collections.index(collection)
            if index + 1 < len(self.collections):
                yield self._api_request(root, self.collections[index + 1], 1)
            elif not self.crawler.stats.get_value("listing/found"):
                yield from self._fall_back(root, f"{root}: the REST API lists no documents")

    def _offer_entry(
        self, entry: dict[str, Any], collection: str, api_url: str
    ) -> Iterator[Request]:
        title = rendered_text(entry.get("title")) or None
        date = str(entry.get("date") or "")[:10] or None
        facts = {"wp_id": entry.get("id"), "wp_type": collection, "page_url": entry.get("link")}
        discovery = {k: v for k, v in facts.items() if v}
        if collection == "media":
            url = str(entry.get("source_url") or "")
            links = [(url, title)] if url else []
        else:
            content = entry.get("content")
            body = content.get("rendered", "") if isinstance(content, dict) else ""
            page = Selector(text=body or "<p></p>")
            base = str(entry.get("link") or api_url)
            links = []
            for node in page.css(DOCUMENT_LINKS):
                href = (node.attrib.get("href") or "").strip()
                if href and not href.startswith(("#", "mailto:", "javascript:")):
                    links.append((safe_url_string(urljoin(base, href)), title))
        for url, name in links:
            link = ListingLink(
                url=safe_url_string(url),
                title=name,
                date=date,
                language=guess_language(name or "") or None,
                discovery=discovery,
            )
            request = self.offer(link, api_url)
            if request is not None:
                yield request

    def api_failed(self, failure: Failure) -> Iterator[Request]:
        request = getattr(failure, "request", None)
        root = request.cb_kwargs.get("root", "") if isinstance(request, Request) else ""
        yield from self._fall_back(root, f"REST API unavailable: {describe_failure(failure)}")

    def _fall_back(self, root: str, why: str) -> Iterator[Request]:
        """The REST API is off or blocked: read the HTML listings instead."""
        logger.warning("%s; falling back to the HTML listings", why)
        self.crawler.stats.set_value("wordpress/fallback", why)
        for url in self.source.start_urls:
            if api_root(url) != root:
                continue
            request = self._listing_request(safe_url_string(url), first=True)
            if request is not None:
                yield request


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
