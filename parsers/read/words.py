"""Words by ICU's word breaks (with its Khmer dictionary): spaces that are not the author's,
and a whitespace-aware score.

Khmer writes no space between words; a space is a phrase break the author typed. A PDF
laid out with justified lines stretches the gaps between clusters, and extractors turn a
wide gap into a space, so a word comes out cut (``រាជរដ្ឋា ភិបាល``). :func:`join_split_words`
removes such a space where the two sides, joined, continue one dictionary word: ICU puts
no word break at the joint. A space between two whole words is kept (it may be the
author's). :func:`word_f1` scores an extraction word by word, so a space in the wrong place
costs, unlike the whitespace-free character score.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

import icu

from parsers.khmer import normalize

# A Khmer letter or dependent mark: a space between two of them may be inside a word.
# Digits, punctuation (។ ៖) and Latin break words anyway and keep their spaces.
_LETTER = "\u1780-\u17d3\u17dd"
_SPACE_IN_KHMER_RE = re.compile(f"(?<=[{_LETTER}]) (?=[\u1780-\u17b3])")
_LETTER_RE = re.compile(f"[{_LETTER}]")
_BASE_RE = re.compile("[\u1780-\u17b3]")
# Whitespace an extractor put before a dependent mark (a subscript or a vowel sign drawn
# below or before its base falls outside the line's box): never a space in the text.
_SPACE_BEFORE_MARK_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*(?=[\u17b6-\u17d3\u17dd])")
_local = threading.local()


def _cached(kind: str) -> icu.BreakIterator:
    """This thread's Khmer break iterator of ``kind`` ("word" or "line"), made once."""
    breaker = getattr(_local, kind, None)
    if breaker is None:
        make = (
            icu.BreakIterator.createWordInstance
            if kind == "word"
            else icu.BreakIterator.createLineInstance
        )
        breaker = make(icu.Locale("km"))
        setattr(_local, kind, breaker)
    return breaker


def _breaker() -> icu.BreakIterator:
    return _cached("word")


def icu_words(text: str) -> list[str]:
    """The words of ``text``: its space-separated chunks, each cut at ICU's word breaks
    (Khmer by ICU's dictionary); whitespace itself is no word."""
    breaker = _breaker()
    words: list[str] = []
    for chunk in text.split():
        breaker.setText(chunk)
        start = 0
        for end in breaker:
            if end > start:
                words.append(chunk[start:end])
            start = end
    return words


def join_split_words(text: str) -> str:
    """Remove every space between Khmer letters that cuts a dictionary word: ICU, reading
    the two sides joined, finds no word break where the space was. Lines are kept."""
    text = _SPACE_BEFORE_MARK_RE.sub("", text)
    if not _SPACE_IN_KHMER_RE.search(text):
        return text
    return "\n".join(_join_line(line) for line in text.split("\n"))


def _join_line(line: str) -> str:
    parts = line.split(" ")
    if len(parts) == 1:
        return line
    out = [parts[0]]
    for part in parts[1:]:
        left = out[-1]
        khmer_joint = left and part and _LETTER_RE.match(left[-1]) and _BASE_RE.match(part[0])
        if khmer_joint and _cuts_a_word(left, part):
            out[-1] = left + part
            continue
        out.append(part)
    return " ".join(out)


def _cuts_a_word(left: str, right: str) -> bool:
    """True when ICU reads ``left + right`` with no break at the joint, and the word over
    the joint starts where a word of ``left`` read alone starts: the joint word is whole
    pieces (``រាជ|រដ្ឋា`` + ``ភិបាល``), not ICU re-cutting the left side (``លេ|ខនស``)."""
    breaker = _breaker()
    joint = len(left)
    breaker.setText(left + right)
    if breaker.isBoundary(joint):
        return False
    start = breaker.preceding(joint)
    breaker.setText(left)
    return bool(breaker.isBoundary(start))


def _line_breaker() -> icu.BreakIterator:
    return _cached("line")


def line_joint(previous: str, line: str) -> str:
    """What stood between two Khmer lines of one paragraph where the layout wrapped them:
    ``" "`` or ``""``.

    A layout engine wraps a line only at a line-break opportunity. Between two Khmer
    letters that is a dictionary word boundary (no space needed, and engines' dictionaries
    differ), so the lines join without a space. Anywhere else (a Khmer digit beside a
    letter, a number beside a number) the Unicode line-breaking rules give no opportunity
    without whitespace: when ICU finds none at the joint, the author's space was there
    and the wrap took it.
    """
    if not previous or not line:
        return ""
    if _LETTER_RE.match(previous[-1]) and _LETTER_RE.match(line[0]):
        return ""
    breaker = _line_breaker()
    breaker.setText(previous[-32:] + line[:32])
    return "" if breaker.isBoundary(len(previous[-32:])) else " "


def word_f1(got: str, truth: str) -> float:
    """F1 of the multiset of ICU words of the normalised texts (1.0: the same words with
    the same spaces; a space inside a word or a lost space costs words on both sides)."""
    a = Counter(icu_words(normalize(got)))
    b = Counter(icu_words(normalize(truth)))
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision = common / sum(a.values())
    recall = common / sum(b.values())
    return 2 * precision * recall / (precision + recall)
