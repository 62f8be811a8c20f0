"""Khmer that tesseract misread, put right: quote marks read in place of a sign above the
line, and signs dropped or misread under a subscript, put back where the Khmer vocabulary
says so."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsers.khmer import normalize
from parsers.read.quality import khmer_vocabulary
from parsers.read.words import icu_words

#: Khmer signs written above the letter that tesseract's ``khm`` model reads as a quote
#: mark: after a vowel sign it is the nikahit (``ឆ្នា'`` is ``ឆ្នាំ``), after a consonant
#: the bantoc (``បង'`` is ``បង់``). A quote mark glued to a Khmer letter is never Khmer
#: punctuation, so the repair cannot damage a correct reading.
_QUOTE_MARKS = "'‘’`´"
_KHMER_AFTER_VOWEL = "\u17c6"  # ំ
_KHMER_AFTER_CONSONANT = "\u17cb"  # ់


def repair_khmer_marks(text: str) -> str:
    """Quote marks read in place of a Khmer sign above the line, put back as that sign.

    Only a mark that ends a Khmer letter run and does not close a quotation opened in the
    same word (``'សោធន'`` stays as it is)."""
    if not any(q in text for q in _QUOTE_MARKS):
        return text
    out: list[str] = []
    word_start = 0
    for i, char in enumerate(text):
        if char.isspace():
            word_start = len(out) + 1
        previous = out[-1] if out else ""
        following = text[i + 1] if i + 1 < len(text) else ""
        opened = any(c in _QUOTE_MARKS for c in out[word_start:])
        if char in _QUOTE_MARKS and not opened and not _is_khmer_letter(following):
            if "\u17b6" <= previous <= "\u17c5":  # a dependent vowel sign
                out.append(_KHMER_AFTER_VOWEL)
                continue
            if "\u1780" <= previous <= "\u17a2":  # a consonant
                out.append(_KHMER_AFTER_CONSONANT)
                continue
        out.append(char)
    return "".join(out)


def _is_khmer_letter(char: str) -> bool:
    return "\u1780" <= char <= "\u17d3"


# Tesseract's Khmer model drops a vowel sign written below or above a letter, mostly under
# a subscript (ត្រូវ read as ត្រវ, ក្នុង as ក្នង, ឈ្នួល as ឈ្នល, ជំងឺ as ជំង), reads ឺ as ័ and
# the subscript ្ត as ្រ; which occurrences it misses changes with the size and the page.
_KHMER_RUN_RE = re.compile("[\u1780-\u17d3\u17dd]+")
_CONSONANTS = frozenset(chr(c) for c in range(0x1780, 0x17A3))
_DROPPED_SIGNS = "\u17bb\u17bc\u17bd\u17ba\u17b8"  # ុ ូ ួ ឺ ី
_MISREAD = {"\u17d0": "\u17ba", "\u179a": "\u178f"}  # ័ for ឺ; រ for ត, after a coeng
#: A correction must make the run read as this many fewer words (a word not in the
#: vocabulary counting three): one clear gain, never a matter of taste.
WORD_GAIN = 2
#: At most this many corrections in one run of Khmer letters.
MAX_RUN_CORRECTIONS = 8
#: Runs longer than this are left as they are (the search is quadratic in the run).
MAX_RUN_CHARS = 400


def complete_khmer_words(text: str) -> tuple[str, int]:
    """OCR'd Khmer with the signs tesseract dropped or misread put back where the
    vocabulary says so, and how many were.

    A run of Khmer letters is cut into ICU words; a misread word falls apart into short
    pieces or pieces not in the vocabulary (ត្រវ: ត្រ + វ). Each way of adding one dropped
    sign after a letter, or of undoing one known misreading, is tried; the one that makes
    the run read as clearly fewer words (:data:`WORD_GAIN`) is kept when no other does as
    well, and the search goes on from it. Text that reads as words is never changed.
    """
    corrected = 0

    def complete(match: re.Match[str]) -> str:
        nonlocal corrected
        run = normalize(match.group())
        best, done = _complete_run(run)
        corrected += done
        return best if done else match.group()

    return _KHMER_RUN_RE.sub(complete, text), corrected


def _complete_run(run: str) -> tuple[str, int]:
    if len(run) > MAX_RUN_CHARS:
        return run, 0
    cost = _reading_cost(run)
    done = 0
    while done < MAX_RUN_CORRECTIONS:
        scored = sorted((_reading_cost(c), c) for c in set(_corrections(run)))
        if not scored or scored[0][0] > cost - WORD_GAIN:
            break
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            break  # two corrections read as well: nothing to choose by
        cost, run = scored[0]
        done += 1
    return run, done


def _reading_cost(run: str) -> int:
    vocabulary = khmer_vocabulary()
    words = [w for w in icu_words(run) if w.strip()]
    return len(words) + sum(2 for w in words if w not in vocabulary)


def _corrections(run: str) -> Iterator[str]:
    for i, char in enumerate(run):
        after = run[i + 1] if i + 1 < len(run) else ""
        if char in _CONSONANTS and after != "\u17d2" and not "\u17b6" <= after <= "\u17c5":
            for sign in _DROPPED_SIGNS:
                yield run[: i + 1] + sign + run[i + 1 :]
        right = _MISREAD.get(char)
        if right and (char != "\u179a" or run[i - 1 : i] == "\u17d2"):
            yield run[:i] + right + run[i + 1 :]
