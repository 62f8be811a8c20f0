"""The tracker's jobs: crawl a source, ingest what it fetched, deliver alerts.

Data flows one way: the crawler writes files (blobs + manifest) in a spool folder
(:mod:`app.crawling`); ingest (:mod:`app.ingest`) stores, reads, compares and matches each
document. The spool folder is removed only once everything in it was ingested, so a killed
process loses nothing: the next run ingests what was left and records the run it belonged
to as interrupted.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from alerts.deliver import drift
from alerts.deliver.delivery import DeliveryReport, deliver_due
from alerts.deliver.source_health import RunHealth, judge, update_health
from app.config import SourceSettings
from app.crawling import CLOSE_GRACE_S, run_crawl
from app.ingest import SourceOutcome, ingest_spool, now
from app.runtime import Runtime
from app.sources import all_sources, find_source
from crawler.errors import CrawlError
from crawler.manifest import read_report
from crawler.robots import ROBOTS_REFUSAL
from crawler.run import PARENT_GONE
from tracker import history, runs
from tracker.models import CrawlRun, Source

logger = logging.getLogger(__name__)


INTERRUPTED = "the crawl process ended before it recorded this run (killed?)"
#: The error of a run whose process was killed while it crawled: its crawl process saw it
#: go, stopped, and the next run ingested what it had fetched.
ORPHANED = "the process of this run was killed; its crawl stopped and the next run ingested it"


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
        outcome = SourceOutcome(
            source.id, runs.RunCounts(status="running", baseline=not row.baseline_done)
        )
        since = row.cursor or None
        s.commit()
    recover_spool(rt, source.id, outcome, older_than_s=rt.settings.crawler.timeout_s)
    close_interrupted_runs(rt, source.id, started)
    with rt.session() as s:
        validators = history.validators(s, source.id)
        run_id = runs.start_run(s, source.id, started, baseline=outcome.counts.baseline)
        s.commit()
    out_dir = rt.spool / source.id / f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{run_id}"
    try:
        report = run_crawl(rt, source, out_dir, validators, since, progress)
    except CrawlError as exc:
        logger.error("crawl of %s failed: %s", source.id, exc)
        outcome.update(status="failed")
        outcome.add_errors({"url": "", "error": str(exc)})
        report = None
    if report is not None:
        outcome.update(
            requests=report.requests,
            bytes=report.bytes,
            listing_pages=report.listing_pages,
            found=report.found,
        )
        outcome.cursor = report.cursor
        outcome.add_errors(*({"url": e.url, "error": e.error} for e in report.errors))
        outcome.add(failed=report.failed)
    ingested_all = ingest_spool(rt, source.id, out_dir, outcome, progress)
    outcome.update(duration_s=round((now() - started).total_seconds(), 3))
    _finish(rt, source.id, run_id, outcome)
    if ingested_all and report is not None:
        shutil.rmtree(out_dir, ignore_errors=True)
    logger.info("crawl %s", outcome.line())
    return outcome


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


def _finish(rt: Runtime, source_id: str, run_id: int, outcome: SourceOutcome) -> None:
    if outcome.counts.status == "running":
        fetched_any = outcome.counts.documents > 0
        if outcome.counts.failed == 0 and fetched_any:
            outcome.update(status="ok")
        elif fetched_any:
            outcome.update(status="partial")
        else:
            outcome.update(status="failed")
    counts = outcome.counts
    with rt.session() as s:
        source = s.get(Source, source_id)
        assert source is not None
        finished = now()
        run = runs.finish_run(s, run_id, counts, finished_at=finished)
        source.last_crawl_at = finished
        if counts.status == "failed":
            source.consecutive_failures += 1
            source.last_error = counts.errors[0]["error"] if counts.errors else "no documents"
        else:
            source.consecutive_failures = 0
            source.last_success_at = finished
            source.last_error = counts.errors[0]["error"] if counts.errors else None
            source.baseline_done = source.baseline_done or outcome.stored_all
            source.cursor = outcome.cursor or source.cursor
        health = judge(
            status=counts.status,
            pages=counts.listing_pages,
            found=counts.found,
            last_found=source.last_found,
            consecutive_failures=source.consecutive_failures,
            first_error=source.last_error or "",
        )
        health = _robots_refusal(outcome) or health
        notice = update_health(
            s,
            source,
            health,
            found=counts.found,
            status=counts.status,
            channels=rt.delivery_channels(s),
            now=finished,
        )
        if health.broken:
            outcome.health = health.reason
        if notice is not None:
            outcome.add(alerts=1)
            run.alerts = outcome.counts.alerts
        s.commit()


def _robots_refusal(outcome: SourceOutcome) -> RunHealth | None:
    """A run that robots.txt refused is a broken source, the rule named: the health
    machinery then sends one notice, and no more while the refusal lasts."""
    refused = [e for e in outcome.counts.errors if ROBOTS_REFUSAL in e.get("error", "")]
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
