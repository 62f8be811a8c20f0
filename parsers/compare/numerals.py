"""Numbers in digits and in words, and the lexer that finds them.

:func:`lex` cuts a text into atoms: numbers in digits (ASCII or Khmer, with the grouping and
decimal rules of :func:`parse_number` and the text's own number format, see
:func:`number_format`), number words (``twenty``, ``ម្ភៃ``, scale words such as ``million``
or ``លាន``), units (``%``, ``រៀល``, ``days``) and the markers the quantity patterns of
:mod:`parsers.compare.quantities` look for (``age``, ``every``, brackets, ...).

The words come from one lexicon per language (English, Khmer, German, French): a unit word
only counts next to a number, so the lexicons share one table. Dates written with numbers
(``12.12.2019``, ``2019-12-12``), German ordinals (``1. Januar``, ``18. Lebensjahr``) and
provision numbers with a dash (``375-2``, ``38-2903``) are atoms of their own, never numbers
with a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from parsers.compare.lexicon import (
    AND,
    DASH,
    DASHED,
    DATE,
    KHMER_WORDS,
    LATIN_WORDS,
    NOUNS_ONLY,
    NUM,
    NW,
    ORDINAL,
    SYMBOLS,
    UNIT,
)
from parsers.khmer import to_ascii_digits

__all__ = [
    "Atom",
    "lex",
    "number_format",
    "parse_number",
    "parse_number_words",
    "words_value",
]


@dataclass(frozen=True)
class Atom:
    """A lexical unit of a quantity: a number, a number word, a unit or a marker."""

    kind: str
    start: int
    end: int
    value: float = 0.0
    unit: str = ""
    role: str = ""  # number words: digit, ten, hundred, scale


_GROUPED = r"\d{1,3}(?P<sep>[.,\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*(?P<dec>[.,]\d+)?(?!\d)"
_LATIN = "A-Za-zÀ-ÖØ-öø-ÿ"
_DATE = (
    r"(?<![\d.,])(?:\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{1,2}/\d{1,2}/\d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})(?![\d.,/-]\d)"
)
_LEX_RE = re.compile(
    rf"(?P<date>{_DATE})"
    rf"|(?P<num>(?<![\d.,])(?:{_GROUPED}|\d+(?:[.,]\d+)?)(?:st|nd|rd|th)?(?![{_LATIN}]))"
    r"|(?P<km>(?<!\u17d2)(?:"
    + "|".join(re.escape(w) for w in sorted(KHMER_WORDS, key=len, reverse=True))
    + r")(?![\u17b6-\u17d3\u17dd]))"
    r"|(?P<sym>US\$|v\.\s?H\.|§§|[%$៛€§()\[\]])"
    rf"|(?P<en>[{_LATIN}]+)"
)
_ORDINAL_SUFFIX_RE = re.compile(r"(?:st|nd|rd|th)$")


def parse_number(text: str, decimal: str = "") -> float:
    """The value of a number written in digits (ASCII or Khmer) with separators.

    ``\\d{1,3}([., ]\\d{3})+`` is grouping (``៤០០.០០០`` -> 400000, ``1,200,000`` ->
    1200000, ``១ ២០០ ០០០`` -> 1200000); otherwise one ``.`` or ``,`` is a decimal point
    (``១០,៧៥`` -> 10.75, ``1.234,56`` -> 1234.56). ``decimal`` is the text's decimal mark
    (:func:`number_format`): with ``","`` a single ``1,234`` is 1.234, with ``"."`` a single
    ``1.234`` is 1.234. A first group ``0`` is never grouping (``0,987``). Raises ValueError
    if ``text`` is not such a number.
    """
    s = _ORDINAL_SUFFIX_RE.sub("", to_ascii_digits(text.strip()))
    m = re.fullmatch(_GROUPED, s)
    if m:
        sep, dec = m.group("sep"), m.group("dec") or ""
        body = s[: len(s) - len(dec)]
        single = body.count(sep) == 1 and not dec
        if not (body.startswith("0" + sep) or (single and sep == decimal)):
            body = body.replace(sep, "")
            return float(body + ("." + dec[1:] if dec else ""))
    if not re.fullmatch(r"\d+(?:[.,]\d+)?", s):
        raise ValueError(f"expected a number in digits, got {text!r}")
    return float(s.replace(",", "."))


# What a text's numbers say of its decimal mark: both marks in one number (1.234,56 or
# 1,234.56), a grouping repeated (1.200.000 or 1,200,000), one mark before one or two
# digits (7,00 EUR or 2.5%). Dates (12.12.2019) are no evidence.
_COMMA_DECIMAL_RE = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3})+,\d|\d{1,3}(?:\.\d{3}){2,}(?![\d.,])"
    r"|\d+,\d{1,2}(?![\d.,]))"
)
_POINT_DECIMAL_RE = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+\.\d|\d{1,3}(?:,\d{3}){2,}(?![\d.,])"
    r"|\d+\.\d{1,2}(?![\d.,]))"
)


#: A run of digits (any script's) and marks not preceded by one: the patterns above match
#: only at such a start, and never beyond the run.
_NUMBER_RUN_RE = re.compile(r"(?<![\d.,])\d[\d.,]*")


def number_format(text: str) -> str:
    """The decimal mark ``text`` writes: ``","`` (``7,00 EUR``, ``1.234,56``, ``១០,៧៥``),
    ``"."`` (``2.5%``, ``1,234.5``) or ``""`` when its numbers do not tell (then a lone
    ``1,234`` or ``1.234`` is a grouped integer). The mark seen more often wins."""
    comma = point = 0
    for run in _NUMBER_RUN_RE.findall(text):  # each match of the patterns is one run's start
        digits = to_ascii_digits(run)
        comma += _COMMA_DECIMAL_RE.match(digits) is not None
        point += _POINT_DECIMAL_RE.match(digits) is not None
    if comma > point:
        return ","
    if point > comma:
        return "."
    return ""


def words_value(items: list[tuple[float, str]]) -> float:
    """Combine number words (value, role) left to right: ``ពីរ ពាន់ ម្ភៃ មួយ`` -> 2021,
    ``one million two hundred thousand`` -> 1200000, ``ពាន់ លាន`` -> 1e9, ``vingt et un``
    -> 21, ``quatre-vingt-dix`` -> 90 (a digit before twenty multiplies it)."""
    total = current = 0.0
    for value, role in items:
        if value == 20 and 1 < current < 10:
            current *= 20  # French quatre-vingt(s): 80, quatre-vingt-dix: 90
        elif role == "hundred":
            current = (current or 1.0) * value
        elif role == "scale":
            if current == 0 and 0 < total < value:
                total *= value
            else:
                total += (current or 1.0) * value
                current = 0.0
        else:
            current += value
    return total + current


def parse_number_words(text: str) -> float | None:
    """The value of a number written in English or Khmer words, or None."""
    atoms = [a for a in lex(text) if a.kind != AND]
    if not atoms or any(a.kind != NW for a in atoms):
        return None
    return words_value([(a.value, a.role) for a in atoms])


_ORDINAL_DOT_RE = re.compile(rf"\.[ \t]+(?=[{_LATIN}])")


def _dashed(atoms: list[Atom], text: str) -> None:
    """Mark numbers joined by a dash (``375-2``, ``38-2903``, ``5-10``): the first
    ``dashed``, the others ``dash``."""
    k = 0
    while k < len(atoms):
        j = k
        while (
            j + 1 < len(atoms)
            and atoms[j].kind == NUM
            and atoms[j + 1].kind == NUM
            and text[atoms[j].end : atoms[j + 1].start] in ("-", "–")
        ):
            j += 1
        if j > k:
            atoms[k] = replace(atoms[k], role=DASHED)
            for m in range(k + 1, j + 1):
                atoms[m] = replace(atoms[m], role=DASH)
        k = j + 1


def lex(text: str, decimal: str | None = None) -> list[Atom]:
    """The atoms of ``text``; ``decimal`` is its decimal mark, by default read from the
    text itself (:func:`number_format`)."""
    if decimal is None:
        decimal = number_format(text)
    atoms: list[Atom] = []
    for m in _LEX_RE.finditer(text):
        group = m.lastgroup
        s, e = m.span()
        if group == "date":
            atoms.append(Atom(DATE, s, e))
            continue
        if group == "num":
            number = m.group()
            role = ""
            if _ORDINAL_SUFFIX_RE.search(number) or (
                number.isdigit() and _ORDINAL_DOT_RE.match(text, e)
            ):
                role = ORDINAL  # German ordinals and dates: "1. Januar", "18. Lebensjahr"
            atoms.append(Atom(NUM, s, e, parse_number(number, decimal), role=role))
            continue
        word = m.group()
        if group == "sym" and word.startswith("v"):
            atoms.append(Atom(UNIT, s, e, 0.0, "%"))  # "v. H.": vom Hundert
            continue
        entry = KHMER_WORDS.get(word) if group == "km" else SYMBOLS.get(word)
        if group == "en":
            folded = word.casefold()
            entry = None if folded in NOUNS_ONLY and word[0].islower() else LATIN_WORDS.get(folded)
            if (
                entry is not None
                and word.casefold() == "bn"
                and not (atoms and atoms[-1].kind == NUM)
            ):
                entry = None
        if entry is not None:
            kind, value, unit, role = entry
            atoms.append(Atom(kind, s, e, value, unit, role))
    _dashed(atoms, text)
    return atoms
