"""The tracker's jobs: crawl a source, ingest what it fetched, deliver alerts.

Data flows one way: the crawler writes files (blobs + manifest) in a spool folder; ingest
copies each blob into the blob store, reads it, compares it with the instrument's last
version, matches the changes against the positions and records version, changes, flags,
alert and deliveries in one transaction per document. The spool folder is removed only
once everything in it was ingested, so a killed process loses nothing.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from alerts.deliver import drift
from alerts.deliver.delivery import DeliveryReport, deliver_due
from alerts.deliver.outbox import LANGUAGE_VERSION, LEGAL, TRANSLATION, record_alert
from alerts.deliver.source_health import RunHealth, judge, update_health
from alerts.match.parameters import with_positions
from app.config import SourceSettings
from app.runtime import Runtime
from app.sources import all_sources, find_source
from crawler.errors import CrawlError
from crawler.manifest import CrawlReport, FetchedDocument, read_manifest, read_report
from crawler.remote import run_crawl_remote
from crawler.robots import ROBOTS_REFUSAL
from crawler.run import PARENT_GONE, SourceSpec, read_plan, read_progress, run_crawl
from parsers import ParseError
from parsers.compare.diff import compare
from parsers.compare.parameters import Reading, readings
from parsers.document import Document
from parsers.errors import OutOfMemory, ReaderCrashed, TimedOut
from parsers.read.isolation import read_isolated
from tracker import history, languages, parameters, runs
from tracker.models import CrawlRun, Source, Version
from tracker.runs import RunCounts

logger = logging.getLogger(__name__)


@dataclass
class SourceOutcome:
    """What one crawl of one source did: the run report's counts."""

    source_id: str
    status: str = "running"
    baseline: bool = False
    requests: int = 0
    bytes: int = 0
    documents: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_modified: int = 0
    failed: int = 0
    alerts: int = 0
    listing_pages: int = 0
    found: int = 0
    duration_s: float = 0.0
    health: str = ""
    errors: list[dict[str, str]] = field(default_factory=list)
    #: False when a fetched document could not be stored (it waits in the spool): a
    #: baseline is finished only when every document it fetched was stored, so documents
    #: stored by a later run are still baseline, not new instruments to alert.
    stored_all: bool = True
    cursor: str | None = None

    def line(self) -> str:
        def many(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"{self.source_id}: {self.status}{' (baseline)' if self.baseline else ''}; "
            f"{many(self.documents, 'document')}: {self.new} new, {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.not_modified} not modified, "
            f"{self.failed} failed; {many(self.alerts, 'alert')}; "
            f"{many(self.requests, 'request')}, {many(self.bytes, 'byte')}"
            + (f"; SOURCE BROKEN: {self.health}" if self.health else "")
        )

    def counts(self) -> RunCounts:
        """What the run's row keeps of this outcome."""
        return RunCounts(
            status=self.status,
            baseline=self.baseline,
            requests=self.requests,
            bytes=self.bytes,
            documents=self.documents,
            new=self.new,
            changed=self.changed,
            unchanged=self.unchanged,
            not_modified=self.not_modified,
            failed=self.failed,
            alerts=self.alerts,
            listing_pages=self.listing_pages,
            found=self.found,
            duration_s=self.duration_s,
            errors=tuple(self.errors),
        )


#: Seconds the crawl process runs past ``crawler.timeout_s`` at most when this one is gone.
CLOSE_GRACE_S = 5
INTERRUPTED = "the crawl process ended before it recorded this run (killed?)"
#: The error of a run whose process was killed while it crawled: its crawl process saw it
#: go, stopped, and the next run ingested what it had fetched.
ORPHANED = "the process of this run was killed; its crawl stopped and the next run ingested it"


def now() -> datetime:
    return datetime.now(UTC)


def source_spec(source: SourceSettings, since: str | None = None) -> SourceSpec:
    return SourceSpec(
        id=source.id,
        spider=source.spider,
        start_urls=tuple(source.start_urls),
        documents=source.documents,
        next_page=source.next_page or None,
        date=source.date or None,
        title=source.title or None,
        allow_private_network=source.allow_private_network,
        allowed_domains=tuple(source.allowed_domains),
        max_pages=source.max_pages,
        max_documents=source.max_documents,
        query=source.query or None,
        since=since or None,
        detail=source.detail or None,
        file_hosts=tuple(source.file_hosts),
        respect_robots=source.respect_robots,
        json_items=source.json_items or None,
        json_fields=dict(source.json_fields),
        json_total=source.json_total or None,
        page_size=source.page_size,
        articles=source.articles,
    )


