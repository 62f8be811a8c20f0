"""Ingesting what a crawl fetched: each blob is copied into the blob store, read, compared
with its instrument's last version and matched against the positions; version, changes,
flags, alert and deliveries are recorded in one transaction per document, and the rates,
amounts and periods it states filed in the parameter registry. :class:`SourceOutcome`
counts what happened."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from alerts.deliver import drift
from alerts.deliver.outbox import LANGUAGE_VERSION, LEGAL, TRANSLATION, record_alert
from alerts.match.parameters import with_positions
from app.runtime import Runtime
from crawler.manifest import FetchedDocument, read_manifest
from parsers import ParseError
from parsers.compare.diff import compare
from parsers.compare.parameters import Reading, readings
from parsers.document import Document
from parsers.errors import OutOfMemory, ReaderCrashed, TimedOut
from parsers.read.isolation import read_isolated
from tracker import history, languages, parameter_record
from tracker.counterparts import record_counterparts
from tracker.models import Version
from tracker.parameter_languages import link_languages
from tracker.runs import RunCounts

logger = logging.getLogger(__name__)


@dataclass
class SourceOutcome:
    """What one crawl of one source did: the counts its run keeps (``counts``, added to as
    the crawl goes) and what only the run report says."""

    source_id: str
    counts: RunCounts = field(default_factory=RunCounts)
    health: str = ""
    #: False when a fetched document could not be stored (it waits in the spool): a
    #: baseline is finished only when every document it fetched was stored, so documents
    #: stored by a later run are still baseline, not new instruments to alert.
    stored_all: bool = True
    cursor: str | None = None

    def add(self, **more: int) -> None:
        """Count more of what the run did, e.g. ``add(documents=1, new=1)``."""
        self.counts = self.counts.model_copy(
            update={name: getattr(self.counts, name) + n for name, n in more.items()}
        )

    def update(self, **values: Any) -> None:
        """Set counts, e.g. ``update(status="ok", bytes=12)``."""
        self.counts = self.counts.model_copy(update=values)

    def add_errors(self, *errors: dict[str, str]) -> None:
        self.counts = self.counts.model_copy(update={"errors": (*self.counts.errors, *errors)})

    def line(self) -> str:
        def many(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        c = self.counts
        return (
            f"{self.source_id}: {c.status}{' (baseline)' if c.baseline else ''}; "
            f"{many(c.documents, 'document')}: {c.new} new, {c.changed} changed, "
            f"{c.unchanged} unchanged, {c.not_modified} not modified, "
            f"{c.failed} failed; {many(c.alerts, 'alert')}; "
            f"{many(c.requests, 'request')}, {many(c.bytes, 'byte')}"
            + (f"; SOURCE BROKEN: {self.health}" if self.health else "")
        )


def now() -> datetime:
    return datetime.now(UTC)


def ingest_spool(
    rt: Runtime,
    source_id: str,
    out_dir: Path,
    outcome: SourceOutcome,
    progress: Callable[[str], None] | None = None,
) -> bool:
    """Ingest every manifest row of a crawl's output; True when none failed."""
    if not out_dir.exists():
        return True
    rows = read_manifest(out_dir)
    ok = True
    for number, fetched in enumerate(rows, start=1):
        try:
            ingest_document(rt, source_id, fetched, outcome)
        except Exception as exc:  # one boundary per document: record it and go on
            logger.exception("ingest of %s failed", fetched.url)
            outcome.add(failed=1)
            outcome.add_errors({"url": fetched.url, "error": f"ingest: {exc}"})
            outcome.stored_all = ok = False
        if progress is not None:
            progress(f"{source_id}: reading {number}/{len(rows)} {fetched.url}")
    return ok


