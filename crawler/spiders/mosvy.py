"""MoSVY (mosvy.gov.kh): WordPress with the REST API reachable.

The legal-documents page has a Khmer slug with a typo (``ច្បាប់-និងបធបញ្ញត្តិ``): its URL is
taken from config as found, never built. Fallback listing: its "មើលឯកសារ" / "Khmer
Version" links into the uploads folder.
"""

from __future__ import annotations

from crawler.spiders.wordpress import WordPressSpider


class MosvySpider(WordPressSpider):
    name = "mosvy"
    default_documents = "a[href*='/wp-content/uploads/']::attr(href)"
