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

import dataclasses
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers.change import Quantity
from parsers.document import Document, Table
from parsers.khmer import to_ascii_digits
from parsers.pairing import clauses, label_of
from parsers.quantities import column_hint, find_quantities
from parsers.structure import date_in
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


# A full stop right after an amount ends a sentence when a capital opens the next one
# ("The fine is KHR 500,000. The employer..."): ``clauses`` keeps "500,000." whole.
_AMOUNT_END_RE = re.compile(r"(?<=\d)\.(?=\s+[A-Z])")


def _bounds(text: str) -> list[tuple[int, int]]:
    cuts = sorted({c for c0 in clauses(text) for c in (c0.start, c0.end)}
                  | {m.end() for m in _AMOUNT_END_RE.finditer(text)})  # fmt: skip
    spans = [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip()]
    return spans or [(0, len(text))]


# --- role words ------------------------------------------------------------------------------
# Who pays or receives a share (longest first: "កម្មករនិយោជិត" before "កម្មករ").
_PARTIES_EN = ("self-employed person", "insured person", "employers", "employer", "employees",
               "employee", "workers", "worker", "government", "state")  # fmt: skip
_PARTIES_KM = ("កម្មករនិយោជិត", "រាជរដ្ឋាភិបាល", "និយោជក", "និយោជិត", "កម្មករ")
_PARTY_VERBS = frozenset({"pay", "pays", "paid", "contribute", "contributes", "the", "shall",
                          "បង់", "ត្រូវ", "ត្រូវបង់", "ចំនួន"})  # fmt: skip
_AGENT_RE = re.compile(r"(?:\bby\s+(?:the\s+)?|ដោយ\s*)$", re.I)
# Bounds said before a quantity: "not exceeding", "at least", "មិនលើសពី", "យ៉ាងតិច".
_MAX_RE = re.compile(
    r"(?:\b(?:not|no)\s+(?:be\s+)?(?:exceed(?:ing)?|more\s+than|greater\s+than|higher\s+than|"
    r"above|over)|\bup\s+to|\bat\s+(?:the\s+)?most|\bmaximum(?:\s+of)?|\bwithin\s+a\s+limit\s+of"
    r"|មិនលើស(?:ពី)?|យ៉ាងច្រើន(?:បំផុត)?|អតិបរមា)\s*$",
    re.I,
)
_MIN_RE = re.compile(
    r"(?:\b(?:not|no)\s+(?:be\s+)?(?:less|fewer|lower)\s+than|\bat\s+(?:the\s+)?least"
    r"|\bminimum(?:\s+of)?|មិនតិច(?:ជាង|ពី)?|យ៉ាងតិច(?:បំផុត)?|អប្បបរមា)\s*$",
    re.I,
)
_LIMIT_RE = re.compile(r"\b(?:within|no\s+later\s+than|not\s+later\s+than)\s*$", re.I)
_CURRENCY_RE = re.compile(r"(?:\b(?:KHR|USD|US\$|riels?)|[$៛])\s*$", re.I)
_BOUNDED_RE = re.compile(r"\b(?:minimum|maximum|ceiling|floor)\b|អប្បបរមា|អតិបរមា|ពិដាន", re.I)
# A label whose head after its last "of"/"for" is generic ("daily wage for a period") names
# what an earlier number is a share of, not what this one measures.
_GENERIC_TAIL_RE = re.compile(
    r"\s(?:of|for|over)\s+(?:(?:a|an|the|such|this|that|same)\s+)*"
    r"(?:(?:maximum|minimum|further|total|whole|given|certain)\s+)*"
    r"(?:period|duration|amount|sum|time|term|length)s?$",
    re.I,
)
_TIME_UNITS = frozenset({"hour", "day", "week", "month", "year"})
_ROLE_EN = {"time": "duration", "money": "amount", "%": "rate"}
_ROLE_KM = {"time": "រយៈពេល", "money": "ចំនួនទឹកប្រាក់", "%": "អត្រា"}
_BOUND_KM = {"minimum": "អប្បបរមា", "maximum": "អតិបរមា"}


def _dimension(unit: str) -> str:
    if unit in _TIME_UNITS:
        return "time"
    if unit in ("KHR", "USD"):
        return "money"
    return unit


def _khmer(text: str) -> bool:
    return any("\u1780" <= ch <= "\u17ff" for ch in text)


def _party_in(text: str) -> str:
    """The party a stretch of text names (its last), or ''."""
    best, at = "", -1
    folded = text.casefold()
    for party in (*_PARTIES_EN, *_PARTIES_KM):
        pattern = rf"\b{re.escape(party)}\b" if party.isascii() else re.escape(party)
        for m in re.finditer(pattern, folded):
            if m.start() > at or (m.start() == at and len(party) > len(best)):
                best, at = party, m.start()
    return best


def _party_phrase(label: str) -> bool:
    """A label that is only a party and a verb ("worker", "និយោជកបង់")."""
    party = _party_in(label)
    rest = label.casefold().replace(party, " ").strip()
    return bool(party) and (not rest or _verb_only(rest))