def ingest_document(
    rt: Runtime, source_id: str, fetched: FetchedDocument, outcome: SourceOutcome
) -> None:
    when = _parse_time(fetched.fetched_at)
    if fetched.status == "not_modified" or fetched.blob_path is None or fetched.sha256 is None:
        with rt.session() as s:
            history.touch(s, source_id, fetched.url, when)
            s.commit()
        outcome.add(not_modified=1, documents=1)
        return
    sha = rt.blobs.put_file(Path(fetched.blob_path), fetched.sha256)
    record = history.Fetched(
        source_id=source_id,
        url=fetched.url,
        sha256=sha,
        size=fetched.size,
        content_type=fetched.content_type or "",
        fetched_at=when,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        title=fetched.title or "",
        listing_date=fetched.listing_date or "",
        number=fetched.number or "",
        language=fetched.language or "",
        edition_key=fetched.edition_key or "",
        discovery=fetched.discovery,
    )
    outcome.add(documents=1)
    with rt.session() as s:
        instrument = history.find_instrument(
            s, source_id, fetched.url
        ) or history.instrument_with_content(s, source_id, sha)
        latest = history.latest_version(s, instrument.id) if instrument and instrument.id else None
        if latest is not None and latest.sha256 == sha:
            history.store_fetched(s, record, None)
            s.commit()
            outcome.add(unchanged=1)
            return
    document: Document | None = None
    parse_error: str | None = None
    refetch = False
    try:
        document = read_isolated(
            rt.blobs.get(sha),
            name=fetched.url,
            limits=rt.read_limits,
            timeout_s=rt.settings.reading.timeout_s,
            memory_mb=rt.settings.reading.memory_mb,
        )
    except ParseError as exc:
        parse_error = str(exc)
        # Same bytes, same failure: only a reader that ran out of time or memory, or
        # crashed, is worth a new download; otherwise the URL answers 304 next time.
        refetch = isinstance(exc, TimedOut | OutOfMemory | ReaderCrashed)
        outcome.add(failed=1)
        outcome.add_errors({"url": fetched.url, "error": parse_error})
    with rt.session() as s:
        stored = history.store_fetched(s, record, document, parse_error, refetch=refetch)
        if stored.status == "new":
            outcome.add(new=1)
        else:
            outcome.add(changed=1)
        if document is not None:
            record_parameters(rt, s, stored.version, document)
            _record_changes(rt, s, source_id, stored, document, outcome)
            assert stored.instrument.id is not None
            link_languages(s, stored.instrument.id)
        s.commit()


def record_parameters(rt: Runtime, s: Session, version: Version, document: Document) -> int:
    """File the rates, amounts and periods ``document`` states in the parameter registry."""
    return parameter_record.record(
        s, version, with_positions(rt.matcher, readings(document, rt.parameter_names))
    )


def rebuild_parameters(rt: Runtime) -> int:
    """The registry built anew from every stored version (a store filled before it existed)."""

    def read(version: Version) -> list[Reading]:
        document = history.document_of(version)
        return (
            with_positions(rt.matcher, readings(document, rt.parameter_names)) if document else []
        )

    with rt.session() as s:
        total = parameter_record.rebuild(s, read)
        s.commit()
    return total


def _record_changes(
    rt: Runtime,
    s: Session,
    source_id: str,
    stored: history.Stored,
    document: Document,
    outcome: SourceOutcome,
) -> None:
    instrument, version = stored.instrument, stored.version
    assert instrument.id is not None and version.id is not None
    kind = _language_kind(s, stored)
    base = stored.previous
    if base is not None and base.document is None:
        base = history.last_readable_version(s, instrument.id, version)
    old = history.document_of(base) or Document.empty()
    changes = compare(old, document)
    if not changes:
        return
    rows = history.store_changes(s, instrument.id, base.id if base else None, version.id, changes)
    if base is not None:
        record_counterparts(s, instrument, document, rows)
    flags = [rt.matcher.flag(change) for change in changes]
    alert = record_alert(
        s,
        instrument=instrument,
        version=version,
        change_rows=rows,
        flags=flags,
        channels=rt.delivery_channels(s),
        source_id=source_id,
        baseline=outcome.counts.baseline,
        now=now(),
        kind=kind,
        positions=rt.positions_by_id,
    )
    if alert is not None:
        outcome.add(alerts=1)
    if not outcome.counts.baseline:
        drift.check_numbers(s, instrument.id, channels=rt.delivery_channels(s), now=now())


def _language_kind(s: Session, stored: history.Stored) -> str:
    """Attach a document to its work in another language (number, type and date agree);
    then say what its changes are: a legal change, a change in a translation only, or a
    first text in one more language of a work already known."""
    instrument = stored.instrument
    assert instrument.id is not None
    attached = languages.attach_automatically(s, instrument)
    if stored.previous is None and attached is not None:
        return LANGUAGE_VERSION
    if languages.is_translation(s, instrument.id):
        return TRANSLATION
    return LEGAL


def _parse_time(value: str | None) -> datetime:
    if not value:
        return now()
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
