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
from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers.calendar import date_in
from parsers.document import Document
from parsers.khmer import to_ascii_digits
from parsers.pairing import clauses, label_of
from parsers.quantities import find_quantities
from parsers.tables import decimal_mark

_KINDS = frozenset({"article", "paragraph", "annex", "closing"})
_DIGIT_RE = re.compile(r"\d")
# "with effect from 1 January 2027", "as of", "from", "ចាប់ពីថ្ងៃទី១ ខែមករា ឆ្នាំ២០២៧"
_EFFECT_RE = re.compile(
    r"(?:\bwith\s+effect\s+from|\beffective(?:\s+(?:from|on|as\s+of))?|\bas\s+(?:from|of)"
    r"|\b(?:starting|beginning|commencing)(?:\s+(?:on|from))?|\bfrom"
    r"|គិតចាប់ពី|ចាប់(?:ផ្តើម)?ពី)\s*(?:the\s+)?",
    re.I,
)
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
    effective_date: str = ""  # ISO, when the clause says from when the value applies


@dataclass(frozen=True)
class ParameterName:
    """A name the coalition gives a parameter (positions file): a reading whose label holds
    one of ``terms`` (as words; Khmer inside the label) and whose unit is ``unit`` (any
    unit when empty) takes ``label``, so two wordings of one quantity are one parameter."""

    label: str
    terms: tuple[str, ...]
    unit: str = ""

    def names(self, label: str, unit: str) -> bool:
        if self.unit and self.unit != unit:
            return False
        key = f" {_label_key(label)} "
        for term in self.terms:
            t = _label_key(term)
            if t and (f" {t} " in key if t.isascii() else t in key):
                return True
        return False


def _label_key(label: str) -> str:
    return _SPACE_RE.sub(" ", to_ascii_digits(label).casefold()).strip()


def effective_date(clause: str) -> str:
    """The date from which ``clause`` says its values apply, ISO, or ''."""
    for match in _EFFECT_RE.finditer(clause):
        after = clause[match.end() : match.end() + 40]
        if _starts_with_date(after) and (found := date_in(after)):
            return found
    return ""


def _starts_with_date(text: str) -> bool:
    """The date written right after the phrase (not one further on in the clause)."""
    return bool(re.match(r"\s*(?:ថ្ងៃ|\d|[០-៩]|[A-Za-z]{3,9}\.?\s+\d)", text))


def _clause_of(bounds: list[tuple[int, int]], offset: int) -> int:
    for k, (start, end) in enumerate(bounds):
        if start <= offset < end:
            return k
    return len(bounds) - 1


def readings(document: Document, names: Sequence[ParameterName] = ()) -> list[Reading]:
    """The labelled quantities of ``document``'s provisions, in reading order.

    A quantity whose own words name nothing takes the label of the first labelled quantity
    of its clause, else the provision's heading; the first of ``names`` that names a label
    replaces it. Quantities without a unit (counts, list
    numbers) and quantities still unnamed are left out: a bare number is not a parameter
    anyone can follow.
    """
    decimal = decimal_mark(document)
    found: list[Reading] = []
    seen: Counter[tuple[str, str]] = Counter()
    for section in document.sections:
        if section.kind not in _KINDS or not _DIGIT_RE.search(to_ascii_digits(section.text)):
            continue
        text = section.text
        bounds = [(c.start, c.end) for c in clauses(text)] or [(0, len(text))]
        subject: dict[int, str] = {}  # clause -> the label of its first labelled quantity
        for q in find_quantities(text, decimal=decimal):
            if not q.unit:
                continue
            k = _clause_of(bounds, q.start)
            own = " ".join(label_of(q, text).split())[:MAX_LABEL].strip()
            if own:
                subject.setdefault(k, own)
            # a quantity whose own words name nothing belongs to what its clause is about
            # ("a maternity allowance of 70% of the wage for 90 days")
            label = own or subject.get(k) or " ".join(section.heading.split())[:MAX_LABEL]
            if not label:
                continue
            label = next((n.label for n in names if n.names(label, q.unit)), label)
            base = (_label_key(label), q.unit)
            seen[base] += 1
            ordinal = seen[base]
            key = f"{base[0]}|{base[1]}" + (f"|{ordinal}" if ordinal > 1 else "")
            start, end = bounds[k]
            clause = " ".join(text[start:end].split())
            found.append(
                Reading(
                    key=key,
                    label=label,
                    unit=q.unit,
                    value=q.value,
                    text=q.text,
                    ref=section.ref,
                    heading=section.heading,
                    clause=clause,
                    effective_date=effective_date(clause),
                )
            )
    return found
