"""An alert as people read it: everything a message or a note needs, read once from the DB.

``load_alert_view`` joins the alert, its instrument, version, changes, flags and the
positions they touch into frozen dataclasses, so templates and notes never touch ORM rows.
Document text is untrusted: ``plain`` strips control and bidi-override characters and caps
its length before any of it reaches a message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from alerts.deliver.channels import severity_rank
from alerts.errors import AlertError
from alerts.positions import Position
from parsers.compare.change import DiffOp, NumberChange
from tracker.models import (
    Alert,
    AlertHandling,
    Change,
    ChangeCounterpart,
    Flag,
    Instrument,
    Source,
    Version,
)

CLAUSE_LIMIT = 500
LINE_LIMIT = 160

_KIND_WORDS = {
    "added": "added",
    "removed": "removed",
    "modified": "amended",
    "moved": "moved",
    "renumbered": "renumbered",
}
_UNIT_WORDS = {"day": "days", "month": "months", "year": "years"}
# Explicit directional formatting can make text display in an order other than the stored one.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_SPACES = re.compile(r"[ \t\u00a0]+")


class AlertNotFound(AlertError):
    """No alert has this id."""

    def __init__(self, alert_id: int) -> None:
        self.alert_id = alert_id
        super().__init__(f"alert {alert_id}: expected an existing alert id, got none with it")


def plain(text: str, limit: int | None = None, *, single_line: bool = False) -> str:
    """Document text made safe to show: no control or bidi-override characters, capped.

    Newlines and tabs survive unless ``single_line``; ``limit`` cuts at a word boundary
    when one is near and marks the cut with an ellipsis.
    """
    kept: list[str] = []
    for char in text:
        if char in "\u2028\u2029":  # Unicode line and paragraph separators
            char = "\n"
        if char in "\n\t" and not single_line:
            kept.append(char)
        elif char in "\r\n\t\v\f":
            kept.append(" ")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs", "Co"):
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept)
    cleaned = _SPACES.sub(" ", cleaned) if single_line else cleaned
    cleaned = "\n".join(line.rstrip() for line in cleaned.strip().splitlines())
    if limit is not None and len(cleaned) > limit:
        cut = cleaned[: limit - 1]
        space = cut.rfind(" ")
        if space > limit * 0.8:
            cut = cut[:space]
        cleaned = cut.rstrip() + "…"
    return cleaned


def humanise(position_id: str) -> str:
    """``contribution_rate`` -> ``Contribution rate`` (when no position definition is at hand)."""
    return position_id.replace("_", " ").strip().capitalize()


def _format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "(none)"
    number = f"{value:,.0f}" if value == int(value) else f"{value:,g}"
    if unit == "%":
        return f"{number}%"
    if unit in ("KHR", "USD"):
        return f"{unit} {number}"
    word = unit if value == 1 else _UNIT_WORDS.get(unit, unit)  # 1 year, 2 years
    return f"{number} {word}".strip()


@dataclass(frozen=True)
class NumberView(NumberChange):
    """A number change as it is shown: its texts and label made safe to show."""

    # the texts as stored (evidence quotes them so), before they are made safe to show
    old_raw: str = field(default="", repr=False, compare=False)
    new_raw: str = field(default="", repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NumberView:
        return cls(
            old_raw=str(data.get("old_text") or ""),
            new_raw=str(data.get("new_text") or ""),
            old=data.get("old"),
            new=data.get("new"),
            unit=str(data.get("unit") or ""),
            old_text=plain(str(data.get("old_text") or ""), 60, single_line=True),
            new_text=plain(str(data.get("new_text") or ""), 60, single_line=True),
            label=plain(str(data.get("label") or ""), 60, single_line=True),
            recurring=bool(data.get("recurring")),
        )

    @property
    def old_words(self) -> str:
        return self.old_text or _format_value(self.old, self.unit)

    @property
    def new_words(self) -> str:
        return self.new_text or _format_value(self.new, self.unit)

    @property
    def direction(self) -> str:
        """``up``, ``down``, ``added`` (no old value), ``removed`` (no new value) or ``same``;
        for a recurring period ``less_often`` (every year -> every two years) or
        ``more_often``."""
        if self.old is None:
            return "same" if self.new is None else "added"
        if self.new is None:
            return "removed"
        if self.new == self.old:
            return "same"
        if self.recurring:
            return "less_often" if self.new > self.old else "more_often"
        return "up" if self.new > self.old else "down"

    @property
    def old_value(self) -> str:
        """The old value in Western digits and base units (``70%``, ``KHR 1,200,000``)."""
        return _format_value(self.old, self.unit)

    @property
    def new_value(self) -> str:
        return _format_value(self.new, self.unit)

    @property
    def in_words(self) -> str:
        """``4% -> 6%``, or ``employer 2% -> 3%`` for a labelled number."""
        arrow = f"{self.old_words} -> {self.new_words}"
        return f"{self.label} {arrow}" if self.label else arrow

    @property
    def what(self) -> str:
        """What the number is: its label, else its unit in words (``days``, ``%``)."""
        return self.label or _UNIT_WORDS.get(self.unit, self.unit)


def numbers_in_words(numbers: Sequence[NumberView], limit: int = 3) -> str:
    """The first number change, then the others in brackets:
    ``maternity allowance 70% -> 100% (90 days -> 98 days)``."""
    changed = [n for n in numbers if n.old != n.new][:limit]
    if not changed:
        return ""
    rest = changed[1:]
    extra = f" ({'; '.join(n.in_words for n in rest)})" if rest else ""
    return changed[0].in_words + extra


def change_in_words(
    ref: str, kind: str, numbers: Sequence[NumberView], kinds: Mapping[str, str] = _KIND_WORDS
) -> str:
    """``Article 4: 4% -> 6%``, or ``Article 9: amended`` when no number moved."""
    what = numbers_in_words(numbers) or kinds.get(kind, kind)
    return f"{ref}: {what}" if ref else what


@dataclass(frozen=True)
class EvidenceView:
    """One piece of evidence of a flag: the text seen, where (``changed`` words, ``clause``,
    ``heading``, ``text`` of the provision, ``number``) and on which side (old/new)."""

    text: str
    where: str = ""
    side: str = ""


@dataclass(frozen=True)
class FlagView:
    position: str
    score: float
    severity: str
    evidence: tuple[str, ...]
    # favourable | adverse | mixed for the coalition, "" where the position has no rule
    direction: str = ""
    details: tuple[EvidenceView, ...] = ()
    # the number changes behind the flag, and the number kinds they were read as
    numbers: tuple[NumberView, ...] = ()
    kinds: tuple[str, ...] = ()


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
class PositionView:
    id: str
    name: str
    stance: str
    key_messages: tuple[str, ...]
    description: str
    severity: str
    score: float
    name_km: str = ""
    # favourable | adverse | mixed over the position's flags, "" when none says
    direction: str = ""
    # which way is better, per number kind and for a provision (positions.toml ``better``)
    better: tuple[tuple[str, str], ...] = ()
    weight: str = "normal"

    def name_in(self, language: str) -> str:
        return self.name_km if language == "km" and self.name_km else self.name


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


def _evidence_text(item: object) -> str:
    if isinstance(item, Mapping):
        for key in ("text", "term", "match", "phrase"):
            if item.get(key):
                return plain(str(item[key]), 80, single_line=True)
        return plain(", ".join(f"{k}={v}" for k, v in item.items()), 80, single_line=True)
    return plain(str(item), 80, single_line=True)


def _position_view(
    position_id: str, flags: Sequence[FlagView], positions: Mapping[str, Position]
) -> PositionView:
    known = positions.get(position_id)
    mine = [f for f in flags if f.position == position_id]
    return PositionView(
        id=position_id,
        name=known.name if known else humanise(position_id),
        stance=known.stance if known else "",
        key_messages=tuple(known.key_messages) if known else (),
        description=known.description if known else "",
        severity=max((f.severity for f in mine), key=severity_rank, default="low"),
        score=max((f.score for f in mine), default=0.0),
        name_km=known.name_km if known else "",
        direction=overall_direction(f.direction for f in mine),
        better=known.better if known else (),
        weight=known.weight if known else "normal",
    )


def position_views(
    flags: Sequence[FlagView], positions: Mapping[str, Position]
) -> tuple[PositionView, ...]:
    """The positions ``flags`` touch, strongest first, as people read them."""
    order = dict.fromkeys(
        f.position for f in sorted(flags, key=lambda f: (-severity_rank(f.severity), -f.score))
    )
    return tuple(_position_view(p, flags, positions) for p in order)


def overall_direction(directions: Iterable[str]) -> str:
    """One direction for several flags: ``mixed`` when they disagree, "" when none says."""
    found = {d for d in directions if d}
    if not found:
        return ""
    return found.pop() if len(found) == 1 else "mixed"


def flag_view(row: Flag, numbers: Sequence[NumberView]) -> FlagView:
    """A stored flag as people read it, with the number changes its evidence quotes."""
    details: list[EvidenceView] = []
    quoted: list[str] = []
    kinds: list[str] = []
    for item in row.evidence:
        text = _evidence_text(item)
        where = str(item.get("where", "")) if isinstance(item, Mapping) else ""
        side = str(item.get("side", "")) if isinstance(item, Mapping) else ""
        details.append(EvidenceView(text, plain(where, 20, single_line=True), side[:5]))
        if where == "number" and isinstance(item, Mapping):
            quoted.append(str(item.get("text", "")))
            kinds.extend(k for k in str(item.get("term", "")).split("/") if k)
    mine = tuple(n for n in numbers if f"{n.old_raw or '-'} -> {n.new_raw or '-'}" in quoted)
    if any(n.recurring for n in mine) and "frequency" in kinds:
        kinds = [k for k in kinds if k != "duration"]
    return FlagView(
        row.position,
        row.score,
        row.severity,
        tuple(d.text for d in details),
        direction=row.direction or "",
        details=tuple(details),
        numbers=mine,
        kinds=tuple(dict.fromkeys(kinds)),
    )


def _owner(session: Session, alert_id: int, instrument: Instrument) -> str:
    triage = session.get(AlertHandling, alert_id)
    if triage is not None and triage.task_team.strip():
        return plain(triage.task_team, 200, single_line=True)
    return _tracker_field(instrument, "owner_team")


def _tracker_field(instrument: Instrument, name: str) -> str:
    value = getattr(instrument, name, "") or ""
    return plain(str(value), 200, single_line=True)


def load_alert_view(
    session: Session, alert_id: int, positions: Mapping[str, Position], base_url: str
) -> AlertView:
    """Everything about one alert, read from the database."""
    alert = session.get(Alert, alert_id)
    if alert is None or alert.id is None:
        raise AlertNotFound(alert_id)
    instrument = session.get(Instrument, alert.instrument_id)
    version = session.get(Version, alert.version_id)
    if instrument is None or instrument.id is None or version is None:
        raise AlertNotFound(alert_id)
    source = session.get(Source, instrument.source_id)
    rows = session.exec(
        select(Change).where(Change.new_version_id == alert.version_id).order_by(col(Change.id))
    ).all()
    ids = [row.id for row in rows if row.id is not None]
    flag_rows = session.exec(select(Flag).where(col(Flag.change_id).in_(ids))).all() if ids else []
    base = base_url.rstrip("/")
    others: Sequence[ChangeCounterpart] = (
        session.exec(
            select(ChangeCounterpart).where(col(ChangeCounterpart.change_id).in_(ids))
        ).all()
        if ids
        else []
    )
    other_languages: dict[int, list[OtherLanguageView]] = {}
    for other in others:
        other_languages.setdefault(other.change_id, []).append(
            OtherLanguageView(
                plain(other.language, 10, single_line=True),
                plain(other.ref, 80, single_line=True),
                plain(other.text, CLAUSE_LIMIT),
            )
        )
    changes: list[ChangeView] = []
    for row in rows:
        assert row.id is not None
        numbers = tuple(NumberView.from_json(n) for n in row.numbers)
        flags = tuple(
            flag_view(f, numbers)
            for f in sorted(flag_rows, key=lambda f: (-severity_rank(f.severity), -f.score))
            if f.change_id == row.id
        )
        changes.append(
            ChangeView(
                id=row.id,
                ref=plain(row.new_ref or row.old_ref or "", 80, single_line=True),
                kind=row.kind,
                heading=plain(row.heading, 200, single_line=True),
                old_text=row.old_text,
                new_text=row.new_text,
                numbers=numbers,
                ops=tuple(DiffOp(o["tag"], o.get("old", ""), o.get("new", "")) for o in row.ops),
                needs_check=row.needs_check,
                flags=flags,
                redline_url=f"{base}/changes/{row.id}",
                old_ref=plain(row.old_ref or "", 80, single_line=True),
                other_languages=tuple(other_languages.get(row.id, ())),
            )
        )
    all_flags = [f for change in changes for f in change.flags]
    position_views = tuple(_position_view(p, all_flags, positions) for p in alert.positions)
    previous_id = next((r.old_version_id for r in rows if r.old_version_id is not None), None)
    previous = session.get(Version, previous_id) if previous_id is not None else None
    return AlertView(
        id=alert.id,
        created_at=alert.created_at,
        instrument=InstrumentView(
            id=instrument.id,
            title=instrument.title,
            type=instrument.type,
            number=instrument.number,
            url=instrument.url,
            source=source.name if source and source.name else instrument.source_id,
            status=plain(instrument.status, 40, single_line=True),
            signed_date=plain(instrument.signed_date, 40, single_line=True),
            effective_date=plain(instrument.effective_date, 40, single_line=True),
            # Kept by the Secretariat in the web tracker where the schema has them.
            deadline=_tracker_field(instrument, "consultation_deadline"),
            # the task team an officer assigned the alert to, else the instrument's owner
            owner=_owner(session, alert.id, instrument),
        ),
        version=VersionView.from_row(version),
        previous=VersionView.from_row(previous) if previous is not None else None,
        changes=tuple(changes),
        positions=position_views,
        severity=alert.severity,
        summary=plain(alert.summary, 300, single_line=True),
        needs_check=alert.needs_check,
        url=alert.url,
    )
