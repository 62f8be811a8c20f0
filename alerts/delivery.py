"""Send what the outbox holds: due deliveries go out through Apprise, once each.

Each delivery is claimed before it is sent (status ``sending``, one more attempt, a lease
until ``now + claim_timeout``, committed), then marked ``sent`` or ``failed`` with the
error and a backoff (committed). The claim is a compare-and-set on ``attempts``, so two
processes never send the same row; a row left ``sending`` by a crashed process is taken
again once its lease has run out (so a crash between sending and recording can repeat
one message: at least once, never twice in normal running). After ``max_attempts`` a
delivery is ``dead``.
Digest channels get all their due deliveries in one message.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import apprise
from sqlmodel import Session, col, func, select, update

from alerts.channels import Channel
from alerts.errors import AlertError
from alerts.messages import AlertMessage, render_alert, render_digest
from alerts.positions import Position
from alerts.view import load_alert_view
from tracker.models import Alert, Delivery, Instrument, utcnow

logger = logging.getLogger(__name__)

DUE_STATUSES = ("pending", "failed", "sending")
MAX_ATTEMPTS = 10
CLAIM_TIMEOUT = timedelta(minutes=10)
BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=6)
ERROR_LIMIT = 1000

Notifier = Callable[[Channel, AlertMessage], None]
"""Sends one message on one channel; raises (e.g. DeliveryFailed) when it was not accepted."""


class DeliveryFailed(AlertError):
    """A channel did not accept a message."""

    def __init__(self, channel: str, reason: str) -> None:
        self.channel = channel
        self.reason = reason
        super().__init__(f"channel {channel!r}: {reason}")


class UnknownChannel(AlertError):
    """A delivery names a channel the configuration no longer has."""

    def __init__(self, channel: str, known: Sequence[str]) -> None:
        self.channel = channel
        self.known = tuple(known)
        names = ", ".join(self.known) or "none"
        super().__init__(f"unknown channel {channel!r}: expected one of the configured ({names})")


@dataclass(frozen=True)
class DeliveryReport:
    """What one run did: deliveries sent and failed, the errors, and ``pending``: how many
    deliveries still wait after the run (not yet due, or failed and due for a retry)."""

    sent: int = 0
    failed: int = 0
    pending: int = 0
    errors: tuple[str, ...] = ()


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 60 s, 120 s, 240 s, ... at most 6 hours."""
    wait: timedelta = BACKOFF_BASE * 2 ** max(0, min(attempts - 1, 20))
    return min(wait, BACKOFF_CAP)


class AppriseNotifier:
    """The default notifier: one Apprise object per message, its log captured for errors.

    E-mail gets the HTML message (with Apprise's text alternative), every other service the
    plain text (Apprise escapes plain text for Markdown and HTML services: nothing injects).
    """

    def __call__(self, channel: Channel, message: AlertMessage) -> None:
        notifier = apprise.Apprise(asset=apprise.AppriseAsset(storage_mode="memory"))
        capture = apprise.LogCapture(  # type: ignore[no-untyped-call]
            level=logging.DEBUG, fmt="%(levelname)s %(message)s"
        )
        with capture as log:
            with warnings.catch_warnings():
                # Apprise's e-mail plugin imports imghdr (deprecated in 3.11) when it loads.
                warnings.filterwarnings("ignore", "'imghdr' is deprecated", DeprecationWarning)
                added = notifier.add(channel.url)
            if not added:
                scheme = channel.url.split("://", 1)[0] if "://" in channel.url else "?"
                raise DeliveryFailed(
                    channel.name,
                    f"Apprise cannot parse its URL (scheme {scheme!r}): expected a supported "
                    f"service URL such as mailto://, tgram://, slack:// or json://",
                )
            service = notifier[0]
            html = bool(message.html) and _takes_html_documents(service)
            accepted = notifier.notify(
                title=message.subject,
                body=message.html if html else message.text,
                body_format=apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.TEXT,
            )
            captured = log.getvalue()
        if not accepted:
            where = service.url(privacy=True)  # type: ignore[no-untyped-call]
            raise DeliveryFailed(channel.name, f"{where} refused it: {_log_reason(captured)}")


def _takes_html_documents(service: Any) -> bool:
    """E-mail renders a whole HTML document; chat services get text (Apprise escapes it)."""
    native = service.resolve_format(None)
    return getattr(service, "protocol", None) == "mailto" and native == apprise.NotifyFormat.HTML


def _log_reason(captured: str) -> str:
    """The lines of an Apprise log that say why a notification failed."""
    lines = [line.strip() for line in captured.splitlines() if line.strip()]
    telling = [
        line
        for line in lines
        if not line.startswith(("DEBUG", "INFO"))
        or any(word in line for word in ("Exception", "Error", "rror:", "refused", "Response"))
    ]
    reason = " | ".join(telling or lines[-3:]) or "no reason given"
    return reason[:ERROR_LIMIT]


def _due(session: Session, now: datetime, max_attempts: int) -> list[tuple[int, str]]:
    statement = (
        select(Delivery.id, Delivery.channel)
        .where(
            col(Delivery.status).in_(DUE_STATUSES),
            col(Delivery.due_at) <= now,
            col(Delivery.attempts) < max_attempts,
        )
        .order_by(col(Delivery.channel), col(Delivery.due_at), col(Delivery.id))
    )
    return [(row_id, channel) for row_id, channel in session.exec(statement) if row_id is not None]


def _bury(session: Session, now: datetime, max_attempts: int) -> None:
    """Due rows already past their attempts (a crash on the last try) are given up."""
    session.exec(
        update(Delivery)
        .where(
            col(Delivery.status).in_(DUE_STATUSES),
            col(Delivery.due_at) <= now,
            col(Delivery.attempts) >= max_attempts,
        )
        .values(status="dead")
    )
    session.commit()


