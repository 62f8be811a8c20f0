"""Send what the outbox holds: each delivery is accepted by its channel once.

A delivery goes ``pending`` -> ``sending`` -> ``sent`` (or ``failed`` -> ``sending`` ...
-> ``dead`` after ``max_attempts``). The protocol, one delivery or one digest at a time:

1. **Claim**, in its own committed transaction, before the channel is called: a
   compare-and-set on the row's status and attempt count sets ``sending``, one more attempt,
   the owner token of this process (``alerts.deliver.claims``), the key the message will carry
   (``attempt_key``: the delivery's own key, or a digest's key) and a lease. Two workers
   never both claim a row: exactly one compare-and-set wins.
2. **Send** through the channel with the key (``alerts.deliver.notifier``).
3. **Record** at once, in its own commit: ``sent``; or ``failed`` with the error and an
   exponential backoff. A refusal (HTTP error, connection refused, SMTP error) is not a
   delivery: the row is retried later and nothing is lost while a channel is down.

A row found ``sending`` by a later run is *in doubt*: its process died between 1 and 3.
It is resolved deliberately: once its owner is known to be gone (same host, the pid no
longer runs) or its lease has run out, it is sent again with the *same* key and marked as
a redelivery, the same rows in the same digest. So the one case in which a channel can see
a message twice is a process killed after the channel accepted and before step 3 recorded
it (a window of one database commit); the repeat carries the same idempotency key, so a
receiver that keeps keys accepts it once. See docs/alerts.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import uuid4

from sqlmodel import Session, col, func, select, update

from alerts.deliver.alert_loader import load_alert_view
from alerts.deliver.channels import Channel
from alerts.deliver.claims import owner_gone, owner_token
from alerts.deliver.messages import AlertMessage, render_alert, render_digest, render_notices
from alerts.deliver.notices import load_notice_views
from alerts.deliver.notifier import ERROR_LIMIT, AppriseNotifier, Notifier
from alerts.deliver.outbound import redact, url_secrets
from alerts.errors import AlertError
from alerts.positions import Position
from tracker.kinds import DeliveryStatus
from tracker.models import Delivery, NoticeDelivery, utcnow

logger = logging.getLogger(__name__)

OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.SENDING)
MAX_ATTEMPTS = 10
CLAIM_TIMEOUT = timedelta(minutes=10)
BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=6)

Row = Delivery | NoticeDelivery
Model = type[Delivery] | type[NoticeDelivery]
Render = Callable[[Session, Sequence[int], Channel], AlertMessage]


class UnknownChannel(AlertError):
    """A delivery names a channel the configuration no longer has."""

    def __init__(self, channel: str, known: Sequence[str]) -> None:
        self.channel = channel
        self.known = tuple(known)
        names = ", ".join(self.known) or "none"
        super().__init__(f"unknown channel {channel!r}: expected one of the configured ({names})")


@dataclass(frozen=True)
class DeliveryReport:
    """What one run did: deliveries sent and failed, the errors, ``pending``: how many
    deliveries still wait after the run (not yet due, or failed and due for a retry), and
    ``resent``: in-doubt deliveries of a killed process sent again with their key."""

    sent: int = 0
    failed: int = 0
    pending: int = 0
    errors: tuple[str, ...] = ()
    resent: int = 0

    def line(self) -> str:
        doubt = f"; {self.resent} in doubt re-sent with their key" if self.resent else ""
        return f"{self.sent} sent, {self.failed} failed, {self.pending} pending{doubt}"


@dataclass(frozen=True)
class _Outbox:
    """One outbox table, the column naming what its rows carry, and how they are rendered."""

    model: Model
    parent: str
    ref: str
    render: Render

    def parent_id(self, row: Row) -> int:
        value: int = getattr(row, self.parent)
        return value


@dataclass(frozen=True)
class _Candidate:
    id: int
    channel: str
    status: str
    attempts: int
    attempt_key: str | None
    claimed_by: str | None


@dataclass(frozen=True)
class _Batch:
    """Rows that go out as one message; ``key`` set for a redelivery (the key it had)."""

    channel: str
    rows: tuple[_Candidate, ...]
    key: str | None = None


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 60 s, 120 s, 240 s, ... at most 6 hours."""
    wait: timedelta = BACKOFF_BASE * 2 ** max(0, min(attempts - 1, 20))
    return min(wait, BACKOFF_CAP)


def _bury(session: Session, model: Model, now: datetime, max_attempts: int) -> None:
    """Due rows already past their attempts are given up (``dead``)."""
    session.exec(
        update(model)
        .where(
            col(model.status).in_((DeliveryStatus.PENDING, DeliveryStatus.FAILED)),
            col(model.due_at) <= now,
            col(model.attempts) >= max_attempts,
        )
        .values(status=DeliveryStatus.DEAD)
    )
    session.commit()


