"""pressocm.gov.kh (Council of Ministers' press unit): WordPress, tagDiv "Newspaper" theme.

Articles are ``/archives/{id}`` (Khmer) and ``/en/archives/{id}`` (English); category
listings paginate with ``/page/N/``. Fallback listing: the theme's article titles, each
article page being the document (sub-decrees are often posted as articles).
"""

from __future__ import annotations

from crawler.spiders.wordpress import WordPressSpider


class PressOcmSpider(WordPressSpider):
    name = "pressocm"
    default_documents = "h3.entry-title.td-module-title a::attr(href)"
    default_next_page = "div.page-nav a[aria-label='next-page'], a.next"
