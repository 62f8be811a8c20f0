"""Crawl runs: the row each crawl (or added file) of a source leaves, with what it did.

:func:`start_run` records a run as ``running`` before anything is fetched, so a process
killed mid-crawl leaves a trace; :func:`finish_run` writes the run's :class:`RunCounts`
when it ends, and :func:`interrupt_run` closes a run whose process is gone. Functions take
an open session and leave committing to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, SQLModel, col, select

from tracker.models import CrawlRun
from tracker.tables.documents import RunTally

#: A run keeps its first errors only: a broken site can fail on every one of thousands of links.
ERRORS_KEPT = 200


class RunCounts(RunTally):
    """What one run did, as the crawl reports it (frozen): the run's counts
    (:class:`~tracker.tables.documents.RunTally`) and its errors."""

    model_config = SQLModel.model_config | {"frozen": True}

    errors: tuple[dict[str, str], ...] = ()


def start_run(session: Session, source_id: str, started_at: datetime, *, baseline: bool) -> int:
    """Record a run of ``source_id`` as ``running``, flushed; returns its id."""
    run = CrawlRun(source_id=source_id, started_at=started_at, baseline=baseline)
    session.add(run)
    session.flush()
    assert run.id is not None
    return run.id


def finish_run(
    session: Session, run_id: int, counts: RunCounts, *, finished_at: datetime
) -> CrawlRun:
    """Write ``counts`` on run ``run_id`` and mark it finished; returns the row."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    for name in RunTally.model_fields:
        setattr(run, name, getattr(counts, name))
    run.errors = list(counts.errors[:ERRORS_KEPT])
    run.finished_at = finished_at
    session.add(run)
    return run


def stale_runs(session: Session, source_id: str, started_before: datetime) -> Sequence[CrawlRun]:
    """The source's runs still ``running`` that started before ``started_before``."""
    return session.exec(
        select(CrawlRun).where(
            CrawlRun.source_id == source_id,
            col(CrawlRun.finished_at).is_(None),
            CrawlRun.status == "running",
            col(CrawlRun.started_at) < started_before,
        )
    ).all()


def interrupt_run(session: Session, run: CrawlRun, at: datetime, why: str) -> None:
    """Close ``run`` as ``interrupted`` at ``at``, ``why`` added to its errors."""
    run.status = "interrupted"
    run.finished_at = at
    run.errors = [*run.errors, {"url": "", "error": why}]
    session.add(run)
