"""The parameters a document states: each rate, amount or period with the words naming it.

A reading is one quantity of one provision (``70%`` of "maternity benefit", ``90 days`` of
"maternity leave", ``KHR 400,000`` of "minimum old-age pension"), labelled from its clause by
the same role words that pair numbers in ``compare`` (:func:`parsers.compare.labels.label_of`), or
by the provision's heading when the clause names nothing.

Its ``key`` says which parameter it is a value of, across versions: the label's words and the
unit, plus an ordinal when one document states several quantities under the same label and
unit. The key holds neither the value nor the provision's number, so a changed value and a
renumbered article keep their parameter. Pure: no I/O.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from parsers.calendar import date_in
from parsers.compare.change import Quantity
from parsers.compare.clauses import clauses
from parsers.compare.labels import label_of
from parsers.compare.parameter_roles import (
    GENERIC_TAIL_RE,
    SHARES,
    adds_measure,
    bound_of,
    dimension,
    is_khmer,
    own_label,
    party_in,
    party_of,
    party_phrase,
    replaced_value,
    role_signs,
    sentence_subject,
    verb_only,
    with_bound,
    with_party,
    with_role,
)
from parsers.compare.parameter_tables import cell_quantities, clean_label, table_lines
from parsers.compare.quantities import find_quantities
from parsers.compare.tables import decimal_mark
from parsers.document import Document, Section, Table
from parsers.khmer import to_ascii_digits

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
        """Whether this name is ``label``'s: a term in it, and no role composed onto the
        term that the name does not say ("maternity leave, minimum" is not "maternity
        leave"; "…, employer share" not the total)."""
        if self.unit and self.unit != unit:
            return False
        if role_signs(label) - role_signs(self.label):
            return False
        key = f" {_label_key(label)} "
        for term in self.terms:
            t = _label_key(term)
            if t and (f" {t} " in key if t.isascii() else t in key):
                return not adds_measure(label, term) or adds_measure(self.label, term)
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


# "This Sub-decree takes effect from 1 January 2026", "មានអានុភាពអនុវត្តចាប់ពីថ្ងៃទី១ ..."
_IN_FORCE_RE = re.compile(
    r"\b(?:takes?|taking)\s+effect\b|\b(?:enters?|entering|comes?|coming)\s+into\s+force\b"
    r"|មានអានុភាព|ចូលជាធរមាន|ចូលជាផ្លូវការ",
    re.I,
)


def in_force_date(document: Document) -> str:
    """The date from which the whole instrument says it applies (its entry-into-force
    clause, usually the last article), ISO, or ''."""
    for section in reversed(document.sections):
        if section.kind not in _KINDS or not _IN_FORCE_RE.search(section.text):
            continue  # a preamble cites other texts' dates
        for clause in clauses(section.text):
            text = section.text[clause.start : clause.end]
            if _IN_FORCE_RE.search(text) and (found := effective_date(text)):
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


# A full stop right after an amount ends a sentence when a capital opens the next one
# ("The fine is KHR 500,000. The employer..."): ``clauses`` keeps "500,000." whole.
_AMOUNT_END_RE = re.compile(r"(?<=\d)\.(?=\s+[A-Z])")


def _bounds(text: str) -> list[tuple[int, int]]:
    cuts = sorted({c for c0 in clauses(text) for c in (c0.start, c0.end)}
                  | {m.end() for m in _AMOUNT_END_RE.finditer(text)})  # fmt: skip
    spans = [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]
    return spans or [(0, len(text))]


def _topic(
    subject: dict[int, tuple[str, str]], k: int, heading: str, clause: str
) -> tuple[str, str]:
    """What clause ``k`` is about, with the dimension of the quantity that named it: its
    first named quantity, else the provision's heading, else the sentence's subject, else
    what an earlier clause of the provision is about ("It is paid for 90 days")."""
    if k in subject:
        return subject[k]
    named = heading or sentence_subject(clause)
    if named:
        return named, ""
    return next(iter(subject.values()), ("", ""))


def readings(document: Document, names: Sequence[ParameterName] = ()) -> list[Reading]:
    """The labelled quantities of ``document``'s provisions, then of its tables, in reading
    order.

    A quantity is named by its own words (:func:`parsers.compare.labels.label_of`) unless they are
    generic ("the daily wage for a period") or only say who pays ("the worker"); then by the
    role words around it (:mod:`parsers.compare.parameter_roles`): the party whose share it is
    ("contribution rate, employer share", "អត្រាភាគទានរបស់និយោជក"), or what its clause is
    about (:func:`_topic`) with the measure its unit gives when that differs ("daily
    allowance, duration", "រយៈពេលប្រាក់ឧបត្ថម្ភ"); a bound said before it ("not exceeding",
    "យ៉ាងតិច") makes it the minimum or maximum. A table cell is named by its row and column
    (:mod:`parsers.compare.parameter_tables`). The first of ``names`` that names a label replaces
    it. A value whose clause gives no date applies from the instrument's entry into force.
    Quantities without a unit (counts, list numbers) and quantities still unnamed are left
    out: a bare number is not a parameter anyone can follow.
    """
    decimal = decimal_mark(document)
    in_force = in_force_date(document)
    found: list[Reading] = []
    seen: Counter[tuple[str, str]] = Counter()

    def add(label: str, q: Quantity, ref: str, heading: str, clause: str) -> None:
        label = next((n.label for n in names if n.names(label, q.unit)), label)
        base = (_label_key(label), q.unit)
        seen[base] += 1
        ordinal = seen[base]
        key = f"{base[0]}|{base[1]}" + (f"|{ordinal}" if ordinal > 1 else "")
        found.append(
            Reading(
                key=key, label=label, unit=q.unit, value=q.value, text=q.text, ref=ref,
                heading=heading, clause=clause,
                effective_date=effective_date(clause) or in_force,
            )
        )  # fmt: skip

    for section in document.sections:
        if section.kind in _KINDS and _DIGIT_RE.search(to_ascii_digits(section.text)):
            for label, q, clause in _labelled(section, document.tables, decimal):
                add(label, q, section.ref, section.heading, clause)
    for index, table in enumerate(document.tables, start=1):
        home = next(
            (sec for sec in document.sections if sec.kind in _KINDS
             and table_lines(sec.text, (table,))),
            None,
        )  # fmt: skip
        ref = home.ref if home is not None else f"Table {index}"
        for label, q, clause in cell_quantities(table, decimal):
            add(label, q, ref, home.heading if home is not None else "", clause)
    return found


def _labelled(
    section: Section, tables: Sequence[Table], decimal: str | None
) -> Iterator[tuple[str, Quantity, str]]:
    """Each quantity of a provision's text with its label and its clause (the rows of
    ``tables`` the text repeats are left to the tables)."""
    text = section.text
    khmer = is_khmer(text)
    heading = clean_label(section.heading)
    bounds = _bounds(text)
    subject: dict[int, tuple[str, str]] = {}  # clause -> its first label and dimension
    first_dim: dict[str, str] = {}  # a borrowed label -> the dimension it first named
    rows = table_lines(text, tables)
    quantities = [
        q
        for q in find_quantities(text, decimal=decimal)
        if q.unit and not any(a <= q.start < b for a, b in rows)
    ]
    for n, q in enumerate(quantities):
        k = _clause_of(bounds, q.start)
        start, end = bounds[k]
        previous = quantities[n - 1].end if n and quantities[n - 1].end > start else start
        nxt = quantities[n + 1] if n + 1 < len(quantities) else None
        before = text[previous : q.start]
        after = text[q.end : min(nxt.start, end) if nxt is not None else end]
        clause = " ".join(text[start:end].split())
        # "from 70% to 100%": the value now is the next one (this one still names it)
        replaced = nxt is not None and nxt.unit == q.unit and replaced_value(before, after, clause)
        raw = clean_label(label_of(q, text))
        own = clean_label(own_label(raw, text, q.start, start, heading, q.unit, after))
        if GENERIC_TAIL_RE.search(own) or verb_only(own):
            own = ""
        # a share belongs to a party; a period or a count does not
        share = dimension(q.unit) in SHARES
        party, agent = party_of(before, after) if share else ("", False)
        if own and party_phrase(own):
            party, own = (party or party_in(own)) if share else "", ""
        bound = bound_of(before, q.text)
        if own and agent and not party_in(own):  # "2% paid by the employer"
            subject.setdefault(k, (own, dimension(q.unit)))
            own = ""
        if own:
            subject.setdefault(k, (own, dimension(q.unit)))
            label = with_bound(own, bound, khmer)
        else:
            topic, dim = _topic(subject, k, heading, text[start:end])
            if not topic and not party:
                continue
            if not topic:
                label = party
            elif party:
                label = with_party(topic, party, q.unit, khmer)
            elif (dim or first_dim.setdefault(topic, dimension(q.unit))) != dimension(q.unit) or (
                q.unit == "age"
            ):
                label = with_role(topic, q.unit, bound, khmer)
            else:
                label = with_bound(topic, bound, khmer)
        if not replaced:
            yield clean_label(label), q, clause
