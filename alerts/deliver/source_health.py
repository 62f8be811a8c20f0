"""Source health: judge each crawl run, and raise a "source broken" alert when one fails loud.

A source is broken when its listing suddenly yields nothing (or less than half of what it
offered last time, from at least ``MIN_BASE`` documents), or when it failed
``FAILURES_BEFORE_ALERT`` runs in a row. One alert per episode: a source already marked
broken is not alerted again until a healthy run clears it.

The alert is a source notice (:func:`alerts.deliver.outbox.enqueue_source_alert`): it goes through
the same outbox as change alerts, exactly once to every channel that asks for
``source_health`` (or ``*``), and shows in ``sptrack alerts list --notices``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from alerts.deliver.channels import Channel
from alerts.deliver.outbox import enqueue_source_alert
from tracker.models import Source

logger = logging.getLogger(__name__)

FAILURES_BEFORE_ALERT = 3
MIN_BASE = 4


@dataclass(frozen=True)
class RunHealth:
    """What one run says about its source's health: ``broken`` with a reason, or fine."""

    broken: bool
    reason: str = ""


def judge(
    *,
    status: str,
    pages: int,
    found: int,
    last_found: int,
    consecutive_failures: int,
    first_error: str = "",
) -> RunHealth:
    """Judge one finished run (``consecutive_failures`` already counts this run).

    ``pages`` are the listing pages (or API pages) the site answered: when it answered but
    offered nothing, or far less than before, the layout changed; when it did not answer,
    only a third failure in a row is an alert (sites go down for a day).
    """
    if pages > 0 and found == 0 and last_found > 0:
        return RunHealth(True, f"listing yielded no documents (had {last_found}): layout changed?")
    if pages > 0 and last_found >= MIN_BASE and found * 2 < last_found:
        return RunHealth(
            True, f"listing yielded {found} documents, expected about {last_found}: layout changed?"
        )
    if status == "failed" and consecutive_failures >= FAILURES_BEFORE_ALERT:
        detail = f": {first_error}" if first_error else ""
        return RunHealth(True, f"failed {consecutive_failures} runs in a row{detail}")
    return RunHealth(False, first_error if status == "failed" else "")


def update_health(
    session: Session,
    source: Source,
    health: RunHealth,
    *,
    found: int,
    status: str,
    channels: Sequence[Channel],
    now: datetime,
) -> int | None:
    """Mark the source ok or broken after a run; alert once when it becomes broken (the
    notice's id), keyed by source and the time it broke so a re-run cannot alert twice."""
    notice: int | None = None
    if health.broken:
        if source.health != "broken":
            notice = enqueue_source_alert(
                session,
                key=f"{source.id}:broken:{now.isoformat()}",
                source_id=source.id,
                kind="broken",
                severity="high",
                summary=f"Source broken: {source.name or source.id} ({source.id}): {health.reason}",
                channels=channels,
                now=now,
                detail=health.reason,
            )
            logger.warning("source %s broken: %s (notice %s)", source.id, health.reason, notice)
        source.health = "broken"
        source.health_note = health.reason
    elif status != "failed" and found > 0:
        source.health = "ok"
        source.health_note = None
        source.last_found = found
    else:
        source.health_note = health.reason or source.health_note
    return notice
