"""WordPress publishers through the REST API, with the HTML listings as fallback.

``start_urls`` are the source's sections; the API lives at the site root
(``/wp-json/wp/v2/``). Each start URL scopes its walk to the section it names:

- a category or tag archive (``/category/<parent>/<slug>/``, ``/archives/category/...``,
  ``/tag/<slug>/``): the term is looked up by its slug and only its posts are read;
- any other page (``/ច្បាប់-និងបធបញ្ញត្តិ``, ``/legal-documents/``): the page is looked up by
  its slug; its own links, the files attached to it (``media?parent=<id>``) and its child
  pages, to any depth, are read;
- the site root (``/``, ``/en/``, ``/language/en``): the whole media library filtered to
  PDFs, then all posts.

Collections are paged by ``X-WP-TotalPages`` and ordered by modification date, newest
first; with a cursor from the last crawl (``since``, the newest ``modified_gmt`` seen) a
walk stops at the first entry not modified since, so re-crawls read only what changed,
and the report's ``found`` is the API's ``X-WP-Total``. Documents are the PDF/DOCX links in
``content.rendered``; with ``articles`` a post is a document itself (its page), as the
press releases of a press unit are. The ``query`` key becomes the API's ``search`` filter.
When the API is switched off or blocked (404, 401, 403, an answer that is not JSON), or the
section is not found in it, the spider falls back to the start URL as an HTML listing with
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
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit

from parsel import Selector
from scrapy.http import Request, Response
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

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
_ROOT = re.compile(r"^/((language/)?[a-z]{2}/?)?$")
_TERM = re.compile(r"/(category|tag)/((?:[^/]+/)*[^/]+)/?$")
_PAGED = re.compile(r"/page/\d+/?$")
_TAXONOMY = {"category": "categories", "tag": "tags"}

Filters = dict[str, str | int]


@dataclass(frozen=True)
class ApiPage:
    """One page of a REST collection (or section, by slug) to ask for: the site's API
    ``root``, the ``start_url`` it is walked for, the ``filters`` it is asked with, and the
    walks to go on with ``then``, once it and its next pages are read."""

    root: str
    start_url: str
    collection: str
    page: int = 1
    filters: Filters = field(default_factory=dict)
    then: tuple[tuple[str, Filters], ...] = ()


def rendered_text(value: object) -> str:
    """Plain text of a REST field: ``{"rendered": "<b>Prakas</b> &#8211; 2024"}`` -> text."""
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return squash(html.unescape(_TAG.sub(" ", str(value or ""))))


def api_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/wp-json/wp/v2/"


def section_of(url: str) -> tuple[str, str] | None:
    """What a start URL names: ``("categories"|"tags"|"pages", slug)``, None for the root."""
    path = _PAGED.sub("/", unquote(urlsplit(url).path))
    if _ROOT.match(path):
        return None
    term = _TERM.search(path)
    if term:
        return _TAXONOMY[term[1]], term[2].rstrip("/").rsplit("/", 1)[-1]
    return "pages", path.rstrip("/").rsplit("/", 1)[-1]


class WordPressSpider(ListingSpider):
    """WordPress REST (media PDFs, then posts) with the generic HTML listing as fallback."""

    name = "wordpress"
    #: Fallback selectors when the source sets none (publishers override them).
    default_documents = DOCUMENT_LINKS
    default_next_page = "a.next, a[rel='next']"
    #: REST collections walked, in order.
    collections: tuple[str, ...] = ("media", "posts")

    async def start(self) -> AsyncIterator[Any]:
        self._api_pages = 0
        self._fallen_back: set[str] = set()
        roots: set[str] = set()
        for url in self.source.start_urls:
            root = api_root(url)
            section = section_of(url)
            if section is None:
                if root not in roots:
                    roots.add(root)
                    yield self._api_request(ApiPage(root, url, self.collections[0]))
                continue
            kind, slug = section
            yield Request(
                f"{root}{kind}?{urlencode({'slug': slug})}",
                callback=self.parse_section,
                errback=self.api_failed,
                headers={"Accept": "application/json"},
                cb_kwargs={"at": ApiPage(root, url, kind)},
            )

    # -- REST ------------------------------------------------------------------------------

    def _api_request(self, at: ApiPage) -> Request:
        params: Filters = {"per_page": PER_PAGE, "page": at.page}
        params.update(at.filters)
        if at.collection == "media":
            params["mime_type"] = "application/pdf"
        if self.source.query:
            params["search"] = self.source.query
        params.update({"orderby": "modified", "order": "desc"})
        return Request(
            f"{at.root}{at.collection}?{urlencode(params)}",
            callback=self.parse_api,
            errback=self.api_failed,
            headers={"Accept": "application/json"},
            cb_kwargs={"at": at},
        )

    def _not_rest(self, response: Response, at: ApiPage) -> Iterator[Request]:
        """An answer that is not a REST list: the HTML listing of ``at``'s start URL."""
        content_type = header(response, "Content-Type")
        why = f"{response.url}: not a REST answer ({content_type})"
        yield from self._fall_back(at.root, why, at.start_url)

    def parse_section(self, response: Response, at: ApiPage) -> Iterator[Request]:
        """The term or page a start URL names (``at.collection``, by slug): walk its posts,
        or its links, attachments and child pages."""
        entries = _json_list(response)
        if entries is None:
            yield from self._not_rest(response, at)
            return
        found = [e for e in entries if isinstance(e, dict) and e.get("id")]
        if not found:
            yield from self._fall_back(at.root, f"{response.url}: no such section", at.start_url)
            return
        self.crawler.stats.inc_value("listing/pages")
        entry = found[0]
        if at.collection != "pages":
            posts = ApiPage(at.root, at.start_url, "posts", filters={at.collection: entry["id"]})
            yield self._api_request(posts)
            return
        yield from self._offer_entry(entry, "pages", response.url)
        yield from self._page_children(entry, at)

    def parse_api(self, response: Response, at: ApiPage) -> Iterator[Request]:
        """One page of a REST collection: offer its documents, ask for the next page."""
        entries = _json_list(response)
        if entries is None:
            yield from self._not_rest(response, at)
            return
        collection, page, filters = at.collection, at.page, at.filters
        self.crawler.stats.inc_value("listing/pages")
        self._api_pages += 1
        # A page's attachments and children are few: read whole; collections incrementally.
        since = "" if "parent" in filters else self.source.since or ""
        if since and page == 1:
            self.crawler.stats.inc_value(
                "listing/found_total", _int(header(response, "X-WP-Total"))
            )
        reached_known = False
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            modified = str(entry.get("modified_gmt") or entry.get("modified") or "")
            if since and modified and modified <= since:
                reached_known = True
                break
            if modified > str(self.crawler.stats.get_value("listing/cursor") or ""):
                self.crawler.stats.set_value("listing/cursor", modified)
            yield from self._offer_entry(entry, collection, response.url)
            if collection == "pages" and filters.get("parent") and entry.get("id"):
                yield from self._page_children(entry, at)
        total = _int(header(response, "X-WP-TotalPages"))
        if total > page and not reached_known and self._api_pages < self.source.max_pages:
            yield self._api_request(replace(at, page=page + 1))
            return
        if total > page and not reached_known:
            logger.warning("max_pages=%d reached in %s", self.source.max_pages, collection)
            self.crawler.stats.set_value("listing/truncated", True)
            return
        if at.then:
            (following, following_filters), rest = at.then[0], at.then[1:]
            yield self._api_request(
                ApiPage(at.root, at.start_url, following, 1, following_filters, rest)
            )
            return
        if filters:
            return
        index = self.collections.index(collection)
        if index + 1 < len(self.collections):
            yield self._api_request(ApiPage(at.root, at.start_url, self.collections[index + 1]))
        elif not self.crawler.stats.get_value("listing/found") and not self.source.since:
            yield from self._fall_back(at.root, f"{at.root}: the REST API lists no documents")

    def _page_children(self, entry: dict[str, Any], at: ApiPage) -> Iterator[Request]:
        """Walk a page's attachments, then its child pages (each walked the same way)."""
        parent: Filters = {"parent": entry["id"]}
        yield self._api_request(
            ApiPage(at.root, at.start_url, "media", filters=parent, then=(("pages", parent),))
        )

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
            if self.source.articles and collection == "posts" and entry.get("link"):
                links.insert(0, (str(entry["link"]), title))
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
        at = request.cb_kwargs.get("at") if isinstance(request, Request) else None
        why = f"REST API unavailable: {describe_failure(failure)}"
        if isinstance(at, ApiPage):
            yield from self._fall_back(at.root, why, at.start_url)
        else:
            yield from self._fall_back("", why)

    def _fall_back(self, root: str, why: str, start_url: str | None = None) -> Iterator[Request]:
        """The REST API is off or blocked, or the section is not in it: read the start URL
        (or, for the whole site, every start URL of that site) as an HTML listing."""
        logger.warning("%s; falling back to the HTML listings", why)
        self.crawler.stats.set_value("wordpress/fallback", why)
        for url in self.source.start_urls:
            if api_root(url) != root or (start_url is not None and url != start_url):
                continue
            if url in self._fallen_back:
                continue
            self._fallen_back.add(url)
            request = self._listing_request(safe_url_string(url), first=True)
            if request is not None:
                yield request


def _json_list(response: Response) -> list[Any] | None:
    try:
        entries = json.loads(response.body)
    except ValueError:
        return None
    return entries if isinstance(entries, list) else None


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
