"""Source health: judge each crawl run, and raise a "source broken" alert when one fails loud.

A source is broken when its listing suddenly yields nothing (or less than half of what it
offered last time, from at least ``MIN_BASE`` documents), or when it failed
``FAILURES_BEFORE_ALERT`` runs in a row. One alert per episode: a source already marked
broken is not alerted again until a healthy run clears it.

The alert goes through the ordinary outbox (``Alert`` + ``Delivery`` rows) so every channel
that asks for the position ``source_health`` (or ``*``) gets it. An alert must belong to an
instrument and a version, so each source has one bookkeeping instrument
(``sptrack:source/<id>``, type ``source-health``) and each episode one version holding the
reason as its text.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from alerts.channels import Channel, next_due
from alerts.view import plain
from tracker.models import Alert, Delivery, Instrument, Source, Version

logger = logging.getLogger(__name__)

POSITION = "source_health"
KIND = "source-health"
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


def _health_instrument(session: Session, source: Source, now: datetime) -> Instrument:
    url = f"sptrack:source/{source.id}"
    statement = select(Instrument).where(Instrument.source_id == source.id, Instrument.url == url)
    instrument = session.exec(statement).first()
    if instrument is None:
        instrument = Instrument(
            source_id=source.id,
            url=url,
            type=KIND,
            title=f"Source broken: {source.name or source.id}",
            status=KIND,
            first_seen_at=now,
        )
        session.add(instrument)
        session.flush()
    instrument.last_seen_at = now
    return instrument


def record_source_alert(
    session: Session,
    source: Source,
    reason: str,
    channels: Sequence[Channel],
    now: datetime,
) -> Alert:
    """Store a "source broken" alert and one delivery per channel that asks for it."""
    instrument = _health_instrument(session, source, now)
    assert instrument.id is not None
    text = f"{source.name or source.id} ({source.id}): {reason}"
    digest = hashlib.sha256(f"{text}\n{now.isoformat()}".encode()).hexdigest()
    version = Version(
        instrument_id=instrument.id,
        url=instrument.url,
        fetched_at=now,
        sha256=digest,
        content_type="text/plain",
        title=instrument.title,
        text=text,
        raw_text=text,
        language="en",
    )
    session.add(version)
    session.flush()
    assert version.id is not None
    alert = Alert(
        instrument_id=instrument.id,
        version_id=version.id,
        created_at=now,
        positions=[POSITION],
        severity="high",
        summary=plain(f"Source broken: {text}", 300, single_line=True),
        url=instrument.url,
    )
    session.add(alert)
    session.flush()
    assert alert.id is not None
    routed = [c for c in channels if c.accepts([POSITION], alert.severity, source.id)]
    session.add_all(
        Delivery(alert_id=alert.id, channel=c.name, due_at=next_due(c, now)) for c in routed
    )
    session.flush()
    logger.warning("source %s broken: %s (alert %s)", source.id, reason, alert.id)
    return alert


def update_health(
    session: Session,
    source: Source,
    health: RunHealth,
    *,
    found: int,
    status: str,
    channels: Sequence[Channel],
    now: datetime,
) -> Alert | None:
    """Mark the source ok or broken after a run; alert once when it becomes broken."""
    alert: Alert | None = None
    if health.broken:
        if source.health != "broken":
            alert = record_source_alert(session, source, health.reason, channels, now)
        source.health = "broken"
        source.health_note = health.reason
    elif status != "failed" and found > 0:
        source.health = "ok"
        source.health_note = None
        source.last_found = found
    else:
        source.health_note = health.reason or source.health_note
    return alert
