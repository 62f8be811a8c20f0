"""A flag as people read it (its evidence and the number changes behind it) and the
positions flags touch, with the coalition's stance and key messages from positions.toml.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from alerts.deliver.channels import severity_rank
from alerts.deliver.number_views import NumberView
from alerts.deliver.plain_text import plain
from alerts.positions import Position
from alerts.wording import Bilingual
from tracker.models import Flag


def humanise(position_id: str) -> str:
    """``contribution_rate`` -> ``Contribution rate`` (when no position definition is at hand)."""
    return position_id.replace("_", " ").strip().capitalize()


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
class PositionView(Bilingual):
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
    stance_km: str = ""
    key_messages_km: tuple[str, ...] = ()


def _evidence_text(item: object) -> str:
    if isinstance(item, Mapping):
        for key in ("text", "term", "match", "phrase"):
            if item.get(key):
                return plain(str(item[key]), 80, single_line=True)
        return plain(", ".join(f"{k}={v}" for k, v in item.items()), 80, single_line=True)
    return plain(str(item), 80, single_line=True)


def position_view(
    position_id: str, flags: Sequence[FlagView], positions: Mapping[str, Position]
) -> PositionView:
    """One position as people read it, over the flags of it among ``flags``."""
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
        stance_km=known.stance_km if known else "",
        key_messages_km=known.key_messages_km if known else (),
    )


def position_views(
    flags: Sequence[FlagView], positions: Mapping[str, Position]
) -> tuple[PositionView, ...]:
    """The positions ``flags`` touch, strongest first, as people read them."""
    order = dict.fromkeys(
        f.position for f in sorted(flags, key=lambda f: (-severity_rank(f.severity), -f.score))
    )
    return tuple(position_view(p, flags, positions) for p in order)


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
