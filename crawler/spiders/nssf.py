"""NSSF (nssf.gov.kh): WordPress; PDFs under ``/wp-content/uploads/YYYY/MM/``.

Fallback listing: the legal-documents page's links into the uploads folder.
"""

from __future__ import annotations

from crawler.spiders.wordpress import WordPressSpider


class NssfSpider(WordPressSpider):
    name = "nssf"
    default_documents = "a[href*='/wp-content/uploads/']::attr(href)"
