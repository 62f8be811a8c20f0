"""What the outbox holds, for people: every alert (and source notice) with the state of each
of its deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from alerts.deliver.claims import owner_gone
from tracker.kinds import DeliveryStatus
from tracker.models import (
    Alert,
    Delivery,
    Instrument,
    NoticeDelivery,
    SourceNotice,
    utcnow,
)


def alert_status(statuses: Sequence[str]) -> str:
    """sent: every channel has it; partial: some have; failed: none has and one failed or
    was given up; sending: a process is sending it now (or died doing so); else pending."""
    sent = sum(1 for s in statuses if s == DeliveryStatus.SENT)
    if statuses and sent == len(statuses):
        return "sent"
    if sent:
        return "partial"
    if any(s in (DeliveryStatus.FAILED, DeliveryStatus.DEAD) for s in statuses):
        return "failed"
    if any(s == DeliveryStatus.SENDING for s in statuses):
        return "sending"
    return "pending"


def in_doubt(row: Delivery | NoticeDelivery, now: datetime) -> bool:
    """A delivery left ``sending`` by a process that is gone or whose lease is over: the next
    send resolves it (sends it again with its key)."""
    if row.status != DeliveryStatus.SENDING:
        return False
    return row.due_at <= now or owner_gone(row.claimed_by)


def _delivery_json(row: Delivery | NoticeDelivery, now: datetime) -> dict[str, Any]:
    return {
        "channel": row.channel,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "due_at": row.due_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "key": row.key,
        "in_doubt": in_doubt(row, now),
    }


def alerts_status(session: Session) -> list[dict[str, Any]]:
    """Every alert with its deliveries, newest first (``sptrack alerts list``)."""
    now = utcnow()
    alerts = session.exec(
        select(Alert).order_by(col(Alert.created_at).desc(), col(Alert.id).desc())
    ).all()
    deliveries: dict[int, list[Delivery]] = {}
    for delivery in session.exec(select(Delivery).order_by(col(Delivery.id))):
        deliveries.setdefault(delivery.alert_id, []).append(delivery)
    titles = {
        i.id: i.title or f"{i.type} {i.number}".strip() or i.url
        for i in session.exec(select(Instrument))
    }
    result: list[dict[str, Any]] = []
    for alert in alerts:
        assert alert.id is not None
        rows = deliveries.get(alert.id, [])
        result.append(
            {
                "id": alert.id,
                "positions": list(alert.positions),
                "instrument": titles.get(alert.instrument_id, ""),
                "summary": alert.summary,
                "status": alert_status([r.status for r in rows]),
                "url": alert.url,
                "severity": alert.severity,
                "kind": alert.kind,
                "needs_check": alert.needs_check,
                "created_at": alert.created_at.isoformat(),
                "deliveries": [_delivery_json(r, now) for r in rows],
            }
        )
    return result


def notices_status(session: Session) -> list[dict[str, Any]]:
    """Every source-health notice with its deliveries, newest first
    (``sptrack alerts list --notices``)."""
    now = utcnow()
    notices = session.exec(
        select(SourceNotice).order_by(
            col(SourceNotice.created_at).desc(), col(SourceNotice.id).desc()
        )
    ).all()
    deliveries: dict[int, list[NoticeDelivery]] = {}
    for delivery in session.exec(select(NoticeDelivery).order_by(col(NoticeDelivery.id))):
        deliveries.setdefault(delivery.notice_id, []).append(delivery)
    result: list[dict[str, Any]] = []
    for notice in notices:
        assert notice.id is not None
        rows = deliveries.get(notice.id, [])
        result.append(
            {
                "id": notice.id,
                "key": notice.key,
                "source": notice.source_id,
                "kind": notice.kind,
                "severity": notice.severity,
                "summary": notice.summary,
                "url": notice.url,
                "status": alert_status([r.status for r in rows]),
                "created_at": notice.created_at.isoformat(),
                "deliveries": [_delivery_json(r, now) for r in rows],
            }
        )
    return result
