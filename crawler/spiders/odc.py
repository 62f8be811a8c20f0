"""Open Development Cambodia's laws database: the CKAN ``package_search`` API.

``start_urls`` are CKAN roots (``https://data.opendevelopmentcambodia.net/``) or full
``package_search`` URLs. The spider asks for ``fq=<query>`` (default
``dataset_type:laws_record``) sorted by ``metadata_modified desc``, 100 rows a page, and
stops paging at the first dataset not modified since the last crawl's cursor (``since``):
the index of laws is read incrementally. Each dataset gives one document per resource
language (``odm_language``) with its bilingual title, number, dates, status and links to
previous/parent instruments; every edition of a dataset shares the edition key
``odc:<dataset name>``. The report's ``found`` is the API's total count, so an incremental
crawl that offers few documents does not look like a broken listing.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from scrapy.http import Request, Response
from w3lib.url import safe_url_string

from crawler.spec import SourceSpec
from crawler.spiders.documents import DocumentSpider, ListingLink
from crawler.spiders.language import guess_language

logger = logging.getLogger(__name__)

ROWS = 100
DEFAULT_QUERY = "dataset_type:laws_record"
SEARCH_PATH = "/api/3/action/package_search"
DOCUMENT_FORMATS = {"pdf", "docx", "doc", "html"}
LINK_FIELDS = {
    "odm_laws_previous_legal_document": "previous",
    "odm_laws_parent_document": "parent",
    "odm_laws_child_document": "child",
}


def translated(value: object, language: str) -> str:
    """A CKAN multilingual field (``{"en": ..., "km": ...}``, a JSON string of one, or plain)."""
    if isinstance(value, str) and value.startswith("{"):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, Mapping):
        text = value.get(language) or next((v for v in value.values() if v), "")
        return str(text or "").strip()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    return str(value or "").strip()


def languages_of(resource: Mapping[str, Any], dataset: Mapping[str, Any]) -> list[str]:
    value = resource.get("odm_language") or dataset.get("odm_language") or []
    if isinstance(value, str):
        value = [value]
    return [str(v).lower() for v in value if v]


def search_url(start_url: str) -> str:
    parts = urlsplit(start_url)
    if SEARCH_PATH in parts.path:
        return f"{parts.scheme}://{parts.netloc}{parts.path}"
    return start_url.split("?")[0].rstrip("/") + SEARCH_PATH


class OdcSpider(DocumentSpider):
    """ODC laws (CKAN ``laws_record`` datasets), incremental by ``metadata_modified``."""

    name = "odc"

    def check_spec(self, source: SourceSpec) -> SourceSpec:
        return source

    async def start(self) -> AsyncIterator[Any]:
        self._pages = 0
        self._cursor = self.source.since or ""
        for url in dict.fromkeys(search_url(u) for u in self.source.start_urls):
            yield self._search(url, 0)

    def _search(self, url: str, start: int) -> Request:
        params = {
            "fq": self.source.query or DEFAULT_QUERY,
            "rows": ROWS,
            "start": start,
            "sort": "metadata_modified desc",
        }
        return Request(
            f"{url}?{urlencode(params)}",
            callback=self.parse_search,
            errback=self.on_error,
            headers={"Accept": "application/json"},
            cb_kwargs={"url": url, "start": start},
        )

    def parse_search(self, response: Response, url: str, start: int) -> Iterator[Request]:
        try:
            data = json.loads(response.body)
        except ValueError:
            data = None
        result = data.get("result") if isinstance(data, dict) and data.get("success") else None
        datasets = result.get("results") if isinstance(result, dict) else None
        if not isinstance(result, dict) or not isinstance(datasets, list):
            self.report_failure(response.url, "expected a CKAN package_search answer")
            return
        self.crawler.stats.inc_value("listing/pages")
        self._pages += 1
        count = int(result.get("count") or 0)
        self.crawler.stats.max_value("listing/found_total", count)
        if start == 0:
            self.expect(datasets, f"CKAN datasets for fq={self.source.query or DEFAULT_QUERY}", url)
        reached_known = False
        for dataset in datasets:
            if not isinstance(dataset, dict):
                continue
            modified = str(dataset.get("metadata_modified") or "")
            if self.source.since and modified and modified <= self.source.since:
                reached_known = True
                break
            if modified > self._cursor:
                self._cursor = modified
                self.crawler.stats.set_value("listing/cursor", modified)
            yield from self._offer_dataset(dataset, response.url)
        more = start + len(datasets) < count and datasets
        if more and not reached_known:
            if self._pages < self.source.max_pages:
                yield self._search(url, start + len(datasets))
            else:
                self.crawler.stats.set_value("listing/truncated", True)

    def _offer_dataset(self, dataset: Mapping[str, Any], api_url: str) -> Iterator[Request]:
        name = str(dataset.get("name") or dataset.get("id") or "")
        root = api_url.split(SEARCH_PATH)[0]
        facts: dict[str, Any] = {
            "odc_id": dataset.get("id"),
            "odc_name": name,
            "page_url": f"{root}/laws_record/{name}" if name else None,
            "type": translated(dataset.get("odm_document_type"), "en"),
            "status": translated(dataset.get("odm_laws_status"), "en"),
            "signed_date": str(dataset.get("odm_promulgation_date") or ""),
            "effective_date": str(dataset.get("odm_effective_date") or ""),
            "metadata_modified": dataset.get("metadata_modified"),
        }
        for field_name, key in LINK_FIELDS.items():
            if dataset.get(field_name):
                facts[key] = dataset[field_name]
        facts = {k: v for k, v in facts.items() if v}
        resources = dataset.get("resources") or []
        for resource in resources:
            if not isinstance(resource, Mapping):
                continue
            url = str(resource.get("url") or "").strip()
            fmt = str(resource.get("format") or "").lower()
            if not url or (fmt not in DOCUMENT_FORMATS and not url.lower().endswith(".pdf")):
                continue
            languages = languages_of(resource, dataset) or [""]
            language = languages[0]
            title = (
                translated(dataset.get("title_translated"), language)
                or str(dataset.get("title") or "")
                or str(resource.get("name") or "")
            )
            link = ListingLink(
                url=safe_url_string(url),
                title=title or None,
                date=facts.get("signed_date") or None,
                number=translated(dataset.get("odm_document_number"), language) or None,
                language=language or guess_language(title) or None,
                edition_key=f"odc:{name}" if name else None,
                discovery={**facts, "resource_id": resource.get("id")},
            )
            request = self.offer(link, api_url)
            if request is not None:
                yield request
