"""MLVT (mlvt.gov.kh): Joomla + K2 category listings, a detail page per item.

Listing titles are cut off with an ellipsis, so the spider opens each item's detail page
for the full title, its date and the document: the PDF is shown through a JavaScript
viewer (``$('#pdfviewer0').pdfViewer("https://.../media/k2/attachments/x.pdf")``) or listed
as a K2 attachment. The number is read from the full title (``ប្រកាស លេខ២១៦/២៥ ...``).
``documents`` selects the item links of a listing (default: K2's item titles) and
``next_page`` the pagination (default: Joomla's "Next"/"បន្ទាប់"). When K2's markup is not
there, item links are recognised by their URL (``/index.php/<category>/<id>.html``, with a
title of at least ten characters), as the live site's were seen.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from scrapy.http import Request, Response, TextResponse
from w3lib.url import safe_url_string

from crawler.spiders.documents import ListingLink
from crawler.spiders.language import guess_language
from crawler.spiders.listing import ListingSpider, extract_links, extract_next_page, squash

logger = logging.getLogger(__name__)

ITEM_LINKS = "h3.catItemTitle a::attr(href)"
NEXT_PAGE = "a[title='Next'], a[title='បន្ទាប់'], li.pagination-next a"
TITLE = "h2.itemTitle"
DATE = "span.itemDateCreated"
ATTACHMENTS = "ul.itemAttachments a, a[href*='/media/k2/attachments/']"
_ITEM_URL = re.compile(r"/index\.php/(?:[^?#]+/)?\d+(?:-[^/?#]*)?\.html$")
_VIEWER = re.compile(r"""pdfViewer\(\s*["']([^"']+)["']""")
_NUMBER = re.compile(r"(?:លេខ|No\.?)\s*([0-9០-៩]+(?:\s*/\s*[0-9០-៩]+)?(?:\s*[^\s]*[.][^\s]*)?)")


def numbered_items(response: TextResponse) -> list[ListingLink]:
    """Item links by their URL shape (``/index.php/<category>/<id>.html``), for a listing
    whose markup is not K2's default."""
    items: list[ListingLink] = []
    for node in response.css("a[href]"):
        href = node.attrib["href"].strip()
        url = safe_url_string(response.urljoin(href))
        title = squash(" ".join(node.css("::text").getall()))
        if _ITEM_URL.search(url) and len(title) >= 10:
            items.append(ListingLink(url=url, title=title, date=None))
    return list({i.url: i for i in items}.values())


def number_in(title: str) -> str | None:
    """``ប្រកាស លេខ២១៦/២៥ ស្តីពី ...`` -> ``២១៦/២៥``."""
    match = _NUMBER.search(title)
    return match.group(1).strip() if match else None


class MlvtSpider(ListingSpider):
    """Joomla/K2: listing -> detail page -> the PDF behind the viewer."""

    name = "mlvt"
    default_documents = ITEM_LINKS
    default_next_page = NEXT_PAGE

    def parse_listing(self, response: Response, first: bool = True) -> Iterator[Request]:
        """Item links go to their detail pages; the next listing page is followed."""
        self.crawler.stats.inc_value("listing/pages")
        if not isinstance(response, TextResponse):
            self.report_failure(response.url, "expected an HTML listing page")
            return
        items = extract_links(response, self.source.documents, self.source.date)
        if not items and self.source.documents == ITEM_LINKS:
            items = numbered_items(response)
        if first:
            self.expect(items, self.source.documents, response.url)
        for item in items:
            if item.url in self._listing_seen:
                continue
            self._listing_seen.add(item.url)
            yield Request(
                item.url,
                callback=self.parse_detail,
                errback=self.on_error,
                cb_kwargs={"listed": item},
            )
        next_url = extract_next_page(response, self.source.next_page or NEXT_PAGE)
        if next_url is not None:
            request = self._listing_request(next_url, first=False)
            if request is not None:
                yield request

    def parse_detail(self, response: Response, listed: ListingLink) -> Iterator[Request]:
        """The full title, the date and the document(s) of one K2 item."""
        self.crawler.stats.inc_value("listing/details")
        if not isinstance(response, TextResponse):
            self.report_failure(response.url, "expected a K2 item page, got a file")
            return
        title = squash(" ".join(response.css(f"{TITLE} ::text").getall())) or listed.title
        date = squash(" ".join(response.css(f"{DATE} ::text").getall())) or listed.date
        # The viewer's file first; K2's attachment links only when there is no viewer (they
        # are the same file behind a download URL).
        urls = _VIEWER.findall(response.text) or [
            n.attrib.get("href", "") for n in response.css(ATTACHMENTS)
        ]
        found = [safe_url_string(response.urljoin(u.strip())) for u in urls if u.strip()]
        if not self.expect(found, "the PDF viewer or attachments of a K2 item", response.url):
            return
        for url in dict.fromkeys(found):
            link = ListingLink(
                url=url,
                title=title,
                date=date,
                number=number_in(title or ""),
                language=guess_language(title or "") or None,
                discovery={"page_url": response.url},
            )
            request = self.offer(link, response.url)
            if request is not None:
                yield request
