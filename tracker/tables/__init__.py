"""The tracker's tables (SQLModel), one module per group; everyone imports them from
``tracker.models``. ORM objects never leave tracker/alerts/web: other stages get frozen
dataclasses."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
