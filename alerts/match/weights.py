"""What one term or one number says: the number kinds a unit fits, the weight of one
occurrence of a term, and how much the terms of a provision's text say together."""

from __future__ import annotations

from collections.abc import Iterable

from parsers.khmer import match_key
from parsers.tokens import tokenize

_UNIT_KINDS: dict[str, frozenset[str]] = {
    "%": frozenset({"rate"}),
    "percent": frozenset({"rate"}),
    "point": frozenset({"rate"}),
    "percentage point": frozenset({"rate"}),
    "khr": frozenset({"amount"}),
    "usd": frozenset({"amount"}),
    "eur": frozenset({"amount"}),
    "riel": frozenset({"amount"}),
    "hour": frozenset({"duration"}),
    "day": frozenset({"duration"}),
    "week": frozenset({"duration"}),
    "month": frozenset({"duration"}),
    "year": frozenset({"duration", "age"}),
    "age": frozenset({"age"}),
}


def unit_kinds(unit: str, *, recurring: bool = False) -> frozenset[str]:
    """The number kinds (rate, amount, duration, age, frequency) a unit of
    :class:`NumberChange` fits; a ``recurring`` period (every two years) is also a frequency."""
    unit = unit.strip().lower()
    kinds = _UNIT_KINDS.get(unit) or _UNIT_KINDS.get(unit.rstrip("s"), frozenset())
    if recurring and "duration" in kinds:
        return (kinds - {"age"}) | {"frequency"}
    return kinds


def term_weight(term: str, owners: dict[str, set[str]], *, khmer: bool) -> float:
    """How much one occurrence of ``term`` says: a phrase or an acronym says more than one
    common word; a term shared by several positions says less."""
    if khmer:
        specific = len(tokenize(term)) >= 2
    else:
        specific = len(term.split()) >= 2 or "-" in term or any(c.isupper() for c in term)
    weight = 1.0 if specific else 0.75
    if len(owners.get(match_key(term), ())) > 1:
        weight = min(weight, 0.75 if specific else 0.5)
    return weight


def context_strength(terms: Iterable[tuple[str, float]]) -> float:
    """How much the terms in the provision's text say (1 is enough to be about it): distinct
    terms add their weights, repeats add a little."""
    seen: dict[str, float] = {}
    repeats = 0
    for term, weight in terms:
        if term in seen:
            repeats += 1
        seen[term] = weight
    return sum(seen.values()) + 0.25 * min(repeats, 2)