def _candidates(
    session: Session, model: Model, now: datetime, max_attempts: int, retry_failed: bool
) -> list[_Candidate]:
    """Rows this run may claim: pending and due; failed and due (any failed one with
    ``retry_failed``); sending but in doubt (owner gone or lease over)."""
    statement = (
        select(model)
        .where(col(model.status).in_(OPEN_STATUSES))
        .order_by(col(model.channel), col(model.due_at), col(model.id))
    )
    found: list[_Candidate] = []
    for row in cast("list[Row]", session.exec(statement).all()):
        if row.id is None:
            continue
        due = row.due_at <= now
        if row.status == DeliveryStatus.PENDING:
            ok = due and row.attempts < max_attempts
        elif row.status == DeliveryStatus.FAILED:
            ok = (due or retry_failed) and row.attempts < max_attempts
        else:
            ok = due or owner_gone(row.claimed_by)
        if ok:
            found.append(
                _Candidate(
                    row.id, row.channel, row.status, row.attempts, row.attempt_key, row.claimed_by
                )
            )
    return found


def _batches(candidates: Sequence[_Candidate], channels: Mapping[str, Channel]) -> list[_Batch]:
    """In-doubt rows go again as they went (same rows, same key); the rest one message per
    row on instant channels, one per channel on digest channels (and unknown channels)."""
    doubt: dict[tuple[str, str], list[_Candidate]] = {}
    fresh: dict[str, list[_Candidate]] = {}
    for row in candidates:
        if row.status == DeliveryStatus.SENDING and row.attempt_key:
            doubt.setdefault((row.channel, row.attempt_key), []).append(row)
        else:
            fresh.setdefault(row.channel, []).append(row)
    batches = [_Batch(name, tuple(rows), key) for (name, key), rows in doubt.items()]
    for name, rows in fresh.items():
        channel = channels.get(name)
        if channel is None or channel.digest:
            batches.append(_Batch(name, tuple(rows)))
        else:
            batches.extend(_Batch(name, (row,)) for row in rows)
    return batches


def _claim(
    session: Session,
    model: Model,
    batch: _Batch,
    digest: bool,
    owner: str,
    now: datetime,
    lease: timedelta,
) -> tuple[list[Row], str]:
    """Compare-and-set every row of ``batch`` to ``sending`` for ``owner``; commit."""
    key = batch.key or (uuid4().hex if digest else "")
    # The lease runs from the real clock: a long run must not claim with a lease that has
    # already ended (another worker would take the row while this one sends it).
    stamp = max(now, utcnow())
    claimed: list[int] = []
    for seen in batch.rows:
        where = [
            col(model.id) == seen.id,
            col(model.status) == seen.status,
            col(model.attempts) == seen.attempts,
        ]
        if seen.status == DeliveryStatus.SENDING:
            where.append(col(model.claimed_by) == seen.claimed_by)
        values: dict[str, Any] = {
            "status": DeliveryStatus.SENDING,
            "attempts": seen.attempts + 1,
            "due_at": stamp + lease,
            "claimed_by": owner,
            "claimed_at": stamp,
        }
        if key:
            values["attempt_key"] = key
        result = session.exec(update(model).where(*where).values(**values))
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(seen.id)
    if not key:  # an instant message carries its delivery's own key, on every try
        session.exec(update(model).where(col(model.id).in_(claimed)).values(attempt_key=model.key))
    session.commit()
    if not claimed:
        return [], key
    statement = (
        select(model)
        .where(col(model.id).in_(claimed))
        .order_by(col(model.id))
        .execution_options(populate_existing=True)
    )
    rows = cast("list[Row]", list(session.exec(statement).all()))
    return rows, key or (rows[0].key if rows else "")


def _record(
    session: Session, model: Model, rows: Sequence[Row], owner: str, values: dict[str, Any]
) -> None:
    """Write the outcome on the rows this process still owns; commit."""
    ids = [row.id for row in rows]
    result = session.exec(
        update(model).where(col(model.id).in_(ids), col(model.claimed_by) == owner).values(**values)
    )
    if result.rowcount != len(ids):  # type: ignore[attr-defined]
        logger.warning(
            "%d of %d claims were taken over before the outcome was recorded",
            len(ids) - result.rowcount,
            len(ids),
        )  # type: ignore[attr-defined]
    session.commit()


