"""A flag: a change touches one of the coalition's positions, how strongly, how urgently,
and the evidence for it (terms and numbers seen on each side of the change)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from alerts.match.direction import Direction
from alerts.match.hits import Hit
from alerts.match.spans import Side
from tracker.kinds import Severity

Where = Literal["changed", "clause", "heading", "text", "number"]
SEVERITIES: tuple[Severity, ...] = tuple(Severity)
#: Evidence shown per flag at most.
MAX_EVIDENCE = 8


@dataclass(frozen=True)
class Evidence:
    """Why a change was flagged: a term (or a number) seen on one side of the change."""

    term: str
    text: str
    side: Side
    start: int
    end: int
    where: Where

    def to_json(self) -> dict[str, Any]:
        return {"term": self.term, "side": self.side, "text": self.text, "where": self.where}


@dataclass(frozen=True)
class Flag:
    """A change touches a position: how strongly (0..1), how urgently, and the evidence."""

    position: str
    score: float
    severity: Severity
    evidence: tuple[Evidence, ...]
    # which way the change goes for the coalition, where the position says which way is
    # better: favourable, adverse or mixed (shown to people, never used to hide a change)
    direction: Direction | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "position": self.position,
            "score": self.score,
            "evidence": [e.to_json() for e in self.evidence],
            "severity": self.severity,
        }
        if self.direction is not None:
            data["direction"] = self.direction
        return data


def evidence_of(hit: Hit, side: Side, where: Where) -> Evidence:
    return Evidence(hit.term, hit.text, side, hit.start, hit.end, where)


def dedupe_evidence(evidence: list[Evidence]) -> tuple[Evidence, ...]:
    """Numbers, changed words and headings once per side; surrounding text once per term and
    not at all for a term already shown."""
    shown: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for e in evidence:
        if e.where == "text":
            if e.term in shown:
                continue
        else:
            key = (e.where, e.side, e.text if e.where == "number" else e.term)
            if key in seen:
                continue
            seen.add(key)
        if e.where != "number":
            shown.add(e.term)
        kept.append(e)
    return tuple(kept[:MAX_EVIDENCE])
