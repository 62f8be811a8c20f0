"""Item pipelines: raw bytes into the blob store, rows into the manifest, the report at close.

Both read ``CRAWL_OUTPUT_DIR`` (set by the spider from its ``out`` argument) in
``from_crawler`` and take plain values in ``__init__``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Self

from scrapy import Spider, signals
from scrapy.exceptions import NotConfigured

from crawler.errors import fetch_failed
from crawler.items import DocumentItem
from crawler.manifest import (
    BLOB_DIR,
    MANIFEST_FILE,
    REPORT_FILE,
    CrawlReport,
    FetchedDocument,
    FetchFailure,
    write_atomic,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def _output_dir(crawler: Crawler) -> Path:
    out = crawler.settings.get("CRAWL_OUTPUT_DIR")
    if not out:
        raise NotConfigured("CRAWL_OUTPUT_DIR is not set (run the spider with -a out=DIR)")
    return Path(out)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class BlobStore:
    """Content-addressed files ``<root>/<sha256>``: written atomically, never overwritten."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> tuple[str, bool]:
        """Store ``data``; return its sha256 and whether the blob was new."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.root / digest
        if path.exists():
            return digest, False
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        return digest, True


class BlobStorePipeline:
    """Store the bytes of each fetched document and set ``sha256``/``size``/``blob_path``."""

    def __init__(self, out_dir: Path, stats: StatsCollector | None = None) -> None:
        self.store = BlobStore(out_dir / BLOB_DIR)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(_output_dir(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, DocumentItem) or item.get("status") != "fetched":
            return item
        body: bytes = item.pop("body")
        digest, new = self.store.put(body)
        item["sha256"] = digest
        item["size"] = len(body)
        item["blob_path"] = f"{BLOB_DIR}/{digest}"
        if self.stats is not None:
            self.stats.inc_value("blobs/stored" if new else "blobs/deduplicated")
        return item


class ManifestPipeline:
    """Append one ``FetchedDocument`` row per item; write ``report.json`` when the spider closes.

    Rows are flushed one by one so a killed crawl keeps what it fetched. Failures arrive
    through the ``fetch_failed`` signal and end up in the report's ``errors``.
    """

    def __init__(self, out_dir: Path, source_id: str, stats: StatsCollector | None = None):
        self.out_dir = out_dir
        self.stats = stats
        self.report = CrawlReport(source_id=source_id)
        self._manifest: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        source = getattr(crawler.spider, "source", None)
        source_id = str(getattr(source, "id", None) or getattr(crawler.spider, "name", ""))
        pipeline = cls(_output_dir(crawler), source_id, crawler.stats)
        crawler.signals.connect(pipeline.record_failure, signal=fetch_failed)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.report.started_at = _now()
        # One manifest per run: a new run into the same directory starts it afresh.
        self._manifest = (self.out_dir / MANIFEST_FILE).open("w", encoding="utf-8")

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, DocumentItem):
            return item
        document = FetchedDocument(
            source_id=item["source_id"],
            url=item["url"],
            final_url=item.get("final_url") or item["url"],
            status=item["status"],
            sha256=item.get("sha256"),
            size=item.get("size") or 0,
            content_type=item.get("content_type"),
            etag=item.get("etag"),
            last_modified=item.get("last_modified"),
            fetched_at=item.get("fetched_at") or _now(),
            listing_url=item.get("listing_url"),
            title=item.get("title"),
            listing_date=item.get("listing_date"),
            blob_path=item.get("blob_path"),
            number=item.get("number"),
            language=item.get("language"),
            edition_key=item.get("edition_key"),
            discovery=dict(item.get("discovery") or {}),
        )
        self.write_row(document)
        return item

    def write_row(self, document: FetchedDocument) -> None:
        if self._manifest is None:
            raise RuntimeError("ManifestPipeline.open_spider() was not called")
        self._manifest.write(json.dumps(document.to_json(), ensure_ascii=False) + "\n")
        self._manifest.flush()
        if document.status == "fetched":
            self.report.documents += 1
            self.report.bytes += document.size
        else:
            self.report.not_modified += 1

    def record_failure(self, url: str, error: str) -> None:
        self.report.errors.append(FetchFailure(url=url, error=error))
        self.report.failed = len(self.report.errors)

    def close_spider(self) -> None:
        if self._manifest is not None:
            self._manifest.close()
            self._manifest = None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        report = self.report
        stats = self.stats.get_stats() if self.stats is not None else {}
        report.requests = int(stats.get("downloader/request_count", 0))
        report.responses = int(stats.get("downloader/response_count", 0))
        report.response_bytes = int(stats.get("downloader/response_bytes", 0))
        report.stored = int(stats.get("blobs/stored", 0))
        report.listing_pages = int(stats.get("listing/pages", 0))
        # An API's own total (CKAN's count) wins: an incremental crawl offers only a part.
        total = stats.get("listing/found_total")
        report.found = int(total if total is not None else stats.get("listing/found", 0))
        cursor = stats.get("listing/cursor")
        report.cursor = str(cursor) if cursor else None
        report.truncated = bool(stats.get("listing/truncated", False))
        report.finished_at = _now()
        report.finish_reason = reason
        report.finished = reason == "finished"
        data = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
        write_atomic(self.out_dir / REPORT_FILE, data.encode("utf-8"))
        logger.info(
            "crawl %s %s: %d documents, %d not modified, %d failed, %d listing pages, %d bytes",
            report.source_id,
            reason,
            report.documents,
            report.not_modified,
            report.failed,
            report.listing_pages,
            report.bytes,
        )
