"""The outboxes: deliveries of alerts and of source-health notices, each sent exactly once
(alerts.deliver.delivery).
"""

from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.kinds import DeliveryStatus, Severity
from tracker.tables import utcnow, words


def delivery_key() -> str:
    """A delivery's idempotency key: random, stable for the delivery's life, sent with it."""
    return uuid4().hex


class OutboxRow(SQLModel):
    """The columns of every outbox row (``Delivery``, ``NoticeDelivery``; not a table itself):
    its channel and status, the tries and when the next is due, the last error, when it was
    sent.

    ``key`` is the delivery's idempotency key, sent with every try (header, JSON field);
    ``attempt_key`` the key of the message that carried it last (a digest's own key);
    ``claimed_by`` / ``claimed_at`` name the process sending it while ``status`` is sending.
    """

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(index=True)
    status: DeliveryStatus = Field(
        default=DeliveryStatus.PENDING, index=True, sa_type=words(DeliveryStatus)
    )
    attempts: int = 0
    due_at: datetime = Field(default_factory=utcnow)
    last_error: str | None = Field(default=None, sa_type=Text)
    sent_at: datetime | None = None
    key: str = Field(default_factory=delivery_key, unique=True)
    attempt_key: str | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None


class Delivery(OutboxRow, table=True):
    """The outbox: one row per alert and channel, sent exactly once (alerts.deliver.delivery)."""

    __table_args__ = (UniqueConstraint("alert_id", "channel"),)

    alert_id: int = Field(foreign_key="alert.id", index=True)


class SourceNotice(SQLModel, table=True):
    """A source-health alert (a source failing, recovered, gone quiet), one per incident.

    ``key`` names the incident (the caller's choice, e.g. ``nssf-legal:failing:2026-03-02``):
    a second notice with the same key is the same notice, never a second message.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    source_id: str = Field(index=True)
    kind: str
    severity: Severity = Field(default=Severity.MEDIUM, sa_type=words(Severity))
    summary: str = Field(default="", sa_column=Column(Text))
    detail: str = Field(default="", sa_column=Column(Text))
    url: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    # What the notice says as data, for notices worded per reader's language.
    facts: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class NoticeDelivery(OutboxRow, table=True):
    """The outbox of source notices: one row per notice and channel, like ``Delivery``."""

    __table_args__ = (UniqueConstraint("notice_id", "channel"),)

    notice_id: int = Field(foreign_key="sourcenotice.id", index=True)
