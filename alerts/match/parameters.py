"""Which coalition positions a parameter belongs to: the positions its clause is about.

The clause holding the number is read as if it had just been added (heading included), so
a parameter is filed under a position by the same rules that flag a change: a number alone
never makes a position, the words of its clause and provision do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from alerts.match.matcher import Matcher
from parsers.compare.change import Change
from parsers.compare.parameters import Reading


def with_positions(matcher: Matcher, found: Sequence[Reading]) -> list[Reading]:
    out: list[Reading] = []
    for reading in found:
        change = Change("added", None, reading.ref, "", reading.clause, heading=reading.heading)
        positions = tuple(flag.position for flag in matcher.flag(change))
        out.append(replace(reading, positions=positions))
    return out