def _party_of(before: str, after: str) -> str:
    """The party a quantity is the share of: one named after it as an agent ("2% is paid by
    the employer"), else one named before it since the last quantity ("the worker 2%"),
    unless that one is the agent of the quantity before."""
    agent = re.search(r"\bby\s+(?:the\s+)?([\w-]+(?:\s+person)?)|ដោយ(\S+)", after, re.I)
    if agent is not None:
        party = _party_in(agent.group(0))
        if party:
            return party
    if before and not _AGENT_RE.search(before.rstrip()[: -len(_party_in(before)) or None]):
        party = _party_in(before)
        if (
            party
            and not re.search(rf"\bby\s+(?:the\s+)?{re.escape(party)}", before, re.I)
            and (f"ដោយ{party}" not in before)
        ):
            return party
    return ""


_SHARES = frozenset({"%", "money"})
_KM_VERBS = ("បង់", "ទទួល", "ផ្តល់", "បាន")


def _verb_only(label: str) -> bool:
    """A label of verbs alone ("បង់", "pays")."""
    rest = label.casefold()
    for verb in sorted(_PARTY_VERBS, key=len, reverse=True):
        rest = rest.replace(verb, " ") if not verb.isascii() else rest
    return bool(label) and all(w in _PARTY_VERBS for w in rest.split())


def _bound(before: str) -> str:
    """'minimum', 'maximum' or 'limit' (a time limit) when the words right before a
    quantity bound it."""
    window = _CURRENCY_RE.sub("", before[-40:].rstrip()).rstrip()
    if _LIMIT_RE.search(window):
        return "limit"
    if _MAX_RE.search(window):
        return "maximum"
    if _MIN_RE.search(window):
        return "minimum"
    return ""


def _with_role(topic: str, unit: str, bound: str, khmer: bool) -> str:
    """``topic`` as the measure ``unit`` gives it: "daily allowance, duration",
    "រយៈពេលប្រាក់ឧបត្ថម្ភ"; with its bound: "sickness benefit, maximum duration"."""
    dim = _dimension(unit)
    if bound == "limit":
        return _with_bound(topic, bound, khmer)
    if khmer:
        role = _ROLE_KM.get(dim, "")
        if not role:
            return topic + _BOUND_KM.get(bound, "")
        return f"{role}{_BOUND_KM[bound]}នៃ{topic}" if bound else f"{role}{topic}"
    role = _ROLE_EN.get(dim, unit)
    return f"{topic}, {bound + ' ' if bound else ''}{role}"


def _with_bound(label: str, bound: str, khmer: bool) -> str:
    if bound == "limit":  # "within 15 days": a time limit (Khmer "ក្នុង" also means "for")
        return label if khmer else f"{label}, time limit"
    if not bound or _BOUNDED_RE.search(label):
        return label
    return label + _BOUND_KM[bound] if khmer else f"{label}, {bound}"


def _with_party(topic: str, party: str, unit: str, khmer: bool) -> str:
    if khmer:
        return f"{topic}របស់{party}"
    return f"{topic}, {party} share" if unit == "%" else f"{topic}, {party}"


def _clean(label: str) -> str:
    return " ".join(label.split())[:MAX_LABEL].strip()


