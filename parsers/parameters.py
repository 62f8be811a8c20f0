"""The parameters a document states: each rate, amount or period with the words naming it.

A reading is one quantity of one provision (``70%`` of "maternity benefit", ``90 days`` of
"maternity leave", ``KHR 400,000`` of "minimum old-age pension"), labelled from its clause by
the same role words that pair numbers in ``compare`` (:func:`parsers.pairing.label_of`), or by
the provision's heading when the clause names nothing.

Its ``key`` says which parameter it is a value of, across versions: the label's words and the
unit, plus an ordinal when one document states several quantities under the same label and
unit. The key holds neither the value nor the provision's number, so a changed value and a
renumbered article keep their parameter. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from parsers.document import Document
from parsers.khmer import to_ascii_digits
from parsers.pairing import clauses, label_of
from parsers.quantities import find_quantities
from parsers.tables import decimal_mark

_KINDS = frozenset({"article", "paragraph", "annex", "closing"})
_DIGIT_RE = re.compile(r"\d")
_SPACE_RE = re.compile(r"\s+")
MAX_LABEL = 80  # characters: a label is a noun phrase, not a sentence


@dataclass(frozen=True)
class Reading:
    """One value of one parameter as a version states it."""

    key: str
    label: str
    unit: str
    value: float
    text: str  # the quantity as written: "៧០%", "KHR 400,000"
    ref: str  # the provision holding it: "Article 5", "មាត្រា ៥"
    heading: str
    clause: str  # the sentence (list item, line) holding it
    positions: tuple[str, ...] = field(default=())


def _label_key(label: str) -> str:
    return _SPACE_RE.sub(" ", to_ascii_digits(label).casefold()).strip()


def _clause_at(text: str, offset: int) -> str:
    for clause in clauses(text):
        if clause.start <= offset < clause.end:
            return " ".join(text[clause.start : clause.end].split())
    return " ".join(text.split())


def readings(document: Document) -> list[Reading]:
    """The labelled quantities of ``document``'s provisions, in reading order.

    Quantities without a unit (counts, list numbers) and quantities whose clause and heading
    name nothing are left out: a bare number is not a parameter anyone can follow.
    """
    decimal = decimal_mark(document)
    found: list[Reading] = []
    seen: Counter[tuple[str, str]] = Counter()
    for section in document.sections:
        if section.kind not in _KINDS or not _DIGIT_RE.search(to_ascii_digits(section.text)):
            continue
        for q in find_quantities(section.text, decimal=decimal):
            if not q.unit:
                continue
            if not _DIGIT_RE.search(to_ascii_digits(q.text)) and q.value == 1:
                continue  # "each month", "a year": a frequency, not a stated amount
            label = label_of(q, section.text) or section.heading
            label = " ".join(label.split())[:MAX_LABEL].strip()
            if not label:
                continue
            base = (_label_key(label), q.unit)
            seen[base] += 1
            ordinal = seen[base]
            key = f"{base[0]}|{base[1]}" + (f"|{ordinal}" if ordinal > 1 else "")
            found.append(
                Reading(
                    key=key,
                    label=label,
                    unit=q.unit,
                    value=q.value,
                    text=q.text,
                    ref=section.ref,
                    heading=section.heading,
                    clause=_clause_at(section.text, q.start),
                )
            )
    return found
