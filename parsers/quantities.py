"""Numbers with units in English and Khmer text, and their pairing across versions.

A quantity is a number (digits or words) followed or preceded by a unit: ``4%``, ``៤ ភាគរយ``,
``KHR 1.2 million``, ``៤០០.០០០ (បួនសែន) រៀល``, ``90 days``, ``១២ ខែ``, ``age 60``,
``every two years``. Values are floats in base units (riel, dollar, day, ...).

Khmer text groups thousands with ``.`` (or spaces) and writes decimals with ``,``: the rule is
that ``\\d{1,3}([., ]\\d{3})+`` is a grouped integer, otherwise one ``[.,]`` is a decimal point.
An amount repeated in words in brackets counts once; when digits and words disagree the digits
win and :func:`find_mismatches` reports the pair (a useful OCR or typing alarm).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

from parsers.change import NumberChange, Quantity
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

_KM_MONTHS = (
    "មករា កុម្ភៈ មីនា មេសា ឧសភា មិថុនា កក្កដា សីហា កញ្ញា តុលា វិច្ឆិកា ធ្នូ "
    "មិគសិរ បុស្ស មាឃ ផល្គុន ចេត្រ ពិសាខ ជេស្ឋ អាសាឍ ស្រាពណ៍ ភទ្របទ អស្សុជ កត្តិក"
)
# "ខែ" followed by a month's name is a date, not a duration.
_KM_MONTHS_RE = re.compile(r"\s*(?:" + "|".join(normalize(m) for m in _KM_MONTHS.split()) + ")")


# Atom kinds.
NUM, NW, UNIT, CUR, LP, RP = "num", "nw", "unit", "cur", "lp", "rp"
AGE, EVERY, YEARLY, ONCE, ORD = "age", "every", "yearly", "once", "ord"
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
class _Atom:
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
    r"|(?P<sym>US\$|[%$៛()\[\]])"
    r"|(?P<en>[A-Za-z]+)"
)
_ENGLISH_DECIMAL_RE = re.compile(r"\d{1,3}\.\d{3}")
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
    atoms = [a for a in _lex(text) if a.kind != AND]
    if not atoms or any(a.kind != NW for a in atoms):
        return None
    return words_value([(a.value, a.role) for a in atoms])


def _lex(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for m in _LEX_RE.finditer(text):
        group = m.lastgroup
        s, e = m.span()
        if group == "num":
            atoms.append(_Atom(NUM, s, e, parse_number(m.group())))
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
            atoms.append(_Atom(kind, s, e, value, unit, role))
    return atoms


@dataclass(frozen=True)
class NumberMismatch:
    """An amount whose digits and words (in brackets) disagree: ``៤% (ប្រាំភាគរយ)``."""

    digits: float
    words: float
    unit: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Phrase:
    value: float
    start: int  # atom index
    end: int  # atom index, exclusive
    digits: bool


@dataclass(frozen=True)
class _Bracket:
    phrase: _Phrase
    unit: str
    end: int  # atom index after the closing bracket


class _Parser:
    """Patterns over the atoms of one text; one instance per scan."""

    def __init__(self, text: str, atoms: list[_Atom]) -> None:
        self.text = text
        self.atoms = atoms
        self.n = len(atoms)

    def kind(self, k: int) -> str:
        return self.atoms[k].kind if 0 <= k < self.n else ""

    def adjacent(self, k: int, *, hyphen: bool = False) -> bool:
        """Atoms ``k`` and ``k + 1`` are separated by whitespace only."""
        if k + 1 >= self.n:
            return False
        gap = self.text[self.atoms[k].end : self.atoms[k + 1].start]
        return not gap.strip(" \t\n\u00a0-" if hyphen else " \t\n\u00a0")

    def follows(self, k: int, kind: str) -> bool:
        return self.kind(k) == kind and self.adjacent(k - 1)

    def phrase(self, i: int) -> _Phrase | None:
        a = self.atoms[i]
        if a.kind == NUM:
            value, k = a.value, i + 1
            if self.follows(k, NW) and self.atoms[k].role == "scale":
                digits = to_ascii_digits(self.text[a.start : a.end])
                if (
                    _ENGLISH_DECIMAL_RE.fullmatch(digits)
                    and self.text[self.atoms[k].start].isascii()
                ):
                    value = float(digits)  # "34.497 trillion": an English decimal point
            while self.follows(k, NW) and self.atoms[k].role in ("hundred", "scale"):
                value *= self.atoms[k].value
                k += 1
            return _Phrase(value, i, k, True)
        if a.kind != NW or a.role in ("hundred", "scale"):
            return None
        items = [(a.value, a.role)]
        k = i + 1
        while k < self.n and self.adjacent(k - 1, hyphen=True):
            b = self.atoms[k]
            if b.kind == AND and self.kind(k + 1) == NW and self.adjacent(k):
                k += 1
                continue
            if b.kind != NW:
                break
            items.append((b.value, b.role))
            k += 1
        return _Phrase(words_value(items), i, k, False)

    def unit(self, k: int) -> tuple[str, int] | None:
        kind = self.kind(k)
        if kind in (UNIT, CUR):
            unit, k = self.atoms[k].unit, k + 1
        elif kind == PER and self.follows(k + 1, CENT):
            unit, k = "%", k + 2
        elif kind == PERCENTAGE and self.follows(k + 1, POINT):
            unit, k = "percentage point", k + 2
        elif kind == QUAL:
            while self.follows(k + 1, QUAL):
                k += 1
            if not (self.follows(k + 1, UNIT) and self.atoms[k + 1].unit in TIME_UNITS):
                return None
            unit, k = self.atoms[k + 1].unit, k + 2
        else:
            return None
        if unit == "year" and self.follows(k, OF) and self.follows(k + 1, AGE):
            unit, k = "age", k + 2
        elif unit == "year" and self.follows(k, OLD):
            unit, k = "age", k + 1
        return unit, k

    def bracket(self, k: int) -> _Bracket | None:
        if not self.follows(k, LP):
            return None
        j, unit = k + 1, ""
        if self.follows(j, CUR):
            unit, j = self.atoms[j].unit, j + 1
        if j >= self.n or not self.adjacent(j - 1):
            return None
        phrase = self.phrase(j)
        if phrase is None:
            return None
        j = phrase.end
        if not unit and self.adjacent(j - 1):
            found = self.unit(j)
            if found:
                unit, j = found
        if not self.follows(j, RP):
            return None
        return _Bracket(phrase, unit, j + 1)


@dataclass
class _Scan:
    quantities: list[Quantity]
    mismatches: list[NumberMismatch]


def _scan(text: str, *, label: str, unit_hint: str, scale: float) -> _Scan:
    p = _Parser(text, _lex(text))
    scan = _Scan([], [])
    consumed_units: set[int] = set()

    def emit(
        value: float,
        unit: str,
        first: int,
        end: int,
        bracket: _Bracket | None,
        main: _Phrase | None,
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
        scan.quantities.append(Quantity(value, unit, text[s:e], s, e, label))
        consumed_units.update(range(first, end))

    def after_once(k: int) -> int:
        return k + 1 if p.follows(k, ONCE) else k

    i = 0
    while i < p.n:
        a = p.atoms[i]
        if a.kind == YEARLY:
            emit(1.0, "year", i, i + 1, None, None)
            i += 1
            continue
        if a.kind == EVERY and p.adjacent(i):
            phrase = p.phrase(i + 1)
            if phrase is not None:
                found = p.unit(phrase.end) if p.adjacent(phrase.end - 1) else None
                if found and found[0] in TIME_UNITS:
                    end = after_once(found[1])
                    emit(phrase.value, found[0], i, end, None, None)
                    i = end
                    continue
            elif p.follows(i + 1, UNIT) and p.atoms[i + 1].unit in TIME_UNITS:
                end = after_once(i + 2)
                emit(1.0, p.atoms[i + 1].unit, i, end, None, None)
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
        phrase = p.phrase(i)
        if phrase is None:
            i += 1
            continue
        prev = i - 1
        before = p.atoms[prev] if prev >= 0 and p.adjacent(prev) else None
        if before is not None and before.kind == ORD:
            i = phrase.end  # an ordinal or a date: ថ្ងៃទី១៥, លើកទី២
            continue
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
            if unit_hint:
                emit(phrase.value * scale, unit_hint, i, phrase.end, None, None)
            i = phrase.end
            continue
        unit, k = found
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


def find_quantities(
    text: str, *, label: str = "", unit_hint: str = "", scale: float = 1.0
) -> list[Quantity]:
    """Quantities in ``text`` in reading order, values in base units.

    ``label`` is copied to every quantity (a table row's label). ``unit_hint`` and ``scale``
    come from a table header such as ``KHR billion`` (see :func:`column_hint`): a bare number
    then becomes ``value * scale`` in ``unit_hint``.
    """
    return _scan(text, label=label, unit_hint=unit_hint, scale=scale).quantities


def find_mismatches(text: str) -> list[NumberMismatch]:
    """Amounts whose digits disagree with their words in brackets."""
    return _scan(text, label="", unit_hint="", scale=1.0).mismatches


def column_hint(header: str) -> tuple[str, float]:
    """The unit and scale a table header gives its cells: ``KHR billion`` -> ``("KHR", 1e9)``,
    ``ពាន់លានរៀល`` -> ``("KHR", 1e9)``, ``Rate (%)`` -> ``("%", 1.0)``; ``("", 1.0)`` if none."""
    unit, scale = "", 1.0
    atoms = _lex(header)
    for k, a in enumerate(atoms):
        if a.kind in (UNIT, CUR) and not unit:
            unit = a.unit
        elif a.kind == PER and k + 1 < len(atoms) and atoms[k + 1].kind == CENT and not unit:
            unit = "%"
        elif a.kind == NW and a.role in ("scale", "hundred"):
            scale *= a.value
    return unit, scale


# --- pairing ---------------------------------------------------------------------------------

_CONTEXT_CHARS = 32
_MAX_DP_CELLS = 40_000


def _context(q: Quantity, source: str) -> frozenset[str]:
    if not source:
        return frozenset()
    around = (
        source[max(0, q.start - _CONTEXT_CHARS) : q.start]
        + "|"
        + source[q.end : q.end + _CONTEXT_CHARS]
    )
    around = re.sub(r"\d", "", to_ascii_digits(around).casefold())
    return frozenset(around[k : k + 3] for k in range(len(around) - 2))


def _score(a: Quantity, b: Quantity, ca: frozenset[str], cb: frozenset[str]) -> float:
    score = 1.0
    if ca and cb:
        score += 2.0 * len(ca & cb) / len(ca | cb)
    if math.isclose(a.value, b.value, rel_tol=1e-9):
        score += 0.5
    if a.label and b.label:
        score += 3.0 if a.label == b.label else -0.9
    return score


def _align(
    olds: list[Quantity], news: list[Quantity], old_text: str, new_text: str
) -> list[tuple[Quantity | None, Quantity | None]]:
    """Order-preserving alignment maximising context similarity (a small Needleman-Wunsch)."""
    n, m = len(olds), len(news)
    if n * m > _MAX_DP_CELLS:
        pairs: list[tuple[Quantity | None, Quantity | None]] = list(zip(olds, news, strict=False))
        pairs += [(q, None) for q in olds[m:]] + [(None, q) for q in news[n:]]
        return pairs
    ca = [_context(q, old_text) for q in olds]
    cb = [_context(q, new_text) for q in news]
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, up = dp[i], dp[i - 1]
        for j in range(1, m + 1):
            row[j] = max(
                up[j],
                row[j - 1],
                up[j - 1] + _score(olds[i - 1], news[j - 1], ca[i - 1], cb[j - 1]),
            )
    out: list[tuple[Quantity | None, Quantity | None]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if (
            i > 0
            and j > 0
            and math.isclose(
                dp[i][j], dp[i - 1][j - 1] + _score(olds[i - 1], news[j - 1], ca[i - 1], cb[j - 1])
            )
        ):
            out.append((olds[i - 1], news[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and (j == 0 or dp[i][j] == dp[i - 1][j]):
            out.append((olds[i - 1], None))
            i -= 1
        else:
            out.append((None, news[j - 1]))
            j -= 1
    out.reverse()
    return out


def pair_numbers(
    old: list[Quantity], new: list[Quantity], *, old_text: str = "", new_text: str = ""
) -> tuple[NumberChange, ...]:
    """Pair old and new quantities of the same unit in order, using the words around each (from
    ``old_text``/``new_text``, the texts they were found in) to break ties.

    Returns the pairs whose value differs, plus unpaired quantities with ``old`` or ``new`` None.
    """
    units = list(dict.fromkeys([q.unit for q in old] + [q.unit for q in new]))
    found: list[tuple[int, NumberChange]] = []
    for unit in units:
        olds = [q for q in old if q.unit == unit]
        news = [q for q in new if q.unit == unit]
        for a, b in _align(olds, news, old_text, new_text):
            if a is not None and b is not None:
                if math.isclose(a.value, b.value, rel_tol=1e-9):
                    continue
                change = NumberChange(a.value, b.value, unit, a.text, b.text, b.label or a.label)
                found.append((b.start, change))
            elif a is not None:
                found.append((a.start, NumberChange(a.value, None, unit, a.text, "", a.label)))
            elif b is not None:
                found.append((b.start, NumberChange(None, b.value, unit, "", b.text, b.label)))
    found.sort(key=lambda item: item[0])
    return tuple(change for _, change in found)