def readings(document: Document, names: Sequence[ParameterName] = ()) -> list[Reading]:
    """The labelled quantities of ``document``'s provisions, in reading order.

    A quantity is named by its own words (:func:`parsers.pairing.label_of`) unless they are
    generic ("the daily wage for a period") or only say who pays ("the worker"); then by the
    role words around it: the party whose share it is ("contribution rate, employer share",
    "អត្រាភាគទានរបស់និយោជក"), or what its clause is about (the first quantity named in
    it, else the provision's heading) with the measure its unit gives when that differs
    ("daily allowance, duration", "រយៈពេលប្រាក់ឧបត្ថម្ភ"); a bound said before it
    ("not exceeding", "យ៉ាងតិច") makes it the minimum or maximum. The first of ``names``
    that names a label replaces it. Quantities without a unit (counts, list numbers) and
    quantities still unnamed are left out: a bare number is not a parameter anyone can
    follow.
    """
    decimal = decimal_mark(document)
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
                heading=heading, clause=clause, effective_date=effective_date(clause),
            )
        )  # fmt: skip

    for section in document.sections:
        if section.kind not in _KINDS or not _DIGIT_RE.search(to_ascii_digits(section.text)):
            continue
        text = section.text
        khmer = _khmer(text)
        heading = _clean(section.heading)
        bounds = _bounds(text)
        subject: dict[int, tuple[str, str]] = {}  # clause -> its first label and dimension
        first_dim: dict[str, str] = {}  # a borrowed label -> the dimension it first named
        rows = _table_lines(text, document.tables)
        quantities = [
            q
            for q in find_quantities(text, decimal=decimal)
            if q.unit and not any(a <= q.start < b for a, b in rows)
        ]
        for n, q in enumerate(quantities):
            k = _clause_of(bounds, q.start)
            start, end = bounds[k]
            previous = quantities[n - 1].end if n and quantities[n - 1].end > start else start
            following = quantities[n + 1].start if n + 1 < len(quantities) else end
            before, after = text[previous : q.start], text[q.end : min(following, end)]
            own = _clean(label_of(q, text))
            if _GENERIC_TAIL_RE.search(own) or _verb_only(own):
                own = ""
            if own.startswith(_KM_VERBS) and own in heading:  # "បង់ភាគទាន" of its heading
                own = heading  # "រយៈពេលបង់ភាគទានអប្បបរមា"
            # a share belongs to a party; a period or a count does not
            party = _party_of(before, after) if _dimension(q.unit) in _SHARES else ""
            if own and _party_phrase(own):
                party, own = (party or _party_in(own)) if _dimension(q.unit) in _SHARES else "", ""
            bound = _bound(before)
            if own:
                subject.setdefault(k, (own, _dimension(q.unit)))
                label = _with_bound(own, bound, khmer)
            else:
                topic, dim = subject.get(k, (heading, ""))
                if not topic:
                    if not party:
                        continue
                    label = party
                elif party:
                    label = _with_party(topic, party, q.unit, khmer)
                else:
                    dim = dim or first_dim.setdefault(topic, _dimension(q.unit))
                    if dim != _dimension(q.unit):
                        label = _with_role(topic, q.unit, bound, khmer)
                    else:
                        label = _with_bound(topic, bound, khmer)
            clause = " ".join(text[start:end].split())
            add(_clean(label), q, section.ref, section.heading, clause)
    for index, table in enumerate(document.tables, start=1):
        home = next(
            (sec for sec in document.sections if sec.kind in _KINDS
             and _table_lines(sec.text, (table,))),
            None,
        )  # fmt: skip
        ref = home.ref if home is not None else f"Table {index}"
        for label, q, clause in _cell_quantities(table, decimal):
            add(label, q, ref, home.heading if home is not None else "", clause)
    return found


# --- tables ----------------------------------------------------------------------------------
_PAREN_RE = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")


def _row_cells(row: Sequence[str]) -> list[str]:
    return [" ".join(c.split()) for c in row if c.strip()]


def _table_lines(text: str, tables: Sequence[Table]) -> list[tuple[int, int]]:
    """The spans of ``text``'s lines that are a row of one of ``tables`` (every non-empty
    cell of the row in the line, in order): their numbers are read from the table."""
    wanted = [cells for t in tables for row in t.rows if len(cells := _row_cells(row)) > 1]
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        squeezed = " ".join(line.split())
        for cells in wanted:
            at = 0
            for cell in cells:
                at = squeezed.find(cell, at)
                if at < 0:
                    break
                at += len(cell)
            else:
                spans.append((offset, offset + len(line)))
                break
        offset += len(line) + 1
    return spans


def _header_label(header: str) -> str:
    """A column header without the unit and scale it gives its cells ("2026 (KHR million)"
    -> "2026"): values are in base units, the unit is said apart."""

    def unitless(m: re.Match[str]) -> str:
        unit, scale = column_hint(m.group(1))
        return "" if unit or scale != 1.0 else m.group(0)

    return " ".join(_PAREN_RE.sub(unitless, header).split())


def _cell_quantities(table: Table, decimal: str | None) -> list[tuple[str, Quantity, str]]:
    """Each quantity of a table's body cells with its label, the row's header and the
    column's ("Social pension, 2026"), read with the unit and scale of its column header
    (else of the table's corner cell), and the row as its clause."""
    headers = table.column_headers()
    corner = column_hint(headers[0]) if headers and headers[0] else ("", 1.0)
    out: list[tuple[str, Quantity, str]] = []
    for cell in table.cells():
        if " ".join(cell.text.split()) == cell.row_label or not cell.row_label:
            continue
        unit, scale = column_hint(cell.column_header) if cell.column_header else ("", 1.0)
        if not unit and scale == 1.0 and cell.column > 0:
            unit, scale = corner
        column = _header_label(cell.column_header)
        label = _clean(f"{cell.row_label}, {column}" if column else cell.row_label)
        row = table.rows[cell.row]
        clause = " | ".join(
            f"{_header_label(headers[c]) if c < len(headers) else ''}: {' '.join(v.split())}"
            if c != 0 else " ".join(v.split())
            for c, v in enumerate(row) if v.strip()
        )  # fmt: skip
        hinted = _PAREN_RE.search(cell.column_header or headers[0] if headers else "")
        for q in find_quantities(cell.text, unit_hint=unit, scale=scale, decimal=decimal):
            if not q.unit:
                continue
            if hinted and not column_hint(q.text)[0] and column_hint(hinted.group(1))[0]:
                q = dataclasses.replace(q, text=f"{q.text} {hinted.group(1).strip()}")
            out.append((label, q, clause))
    return out
