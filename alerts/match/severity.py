"""How urgent a flag is for the coalition: low, medium or high, ranked by points.

The matcher (:mod:`alerts.match.decision`) says how directly a change is about a position (its
evidence tier). The severity stored with a flag and its alert adds what a reader weighs:

======================================  ========================================
what                                    points
======================================  ========================================
evidence: a changed number, or a        +2 (matcher tier ``high``)
provision about it added or removed
evidence: a term in the changed words   +1 (tier ``medium``)
or the heading
evidence: the provision's text only     0 (tier ``low``, a moved provision)
position weight (positions.toml)        ``core`` +1, ``normal`` 0, ``watch`` -1
size of the number change               +1 when a number moves by 25 % or more or
                                        is struck out; -1 when every number moves
                                        by less than 5 %; else 0 (a new number
                                        alone: 0, the provision counts already)
direction for the coalition             +1 when adverse or mixed
type of instrument                      -1 for guidance (circular, instruction,
                                        guideline, decision, notice, plan,
                                        strategy, policy); 0 for laws, decrees,
                                        sub-decrees, prakas, budget laws, unknown
stage in the tracker                    +1 in draft or consultation (time to act);
                                        -2 when repealed
======================================  ========================================

Total 3 or more is **high**, 2 **medium**, 1 or less **low**. An alert takes its highest
flag; an alert that is not a legal change (a translation, a new language version) is low.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from alerts.positions import Position
from parsers.compare.change import NumberChange
from tracker.kinds import Severity

if TYPE_CHECKING:
    from alerts.match.flags import Flag

TIER_POINTS: Mapping[str, int] = {"high": 2, "medium": 1, "low": 0}
WEIGHT_POINTS: Mapping[str, int] = {"core": 1, "normal": 0, "watch": -1}
STAGE_POINTS: Mapping[str, int] = {"draft": 1, "consultation": 1, "repealed": -2}
GUIDANCE_WORDS = (
    "circular",
    "instruction",
    "guideline",
    "guidance",
    "decision",
    "notice",
    "notification",
    "plan",
    "strategy",
    "policy",
    "សារាចរ",
    "សេចក្តីណែនាំ",
    "សេចក្តីសម្រេច",
    "សេចក្តីជូនដំណឹង",
    "ផែនការ",
    "យុទ្ធសាស្ត្រ",
    "គោលនយោបាយ",
)
LARGE, SMALL = 0.25, 0.05  # relative size of a number change
HIGH_FROM, MEDIUM_FROM = 3, 2


@dataclass(frozen=True)
class Instrument:
    """What the severity reads of the instrument: its type and its stage (tracker status)."""

    type: str = ""
    stage: str = ""


@dataclass(frozen=True)
class Points:
    """The points of one flag, item by item (shown to people and tested)."""

    evidence: int
    weight: int
    size: int
    direction: int
    type: int
    stage: int

    @property
    def total(self) -> int:
        return self.evidence + self.weight + self.size + self.direction + self.type + self.stage

    @property
    def severity(self) -> Severity:
        if self.total >= HIGH_FROM:
            return Severity.HIGH
        return Severity.MEDIUM if self.total >= MEDIUM_FROM else Severity.LOW


def size_points(numbers: Sequence[NumberChange]) -> int:
    """+1 when a number moves by 25 % or more (or is struck out), -1 when every one moves by
    less than 5 %, 0 otherwise or without numbers that moved (a new number alone)."""
    sizes = []
    for n in numbers:
        if n.old is None:
            continue  # a new number: the added words count already
        if n.new is None:
            sizes.append(1.0)
        elif n.old == 0:
            sizes.append(1.0 if n.new else 0.0)
        else:
            sizes.append(abs(n.new - n.old) / abs(n.old))
    if not sizes:
        return 0
    if max(sizes) >= LARGE:
        return 1
    return -1 if max(sizes) < SMALL else 0


def type_points(instrument_type: str) -> int:
    words = instrument_type.casefold()
    return -1 if any(w in words for w in GUIDANCE_WORDS) else 0


def points(
    tier: str,
    numbers: Sequence[NumberChange],
    position: Position | None,
    direction: str | None,
    instrument: Instrument,
) -> Points:
    """The points of a flag of evidence ``tier`` (the matcher's), with ``numbers`` (the
    number changes behind it), on ``position`` (None: unknown, weighed normal)."""
    return Points(
        evidence=TIER_POINTS.get(tier, 0),
        weight=WEIGHT_POINTS.get(position.weight if position else "normal", 0),
        size=size_points(numbers),
        direction=1 if direction in ("adverse", "mixed") else 0,
        type=type_points(instrument.type),
        stage=STAGE_POINTS.get(instrument.stage.strip().casefold().replace(" ", "_"), 0),
    )


def flag_numbers(flag: Flag, numbers: Sequence[NumberChange]) -> list[NumberChange]:
    """The number changes of a change that are evidence of ``flag`` (its ``number``
    evidence quotes them as ``old_text -> new_text``)."""
    quoted = {e.text for e in flag.evidence if e.where == "number"}
    return [n for n in numbers if f"{n.old_text or '-'} -> {n.new_text or '-'}" in quoted]


def rank(
    flags: Sequence[Flag],
    numbers: Sequence[NumberChange],
    positions: Mapping[str, Position],
    instrument: Instrument,
) -> list[Flag]:
    """``flags`` of one change (whose number changes are ``numbers``) with their severity
    ranked by :func:`points`."""
    ranked = []
    for flag in flags:
        score = points(
            flag.severity,
            flag_numbers(flag, numbers),
            positions.get(flag.position),
            flag.direction,
            instrument,
        )
        ranked.append(replace(flag, severity=score.severity))
    return ranked
