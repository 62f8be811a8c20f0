"""Two language versions of one instrument, checked against each other.

The Khmer original and its English translation are aligned provision by provision by their
structure (``មាត្រា ៥`` <-> ``Article 5``, chapters, the title, preamble and closing; points
``ក`` <-> ``a`` inside an article when both sides list the same number of them) and by the
numbers they hold, so that a translation that lags behind a renumbering still pairs each
provision with its counterpart. The numbers of each aligned pair are then compared with
their units in base units (riel scale words, Khmer digits, numbers in words, percent,
durations): a value present on one side only is a disagreement. A provision that has no
counterpart is ``missing``.

Words are not compared across languages (that needs a translation); the numbers are, and a
translation that drifts almost always drifts in its numbers or its provisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.compare.quantities import find_quantities
from parsers.document import Document, Section
from parsers.khmer import to_ascii_digits

__all__ = ["CrossCheck", "Provision", "Value", "crosscheck"]

AGREE, DIFFER, MISSING = "agree", "differ", "missing"

# Scores of the alignment (a dynamic programme over the two sequences of provisions):
# the same structural number counts 1, shared values up to _VALUE_WEIGHT (Jaccard), values on
# one side only cost _ONE_SIDED; leaving a provision unpaired costs _GAP.
_VALUE_WEIGHT = 2.0
_ONE_SIDED = 1.0
_GAP = 0.6

# Khmer point letters in dictionary order, and the Latin letters a translation uses for them.
_KM_LETTERS = "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអ"
_POINT_RE = re.compile(
    r"^\s*(?:\(?(?P<latin>[a-z])[.)]|\(?(?P<khmer>[" + _KM_LETTERS + r"])[.)])\s+", re.M
)


@dataclass(frozen=True, order=True)
class Value:
    """A number with its unit in base units (``%``, ``KHR``, ``USD``, ``day``, ...)."""

    value: float
    unit: str

    def to_json(self) -> dict[str, float | str]:
        return {"value": self.value, "unit": self.unit}


@dataclass(frozen=True)
class Provision:
    """One aligned pair of provisions (or one with no counterpart: the other ref is None)."""

    a_ref: str | None
    b_ref: str | None
    status: str
    a_only: tuple[Value, ...] = ()
    b_only: tuple[Value, ...] = ()

    def to_json(self) -> dict[str, str | None]:
        return {"a_ref": self.a_ref, "b_ref": self.b_ref, "status": self.status}

    def disagreement_json(self) -> dict[str, object]:
        return {
            "a_ref": self.a_ref,
            "b_ref": self.b_ref,
            "a_only": [v.to_json() for v in self.a_only],
            "b_only": [v.to_json() for v in self.b_only],
        }


@dataclass(frozen=True)
class CrossCheck:
    provisions: tuple[Provision, ...]

    @property
    def disagreements(self) -> tuple[Provision, ...]:
        return tuple(p for p in self.provisions if p.status == DIFFER)

    @property
    def missing(self) -> tuple[Provision, ...]:
        return tuple(p for p in self.provisions if p.status == MISSING)


@dataclass(frozen=True)
class _Unit:
    """A provision as the alignment sees it."""

    ref: str
    kind: str
    number: str
    text: str
    values: frozenset[Value]


def crosscheck(a: Document, b: Document) -> CrossCheck:
    """Align the provisions of two language versions and compare their numbers."""
    units_a, units_b = _units(a.sections), _units(b.sections)
    found: list[Provision] = []
    for i, j in _align(units_a, units_b):
        if i is None or j is None:
            ref_a = units_a[i].ref if i is not None else None
            ref_b = units_b[j].ref if j is not None else None
            found.append(Provision(ref_a, ref_b, MISSING))
            continue
        found.extend(_pair(units_a[i], units_b[j]))
    return CrossCheck(tuple(found))


def _units(sections: tuple[Section, ...]) -> list[_Unit]:
    return [_Unit(s.ref, s.kind, _number_key(s.number), s.text, _values(s.text)) for s in sections]


def _number_key(number: str) -> str:
    return to_ascii_digits(number).strip().lower()


def _values(text: str) -> frozenset[Value]:
    """The quantities of a provision, as :func:`parsers.compare.quantities.find_quantities` reads
    them in either language (a position in time such as ``ថ្ងៃទី១៥`` / ``the 15th day`` and
    a rate basis such as ``ក្នុងមួយខែ`` / ``per month`` are no quantities on either side)."""
    return frozenset(Value(_rounded(q.value), q.unit) for q in find_quantities(text))


def _rounded(value: float) -> float:
    return float(f"{value:.9g}")


def _score(x: _Unit, y: _Unit) -> float | None:
    """How well two provisions correspond; None when they cannot (different kinds)."""
    if x.kind != y.kind:
        return None
    score = 1.0 if x.number == y.number else 0.0
    if x.values and y.values:
        shared = len(x.values & y.values) / len(x.values | y.values)
        score += _VALUE_WEIGHT * shared
    elif x.values or y.values:
        score -= _ONE_SIDED
    return score


def _align(a: list[_Unit], b: list[_Unit]) -> list[tuple[int | None, int | None]]:
    """The best order-keeping alignment (Needleman-Wunsch over provisions)."""
    n, m = len(a), len(b)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        best[i][0], step[i][0] = best[i - 1][0] - _GAP, "a"
    for j in range(1, m + 1):
        best[0][j], step[0][j] = best[0][j - 1] - _GAP, "b"
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [(best[i - 1][j] - _GAP, "a"), (best[i][j - 1] - _GAP, "b")]
            score = _score(a[i - 1], b[j - 1])
            if score is not None:
                options.append((best[i - 1][j - 1] + score, "ab"))
            best[i][j], step[i][j] = max(options, key=lambda o: o[0])
    path: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == "ab":
            path.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == "a":
            path.append((i - 1, None))
            i -= 1
        else:
            path.append((None, j - 1))
            j -= 1
    return path[::-1]


def _pair(x: _Unit, y: _Unit) -> list[Provision]:
    """Compare an aligned pair: point by point when both list the same number of points."""
    points_x, points_y = _points(x), _points(y)
    if len(points_x) > 1 and len(points_x) == len(points_y):
        head_x, head_y = points_x[0], points_y[0]
        out = [_compared(head_x, head_y)] if head_x.values or head_y.values else []
        return out + [_compared(p, q) for p, q in zip(points_x[1:], points_y[1:], strict=True)]
    return [_compared(x, y)]


def _compared(x: _Unit, y: _Unit) -> Provision:
    a_only = tuple(sorted(x.values - y.values))
    b_only = tuple(sorted(y.values - x.values))
    status = DIFFER if a_only or b_only else AGREE
    return Provision(x.ref, y.ref, status, a_only, b_only)


def _points(unit: _Unit) -> list[_Unit]:
    """The article's lead-in (first) and its points ``ក.``/``a)``, when they run in order."""
    marks = list(_POINT_RE.finditer(unit.text))
    letters = [m.group("latin") or m.group("khmer") for m in marks]
    alphabet = _KM_LETTERS if marks and marks[0].group("khmer") else "abcdefghijklmnopqrstuvwxyz"
    if len(marks) < 2 or letters != list(alphabet[: len(letters)]):
        return []
    khmer = alphabet is _KM_LETTERS
    pieces = [_Unit(unit.ref, unit.kind, unit.number, "", _values(unit.text[: marks[0].start()]))]
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(unit.text)
        text = unit.text[mark.start() : end]
        ref = f"{unit.ref} ចំណុច {letters[k]}" if khmer else f"{unit.ref}({letters[k]})"
        pieces.append(_Unit(ref, "point", letters[k], text, _values(text)))
    return pieces
