"""Khmer signs that tesseract drops or misreads are put back from the vocabulary, tested by
transformation: real Khmer texts of our fixtures lose one sign the way OCR loses it; the
completion must bring back most of them, never change anything else, and never touch a
text that reads as words (Khmer or English)."""

from __future__ import annotations

import re
from functools import cache

import pytest

import evaluation
from parsers.khmer import normalize
from parsers.read.ocr_khmer import complete_khmer_words

FIXTURES = evaluation.DATA  # documents/ and metamorphic/
KHMER = [
    "documents/subdecree_km_v1.txt",
    "documents/budget_km.txt",
    "documents/notice_km.txt",
    "metamorphic/sickness_km/txt.original.txt",
    "metamorphic/maternity_km/txt.original.txt",
]
ENGLISH = ["documents/subdecree_en_v1.txt", "metamorphic/sickness_en/txt.original.txt"]

# How OCR damages Khmer: a vowel sign below a subscript dropped (ត្រូវ -> ត្រវ), one below or
# above a letter dropped (ជំងឺ -> ជំង), ឺ read as ័, the subscript ្ត read as ្រ.
# The share restored is measured (0.68, 0.48, 0.32, 0.74 on these texts, one damage a line):
# a word whose damaged form is a word too (ក្នុង, ក្ន + ង) or whose sign could be another
# (ុ or ូ, both words) is left as read.
DAMAGE = {
    "below a subscript dropped": (r"(?<=\u17d2[\u1780-\u17a2])[\u17bb\u17bc\u17bd]", "", 0.65),
    "below a letter dropped": (r"(?<=[\u1780-\u17a2])[\u17bb\u17bc\u17bd]", "", 0.45),
    "above a letter dropped": (r"(?<=[\u1780-\u17a2])[\u17ba\u17b8]", "", 0.3),
    "subscript ta read as ro": (r"(?<=\u17d2)\u178f", "\u179a", 0.7),
}


@cache
def _text(name: str) -> str:
    return normalize((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", KHMER + ENGLISH)
def test_text_that_reads_as_words_is_kept(name: str) -> None:
    assert complete_khmer_words(_text(name)) == (_text(name), 0)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_signs_come_back_and_nothing_else_changes(damage: str) -> None:
    pattern, replacement, share = DAMAGE[damage]
    tried = restored = 0
    for line in sorted({line for name in KHMER for line in _text(name).splitlines()}):
        for match in re.finditer(pattern, line):
            broken = line[: match.start()] + replacement + line[match.end() :]
            out, corrected = complete_khmer_words(broken)
            tried += 1
            if out == line:
                restored += 1
                assert corrected >= 1
            else:
                assert out == broken, f"{damage}: {broken!r} made {out!r}"
    assert tried >= 10
    assert restored >= share * tried, f"{damage}: {restored} of {tried} restored"


def test_words_tesseract_misread_on_a_scan() -> None:
    # Readings of our 300-dpi scans of the sickness prakas (8 pt and 16 pt).
    read = "និយោជកត្រវចុះបញ្ជីកម្មករ សង្គមក្នងរយៈពេល នៃប្រាក់ឈ្នលសន្មត ព្យាបាលជំង័ទទួល"
    want = "និយោជកត្រូវចុះបញ្ជីកម្មករ សង្គមក្នុងរយៈពេល នៃប្រាក់ឈ្នួលសន្មត ព្យាបាលជំងឺទទួល"
    assert complete_khmer_words(read) == (want, 4)
