"""The files a crawl leaves behind, and how to read them back.

A crawl writes one output directory::

    OUT/blobs/<sha256>      raw bytes, content-addressed, written atomically, never overwritten
    OUT/manifest.jsonl      one FetchedDocument per line, appended and flushed per document
    OUT/report.json         a CrawlReport, written atomically when the crawl ends

In ``manifest.jsonl`` ``blob_path`` is relative to OUT (``blobs/<sha256>``) so a directory
can be moved; ``read_manifest`` returns it joined to OUT.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from crawler.errors import OutputCorrupt

logger = logging.getLogger(__name__)

BLOB_DIR = "blobs"
MANIFEST_FILE = "manifest.jsonl"
REPORT_FILE = "report.json"

Status = Literal["fetched", "not_modified"]


@dataclass(frozen=True)
class FetchedDocument:
    """One document answered by its server: new bytes (``fetched``) or ``not_modified`` (304).

    Discovery metadata comes from the listing or API that pointed at it: ``title``,
    ``listing_date``, ``number``, ``language`` (``km``/``en``), ``edition_key`` (shared by
    the language editions of one instrument) and ``discovery`` (other facts: ``type``,
    ``status``, ``effective_date``, links to previous or parent instruments, ...).
    """

    source_id: str
    url: str
    final_url: str
    status: Status
    sha256: str | None
    size: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: str
    listing_url: str | None
    title: str | None
    listing_date: str | None = None
    blob_path: str | None = None
    number: str | None = None
    language: str | None = None
    edition_key: str | None = None
    discovery: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FetchedDocument:
        _no_unknown_keys(cls, data)
        if data.get("status") not in ("fetched", "not_modified"):
            raise ValueError(
                f"status: expected 'fetched' or 'not_modified', got {data.get('status')!r}"
            )
        return cls(**data)


@dataclass(frozen=True)
class FetchFailure:
    """A listing page or document the crawl could not fetch, and why."""

    url: str
    error: str

    def to_json(self) -> dict[str, str]:
        return {"url": self.url, "error": self.error}


@dataclass
class CrawlReport:
    """Counts of one crawl; ``finished`` is true only when the spider closed normally.

    ``requests``/``responses``/``response_bytes`` count every HTTP exchange (robots.txt and
    listing pages included); ``documents`` are documents fetched with new bytes,
    ``not_modified`` those answered 304, ``bytes`` the document bytes downloaded,
    ``stored`` the blobs that were new in the store, ``failed`` the entries in ``errors``.
    ``cursor`` where an incremental spider got to (the next crawl's ``since``);
    ``found`` the distinct document links the listings offered (an API's own total count
    where it gives one);
    ``truncated`` says a ``max_pages`` or ``max_documents`` cap stopped the crawl early.
    """

    source_id: str
    requests: int = 0
    responses: int = 0
    documents: int = 0
    not_modified: int = 0
    bytes: int = 0
    stored: int = 0
    response_bytes: int = 0
    failed: int = 0
    listing_pages: int = 0
    found: int = 0
    cursor: str | None = None
    truncated: bool = False
    errors: list[FetchFailure] = field(default_factory=list)
    started_at: str | None = None
    finished_at: str | None = None
    finish_reason: str | None = None
    finished: bool = False

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = [e.to_json() for e in self.errors]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CrawlReport:
        _no_unknown_keys(cls, data)
        values = dict(data)
        values["errors"] = [FetchFailure(e["url"], e["error"]) for e in data.get("errors", [])]
        return cls(**values)


def _no_unknown_keys(cls: type, data: dict[str, Any]) -> None:
    """A manifest row has only the keys of the dataclass it is read into."""
    unknown = sorted(set(data) - {f.name for f in fields(cls)})
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {', '.join(unknown)}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all or nothing: temp file in the same dir, fsync, replace."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_manifest(out_dir: Path) -> list[FetchedDocument]:
    """Read ``OUT/manifest.jsonl``; ``blob_path`` comes back joined to ``out_dir``.

    A truncated last line (a crawl killed mid-write) is skipped with a warning; a bad line
    anywhere else raises ``OutputCorrupt``. A missing manifest reads as no documents.
    """
    path = Path(out_dir) / MANIFEST_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = raw.split("\n")
    complete = raw.endswith("\n")
    documents: list[FetchedDocument] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            document = FetchedDocument.from_json(json.loads(line))
        except (ValueError, TypeError) as exc:
            if number == len(lines) and not complete:
                logger.warning("%s:%d: skipping truncated last line", path, number)
                break
            raise OutputCorrupt(path, number, f"expected a FetchedDocument, got {exc}") from exc
        if document.blob_path is not None:
            blob = Path(out_dir) / document.blob_path
            document = FetchedDocument(**{**document.to_json(), "blob_path": str(blob)})
        documents.append(document)
    return documents


def read_report(out_dir: Path) -> CrawlReport | None:
    """Read ``OUT/report.json``; None when the crawl wrote none (killed or still running)."""
    path = Path(out_dir) / REPORT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise OutputCorrupt(path, None, f"expected a JSON report, got {exc}") from exc
    try:
        return CrawlReport.from_json(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise OutputCorrupt(path, None, f"expected a CrawlReport, got {exc}") from exc
