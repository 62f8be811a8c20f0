"""Source-health notices as people read them: read once from the DB into frozen views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from alerts.deliver.plain_text import plain
from alerts.errors import AlertError
from tracker.models import Source, SourceNotice

DETAIL_LIMIT = 2000


class NoticeNotFound(AlertError):
    """No source notice has this id."""

    def __init__(self, notice_id: int) -> None:
        self.notice_id = notice_id
        super().__init__(f"source notice {notice_id}: expected an existing id, got none with it")


@dataclass(frozen=True)
class NoticeView:
    id: int
    source_id: str
    source: str
    kind: str
    severity: str
    summary: str
    detail: str
    url: str
    created_at: datetime
    # What the notice says as data (a kind worded per reader's language), else empty.
    facts: dict[str, Any] = field(default_factory=dict)


def load_notice_views(session: Session, ids: Sequence[int]) -> list[NoticeView]:
    """The notices with these ids, in id order; their text made safe to show."""
    rows = session.exec(
        select(SourceNotice).where(col(SourceNotice.id).in_(ids)).order_by(col(SourceNotice.id))
    ).all()
    missing = set(ids) - {row.id for row in rows}
    if missing:
        raise NoticeNotFound(min(missing))
    views: list[NoticeView] = []
    for row in rows:
        assert row.id is not None
        source = session.get(Source, row.source_id)
        views.append(
            NoticeView(
                id=row.id,
                source_id=row.source_id,
                source=plain(
                    source.name if source and source.name else row.source_id, 120, single_line=True
                ),
                kind=plain(row.kind, 40, single_line=True),
                severity=row.severity,
                summary=plain(row.summary, 300, single_line=True),
                detail=plain(row.detail, DETAIL_LIMIT),
                url=plain(row.url, 2000, single_line=True),
                created_at=row.created_at,
                facts=dict(row.facts) if isinstance(row.facts, dict) else {},
            )
        )
    return views
