"""An alert as people read it: its instrument, versions, changes and the positions they
touch, as frozen dataclasses, so templates and notes never touch ORM rows.

``alerts.deliver.alert_loader.load_alert_view`` reads one from the database. Document text
is untrusted: it has been through ``alerts.deliver.plain_text.plain`` before it is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alerts.deliver.channels import severity_rank
from alerts.deliver.flag_views import FlagView, PositionView
from alerts.deliver.number_views import NumberView, change_in_words
from alerts.deliver.plain_text import plain
from parsers.compare.change import DiffOp
from tracker.models import Version

CLAUSE_LIMIT = 500
LINE_LIMIT = 160


@dataclass(frozen=True)
class OtherLanguageView:
    """The changed provision in another language version of the instrument."""

    language: str  # code: km, en, ...
    ref: str
    text: str


@dataclass(frozen=True)
class ChangeView:
    id: int
    ref: str
    kind: str
    heading: str
    old_text: str
    new_text: str
    numbers: tuple[NumberView, ...]
    ops: tuple[DiffOp, ...]
    needs_check: bool
    flags: tuple[FlagView, ...]
    redline_url: str
    old_ref: str = ""
    other_languages: tuple[OtherLanguageView, ...] = ()

    @property
    def severity(self) -> str:
        return max((f.severity for f in self.flags), key=severity_rank, default="")

    @property
    def strength(self) -> tuple[int, float]:
        return (severity_rank(self.severity), max((f.score for f in self.flags), default=0.0))

    @property
    def in_words(self) -> str:
        return change_in_words(self.ref, self.kind, self.numbers)

    @property
    def clause(self) -> str:
        """The changed clause, short: the new text (old if removed) around the first edit."""
        text = self.old_text if self.kind == "removed" else self.new_text
        text = plain(text)
        if len(text) <= CLAUSE_LIMIT:
            return text
        start = 0
        for op in self.ops:
            changed = op.new if self.kind != "removed" else op.old
            if op.tag != "equal" and changed.strip():
                found = text.find(plain(changed)[:40])
                start = max(0, found - CLAUSE_LIMIT // 4) if found > 0 else 0
                break
        prefix = "…" if start else ""
        return prefix + plain(text[start:], CLAUSE_LIMIT - len(prefix))


@dataclass(frozen=True)
class InstrumentView:
    id: int
    title: str
    type: str
    number: str
    url: str
    source: str
    status: str = ""
    signed_date: str = ""
    effective_date: str = ""
    deadline: str = ""
    owner: str = ""

    @property
    def label(self) -> str:
        words = self.title or f"{self.type} {self.number}".strip() or self.url
        return plain(words, 120, single_line=True)


@dataclass(frozen=True)
class VersionView:
    id: int
    url: str
    fetched_at: datetime
    sha256: str
    method: str

    @classmethod
    def from_row(cls, row: Version) -> VersionView:
        assert row.id is not None
        return cls(row.id, row.url, row.fetched_at, row.sha256, row.method)


@dataclass(frozen=True)
class AlertView:
    id: int
    created_at: datetime
    instrument: InstrumentView
    version: VersionView
    previous: VersionView | None
    changes: tuple[ChangeView, ...]
    positions: tuple[PositionView, ...]
    severity: str
    summary: str
    needs_check: bool
    url: str

    @property
    def flagged_changes(self) -> tuple[ChangeView, ...]:
        """Flagged changes, strongest first (document order among equals)."""
        flagged = [c for c in self.changes if c.flags]
        return tuple(sorted(flagged, key=lambda c: (-c.strength[0], -c.strength[1], c.id)))

    @property
    def top_change(self) -> ChangeView | None:
        flagged = self.flagged_changes
        return flagged[0] if flagged else (self.changes[0] if self.changes else None)

    @property
    def redline_url(self) -> str:
        top = self.top_change
        return top.redline_url if top else self.url

    @property
    def headline(self) -> str:
        """``Contribution rate: Sub-decree 32 on pensions, Article 4: 4% -> 6%``."""
        name = self.positions[0].name if self.positions else ""
        top = self.top_change
        where = self.instrument.label + (f", {top.in_words}" if top else "")
        return plain(f"{name}: {where}" if name else where, LINE_LIMIT, single_line=True)
