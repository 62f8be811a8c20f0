"""How damaged a text layer looks, and how far an extraction is from the truth.

:func:`damage_score` counts what cannot appear in well-formed text: a Khmer dependent mark
after a space or at the start of a line, a coeng after a vowel or not followed by a
consonant, ``(cid:NN)`` glyph placeholders, U+FFFD, private-use glyphs, control characters,
and, in a document expected to be Khmer, Latin-1 "soup" from legacy Limon fonts. It is used
to choose between extractors page by page and to send a page to OCR.

Well-formed characters can still be the wrong ones: a PDF whose ToUnicode map sends glyphs
to the wrong characters, or drops some, reads as fluent-looking nonsense. So the score also
asks whether the words are words: :func:`khmer_word_validity` (the share of Khmer letters in
ICU words found in a Khmer vocabulary, tesseract's Khmer dictionary) and, for Latin script,
:func:`latin_word_validity` (function words of the common Latin-script languages, and words
with a vowel). Clean fixture pages score 0.94-0.99 on the first; a shuffled or a third
missing ToUnicode map 0.11-0.74. English text is also checked against an English vocabulary
(:func:`english_word_validity`, tesseract's English dictionary): letters lost without a
glyph hole leave words that are no words (our English fixtures 0.97-1.00; with a third of
their letters dropped 0.33-0.53).
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from parsers.khmer import is_khmer, normalize
from parsers.read.words import icu_words

# A dependent vowel, sign or coeng where no base can carry it.
_ORPHAN_MARK_RE = re.compile(r"(?:^|(?<=[^\u1780-\u17d3\u17dd]))[\u17b6-\u17d3\u17dd]", re.M)
_COENG_AFTER_VOWEL_RE = re.compile(r"[\u17b6-\u17c5]\u17d2")
_COENG_NOT_BEFORE_CONSONANT_RE = re.compile(r"\u17d2(?![\u1780-\u17a2])")
_TWO_VOWELS_RE = re.compile(r"[\u17b6-\u17c5][\u17b6-\u17c5]")
_CID_RE = re.compile(r"\(cid:\d+\)")
_PUA_RE = re.compile(r"[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_LATIN1_RE = re.compile(r"[\u00a1-\u00ff]")
#: A bullet, box or replacement character inside a word: a glyph whose code means nothing
#: (extractors put a bullet for a code the font's encoding leaves undefined).
GLYPH_HOLE_RE = re.compile(r"(?<=\w)[\u2022\u25a1\u25af\ufffd]+|[\u2022\u25a1\u25af\ufffd]+(?=\w)")
# Letters that legacy Limon/ABC fonts type for Khmer clusters, seen in real documents.
_LIMON_PUNCT_RE = re.compile(r"[A-Za-z][<>\[\]{}|~`^@\\][A-Za-z]")


#: The Khmer vocabulary (parsers/data/make_khmer_words.py writes it).
VOCABULARY_PATH = Path(__file__).parents[1] / "data" / "khmer_words.txt.gz"
#: Fewer Khmer letters (or Latin words) than this say nothing about the words' validity.
MIN_KHMER_LETTERS = 60
MIN_LATIN_WORDS = 40
#: Latin-script words are judged on the first this many characters of a page.
LATIN_SAMPLE_CHARS = 20000
#: Real Khmer text has at least this share of its letters in dictionary words (names,
#: rare terms and numbers make the rest); below it every point counts as damage.
KHMER_VALID = 0.85
#: Real prose in a Latin-script language has at least this share of function words ...
LATIN_FUNCTION_SHARE = 0.06
#: ... or at most this share of words of three letters or more without a vowel (a
#: language whose function words are not listed, a list of names, "Hello world").
LATIN_VOWELLESS_SHARE = 0.1
_KHMER_WORD_RE = re.compile("^[\u1780-\u17dd]+$")
_LATIN_WORD_RE = re.compile("[A-Za-z\u00c0-\u024f]+")
_VOWEL_RE = re.compile(
    "[aeiouyAEIOUY\u00c0-\u00c6\u00c8-\u00cf\u00d2-\u00d6\u00d8-\u00dd"
    "\u00e0-\u00e6\u00e8-\u00ef\u00f2-\u00f6\u00f8-\u00fd\u00ff]"
)
_ENGLISH_FUNCTION_WORDS = (
    "a an and are as at be by for from has have in is it its not of on or shall that "
    "the their this to was were which will with any all may must under such no"
)
# Frequent words of English (above), French, German, Spanish, Portuguese, Italian, Dutch,
# Indonesian and Polish.
_OTHER_FUNCTION_WORDS = frozenset(
    " ".join(
        (
            "au aux ce dans de des du elle en est et il la le les leur ne par pas pour qui",
            "que se son sur un une",
            "am auf aus das dem den der des die ein eine einer es für ist mit nicht oder",
            "sich und von zu zum zur",
            "al como con del el en es las lo los para por se su sus una y",
            "ao as da das de do dos em na nas no nos os um uma",
            "che di gli il nel non per sono",
            "een het van voor op te dat met zijn",
            "dan yang di ke dari untuk dengan ini itu",
            "w z i na do nie się że jest",
        )
    ).split()
)
_FUNCTION_WORDS = frozenset(_ENGLISH_FUNCTION_WORDS.split()) | _OTHER_FUNCTION_WORDS
#: Function words only English has among the languages above: a text is judged against the
#: English vocabulary when most of its function words are these.
_ONLY_ENGLISH = frozenset(_ENGLISH_FUNCTION_WORDS.split()) - _OTHER_FUNCTION_WORDS
#: The English vocabulary (parsers/data/make_english_words.py writes it).
ENGLISH_VOCABULARY_PATH = Path(__file__).parents[1] / "data" / "english_words.txt.gz"
#: Real English has at least this share of its letters in vocabulary words (names, acronyms
#: and borrowed words such as "prakas" make the rest); a text layer that lost letters
#: without a trace ("Th Mnistry f Labour") has far fewer.
ENGLISH_VALID = 0.8
#: A text is English when this share of its function words are English-only ones.
ENGLISH_SHARE = 0.6


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """The English words (lower case), loaded once."""
    with gzip.open(ENGLISH_VOCABULARY_PATH, "rt", encoding="utf-8") as words:
        return frozenset(words.read().split())


@lru_cache(maxsize=4)
def _latin_words(text: str) -> tuple[str, ...]:
    """The Latin-script words (lower case) of the first :data:`LATIN_SAMPLE_CHARS` of
    ``text``: one pass shared by the checks below, which a page's reading asks in turn."""
    return tuple(_LATIN_WORD_RE.findall(text.lower(), 0, LATIN_SAMPLE_CHARS))


