"""How damaged a text layer looks, and how far an extraction is from the truth.

:func:`damage_score` counts what cannot appear in well-formed text: a Khmer dependent mark
after a space or at the start of a line, a coeng after a vowel or not followed by a
consonant, ``(cid:NN)`` glyph placeholders, U+FFFD, private-use glyphs, control characters,
and, in a document expected to be Khmer, Latin-1 "soup" from legacy Limon fonts. It is used
to choose between extractors page by page and to send a page to OCR.
"""

from __future__ import annotations

import re

from parsers.khmer import is_khmer, normalize

# A dependent vowel, sign or coeng where no base can carry it.
_ORPHAN_MARK_RE = re.compile(r"(?:^|(?<=[^\u1780-\u17d3\u17dd]))[\u17b6-\u17d3\u17dd]", re.M)
_COENG_AFTER_VOWEL_RE = re.compile(r"[\u17b6-\u17c5]\u17d2")
_COENG_NOT_BEFORE_CONSONANT_RE = re.compile(r"\u17d2(?![\u1780-\u17a2])")
_TWO_VOWELS_RE = re.compile(r"[\u17b6-\u17c5][\u17b6-\u17c5]")
_CID_RE = re.compile(r"\(cid:\d+\)")
_PUA_RE = re.compile(r"[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_LATIN1_RE = re.compile(r"[\u00a1-\u00ff]")
# Letters that legacy Limon/ABC fonts type for Khmer clusters, seen in real documents.
_LIMON_PUNCT_RE = re.compile(r"[A-Za-z][<>\[\]{}|~`^@\\][A-Za-z]")


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
    khmer = sum(1 for c in body if is_khmer(c))
    if khmer:
        bad += len(_ORPHAN_MARK_RE.findall(text))
        bad += len(_COENG_AFTER_VOWEL_RE.findall(text))
        bad += len(_COENG_NOT_BEFORE_CONSONANT_RE.findall(text))
        bad += len(_TWO_VOWELS_RE.findall(text))
    if khmer_expected or (khmer_expected is None and khmer == 0):
        latin1 = len(_LIMON_PUNCT_RE.findall(text)) + len(_LATIN1_RE.findall(text))
        share_khmer = khmer / len(body)
        if (khmer_expected and share_khmer < 0.3) or latin1 / len(body) > 0.03:
            # Limon-looking: Latin letters standing in for Khmer glyphs.
            bad += max(latin1 * 3, (len(body) - khmer) * 0.5 if khmer_expected else 0)
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
