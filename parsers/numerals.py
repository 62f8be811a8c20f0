"""Numbers in digits and in words, English and Khmer, and the lexer that finds them.

:func:`lex` cuts a text into atoms: numbers in digits (ASCII or Khmer, with Khmer grouping
and decimal rules, see :func:`parse_number`), number words (``twenty``, ``ម្ភៃ``, scale words
such as ``million`` or ``លាន``), units (``%``, ``រៀល``, ``days``) and the markers the quantity
patterns of :mod:`parsers.quantities` look for (``age``, ``every``, brackets, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.khmer import normalize, to_ascii_digits

__all__ = [
    "TIME_UNITS",
    "Atom",
    "lex",
    "parse_number",
    "parse_number_words",
    "words_value",
]

# Atom kinds.
NUM, NW, UNIT, CUR, LP, RP = "num", "nw", "unit", "cur", "lp", "rp"
AGE, EVERY, YEARLY, ONCE, ORD = "age", "every", "yearly", "once", "ord"
REF = "ref"  # a word that names a provision: the number after it is a reference
PER, CENT, PERCENTAGE, POINT, OF, OLD, AND, QUAL = (
    "per",
    "cent",
    "percentage",
    "point",
    "of",
    "old",
    "and",
    "qual",
)
TIME_UNITS = frozenset({"day", "week", "month", "year", "hour"})


@dataclass(frozen=True)
class Atom:
    """A lexical unit of a quantity: a number, a number word, a unit or a marker."""

    kind: str
    start: int
    end: int
    value: float = 0.0
    unit: str = ""
    role: str = ""  # number words: digit, ten, hundred, scale


def _number_words(pairs: str, role: str) -> dict[str, tuple[str, float, str, str]]:
    out = {}
    for item in pairs.split():
        word, value = item.split("=")
        out[word] = (NW, float(value), "", role)
    return out


_REF_WORDS = (
    "article articles art arts section sections sec subsection subsections chapter chapters "
    "paragraph paragraphs para subparagraph clause clauses item items annex annexes schedule "
    "title part parts no"
)
_EN: dict[str, tuple[str, float, str, str]] = {
    **_number_words(
        "zero=0 one=1 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10 eleven=11 "
        "twelve=12 thirteen=13 fourteen=14 fifteen=15 sixteen=16 seventeen=17 eighteen=18 "
        "nineteen=19 twenty=20 thirty=30 forty=40 fifty=50 sixty=60 seventy=70 eighty=80 ninety=90 "
        "first=1 second=2 third=3 fourth=4 fifth=5 sixth=6 seventh=7 eighth=8 ninth=9 tenth=10 "
        "eleventh=11 twelfth=12 thirteenth=13 fourteenth=14 fifteenth=15 sixteenth=16 "
        "seventeenth=17 eighteenth=18 nineteenth=19 twentieth=20 thirtieth=30 fortieth=40 "
        "fiftieth=50 sixtieth=60 seventieth=70 eightieth=80 ninetieth=90",
        "digit",
    ),
    **_number_words("hundred=100 hundredth=100", "hundred"),
    **_number_words(
        "thousand=1e3 thousandth=1e3 million=1e6 millions=1e6 billion=1e9 billions=1e9 bn=1e9 "
        "trillion=1e12",
        "scale",
    ),
    "percent": (UNIT, 0.0, "%", ""),
    "pct": (UNIT, 0.0, "%", ""),
    "riel": (UNIT, 0.0, "KHR", ""),
    "riels": (UNIT, 0.0, "KHR", ""),
    "khr": (CUR, 0.0, "KHR", ""),
    "usd": (CUR, 0.0, "USD", ""),
    "dollar": (UNIT, 0.0, "USD", ""),
    "dollars": (UNIT, 0.0, "USD", ""),
    "per": (PER, 0.0, "", ""),
    "cent": (CENT, 0.0, "", ""),
    "percentage": (PERCENTAGE, 0.0, "", ""),
    "point": (POINT, 0.0, "", ""),
    "points": (POINT, 0.0, "", ""),
    "age": (AGE, 0.0, "", ""),
    "aged": (AGE, 0.0, "", ""),
    "every": (EVERY, 0.0, "", ""),
    "each": (EVERY, 0.0, "", ""),
    "annually": (YEARLY, 0.0, "", ""),
    "yearly": (YEARLY, 0.0, "", ""),
    "of": (OF, 0.0, "", ""),
    "old": (OLD, 0.0, "", ""),
    "and": (AND, 0.0, "", ""),
    **{
        w: (QUAL, 0.0, "", "")
        for w in ("calendar", "working", "consecutive", "full", "business", "more")
    },
    **{f"{u}{s}": (UNIT, 0.0, u, "") for u in TIME_UNITS for s in ("", "s")},
    **dict.fromkeys(_REF_WORDS.split(), (REF, 0.0, "", "")),
}

_KM_SOURCE: dict[str, tuple[str, float, str, str]] = {
    **_number_words(
        "សូន្យ=0 មួយ=1 ពីរ=2 បី=3 បួន=4 ប្រាំ=5 ដប់=10 ម្ភៃ=20 សាមសិប=30 សែសិប=40 ហាសិប=50 "
        "ហុកសិប=60 ចិតសិប=70 ប៉ែតសិប=80 កៅសិប=90",
        "digit",
    ),
    **_number_words("រយ=100", "hundred"),
    **_number_words("ពាន់=1e3 ម៉ឺន=1e4 សែន=1e5 លាន=1e6 កោដិ=1e7 ប៊ីលាន=1e9 ទ្រីលាន=1e12", "scale"),
    "ភាគរយ": (UNIT, 0.0, "%", ""),
    "រៀល": (UNIT, 0.0, "KHR", ""),
    "ដុល្លារអាមេរិក": (UNIT, 0.0, "USD", ""),
    "ដុល្លារ": (UNIT, 0.0, "USD", ""),
    "ថ្ងៃ": (UNIT, 0.0, "day", ""),
    "សប្តាហ៍": (UNIT, 0.0, "week", ""),
    "ខែ": (UNIT, 0.0, "month", ""),
    "ឆ្នាំ": (UNIT, 0.0, "year", ""),
    "ម៉ោង": (UNIT, 0.0, "hour", ""),
    "អាយុ": (AGE, 0.0, "", ""),
    "រៀងរាល់": (EVERY, 0.0, "", ""),
    "ម្តង": (ONCE, 0.0, "", ""),
    "ទី": (ORD, 0.0, "", ""),
    **dict.fromkeys(
        ("មាត្រា", "ជំពូក", "ផ្នែក", "កថាខណ្ឌ", "ចំណុច", "ប្រការ", "លេខ", "ឧបសម្ព័ន្ធ", "គន្ថី"),
        (REF, 0.0, "", ""),
    ),
}
# Both the canonical spelling and the common coeng-DA spelling of every Khmer entry.
_KM = {
    variant: entry
    for word, entry in _KM_SOURCE.items()
    for variant in {normalize(word), word, word.replace("\u17d2\u178f", "\u17d2\u178a")}
}
_SYMBOLS = {
    "%": (UNIT, 0.0, "%", ""),
    "$": (CUR, 0.0, "USD", ""),
    "US$": (CUR, 0.0, "USD", ""),
    "៛": (CUR, 0.0, "KHR", ""),
    "§": (REF, 0.0, "", ""),
    "(": (LP, 0.0, "", ""),
    "[": (LP, 0.0, "", ""),
    ")": (RP, 0.0, "", ""),
    "]": (RP, 0.0, "", ""),
}

_GROUPED = r"\d{1,3}(?P<sep>[.,\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*(?P<dec>[.,]\d+)?(?!\d)"
_LEX_RE = re.compile(
    rf"(?P<num>(?<![\d.,])(?:{_GROUPED}|\d+(?:[.,]\d+)?)(?:st|nd|rd|th)?(?![A-Za-z]))"
    r"|(?P<km>(?<!\u17d2)(?:"
    + "|".join(re.escape(w) for w in sorted(_KM, key=len, reverse=True))
    + r")(?![\u17b6-\u17d3\u17dd]))"
    r"|(?P<sym>US\$|[%$៛§()\[\]])"
    r"|(?P<en>[A-Za-z]+)"
)
_ORDINAL_SUFFIX_RE = re.compile(r"(?:st|nd|rd|th)$")


def parse_number(text: str) -> float:
    """The value of a number written in digits (ASCII or Khmer) with separators.

    ``\\d{1,3}([., ]\\d{3})+`` is grouping (``៤០០.០០០`` -> 400000, ``1,200,000`` ->
    1200000, ``១ ២០០ ០០០`` -> 1200000); otherwise one ``.`` or ``,`` is a decimal point
    (``១០,៧៥`` -> 10.75). Raises ValueError if ``text`` is not such a number.
    """
    s = _ORDINAL_SUFFIX_RE.sub("", to_ascii_digits(text.strip()))
    m = re.fullmatch(_GROUPED, s)
    if m:
        dec = m.group("dec") or ""
        body = s[: len(s) - len(dec)].replace(m.group("sep"), "")
        return float(body + ("." + dec[1:] if dec else ""))
    if not re.fullmatch(r"\d+(?:[.,]\d+)?", s):
        raise ValueError(f"expected a number in digits, got {text!r}")
    return float(s.replace(",", "."))


def words_value(items: list[tuple[float, str]]) -> float:
    """Combine number words (value, role) left to right: ``ពីរ ពាន់ ម្ភៃ មួយ`` -> 2021,
    ``one million two hundred thousand`` -> 1200000, ``ពាន់ លាន`` -> 1e9."""
    total = current = 0.0
    for value, role in items:
        if role == "hundred":
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


def lex(text: str) -> list[Atom]:
    atoms: list[Atom] = []
    for m in _LEX_RE.finditer(text):
        group = m.lastgroup
        s, e = m.span()
        if group == "num":
            atoms.append(Atom(NUM, s, e, parse_number(m.group())))
            continue
        word = m.group()
        entry = _KM.get(word) if group == "km" else _SYMBOLS.get(word)
        if group == "en":
            entry = _EN.get(word.casefold())
            if (
                entry is not None
                and word.casefold() == "bn"
                and not (atoms and atoms[-1].kind == NUM)
            ):
                entry = None
        if entry is not None:
            kind, value, unit, role = entry
            atoms.append(Atom(kind, s, e, value, unit, role))
    return atoms