def crawl_source(
    rt: Runtime,
    source: SourceSettings,
    progress: Callable[[str], None] | None = None,
) -> SourceOutcome:
    """Fetch one source once, then ingest and record the run."""
    started = now()
    if progress is not None:
        progress(f"{source.id}: starting")
    with rt.session() as s:
        row = history.ensure_source(s, source.id, source.name, source.spider)
        outcome = SourceOutcome(source.id, baseline=not row.baseline_done)
        since = row.cursor or None
        s.commit()
    recover_spool(rt, source.id, outcome, older_than_s=rt.settings.crawler.timeout_s)
    close_interrupted_runs(rt, source.id, started)
    with rt.session() as s:
        validators = history.validators(s, source.id)
        run_id = runs.start_run(s, source.id, started, baseline=outcome.baseline)
        s.commit()
    out_dir = rt.spool / source.id / f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{run_id}"
    try:
        report = _run_crawl(rt, source, out_dir, validators, since, progress)
    except CrawlError as exc:
        logger.error("crawl of %s failed: %s", source.id, exc)
        outcome.status = "failed"
        outcome.errors.append({"url": "", "error": str(exc)})
        report = None
    if report is not None:
        outcome.requests = report.requests
        outcome.bytes = report.bytes
        outcome.listing_pages = report.listing_pages
        outcome.found = report.found
        outcome.cursor = report.cursor
        outcome.errors.extend({"url": e.url, "error": e.error} for e in report.errors)
        outcome.failed += report.failed
    ingested_all = ingest_spool(rt, source.id, out_dir, outcome, progress)
    outcome.duration_s = round((now() - started).total_seconds(), 3)
    _finish(rt, source.id, run_id, outcome)
    if ingested_all and report is not None:
        shutil.rmtree(out_dir, ignore_errors=True)
    logger.info("crawl %s", outcome.line())
    return outcome