def _deliver_batch(
    session: Session,
    outbox: _Outbox,
    batch: _Batch,
    *,
    channels: Mapping[str, Channel],
    owner: str,
    now: datetime,
    notify: Notifier,
    max_attempts: int,
    lease: timedelta,
) -> tuple[int, int, str | None]:
    channel = channels.get(batch.channel)
    digest = channel is None or channel.digest
    rows, key = _claim(session, outbox.model, batch, digest, owner, now, lease)
    if not rows:
        return 0, 0, None
    if batch.key:
        logger.warning(
            "%d delivery(ies) to %s were in doubt (their process stopped mid-send): "
            "sending again with the same key %s",
            len(rows),
            batch.channel,
            batch.key,
        )
    try:
        if channel is None:
            raise UnknownChannel(batch.channel, list(channels))
        message = outbox.render(session, [outbox.parent_id(row) for row in rows], channel)
        message = replace(
            message,
            key=key,
            deliveries=tuple(row.key for row in rows),
            refs=tuple(f"{outbox.ref}:{outbox.parent_id(row)}" for row in rows),
            redelivery=batch.key is not None,
        )
        notify(channel, message)
    except Exception as exc:  # every failure of this send is recorded on its rows
        secrets = url_secrets(channel.url) if channel else []
        if isinstance(exc, AlertError):
            logger.warning("delivery to %s failed: %s", batch.channel, redact(str(exc), secrets))
        else:
            logger.error(
                "delivery to %s failed: %s: %s",
                batch.channel,
                type(exc).__name__,
                redact(str(exc), secrets),
            )
        error = redact(str(exc) or type(exc).__name__, secrets)[:ERROR_LIMIT]
        session.rollback()
        for dead in (True, False):
            group = [row for row in rows if (row.attempts >= max_attempts) == dead]
            if group:
                retry = now + backoff(max(row.attempts for row in group))
                retried = {"status": DeliveryStatus.FAILED, "due_at": retry}
                status = {"status": DeliveryStatus.DEAD} if dead else retried
                _record(session, outbox.model, group, owner, {"last_error": error, **status})
        return 0, len(rows), f"{batch.channel}: {error}"
    sent = {"status": DeliveryStatus.SENT, "sent_at": now, "last_error": None}
    _record(session, outbox.model, rows, owner, sent)
    logger.info("sent %d %s(s) to %s", len(rows), outbox.ref, batch.channel)
    return len(rows), 0, None


def _alert_outbox(positions: Mapping[str, Position], base_url: str) -> _Outbox:
    def render(session: Session, ids: Sequence[int], channel: Channel) -> AlertMessage:
        views = [load_alert_view(session, alert_id, positions, base_url) for alert_id in ids]
        if channel.digest:
            return render_digest(views, channel)
        return render_alert(views[0], channel.language)

    return _Outbox(Delivery, "alert_id", "alert", render)


def _notice_render(session: Session, ids: Sequence[int], channel: Channel) -> AlertMessage:
    return render_notices(load_notice_views(session, ids), channel)


NOTICE_OUTBOX = _Outbox(NoticeDelivery, "notice_id", "notice", _notice_render)


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
    retry_failed: bool = False,
) -> DeliveryReport:
    """Send every delivery due at ``now``: one message per alert, one per digest channel;
    source notices likewise. ``retry_failed`` retries failed deliveries without waiting
    for their backoff (an operator's ``sptrack alerts send``); digests still wait for
    their hour and nothing claimed by a running process is touched."""
    now = now or utcnow()
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    notify = notify or AppriseNotifier()
    owner = owner_token()
    by_name = {channel.name: channel for channel in channels}
    sent = failed = resent = 0
    errors: list[str] = []
    for outbox in (_alert_outbox(positions, base_url), NOTICE_OUTBOX):
        with session_factory() as session:
            _bury(session, outbox.model, now, max_attempts)
            candidates = _candidates(session, outbox.model, now, max_attempts, retry_failed)
        for batch in _batches(candidates, by_name):
            try:
                with session_factory() as session:
                    done, missed, error = _deliver_batch(
                        session,
                        outbox,
                        batch,
                        channels=by_name,
                        owner=owner,
                        now=now,
                        notify=notify,
                        max_attempts=max_attempts,
                        lease=claim_timeout,
                    )
            except Exception as exc:  # a broken row or database hiccup stops only this batch
                logger.exception("delivery to %s broke", batch.channel)
                done, missed, error = 0, len(batch.rows), f"{batch.channel}: {redact(str(exc))}"
            sent += done
            failed += missed
            resent += done if batch.key else 0
            if error:
                errors.append(error)
    pending = 0
    with session_factory() as session:
        for model in (Delivery, NoticeDelivery):
            pending += session.exec(
                select(func.count()).select_from(model).where(col(model.status).in_(OPEN_STATUSES))
            ).one()
    report = DeliveryReport(sent, failed, pending, tuple(errors), resent)
    logger.info("deliveries: %s", report.line())
    return report
