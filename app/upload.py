"""`sptrack add`: put a document the crawler cannot reach into the same pipeline.

Budget documents (MEF answers robots with 403 and is not evaded), a PDF sent by e-mail, a
scan brought to a meeting: the file is stored, read, compared with the instrument's last
version, matched and alerted exactly like a crawled one. The instrument is named by
``--url`` or, by default, ``upload://<source>/<title>``, so adding a new file with the same
title later records a new version of the same instrument.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from app.config import ConfigError
from app.ingest import SourceOutcome, ingest_document, now
from app.jobs import deliver
from app.runtime import Runtime
from crawler.manifest import FetchedDocument
from tracker import history, runs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """What the user says about the file they add."""

    path: Path
    source_id: str
    title: str
    url: str = ""
    number: str = ""
    date: str = ""
    language: str = ""


def upload_url(source_id: str, title: str) -> str:
    return f"upload://{source_id}/{quote(' '.join(title.split()), safe='')}"


def add_document(rt: Runtime, upload: Upload) -> SourceOutcome:
    """Store, read, compare, match and alert one local file; deliver what is due."""
    if not upload.title.strip():
        raise ConfigError(upload.path, "--title must not be empty", "title")
    try:
        size = upload.path.stat().st_size
    except FileNotFoundError:
        raise ConfigError(upload.path, "no such file") from None
    if not upload.path.is_file():
        raise ConfigError(upload.path, "not a file")
    limit = rt.read_limits.max_bytes
    if size > limit:
        raise ConfigError(upload.path, f"file is {size} bytes, over the {limit}-byte limit")
    data = upload.path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    known = next((s for s in rt.settings.sources if s.id == upload.source_id), None)
    started = now()
    with rt.session() as s:
        history.ensure_source(
            s, upload.source_id, known.name if known else "", known.spider if known else "upload"
        )
        run_id = runs.start_run(s, upload.source_id, started, baseline=False)
        s.commit()
    fetched = FetchedDocument(
        source_id=upload.source_id,
        url=upload.url or upload_url(upload.source_id, upload.title),
        final_url=upload.path.resolve().as_uri(),
        status="fetched",
        sha256=sha,
        size=size,
        content_type=mimetypes.guess_type(upload.path.name)[0],
        etag=None,
        last_modified=None,
        fetched_at=started.isoformat(timespec="seconds"),
        listing_url=None,
        title=" ".join(upload.title.split()),
        listing_date=upload.date or None,
        blob_path=str(upload.path),
        number=upload.number or None,
        language=upload.language or None,
        discovery={"uploaded_from": upload.path.name},
    )
    # An upload is never a baseline: the person adding it wants to hear what changed.
    outcome = SourceOutcome(upload.source_id, runs.RunCounts(status="running", baseline=False))
    ingest_document(rt, upload.source_id, fetched, outcome)
    outcome.update(status="ok" if outcome.counts.failed == 0 else "partial", bytes=size)
    with rt.session() as s:
        runs.finish_run(s, run_id, outcome.counts, finished_at=now())
        s.commit()
    deliver(rt)
    logger.info("add %s", outcome.line())
    return outcome