def _run_crawl(
    rt: Runtime,
    source: SourceSettings,
    out_dir: Path,
    validators: dict[str, dict[str, str]],
    since: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> CrawlReport:
    """One crawl in a local subprocess, or on the Scrapyd daemon when one is configured."""
    crawler = rt.settings.crawler
    options: dict[str, Any] = {
        "user_agent": rt.user_agent,
        "timeout_s": crawler.timeout_s,
        "settings_overrides": {
            # The crawl process closes its spider by itself a little after the timeout
            # this process enforces: when this process is killed, the crawl still ends
            # (and writes its report, which the next run ingests).
            "CLOSESPIDER_TIMEOUT": crawler.timeout_s + CLOSE_GRACE_S,
            "DOWNLOAD_MAXSIZE": rt.read_limits.max_bytes,
            "DOWNLOAD_DELAY": crawler.delay_s,
            "AUTOTHROTTLE_START_DELAY": max(crawler.delay_s, 0.1),
        },
    }
    if crawler.scrapyd_url:
        return run_crawl_remote(
            source_spec(source, since),
            out_dir,
            validators,
            scrapyd_url=crawler.scrapyd_url,
            project=crawler.scrapyd_project,
            **options,
        )
    fetching = None
    if progress is not None:
        report = progress

        def fetching(n: int) -> None:
            pages, found = read_progress(out_dir)
            report(
                f"{source.id}: fetching, {n} of {max(found, n)} documents found"
                f" on {pages} listing pages"
            )

    return run_crawl(source_spec(source, since), out_dir, validators, progress=fetching, **options)


_FETCHING = re.compile(r"fetching, (\d+) of (\d+) documents found on (\d+) listing pages")
_READING = re.compile(r"reading (\d+)/(\d+) ")


def progress_counts(message: str) -> dict[str, int]:
    """The counts a crawl's progress message carries: ``fetched``, ``found`` and
    ``pages`` while fetching, ``read`` of ``to_read`` while reading."""
    if match := _FETCHING.search(message):
        fetched, found, pages = (int(g) for g in match.groups())
        return {"fetched": fetched, "found": found, "pages": pages}
    if match := _READING.search(message):
        read, to_read = (int(g) for g in match.groups())
        return {"read": read, "to_read": to_read}
    return {}


def close_interrupted_runs(rt: Runtime, source_id: str, at: datetime) -> int:
    """Mark the source's runs still ``running`` that started longer ago than the crawl
    timeout as ``interrupted``: their process was killed before it could record them. (A
    run still ingesting after that long records its own outcome over this when it ends.)"""
    cutoff = at - timedelta(seconds=rt.settings.crawler.timeout_s + CLOSE_GRACE_S)
    with rt.session() as s:
        rows = runs.stale_runs(s, source_id, cutoff)
        for run in rows:
            _interrupted(s, run, at, INTERRUPTED)
        s.commit()
    return len(rows)


def _interrupted(s: Session, run: CrawlRun, at: datetime, why: str) -> None:
    logger.warning("crawl run %s of %s was interrupted", run.id, run.source_id)
    runs.interrupt_run(s, run, at, why)


def _spool_run(folder: Path) -> int | None:
    """The crawl run a spool folder (``STARTED-RUNID``) belongs to."""
    run_id = folder.name.rpartition("-")[2]
    return int(run_id) if folder.name.count("-") == 1 and run_id.isdigit() else None


#: A dry run reads at most this many listing pages and documents unless told otherwise.
CHECK_MAX_PAGES = 5
CHECK_MAX_DOCUMENTS = 200


def check_source(
    rt: Runtime,
    source: SourceSettings,
    max_pages: int = CHECK_MAX_PAGES,
    max_documents: int = CHECK_MAX_DOCUMENTS,
) -> dict[str, Any]:
    """Dry-run one source: read its listings (at most ``max_pages``, at the configured
    delay), ask its documents for their headers only, store nothing. Returns the plan:
    ``documents`` a crawl would fetch, ``pages`` read, ``skipped`` links with the reason,
    ``errors`` and whether the bounds ``truncated`` the listing."""
    spec = dataclasses.replace(
        source_spec(source),
        dry_run=True,
        max_pages=min(max_pages, source.max_pages),
        max_documents=min(max_documents, source.max_documents),
    )
    crawler = rt.settings.crawler
    with tempfile.TemporaryDirectory(prefix=f"sptrack-check-{source.id}-") as tmp:
        report = run_crawl(
            spec,
            Path(tmp),
            {},
            user_agent=rt.user_agent,
            timeout_s=crawler.timeout_s,
            settings_overrides={
                "DOWNLOAD_MAXSIZE": rt.read_limits.max_bytes,
                "DOWNLOAD_DELAY": crawler.delay_s,
                "AUTOTHROTTLE_START_DELAY": max(crawler.delay_s, 0.1),
            },
        )
        plan = read_plan(Path(tmp))
    return {
        "source": source.id,
        "spider": source.spider,
        "start_urls": list(source.start_urls),
        "documents": plan.get("documents", []),
        "pages": plan.get("pages", []),
        "skipped": plan.get("skipped", []),
        "truncated": report.truncated,
        "limits": {"max_pages": spec.max_pages, "max_documents": spec.max_documents},
    }


def recover_spool(rt: Runtime, source_id: str, outcome: SourceOutcome, older_than_s: float) -> None:
    """Ingest what an earlier process fetched but did not finish ingesting.

    A spool folder is left behind when the process was killed after the crawl (it has its
    report) or during it. A crawl process sees its parent go and stops (its report says
    ``PARENT_GONE``): the run it belonged to is marked ``interrupted`` here. A folder
    without a report is ingested once older than the crawl timeout (that crawl is surely
    dead); one of a crawl that may still be running is left alone.
    """
    folder = rt.spool / source_id
    if not folder.is_dir():
        return
    cutoff = time.time() - older_than_s
    for leftover in sorted(p for p in folder.iterdir() if p.is_dir()):
        report = read_report(leftover)
        if report is None and leftover.stat().st_mtime > cutoff:
            continue
        run_id = _spool_run(leftover)
        if report is not None and report.finish_reason == PARENT_GONE and run_id is not None:
            with rt.session() as s:
                run = s.get(CrawlRun, run_id)
                if run is not None and run.source_id == source_id and run.status == "running":
                    _interrupted(s, run, now(), ORPHANED)
                    s.commit()
        logger.warning("ingesting %s, left by an earlier run", leftover)
        if ingest_spool(rt, source_id, leftover, outcome):
            shutil.rmtree(leftover, ignore_errors=True)


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
            outcome.failed += 1
            outcome.errors.append({"url": fetched.url, "error": f"ingest: {exc}"})
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
        outcome.not_modified += 1
        outcome.documents += 1
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
    outcome.documents += 1
    with rt.session() as s:
        instrument = history.find_instrument(
            s, source_id, fetched.url
        ) or history.instrument_with_content(s, source_id, sha)
        latest = history.latest_version(s, instrument.id) if instrument and instrument.id else None
        if latest is not None and latest.sha256 == sha:
            history.store_fetched(s, record, None)
            s.commit()
            outcome.unchanged += 1
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
        outcome.failed += 1
        outcome.errors.append({"url": fetched.url, "error": parse_error})
    with rt.session() as s:
        stored = history.store_fetched(s, record, document, parse_error, refetch=refetch)
        if stored.status == "new":
            outcome.new += 1
        else:
            outcome.changed += 1
        if document is not None:
            record_parameters(rt, s, stored.version, document)
            _record_changes(rt, s, source_id, stored, document, outcome)
            assert stored.instrument.id is not None
            parameters.link_languages(s, stored.instrument.id)
        s.commit()


def record_parameters(rt: Runtime, s: Session, version: Version, document: Document) -> int:
    """File the rates, amounts and periods ``document`` states in the parameter registry."""
    return parameters.record(
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
        total = parameters.rebuild(s, read)
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
        languages.record_counterparts(s, instrument, document, rows)
    flags = [rt.matcher.flag(change) for change in changes]
    alert = record_alert(
        s,
        instrument=instrument,
        version=version,
        change_rows=rows,
        flags=flags,
        channels=rt.delivery_channels(s),
        source_id=source_id,
        baseline=outcome.baseline,
        now=now(),
        kind=kind,
        positions=rt.positions_by_id,
    )
    if alert is not None:
        outcome.alerts += 1
    if not outcome.baseline:
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


def _finish(rt: Runtime, source_id: str, run_id: int, outcome: SourceOutcome) -> None:
    if outcome.status == "running":
        fetched_any = outcome.documents > 0
        if outcome.failed == 0 and fetched_any:
            outcome.status = "ok"
        elif fetched_any:
            outcome.status = "partial"
        else:
            outcome.status = "failed"
    with rt.session() as s:
        source = s.get(Source, source_id)
        assert source is not None
        finished = now()
        run = runs.finish_run(s, run_id, outcome.counts(), finished_at=finished)
        source.last_crawl_at = finished
        if outcome.status == "failed":
            source.consecutive_failures += 1
            source.last_error = outcome.errors[0]["error"] if outcome.errors else "no documents"
        else:
            source.consecutive_failures = 0
            source.last_success_at = finished
            source.last_error = outcome.errors[0]["error"] if outcome.errors else None
            source.baseline_done = source.baseline_done or outcome.stored_all
            source.cursor = outcome.cursor or source.cursor
        health = judge(
            status=outcome.status,
            pages=outcome.listing_pages,
            found=outcome.found,
            last_found=source.last_found,
            consecutive_failures=source.consecutive_failures,
            first_error=source.last_error or "",
        )
        health = _robots_refusal(outcome) or health
        notice = update_health(
            s,
            source,
            health,
            found=outcome.found,
            status=outcome.status,
            channels=rt.delivery_channels(s),
            now=finished,
        )
        if health.broken:
            outcome.health = health.reason
        if notice is not None:
            outcome.alerts += 1
            run.alerts = outcome.alerts
        s.commit()


def _robots_refusal(outcome: SourceOutcome) -> RunHealth | None:
    """A run that robots.txt refused is a broken source, the rule named: the health
    machinery then sends one notice, and no more while the refusal lasts."""
    refused = [e for e in outcome.errors if ROBOTS_REFUSAL in e.get("error", "")]
    if not refused:
        return None
    first = refused[0]["error"]
    reason = first[first.index(ROBOTS_REFUSAL) :]
    more = f" ({len(refused)} requests refused, first {refused[0]['url']})"
    return RunHealth(True, reason + more)


def crawl(
    rt: Runtime,
    source_ids: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
) -> list[SourceOutcome]:
    """Crawl the named sources (all when empty), then deliver what is due."""
    sources = [find_source(rt, i) for i in source_ids] or [s for s in all_sources(rt) if s.enabled]
    if swept := rt.blobs.sweep():
        logger.info("removed %d temporary files left in the blob store by a killed run", swept)
    outcomes = [crawl_source(rt, source, progress) for source in sources]
    check_translation_lag(rt)
    deliver(rt)
    return outcomes


def check_translation_lag(rt: Runtime, at: datetime | None = None) -> int:
    """Notify, once each, translations that have not followed a change of their official
    text after ``[languages] translation_lag_days``; the number of notices."""
    with rt.session() as s:
        found = drift.check_lag(
            s,
            lag_days=rt.settings.languages.translation_lag_days,
            channels=rt.delivery_channels(s),
            now=at or now(),
        )
        s.commit()
    return len(found)


def deliver(
    rt: Runtime, at: datetime | None = None, *, retry_failed: bool = False
) -> DeliveryReport:
    """Send what is due (and, with ``retry_failed``, failed deliveries before their backoff
    ends) to the configured channels and the users' own subscriptions."""
    with rt.session() as s:
        channels = rt.delivery_channels(s)
    report = deliver_due(
        rt.session,
        channels,
        rt.positions_by_id,
        rt.settings.web.base_url,
        now=at or now(),
        max_attempts=rt.settings.alerts.max_attempts,
        retry_failed=retry_failed,
    )
    logger.info(
        "delivery: %d sent, %d failed, %d pending", report.sent, report.failed, report.pending
    )
    return report


def _parse_time(value: str | None) -> datetime:
    if not value:
        return now()
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
