"""The outbox: flags, one alert per flagged version, and one delivery row per channel;
source-health notices and theirs (``enqueue_source_alert``).

Everything is written in the caller's session and transaction (nothing commits here), so a
version, its changes, flags, alert and deliveries land together or not at all. Delivery
itself (alerts.deliver.delivery) reads the rows later: a crash between the two loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from alerts.deliver.channels import SEVERITIES, Channel, next_due, severity_rank
from alerts.deliver.plain_text import plain
from alerts.deliver.summary import LANGUAGE_VERSION as LANGUAGE_VERSION  # ingest names kinds
from alerts.deliver.summary import LEGAL as LEGAL
from alerts.deliver.summary import SUMMARY_LIMIT, rank_positions, summary_line
from alerts.deliver.summary import TRANSLATION as TRANSLATION
from alerts.errors import AlertError
from alerts.match import severity as ranking
from alerts.positions import Position
from parsers.compare.change import NumberChange
from tracker.kinds import Severity
from tracker.models import (
    Alert,
    Change,
    Delivery,
    Flag,
    Instrument,
    NoticeDelivery,
    SourceNotice,
    Version,
)

if TYPE_CHECKING:
    from alerts.match.flags import Flag as MatchFlag

logger = logging.getLogger(__name__)

#: Alerts that are not a legal change: their severity is low, their summary says what they are.
_NOT_LEGAL = (TRANSLATION, LANGUAGE_VERSION)


def _evidence(flag: MatchFlag) -> list[dict[str, Any]]:
    items = flag.to_json().get("evidence") or []
    return [item if isinstance(item, dict) else {"text": str(item)} for item in items]


def record_flags(
    session: Session, change_rows: Sequence[Change], flags: Sequence[Sequence[MatchFlag]]
) -> list[Flag]:
    """Store the matcher's flags of each change (``flags`` is parallel to ``change_rows``).

    Idempotent: a change keeps one flag row per position; recording again updates it.
    """
    if len(change_rows) != len(flags):
        raise ValueError(
            f"expected one flag list per change ({len(change_rows)}), got {len(flags)}"
        )
    ids = [row.id for row in change_rows if row.id is not None]
    existing = {
        (row.change_id, row.position): row
        for row in (
            session.exec(select(Flag).where(col(Flag.change_id).in_(ids))).all() if ids else []
        )
    }
    stored: list[Flag] = []
    for change, change_flags in zip(change_rows, flags, strict=True):
        if change.id is None:
            raise ValueError("changes must be flushed (have an id) before their flags are stored")
        for flag in change_flags:
            row = existing.get((change.id, flag.position))
            if row is None:
                row = Flag(
                    change_id=change.id, position=flag.position, score=0.0, severity=Severity.LOW
                )
                existing[(change.id, flag.position)] = row
                session.add(row)
            row.score = float(flag.score)
            row.severity = flag.severity
            row.direction = flag.direction or ""
            row.evidence = _evidence(flag)
            stored.append(row)
    session.flush()
    return stored


def _number(data: Mapping[str, Any]) -> NumberChange:
    return NumberChange(
        old=data.get("old"),
        new=data.get("new"),
        unit=str(data.get("unit") or ""),
        old_text=str(data.get("old_text") or ""),
        new_text=str(data.get("new_text") or ""),
        label=str(data.get("label") or ""),
        recurring=bool(data.get("recurring")),
    )


def rank_flags(
    instrument: Instrument,
    change_rows: Sequence[Change],
    flags: Sequence[Sequence[MatchFlag]],
    positions: Mapping[str, Position],
) -> list[list[MatchFlag]]:
    """The matcher's flags with their severity ranked (:mod:`alerts.match.severity`): by the
    position's weight, the size and direction of the numbers, the instrument's type and
    stage."""
    facts = ranking.Instrument(type=instrument.type, stage=instrument.status)
    return [
        ranking.rank(change_flags, [_number(n) for n in row.numbers], positions, facts)
        for row, change_flags in zip(change_rows, flags, strict=True)
    ]


def _existing_alert(session: Session, version_id: int) -> Alert | None:
    return session.exec(select(Alert).where(Alert.version_id == version_id)).first()


def record_alert(
    session: Session,
    *,
    instrument: Instrument,
    version: Version,
    change_rows: Sequence[Change],
    flags: Sequence[Sequence[MatchFlag]],
    channels: Sequence[Channel],
    source_id: str,
    baseline: bool,
    now: datetime,
    kind: str = LEGAL,
    positions: Mapping[str, Position] | None = None,
) -> Alert | None:
    """Store flags and, unless this is a baseline crawl, the version's alert and its deliveries.

    Returns None when nothing was flagged or on a baseline; the existing alert when this
    version already has one (no duplicates: one alert per version, one delivery per channel).
    ``kind``: ``translation`` when the change appears only in a translation whose official
    text is known, ``language_version`` for the first text in one more language of a known
    instrument; such alerts are of low severity and say what they are. Each flag's severity
    is ranked by :func:`rank_flags` with ``positions`` (their weights; a position not in it
    is weighed ``normal``).
    """
    if len(change_rows) != len(flags):
        raise ValueError(
            f"expected one flag list per change ({len(change_rows)}), got {len(flags)}"
        )
    flags = rank_flags(instrument, change_rows, flags, positions or {})
    record_flags(session, change_rows, flags)
    all_flags = [flag for change_flags in flags for flag in change_flags]
    if baseline or not all_flags:
        return None
    if instrument.id is None or version.id is None:
        raise ValueError("instrument and version must be flushed (have ids) before an alert")
    existing = _existing_alert(session, version.id)
    if existing is not None:
        logger.debug("version %s already has alert %s", version.id, existing.id)
        return existing
    ranked = rank_positions(all_flags)
    severity = max((f.severity for f in all_flags), key=severity_rank)
    summary = summary_line(instrument, change_rows, flags, kind=kind)
    if kind in _NOT_LEGAL:
        severity = Severity.LOW
    alert = Alert(
        instrument_id=instrument.id,
        version_id=version.id,
        created_at=now,
        positions=ranked,
        severity=severity,
        summary=summary,
        url=version.url,
        kind=kind,
        needs_check=any(row.needs_check for row, fl in zip(change_rows, flags, strict=True) if fl),
    )
    session.add(alert)
    session.flush()
    assert alert.id is not None
    routed = [c for c in channels if c.accepts(ranked, severity, source_id)]
    session.add_all(
        Delivery(alert_id=alert.id, channel=c.name, due_at=next_due(c, now)) for c in routed
    )
    session.flush()
    logger.info(
        "alert %s (%s, %s) for version %s: %d deliveries",
        alert.id,
        severity,
        ",".join(ranked),
        version.id,
        len(routed),
    )
    return alert


class NoticeError(AlertError):
    """A source notice was asked for with a value it cannot take."""

    def __init__(self, field: str, expected: str, got: object) -> None:
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(f"source notice: {field} must be {expected}, got {got!r}")


def enqueue_source_alert(
    session: Session,
    *,
    key: str,
    source_id: str,
    kind: str,
    severity: str,
    summary: str,
    channels: Sequence[Channel],
    now: datetime,
    detail: str = "",
    url: str = "",
    facts: dict[str, Any] | None = None,
) -> int:
    """Queue a source-health alert for the channels that ask for them; return its id.

    The contract for code outside ``alerts`` (crawler health checks, app jobs): call it in
    the same session and transaction that records the source's state, then commit; the
    next ``sptrack alerts send`` (or the scheduler) delivers it through the same outbox as
    change alerts, exactly once per channel. ``key`` names the incident (e.g.
    ``nssf-legal:failing:2026-03-02T06:00``): calling again with the same key returns the
    same notice and queues nothing more, so a re-run job cannot alert twice. ``kind`` is a
    short word (``failing``, ``recovered``, ``stale``, ``layout``); ``severity`` low, medium
    or high; ``summary`` one line; ``detail`` and ``url`` optional; ``facts`` (optional) what
    the notice says as data, for a kind whose summary is worded per reader's language
    (``alerts/deliver/templates/<kind>.<language>.txt.j2``). Channels get it when
    their ``positions`` hold ``source_health`` or ``*`` and their severity and source
    filters pass; digest channels get it in their next digest.
    """
    if not key.strip():
        raise NoticeError("key", "a non-empty incident key", key)
    if severity not in SEVERITIES:
        raise NoticeError("severity", " or ".join(SEVERITIES), severity)
    existing = session.exec(select(SourceNotice).where(SourceNotice.key == key)).first()
    if existing is not None and existing.id is not None:
        logger.debug("source notice %s already queued as %s", key, existing.id)
        return existing.id
    notice = SourceNotice(
        key=key,
        source_id=source_id,
        kind=kind,
        severity=Severity(severity),
        summary=plain(summary, SUMMARY_LIMIT, single_line=True),
        detail=detail,
        url=url,
        created_at=now,
        facts=facts,
    )
    session.add(notice)
    session.flush()
    assert notice.id is not None
    routed = [c for c in channels if c.accepts_notice(severity, source_id)]
    session.add_all(
        NoticeDelivery(notice_id=notice.id, channel=c.name, due_at=next_due(c, now)) for c in routed
    )
    session.flush()
    logger.info(
        "source notice %s (%s, %s) for %s: %d deliveries",
        notice.id,
        kind,
        severity,
        source_id,
        len(routed),
    )
    return notice.id
