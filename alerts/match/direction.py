"""Which way a flagged change goes for the coalition: favourable, adverse or mixed.

A position's ``better`` (positions.toml) says, per number kind, whether higher or lower is
better, and whether adding or removing a provision about it is. The direction is shown to
people beside the change; it never hides one.

A recurring period (``every year`` -> ``every two years``, ``រៀងរាល់ឆ្នាំ`` ->
``រៀងរាល់ពីរឆ្នាំម្តង``) is read as a ``frequency``: a longer period means fewer
adjustments, so its frequency goes down. Only a position's ``frequency`` rule rates it; a
period between repeats is never the length of a benefit (``duration``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from alerts.positions import Position
from parsers.compare.change import Change, NumberChange

Direction = Literal["favourable", "adverse", "mixed"]


def direction(
    position: Position,
    change: Change,
    severity: str,
    numbers: Sequence[tuple[str, NumberChange]],
) -> Direction | None:
    """Favourable, adverse or mixed, from the numbers of the flag (``kinds`` like
    ``duration/age``, the number change) and a provision about the position added or
    removed (when the flag is high); None when the position has no rule for what moved."""
    better = dict(position.better)
    ways: set[Direction] = set()
    for kinds, number in numbers:
        names = kinds.split("/")
        if number.recurring:
            names = [k for k in names if k == "frequency"]
        rated = [better[k] for k in names if k in better]
        if not rated or len(set(rated)) > 1:  # no rule, or the kinds disagree (year: age?)
            continue
        if number.old is not None and number.new is None and change.kind == "modified":
            if rated[0] == "higher":  # an amount, rate or period struck out of the provision
                ways.add("adverse")
            continue
        if number.old is None or number.new is None or number.old == number.new:
            continue
        up = number.new > number.old
        if number.recurring:
            up = not up  # a longer period between repeats: less often
        ways.add("favourable" if up == (rated[0] == "higher") else "adverse")
    if change.kind in ("added", "removed") and "provision" in better and severity == "high":
        ways.add("favourable" if change.kind == better["provision"] else "adverse")
    if not ways:
        return None
    return "mixed" if len(ways) > 1 else ways.pop()
