"""What term finding hands to the decision: a term of a position found in a text.

:mod:`alerts.match.matcher` finds them, :mod:`alerts.match.decision` weighs them; both import them
from here, so neither imports the other's types.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """A term of a position found in a text; offsets are in the normalised text."""

    position: str
    term: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Found:
    """A hit and whether it lies inside a longer hit of another position; an ``anchor`` is
    a word that only ties a changed number to its position (never a flag by itself)."""

    hit: Hit
    subsumed: bool
    anchor: bool = False
