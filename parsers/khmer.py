"""Khmer text normalisation: one canonical spelling before anything compares or matches.

NFC does nothing for Khmer. Two spellings that look the same on the page (coeng-Ro typed
first or second, coeng-DA or coeng-TA, a split vowel, a zero-width space) must compare
equal, so every text goes through :func:`normalize`. Canonical cluster order comes from
SIL's ``khnormal`` (package ``khmerspell``); the steps around it cover what it leaves.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from khmerspell.khnormal import khnormal

KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
_TO_ASCII_DIGITS = str.maketrans(KHMER_DIGITS, "0123456789")
_TO_KHMER_DIGITS = str.maketrans("0123456789", KHMER_DIGITS)
KHMER_MONTHS = (
    "មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា",
    "វិច្ឆិកា", "ធ្នូ",
)  # fmt: skip
"""The months of the solar calendar, January first, as instruments and dates print them."""

# Deprecated or discouraged characters and their recommended spellings.
_DEPRECATED = {
    "\u17a3": "\u17a2",  # ឣ -> អ
    "\u17a4": "\u17a2\u17b6",  # ឤ -> អា
    "\u17a8": "\u17a7\u1780",  # ឨ -> ឧក
    "\u17d3": "\u17c6",  # bathamasat -> nikahit
    "\u17d8": "\u17d4\u179b\u17d4",  # ៘ -> ។ល។
}
_DEPRECATED_RE = re.compile("[" + "".join(_DEPRECATED) + "]")
# Invisible characters: zero-width space/joiners, word joiner, BOM, soft hyphen, inherent vowels.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u17b4\u17b5]")
# Whitespace that an extractor put before a dependent mark (vowel, sign, coeng).
_SPACE_BEFORE_MARK_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*(?=[\u17b6-\u17d3\u17dd])")
_DOUBLED_VOWEL_RE = re.compile(r"([\u17b6-\u17c5])\1+")
_HSPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_KHMER_RE = re.compile("[\u1780-\u17ff]")
_SPACE_BETWEEN_KHMER_RE = re.compile(r"(?<=[\u1780-\u17ff]) +(?=[\u1780-\u17ff])")


# One orthographic syllable as khnormal sees it: a base character and every mark after it
# (vowels, signs, coengs, and a base after a coeng). khnormal reorders within a syllable
# only, so normalising syllable by syllable, with a cache, gives the same text far faster
# (a document repeats a few thousand distinct syllables).
_SYLLABLE_RE = re.compile(
    "(?<!\u17d2)[\u1780-\u17a2\u17a5-\u17b3]"
    "(?:\u17d2[\u1780-\u17a2\u17a5-\u17b3]?|[\u17b6-\u17d1\u17d3\u17dd])*"
)


@lru_cache(maxsize=65536)
def _khnormal_syllable(syllable: str) -> str:
    return str(khnormal(syllable))


def _canonical_syllable(match: re.Match[str]) -> str:
    return _khnormal_syllable(match.group(0))


def is_khmer(char: str) -> bool:
    """True for a character of the Khmer block or Khmer symbols."""
    return "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff"


def khmer_share(text: str) -> float:
    """Share of Khmer characters among the letters and digits of ``text`` (0..1)."""
    letters = [c for c in text if c.isalnum() or is_khmer(c)]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_khmer(c)) / len(letters)


def normalize(text: str, *, zwsp_as_space: bool = False) -> str:
    """Return ``text`` in canonical form: the text every later stage compares and matches.

    Lines are kept; horizontal whitespace runs become one space; trailing spaces go.
    """
    text = unicodedata.normalize("NFC", text)
    text = _DEPRECATED_RE.sub(lambda m: _DEPRECATED[m.group(0)], text)
    if zwsp_as_space:
        text = text.replace("\u200b", " ")
    text = _INVISIBLE_RE.sub("", text)
    if _KHMER_RE.search(text):
        text = _SPACE_BEFORE_MARK_RE.sub("", text)
        text = _SYLLABLE_RE.sub(_canonical_syllable, text)
        text = _DOUBLED_VOWEL_RE.sub(r"\1", text)
    lines = (_HSPACE_RE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(lines).strip()


def match_key(text: str) -> str:
    """A key for matching only (never shown): normalised, lowercase, ASCII digits, and no
    spaces between two Khmer characters (Khmer spaces are optional phrase breaks)."""
    key = normalize(text).translate(_TO_ASCII_DIGITS).lower()
    key = re.sub(r"\s+", " ", key)
    return _SPACE_BETWEEN_KHMER_RE.sub("", key)


def to_ascii_digits(text: str) -> str:
    """Replace Khmer digits ០-៩ with 0-9."""
    return text.translate(_TO_ASCII_DIGITS)


def to_khmer_digits(text: str) -> str:
    """Replace 0-9 with Khmer digits ០-៩."""
    return text.translate(_TO_KHMER_DIGITS)


def khmer_date(day: date) -> str:
    """``2025-06-15`` -> ``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥``, as instruments write a date."""
    return (
        f"ថ្ងៃទី{to_khmer_digits(str(day.day))} ខែ{KHMER_MONTHS[day.month - 1]} "
        f"ឆ្នាំ{to_khmer_digits(str(day.year))}"
    )


# -- visual order ----------------------------------------------------------------------------
# Some producers store Khmer in the order the glyphs are drawn, not the order they are read:
# a vowel drawn left of its consonant (េ ែ ៃ, and the left half of ោ ៅ ើ ៀ ឿ) and the
# coeng-RO drawn left of it come before the consonant. Normalising such text as it is makes
# it worse (the vowel is taken for the previous syllable's), so it is put back first.
_PRE_BASE = "\u17c1\u17c2\u17c3"
_COENG_RO = "\u17d2\u179a"
# What a pre-base vowel or a coeng-RO follows in reading order: the end of a consonant
# cluster (a base, a subscript consonant, a register shifter, robat).
_CLUSTER_END = frozenset(chr(c) for c in range(0x1780, 0x17B4)) | {"\u17c9", "\u17ca", "\u17cc"}
_VISUAL_CLUSTER_RE = re.compile(
    f"(?P<pre>[{_PRE_BASE}])?(?P<ro>{_COENG_RO})?(?P<base>[\u1780-\u17b3])"
    "(?P<rest>(?:\u17d2(?!\u179a)[\u1780-\u17a2])*[\u17c9\u17ca]?)"
)
# The left half of a split vowel before the whole of it (ើ ឿ ៀ ោ ៅ).
_LEFT_HALF_RE = re.compile("\u17c1(?=[\u17be\u17bf\u17c0\u17c4\u17c5])")
#: Pre-base marks that follow no consonant cluster, and their share, that make a text
#: visual-order: in reading order such a mark is an error, in drawing order the rule.
VISUAL_MIN_MARKS = 3
VISUAL_MIN_SHARE = 0.3


def visual_order_share(text: str) -> tuple[int, int]:
    """(pre-base marks that follow no consonant cluster, all pre-base marks) in ``text``:
    vowels drawn left of the consonant (េ ែ ៃ) and coeng-RO."""
    stray = total = 0
    for i, char in enumerate(text):
        if char in _PRE_BASE or (char == "\u17d2" and text[i + 1 : i + 2] == "\u179a"):
            total += 1
            previous = text[i - 1] if i else ""
            if previous not in _CLUSTER_END and not (char == "\u17d2" and previous in _PRE_BASE):
                stray += 1
    return stray, total


def is_visual_order(text: str) -> bool:
    """True when ``text`` holds Khmer in drawing order (see :func:`visual_order_share`)."""
    stray, total = visual_order_share(text)
    return stray >= VISUAL_MIN_MARKS and stray >= VISUAL_MIN_SHARE * total


def to_logical_order(text: str) -> str:
    """Khmer in drawing order put in reading order: a pre-base vowel and a coeng-RO stored
    before a consonant go after its cluster (subscripts and register shifter); the halves
    of a split vowel are joined (``េ`` + ``ា`` by :func:`normalize` afterwards; a left half
    stored beside a whole split vowel is dropped)."""

    def reorder(match: re.Match[str]) -> str:
        pre, ro = match.group("pre") or "", match.group("ro") or ""
        if not pre and not ro:
            return match.group(0)
        return match.group("base") + match.group("rest") + ro + pre

    return _LEFT_HALF_RE.sub("", _VISUAL_CLUSTER_RE.sub(reorder, text))