def _claim(session: Session, ids: Sequence[int], now: datetime, lease: timedelta) -> list[Delivery]:
    """Take the rows still due for this process (compare-and-set on attempts); commit."""
    rows = session.exec(select(Delivery).where(col(Delivery.id).in_(ids))).all()
    claimed: list[int] = []
    for row in rows:
        if row.status not in DUE_STATUSES or row.due_at > now or row.id is None:
            continue
        result = session.exec(
            update(Delivery)
            .where(
                col(Delivery.id) == row.id,
                col(Delivery.attempts) == row.attempts,
                col(Delivery.status).in_(DUE_STATUSES),
            )
            .values(status="sending", attempts=row.attempts + 1, due_at=now + lease)
        )
        if result.rowcount == 1:
            claimed.append(row.id)
    session.commit()
    if not claimed:
        return []
    statement = (
        select(Delivery)
        .where(col(Delivery.id).in_(claimed))
        .order_by(col(Delivery.id))
        .execution_options(populate_existing=True)
    )
    return list(session.exec(statement).all())


def _deliver_batch(
    session: Session,
    name: str,
    ids: Sequence[int],
    *,
    channels: Mapping[str, Channel],
    positions: Mapping[str, Position],
    base_url: str,
    now: datetime,
    notify: Notifier,
    max_attempts: int,
    lease: timedelta,
) -> tuple[int, int, str | None]:
    claimed = _claim(session, ids, now, lease)
    if not claimed:
        return 0, 0, None
    try:
        channel = channels.get(name)
        if channel is None:
            raise UnknownChannel(name, list(channels))
        views = [load_alert_view(session, row.alert_id, positions, base_url) for row in claimed]
        if channel.digest:
            message = render_digest(views, channel)
        else:
            message = render_alert(views[0], channel.language)
        notify(channel, message)
    except Exception as exc:  # every failure of this send is recorded on its rows
        if isinstance(exc, AlertError):
            logger.warning("delivery to %s failed: %s", name, exc)
        else:
            logger.exception("delivery to %s failed", name)
        error = (str(exc) or type(exc).__name__)[:ERROR_LIMIT]
        for row in claimed:
            row.last_error = error
            if row.attempts >= max_attempts:
                row.status = "dead"
            else:
                row.status = "failed"
                row.due_at = now + backoff(row.attempts)
        session.commit()
        return 0, len(claimed), f"{name}: {error}"
    for row in claimed:
        row.status = "sent"
        row.sent_at = now
        row.last_error = None
    session.commit()
    logger.info("sent %d alert(s) to %s", len(claimed), name)
    return len(claimed), 0, None


def deliver_due(
    session_factory: Callable[[], Session],
    channels: Sequence[Channel],
    positions: Mapping[str, Position],
    base_url: str,
    now: datetime | None = None,
    notify: Notifier | None = None,
    *,
    max_attempts: int = MAX_ATTEMPTS,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
) -> DeliveryReport:
    """Send every delivery due at ``now``: one message per alert, one per digest channel."""
    now = now or utcnow()
    notify = notify or AppriseNotifier()
    by_name = {channel.name: channel for channel in channels}
    with session_factory() as session:
        _bury(session, now, max_attempts)
        due = _due(session, now, max_attempts)
    batches: dict[str, list[int]] = {}
    for row_id, name in due:
        batches.setdefault(name, []).append(row_id)
    sent = failed = 0
    errors: list[str] = []
    for name, ids in batches.items():
        channel = by_name.get(name)
        groups = [ids] if channel is None or channel.digest else [[row_id] for row_id in ids]
        for group in groups:
            try:
                with session_factory() as session:
                    done, missed, error = _deliver_batch(
                        session,
                        name,
                        group,
                        channels=by_name,
                        positions=positions,
                        base_url=base_url,
                        now=now,
                        notify=notify,
                        max_attempts=max_attempts,
                        lease=claim_timeout,
                    )
            except Exception as exc:  # a broken row or database hiccup stops only this batch
                logger.exception("delivery to %s broke", name)
                done, missed, error = 0, len(group), f"{name}: {exc}"
            sent += done
            failed += missed
            if error:
                errors.append(error)
    with session_factory() as session:
        pending = session.exec(
            select(func.count()).select_from(Delivery).where(col(Delivery.status).in_(DUE_STATUSES))
        ).one()
    logger.info("deliveries: %d sent, %d failed, %d waiting", sent, failed, pending)
    return DeliveryReport(sent=sent, failed=failed, pending=pending, errors=tuple(errors))


def _alert_status(statuses: Sequence[str]) -> str:
    """sent: every channel has it; partial: some have; failed: none has and one failed."""
    sent = sum(1 for s in statuses if s == "sent")
    if statuses and sent == len(statuses):
        return "sent"
    if sent:
        return "partial"
    if any(s in ("failed", "dead") for s in statuses):
        return "failed"
    return "pending"


def alerts_status(session: Session) -> list[dict[str, Any]]:
    """Every alert with its deliveries, newest first (``sptrack alerts list``)."""
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
                "status": _alert_status([r.status for r in rows]),
                "url": alert.url,
                "severity": alert.severity,
                "needs_check": alert.needs_check,
                "created_at": alert.created_at.isoformat(),
                "deliveries": [
                    {
                        "channel": r.channel,
                        "status": r.status,
                        "attempts": r.attempts,
                        "last_error": r.last_error,
                        "due_at": r.due_at.isoformat(),
                        "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                    }
                    for r in rows
                ],
            }
        )
    return result
