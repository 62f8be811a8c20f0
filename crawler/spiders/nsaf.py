"""NSAF (nsaf.gov.kh): Khmer-first, percent-encoded Khmer slugs; WordPress REST probed
first, the listing's PDF links as fallback."""

from __future__ import annotations

from crawler.spiders.wordpress import WordPressSpider


class NsafSpider(WordPressSpider):
    name = "nsaf"