def english_word_validity(text: str) -> float | None:
    """Share of the letters of the words of two letters or more of ``text`` that lie in
    English vocabulary words; None when the text is short or not English (its function
    words are mostly another language's)."""
    words = _latin_words(text)
    if len(words) < MIN_LATIN_WORDS:
        return None
    function = [w for w in words if w in _FUNCTION_WORDS]
    english = sum(map(_ONLY_ENGLISH.__contains__, function))
    if not function or english < ENGLISH_SHARE * len(function):
        return None
    vocabulary = english_vocabulary()
    long = [w for w in words if len(w) >= 2]
    total = sum(map(len, long))
    return sum(len(w) for w in long if w in vocabulary) / total if total else None


@lru_cache(maxsize=1)
def khmer_vocabulary() -> frozenset[str]:
    """The Khmer words (normalised), loaded once."""
    with gzip.open(VOCABULARY_PATH, "rt", encoding="utf-8") as words:
        return frozenset(words.read().split())


def khmer_word_validity(text: str) -> float | None:
    """Share of the Khmer letters of ``text`` (normalised) that lie in ICU words found in
    the Khmer vocabulary; None when there are fewer than :data:`MIN_KHMER_LETTERS`."""
    vocabulary = khmer_vocabulary()
    valid = total = 0
    for word in icu_words(text):
        if _KHMER_WORD_RE.match(word):
            total += len(word)
            if word in vocabulary:
                valid += len(word)
    if total < MIN_KHMER_LETTERS:
        return None
    return valid / total


def latin_word_validity(text: str) -> float | None:
    """How much the Latin-script words of ``text`` look like a language: 1.0 when their
    share of function words reaches :data:`LATIN_FUNCTION_SHARE` or few of them lack a
    vowel, falling to 0 for letters mapped at random (no function words, many words
    without a vowel); None under :data:`MIN_LATIN_WORDS` words."""
    words = _latin_words(text)
    if len(words) < MIN_LATIN_WORDS:
        return None
    function = sum(map(_FUNCTION_WORDS.__contains__, words)) / len(words)
    if function >= LATIN_FUNCTION_SHARE:
        return 1.0
    long = [w for w in words if len(w) >= 3]
    vowelless = sum(1 for w in long if not _VOWEL_RE.search(w)) / max(1, len(long))
    if vowelless <= LATIN_VOWELLESS_SHARE:
        return 1.0
    return min(1.0, function / LATIN_FUNCTION_SHARE)


