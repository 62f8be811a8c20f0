"""The audit log: every edit made through the web tracker, who made it, before and after."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from tracker.models import AuditEntry


def record(
    session: Session,
    user_name: str,
    entity: str,
    entity_id: int | str,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry (the caller commits it with the edit, in the same transaction)."""
    entry = AuditEntry(
        user_name=user_name,
        entity=entity,
        entity_id=str(entity_id),
        action=action,
        before=before or {},
        after=after or {},
    )
    session.add(entry)
    return entry


def entries_for(session: Session, entity: str, entity_id: int | str) -> list[AuditEntry]:
    statement = (
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    )
    return list(session.exec(statement))


def recent(session: Session, limit: int, offset: int = 0) -> list[AuditEntry]:
    statement = (
        select(AuditEntry)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.exec(statement))
