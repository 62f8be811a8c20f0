"""NSPC (nspc.gov.kh): a Next.js site with ``/en`` and ``/kh`` locales.

The publications pages carry their data as JSON in ``<script id="__NEXT_DATA__">``: the
spider walks it for entries holding a document URL (``.pdf``/``.docx``, or a ``file``/``url``
field) with a title, date and id; the same id in both locales links the two editions
(``nspc:<id>``). Pages without that JSON fall back to their links (``documents``, default
PDF/DOCX links). ``next_page`` (default ``a[rel='next']``) follows pagination.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response, TextResponse
from w3lib.url import safe_url_string

from crawler.spiders.documents import ListingLink
from crawler.spiders.language import guess_language
from crawler.spiders.listing import ListingSpider, extract_links, extract_next_page, squash

logger = logging.getLogger(__name__)

DOCUMENT_LINKS = "a[href$='.pdf'], a[href$='.PDF'], a[href$='.docx']"
NEXT_PAGE = "a[rel='next']"
_DOCUMENT_URL = re.compile(r"\.(pdf|docx?)(\?|#|$)", re.I)
_URL_KEYS = ("file", "fileUrl", "file_url", "pdf", "url", "href", "document", "attachment")
_TITLE_KEYS = ("title", "name", "label")
_DATE_KEYS = ("date", "publishedAt", "published_at", "publishDate", "createdAt")
_ID_KEYS = ("id", "slug", "documentId")


def locale_language(url: str) -> str | None:
    first = urlsplit(url).path.strip("/").split("/")[0].lower()
    return {"kh": "km", "km": "km", "en": "en"}.get(first)


def _text(value: object) -> str:
    if isinstance(value, Mapping):
        value = value.get("url") or value.get("en") or next(iter(value.values()), "")
    return squash(str(value or "")) if isinstance(value, str | int) else ""


def walk_entries(data: object) -> Iterator[Mapping[str, Any]]:
    """Every JSON object holding a document URL and a title, depth first."""
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            url = next((_text(node[k]) for k in _URL_KEYS if k in node), "")
            title = next((_text(node[k]) for k in _TITLE_KEYS if k in node), "")
            if url and title and _DOCUMENT_URL.search(url):
                yield node
                continue
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


class NspcSpider(ListingSpider):
    """NSPC publications (Next.js data, links as fallback)."""

    name = "nspc"
    default_documents = DOCUMENT_LINKS
    default_next_page = NEXT_PAGE

    def parse_listing(self, response: Response, first: bool = True) -> Iterator[Request]:
        self.crawler.stats.inc_value("listing/pages")
        if not isinstance(response, TextResponse):
            self.report_failure(response.url, "expected an HTML publications page")
            return
        language = locale_language(response.url)
        links = list(self._from_next_data(response, language))
        if not links:
            links = [
                replace(link, language=language or guess_language(link.title or "") or None)
                for link in extract_links(response, self.source.documents, self.source.date)
            ]
        if first:
            self.expect(links, "publications (__NEXT_DATA__ or document links)", response.url)
        for link in links:
            request = self.offer(link, response.url)
            if request is not None:
                yield request
        next_url = extract_next_page(response, self.source.next_page or NEXT_PAGE)
        if next_url is not None:
            request = self._listing_request(next_url, first=False)
            if request is not None:
                yield request

    def _from_next_data(
        self, response: TextResponse, language: str | None
    ) -> Iterator[ListingLink]:
        raw = response.css("script#__NEXT_DATA__::text").get()
        if not raw:
            return
        try:
            data = json.loads(raw)
        except ValueError:
            self.report_failure(response.url, "__NEXT_DATA__ is not JSON")
            return
        for entry in walk_entries(data):
            url = next(_text(entry[k]) for k in _URL_KEYS if k in entry and _text(entry[k]))
            title = next(_text(entry[k]) for k in _TITLE_KEYS if k in entry)
            date = next((_text(entry[k])[:10] for k in _DATE_KEYS if entry.get(k)), None)
            ident = next((_text(entry[k]) for k in _ID_KEYS if entry.get(k)), "")
            yield ListingLink(
                url=safe_url_string(response.urljoin(url)),
                title=title,
                date=date,
                language=language or guess_language(title) or None,
                edition_key=f"nspc:{ident}" if ident else None,
                discovery={"page_url": response.url},
            )
