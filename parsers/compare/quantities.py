"""Numbers with units in English and Khmer text, and their pairing across versions.

A quantity is a number (digits or words) followed or preceded by a unit: ``4%``, ``៤ ភាគរយ``,
``KHR 1.2 million``, ``៤០០.០០០ (បួនសែន) រៀល``, ``90 days``, ``១២ ខែ``, ``age 60``,
``every two years``. Values are floats in base units (riel, dollar, day, ...).

Khmer text groups thousands with ``.`` (or spaces) and writes decimals with ``,``: the rule is
that ``\\d{1,3}([., ]\\d{3})+`` is a grouped integer, otherwise one ``[.,]`` is a decimal point.
An amount repeated in words in brackets counts once; when digits and words disagree the digits
win and :func:`find_mismatches` reports the pair (a useful OCR or typing alarm). Numbers and
number words are read by :mod:`parsers.compare.numerals`; this module finds the patterns around
them.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

from parsers.calendar import KHMER_LUNAR_MONTHS, KHMER_MONTHS
from parsers.compare.change import NumberChange, Quantity
from parsers.compare.lexicon import (
    AGE,
    CENT,
    CUR,
    DASH,
    DASHED,
    EVERY,
    NW,
    OF,
    ONCE,
    ORD,
    ORDINAL,
    PER,
    REF,
    TIME_UNITS,
    UNIT,
    YEARLY,
)
from parsers.compare.number_phrases import Bracket, Phrase, PhraseReader
from parsers.compare.numerals import Atom, lex, parse_number, parse_number_words
from parsers.compare.pairing import pair_quantities
from parsers.khmer import is_khmer, normalize, to_ascii_digits

logger = logging.getLogger(__name__)

__all__ = [
    "NumberMismatch",
    "column_hint",
    "find_mismatches",
    "find_quantities",
    "pair_numbers",
    "parse_number",
    "parse_number_words",
]

# "ខែ" followed by a month's name is a date, not a duration.
_KM_MONTHS_RE = re.compile(
    r"\s*(?:" + "|".join(normalize(m) for m in (*KHMER_MONTHS, *KHMER_LUNAR_MONTHS)) + ")"
)

_DURATION_WORDS_RE = re.compile(
    r"number of|duration|period|length|" + "|".join(normalize(w) for w in ("ចំនួន", "រយៈពេល")),
    re.I,
)
_YEAR_RE = re.compile(r"1[89]\d\d|2[01]\d\d|2200")  # a calendar year, written as four digits
# What joins the numbers of one reference: 38-2903, 5(2)(b), 5 and 6, 1 bis 3, ៥ និង ៦.
_REF_GLUE_RE = re.compile(
    r"[-–./()]+|(?:\)?\([a-z]{1,4}\))*\)?\(?"
    r"|\s+(?:and|or|to|through|und|oder|bis|et|ou|à|និង|ឬ|ដល់)\s+",
    re.I,
)


@dataclass(frozen=True)
class NumberMismatch:
    """An amount whose digits and words (in brackets) disagree: ``៤% (ប្រាំភាគរយ)``."""

    digits: float
    words: float
    unit: str
    text: str
    start: int
    end: int


@dataclass
class _Scan:
    quantities: list[Quantity]
    mismatches: list[NumberMismatch]


def _scan(
    text: str, *, label: str, unit_hint: str, scale: float, decimal: str | None = None
) -> _Scan:
    p = PhraseReader(text, lex(text, decimal))
    scan = _Scan([], [])
    consumed_units: set[int] = set()

    def emit(
        value: float,
        unit: str,
        first: int,
        end: int,
        bracket: Bracket | None,
        main: Phrase | None,
        recurring: bool = False,
    ) -> None:
        if bracket is not None and main is not None and bracket.phrase.digits != main.digits:
            digits, words = (main, bracket.phrase) if main.digits else (bracket.phrase, main)
            value = digits.value
            if not math.isclose(digits.value, words.value, rel_tol=1e-9):
                s, e = p.atoms[first].start, p.atoms[end - 1].end
                scan.mismatches.append(
                    NumberMismatch(digits.value, words.value, unit, text[s:e], s, e)
                )
        s, e = p.atoms[first].start, p.atoms[end - 1].end
        scan.quantities.append(Quantity(value, unit, text[s:e], s, e, label, recurring))
        consumed_units.update(range(first, end))

    def after_once(k: int) -> int:
        return k + 1 if p.follows(k, ONCE) else k

    i = 0
    ref_end = -1  # where the last reference number ended (``Articles 5 and 6``)
    while i < p.n:
        a = p.atoms[i]
        if a.kind == YEARLY:
            emit(1.0, "year", i, i + 1, None, None, recurring=True)
            i += 1
            continue
        if a.kind == EVERY and p.adjacent(i):
            phrase = p.phrase(i + 1)
            if phrase is not None:
                found = p.unit(phrase.end) if p.adjacent(phrase.end - 1) else None
                if found and found[0] in TIME_UNITS:
                    end = after_once(found[1])
                    emit(phrase.value, found[0], i, end, None, None, recurring=True)
                    i = end
                    continue
            elif p.follows(i + 1, UNIT) and p.atoms[i + 1].unit in TIME_UNITS:
                end = after_once(i + 2)
                emit(1.0, p.atoms[i + 1].unit, i, end, None, None, recurring=True)
                i = end
                continue
        if a.kind in (AGE, CUR) and p.adjacent(i):
            j = i + 2 if a.kind == AGE and p.follows(i + 1, OF) and p.adjacent(i + 1) else i + 1
            phrase = p.phrase(j)
            if phrase is not None:
                unit = "age" if a.kind == AGE else a.unit
                k = phrase.end
                bracket = p.bracket(k)
                if bracket and (
                    bracket.phrase.digits == phrase.digits or bracket.unit not in ("", unit)
                ):
                    bracket = None
                k = bracket.end if bracket else k
                found = p.unit(k) if p.adjacent(k - 1) else None
                if found and (found[0] == unit or (unit == "age" and found[0] == "year")):
                    k = found[1]
                emit(phrase.value, unit, i, k, bracket, phrase)
                i = k
                continue
        if a.role == DASHED:
            last = _dash_end(p, i)
            if not _is_range(p, i, last, unit_hint):
                i = last + 1  # one provision number: 375-2, 38-2903, 1843-4
                continue
        phrase = p.phrase(i)
        if phrase is None:
            i += 1
            continue
        prev = i - 1
        before = p.atoms[prev] if prev >= 0 and p.adjacent(prev) else None
        if (before is not None and before.kind == ORD) or any(
            p.atoms[k].role == ORDINAL for k in range(i, phrase.end)
        ):
            # an ordinal is a position, never an amount: ថ្ងៃទី១៥, លើកទី២, the 15th day of
            # the month, the first year, 1. Januar 2015, das 18. Lebensjahr
            i = phrase.end
            continue
        if _is_per_one(p, i, phrase):
            i = phrase.end + 1  # ក្នុងមួយខែ: "per month", the basis of a rate
            continue
        if _is_reference(p, i, ref_end):
            # a provision's number (Article 5, § 38-2903, មាត្រា ១២) is not a quantity
            ref_end = p.atoms[phrase.end - 1].end
            i = phrase.end
            continue
        year_like = phrase.digits and _YEAR_RE.fullmatch(
            to_ascii_digits(text[p.atoms[i].start : p.atoms[phrase.end - 1].end])
        )
        # a date written with numbers after Khmer unit words: ខែ ០៣ ឆ្នាំ ២០២១
        in_date = (
            before is not None
            and before.kind == UNIT
            and before.unit in TIME_UNITS
            and prev not in consumed_units
            and is_khmer(text[before.start])
        )
        k = phrase.end
        bracket = p.bracket(k)
        if bracket and bracket.phrase.digits == phrase.digits:
            bracket = None
        k = bracket.end if bracket else k
        found = p.unit(k) if p.adjacent(k - 1) else None
        if found is None and bracket is not None and bracket.unit:
            found = (bracket.unit, k)
        if found is None:
            if unit_hint and not (year_like and unit_hint in TIME_UNITS):
                emit(phrase.value * scale, unit_hint, i, phrase.end, None, None)
            i = phrase.end
            continue
        unit, k = found
        if year_like and unit == "year":
            i = k  # a calendar year (the 2025 calendar year, fiscal year 2025 year-end)
            continue
        if (in_date and unit in TIME_UNITS) or (
            unit == "month" and _KM_MONTHS_RE.match(text, p.atoms[k - 1].end)
        ):
            i = k
            continue
        if bracket is None:
            bracket = p.bracket(k)
            if bracket and (
                bracket.phrase.digits == phrase.digits or bracket.unit not in ("", unit)
            ):
                bracket = None
            k = bracket.end if bracket else k
        emit(phrase.value, unit, i, k, bracket, phrase)
        i = k
    return scan


def _dash_end(p: PhraseReader, i: int) -> int:
    """The last atom of the dashed number that starts at atom ``i``."""
    k = i
    while k + 1 < p.n and p.atoms[k + 1].role == DASH:
        k += 1
    return k


def _is_range(p: PhraseReader, first: int, last: int, unit_hint: str) -> bool:
    """``5-10 days`` or a ``5-10`` cell under ``Rate (%)`` is a range: two numbers, rising,
    with a unit. Anything else joined by dashes is one provision number."""
    if last != first + 1 or p.atoms[last].value <= p.atoms[first].value:
        return False
    return bool(unit_hint) or (p.adjacent(last) and p.unit(last + 1) is not None)


_KM_IN = normalize("ក្នុង")


def _is_per_one(p: PhraseReader, i: int, phrase: Phrase) -> bool:
    """``ក្នុងមួយខែ`` ("in one month"): the basis of a rate (per month), which English
    writes with no number; not a period of one month."""
    if phrase.value != 1 or not p.follows(phrase.end, UNIT):
        return False
    if p.atoms[phrase.end].unit not in TIME_UNITS:
        return False
    return (
        normalize(p.text[max(0, p.atoms[i].start - 8) : p.atoms[i].start]).rstrip().endswith(_KM_IN)
    )


def _is_reference(p: PhraseReader, i: int, ref_end: int) -> bool:
    """The number at atom ``i`` follows a provision word (``Article``, ``§``, ``No.``,
    ``មាត្រា``) or continues a reference (``5(2)``, ``38-2903``, ``5 and 6``)."""
    start = p.atoms[i].start
    if ref_end >= 0 and _REF_GLUE_RE.fullmatch(p.text, ref_end, start):
        return True
    if i == 0 or p.atoms[i - 1].kind != REF:
        return False
    word = p.atoms[i - 1]
    gap = p.text[word.end : start]
    if p.text[word.start : word.end].casefold() == "no":
        return gap.strip() == "."
    return not gap.strip(" \t\n\u00a0.")


def find_quantities(
    text: str,
    *,
    label: str = "",
    unit_hint: str = "",
    scale: float = 1.0,
    decimal: str | None = None,
) -> list[Quantity]:
    """Quantities in ``text`` in reading order, values in base units.

    ``label`` is copied to every quantity (a table row's label). ``unit_hint`` and ``scale``
    come from a table header such as ``KHR billion`` (see :func:`column_hint`): a bare number
    then becomes ``value * scale`` in ``unit_hint``. ``decimal`` is the decimal mark of the
    document (``","`` or ``"."``, see :func:`parsers.compare.numerals.number_format`); by default it
    is read from ``text``.
    """
    return _scan(text, label=label, unit_hint=unit_hint, scale=scale, decimal=decimal).quantities


def find_mismatches(text: str) -> list[NumberMismatch]:
    """Amounts whose digits disagree with their words in brackets."""
    return _scan(text, label="", unit_hint="", scale=1.0).mismatches


def _duration_header(header: str, a: Atom) -> bool:
    """A time unit in a header measures its cells when it is plural (``Years of service``),
    in brackets (``Period (months)``, ``រយៈពេល (ខែ)``) or says a length (``Number of days``,
    ``ចំនួនថ្ងៃ``); a bare ``Year`` heads a column of dates."""
    word = header[a.start : a.end]
    before = header[: a.start]
    return (
        (word.isascii() and word.casefold().endswith("s"))
        or before.count("(") > before.count(")")
        or _DURATION_WORDS_RE.search(header) is not None
    )


def column_hint(header: str) -> tuple[str, float]:
    """The unit and scale a table header gives its cells: ``KHR billion`` -> ``("KHR", 1e9)``,
    ``ពាន់លានរៀល`` -> ``("KHR", 1e9)``, ``Rate (%)`` -> ``("%", 1.0)``; ``("", 1.0)`` if none."""
    unit, scale = "", 1.0
    atoms = lex(header)
    for k, a in enumerate(atoms):
        if a.kind in (UNIT, CUR) and not unit:
            if a.unit in TIME_UNITS and not _duration_header(header, a):
                continue  # "Year", "Fiscal Year", "ឆ្នាំ": a column of dates
            unit = a.unit
        elif a.kind == PER and k + 1 < len(atoms) and atoms[k + 1].kind == CENT and not unit:
            unit = "%"
        elif a.kind == NW and a.role in ("scale", "hundred"):
            scale *= a.value
    return unit, scale


# --- pairing ---------------------------------------------------------------------------------


def pair_numbers(
    old: list[Quantity], new: list[Quantity], *, old_text: str = "", new_text: str = ""
) -> tuple[NumberChange, ...]:
    """Pair old and new quantities that measure the same thing: the same unit, in aligned
    clauses of ``old_text``/``new_text`` (the texts they were found in), by the words around
    them (:func:`parsers.compare.pairing.pair_quantities`). Each number carries a label.

    Returns the pairs whose value differs, plus unpaired quantities with ``old`` or ``new`` None.
    """
    return pair_quantities(old, new, old_text=old_text, new_text=new_text)