def _reads_as_prose(text: str) -> bool:
    """The Latin-script words of ``text`` are a language's prose (their share of function
    words reaches :data:`LATIN_FUNCTION_SHARE`): French or German accents are letters
    then, not a legacy Khmer font's glyphs."""
    words = _latin_words(text)
    return len(words) >= MIN_LATIN_WORDS and (
        sum(map(_FUNCTION_WORDS.__contains__, words)) >= LATIN_FUNCTION_SHARE * len(words)
    )


def reads_as_words(text: str) -> bool:
    """A quick check for a page without Khmer: no glyph holes, and its Latin-script words
    look like a language (:func:`latin_word_validity`)."""
    if GLYPH_HOLE_RE.search(text) or latin_word_validity(text) not in (None, 1.0):
        return False
    english = english_word_validity(text)
    return english is None or english >= ENGLISH_VALID


def damage_score(text: str, *, khmer_expected: bool | None = None) -> float:
    """0 (clean) .. 1 (unusable). About 5x the share of characters caught in damage.

    ``khmer_expected``: the document is known to be Khmer (True), known not to be (False),
    or unknown (None: decided from the text itself). Only a Khmer document can look like
    Limon soup.
    """
    body = "".join(text.split())
    if not body:
        return 1.0
    bad = 0.0
    bad += 8 * len(_CID_RE.findall(text))
    bad += len(_PUA_RE.findall(text)) + len(_CONTROL_RE.findall(text.replace("\f", "")))
    bad += 2 * sum(len(hole) for hole in GLYPH_HOLE_RE.findall(text))
    khmer = sum(1 for c in body if is_khmer(c))
    if khmer:
        bad += len(_ORPHAN_MARK_RE.findall(text))
        bad += len(_COENG_AFTER_VOWEL_RE.findall(text))
        bad += len(_COENG_NOT_BEFORE_CONSONANT_RE.findall(text))
        bad += len(_TWO_VOWELS_RE.findall(text))
        validity = khmer_word_validity(text)
        if validity is not None and validity < KHMER_VALID:
            # Well-formed characters that make no words: a wrong or partial ToUnicode map.
            bad += 2 * khmer * (KHMER_VALID - validity)
    if khmer_expected or (khmer_expected is None and khmer == 0 and not _reads_as_prose(text)):
        latin1 = len(_LIMON_PUNCT_RE.findall(text)) + len(_LATIN1_RE.findall(text))
        share_khmer = khmer / len(body)
        if (khmer_expected and share_khmer < 0.3) or latin1 / len(body) > 0.03:
            # Limon-looking: Latin letters standing in for Khmer glyphs.
            bad += max(latin1 * 3, (len(body) - khmer) * 0.5 if khmer_expected else 0)
    ascii_letters = sum(1 for c in body if c.isascii() and c.isalpha())
    latin = latin_word_validity(text) if ascii_letters >= len(body) / 2 else None
    if latin is not None and latin < 1:
        bad += 0.2 * (1 - latin) * ascii_letters
    english = english_word_validity(text) if ascii_letters >= len(body) / 2 else None
    if english is not None and english < ENGLISH_VALID:
        # Letters lost without a glyph hole: words that are no words.
        bad += 2 * ascii_letters * (ENGLISH_VALID - english)
    return min(1.0, 5 * bad / len(body))


def char_error_rate(got: str, truth: str) -> float:
    """Levenshtein distance between the normalised texts without whitespace, divided by the
    length of the truth (the measure used for extraction quality)."""
    a = "".join(normalize(got).split())
    b = "".join(normalize(truth).split())
    if not b:
        return 0.0 if not a else 1.0
    return _levenshtein(a, b) / len(b)


def _levenshtein(a: str, b: str) -> int:
    """Edit distance by Myers/Hyyrö bit-parallel rows (Python ints as bit vectors): fast
    enough for whole documents."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    full = (1 << len(a)) - 1
    last = 1 << (len(a) - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(a):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = full, 0, len(a)
    for char in b:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score
