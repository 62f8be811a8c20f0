"""Old -> new number pairs that are one parameter: the same clause, the same role.

A number pairs with a number of the other version only when both say the same thing:

1. **Clauses.** Each text is cut into clauses (sentences, list items, lines of a table
   printed as text; see :func:`parsers.compare.clauses.clauses`). Clauses are aligned
   across versions: identical once numbers are masked, else alike enough in their words,
   in order.
2. **Roles.** Inside an aligned pair of clauses, numbers of the same unit pair by the words
   around them (what comes before a number says what it measures). A clause's only number
   of a unit pairs with the other clause's only one, unless their labels name different
   things: then the roles decide (a fee list's ``Change of name`` and ``Change of
   address`` are alike clauses, their fees are not one parameter). An amount alone on its
   line (a list item or table cell ``- 5 EUR``) belongs to the clause before it, whose
   words say what it is. Periods that convert exactly count as one unit: ``3 years`` ->
   ``15 months`` is a pair of 36 -> 15 months.
3. **Labels.** Each number gets the noun phrase it belongs to
   (:func:`parsers.compare.labels.label_of`):
   ``the employer contribution rate is 2%`` -> ``employer contribution rate``, ``the worker
   pays 2%`` -> ``worker`` (the party of a verb of paying, ``កម្មករនិយោជិតបង់ ២%`` ->
   ``កម្មករនិយោជិត``),
   ``ប្រាក់ឧបត្ថម្ភមាតុភាព ៧០%`` -> ``ប្រាក់ឧបត្ថម្ភមាតុភាព``. Where the attachment is
   unclear (``for 90 days``, ``ក្នុងរយៈពេល ៩០ ថ្ងៃ``: across a preposition) there is no label,
   rather than a wrong one. A number left over in one version pairs with one left over in
   the other only when they have the same label and no other number has it.

Anything else is reported as removed (``new`` None) and added (``old`` None): a repealed
schedule is not paired value by value with the new one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.compare.change import NumberChange, Quantity
from parsers.compare.clauses import MAX_CELLS, ClauseText, align_clauses, best_path
from parsers.compare.labels import label

__all__ = ["pair_quantities"]

_ROLE = 0.34  # similarity of the words around two numbers that measure the same thing


def _weights(keys: Sequence[str], scale: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for d, key in enumerate(keys):
        out[key] = max(out.get(key, 0.0), scale / (1 + d))
    return out


@dataclass(frozen=True)
class _Number:
    q: Quantity
    clause: int
    label: str
    role: dict[str, float]

    @property
    def label_key(self) -> str:
        return " ".join(self.label.casefold().split())


def _numbers(qs: Sequence[Quantity], t: ClauseText | None) -> list[_Number]:
    out = []
    for q in qs:
        if t is None:
            out.append(_Number(q, 0, q.label, {}))
            continue
        before, after = t.window(q)
        role = _weights(before, 1.0)
        for key, w in _weights(after, 0.5).items():
            role[">" + key] = w
        out.append(_Number(q, t.clause_of(q.start), q.label or label(t, q), role))
    return out


def _role_similarity(a: _Number, b: _Number) -> float:
    if a.label_key and a.label_key == b.label_key:
        return 1.0
    if not a.role and not b.role:
        return 1.0  # bare numbers in aligned clauses: nothing tells them apart
    keys = a.role.keys() | b.role.keys()
    top = sum(max(a.role.get(k, 0.0), b.role.get(k, 0.0)) for k in keys)
    if not top:
        return 0.0
    return sum(min(a.role.get(k, 0.0), b.role.get(k, 0.0)) for k in keys) / top


# Periods that convert exactly: years into months, weeks into days (a month is no number of
# days in law: 90 days and 3 months are different periods, each its own parameter).
_PERIODS = {
    "year": ("month", 12.0),
    "month": ("month", 1.0),
    "week": ("day", 7.0),
    "day": ("day", 1.0),
}


def _dimension(unit: str) -> tuple[str, float]:
    """What a unit measures and its size in that measure: ``year`` -> (``month``, 12)."""
    return _PERIODS.get(unit, (unit, 1.0))


def _pair_in_clause(
    olds: list[_Number], news: list[_Number], strong: bool
) -> list[tuple[_Number, _Number]]:
    if strong and len(olds) == 1 and len(news) == 1:
        a, b = olds[0], news[0]
        if not (a.label_key and b.label_key and a.label_key != b.label_key):
            return [(a, b)]
    if len(olds) * len(news) > MAX_CELLS:
        return []
    score: list[list[float | None]] = []
    for a in olds:
        row: list[float | None] = []
        for b in news:
            s = _role_similarity(a, b)
            row.append(s if s >= _ROLE else None)
        score.append(row)
    return [(olds[i], news[j]) for i, j in best_path(len(olds), len(news), score)]


def pair_quantities(
    old: Sequence[Quantity], new: Sequence[Quantity], *, old_text: str = "", new_text: str = ""
) -> tuple[NumberChange, ...]:
    """Pair ``old`` and ``new`` quantities (found in ``old_text``/``new_text``) that measure
    the same thing: same unit, aligned clauses, same role (see the module docstring).

    Returns the pairs whose value differs and the unpaired quantities (``old`` or ``new``
    None), in the order of the new text, each labelled.
    """
    ta = ClauseText(old_text) if old_text and old else None
    tb = ClauseText(new_text) if new_text and new else None
    na, nb = _numbers(old, ta), _numbers(new, tb)
    if ta is not None and tb is not None:
        clause_map = align_clauses(ta.clauses, tb.clauses)
    elif ta is None and tb is None and old and new:
        clause_map = {0: (0, True)}  # no text: the quantities come from one aligned place
    else:
        clause_map = {}
    by_clause_b: dict[tuple[int, str], list[_Number]] = defaultdict(list)
    for x in nb:
        by_clause_b[(x.clause, _dimension(x.q.unit)[0])].append(x)
    by_clause_a: dict[tuple[int, str], list[_Number]] = defaultdict(list)
    for x in na:
        by_clause_a[(x.clause, _dimension(x.q.unit)[0])].append(x)
    paired: list[tuple[_Number, _Number]] = []
    for (ci, unit), olds in by_clause_a.items():
        if ci not in clause_map:
            continue
        cj, strong = clause_map[ci]
        news = by_clause_b.get((cj, unit), [])
        if news:
            paired.extend(_pair_in_clause(olds, news, strong))
    used_a = {id(a) for a, _ in paired}
    used_b = {id(b) for _, b in paired}
    # numbers left over pair only by a label that names one number on each side
    left_a: dict[tuple[str, str], list[_Number]] = defaultdict(list)
    left_b: dict[tuple[str, str], list[_Number]] = defaultdict(list)
    for x in na:
        if id(x) not in used_a and x.label_key:
            left_a[(_dimension(x.q.unit)[0], x.label_key)].append(x)
    for x in nb:
        if id(x) not in used_b and x.label_key:
            left_b[(_dimension(x.q.unit)[0], x.label_key)].append(x)
    for key, olds in left_a.items():
        news = left_b.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            paired.append((olds[0], news[0]))
            used_a.add(id(olds[0]))
            used_b.add(id(news[0]))
    found: list[tuple[tuple[int, int], NumberChange]] = []
    for a, b in paired:
        unit, old_value, new_value = a.q.unit, a.q.value, b.q.value
        if a.q.unit != b.q.unit:  # 3 years -> 15 months: both in months
            unit, scale_a = _dimension(a.q.unit)
            old_value, new_value = old_value * scale_a, new_value * _dimension(b.q.unit)[1]
        if math.isclose(old_value, new_value, rel_tol=1e-9):
            continue
        label = b.label or a.label
        recurring = a.q.recurring or b.q.recurring
        change = NumberChange(old_value, new_value, unit, a.q.text, b.q.text, label, recurring)
        found.append(((b.q.start, 0), change))
    for x in nb:
        if id(x) not in used_b:
            found.append(
                (
                    (x.q.start, 0),
                    NumberChange(None, x.q.value, x.q.unit, "", x.q.text, x.label, x.q.recurring),
                )
            )
    last_b = 0
    order_b = {id(a): b.q.start for a, b in paired}
    for x in na:  # a removed number sits after the last paired one before it
        if id(x) in order_b:
            last_b = order_b[id(x)]
        elif id(x) not in used_a:
            change = NumberChange(x.q.value, None, x.q.unit, x.q.text, "", x.label, x.q.recurring)
            found.append(((last_b, 1), change))
    found.sort(key=lambda item: item[0])
    return tuple(change for _, change in found)
