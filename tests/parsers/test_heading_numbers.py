"""Heading numbers broken by OCR are put back from the document's own numbering sequence,
tested by transformation: real headings of our fixture texts (English and Khmer) are
corrupted the ways OCR corrupts digits; exactly those come back, with a warning each, and a
real gap, a renumbering or a lettered insertion is never touched."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import pytest

import evaluation
from parsers.khmer import to_khmer_digits
from parsers.read.heading_numbers import repair_heading_numbers
from parsers.read.reader import read
from parsers.read.structure import split_sections

FIXTURES = evaluation.DATA  # documents/ and metamorphic/
TEXTS = [
    "documents/subdecree_km_v1.txt",
    "documents/subdecree_en_v1.txt",
    "metamorphic/sickness_km/txt.original.txt",
    "metamorphic/sickness_en/txt.original.txt",
    "metamorphic/maternity_km/txt.original.txt",
    "metamorphic/maternity_en/txt.original.txt",
]
_HEADING_RE = re.compile(r"^(មាត្រា|ប្រការ|Article)([ \t]*)([0-9០-៩]+)(?=[.\s-]|$)")


@cache
def _text(name: str) -> str:
    return read((FIXTURES / name).read_bytes(), name=name).text


def _headings(lines: list[str]) -> list[int]:
    return [n for n, line in enumerate(lines) if _HEADING_RE.match(line)]


def _corrupt(line: str, how: Callable[[str], str]) -> str:
    match = _HEADING_RE.match(line)
    assert match is not None
    return line[: match.start(3)] + how(match.group(3)) + line[match.end(3) :]


# What OCR does to a heading number: Khmer digits read twice (once as a look-alike Arabic
# digit: "១" -> "១9"), read as an Arabic or Latin look-alike (១ -> 9, ០ -> o, ៤ -> G), and
# in English 1 -> l or I, 0 -> O, 5 -> S, 8 -> B.
_LOOKALIKE = {"០": "o", "១": "9", "៤": "G", "៨": "B", "1": "l", "0": "O", "5": "S", "8": "B"}


def _doubled(number: str) -> str:
    return number + ("9" if number[-1] in "០១២៣៤៥៦៧៨៩" else "១")


def _lookalike(number: str) -> str:
    return "".join(_LOOKALIKE.get(c, c) for c in number)


def _arabic(number: str) -> str:
    return str(int(number.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789"))) % 10 or "7")


@pytest.mark.parametrize("name", TEXTS)
def test_every_corrupted_heading_comes_back(name: str) -> None:
    text = _text(name)
    assert repair_heading_numbers(text, ocr=True) == (text, ())
    lines = text.split("\n")
    headings = _headings(lines)
    assert len(headings) >= 3
    khmer = "\u1780" <= lines[headings[0]][0] <= "\u17ff"
    ways = [_doubled, _lookalike] + ([_arabic] if khmer else [])
    tried = 0
    for n in headings:
        for how in ways:
            broken = lines.copy()
            broken[n] = _corrupt(lines[n], how)
            if broken[n] == lines[n]:
                continue  # no look-alike for these digits
            tried += 1
            repaired, warnings = repair_heading_numbers("\n".join(broken), ocr=True)
            assert repaired == text, (how.__name__, broken[n])
            assert len(warnings) == 1 and "needs check" in warnings[0]
            assert [s.ref for s in split_sections(repaired)] == [
                s.ref for s in split_sections(text)
            ]
    assert tried > len(headings)


@pytest.mark.parametrize("name", TEXTS)
def test_two_broken_headings_in_a_row(name: str) -> None:
    text = _text(name)
    lines = text.split("\n")
    first, second = _headings(lines)[1:3]
    lines[first] = _corrupt(lines[first], _doubled)
    lines[second] = _corrupt(lines[second], _lookalike if "1" in lines[second] else _doubled)
    repaired, warnings = repair_heading_numbers("\n".join(lines), ocr=True)
    assert repaired == text and len(warnings) == 2


@pytest.mark.parametrize("name", TEXTS)
def test_only_mixed_scripts_are_repaired_in_a_text_layer(name: str) -> None:
    text = _text(name)
    lines = text.split("\n")
    n = _headings(lines)[1]
    lookalike = lines.copy()
    lookalike[n] = _corrupt(lines[n], lambda num: "l" if num in ("1", "១") else "G")
    assert repair_heading_numbers("\n".join(lookalike), ocr=False) == ("\n".join(lookalike), ())
    doubled = lines.copy()
    doubled[n] = _corrupt(lines[n], lambda num: num + ("9" if num[0] in "០១២៣៤៥៦៧៨៩" else "១"))
    repaired, warnings = repair_heading_numbers("\n".join(doubled), ocr=False)
    assert repaired == text and len(warnings) == 1


def _renumbered(lines: list[str], shift: Callable[[int, int], int]) -> list[str]:
    """Every heading numbered anew by ``shift(position, number)``, in its own script."""
    out = lines.copy()
    for k, n in enumerate(_headings(lines)):

        def renumber(number: str, k: int = k) -> str:
            khmer = number[0] in "០១២៣៤៥៦៧៨៩"
            value = int(number.translate(str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")))
            new = str(shift(k, value))
            return to_khmer_digits(new) if khmer else new

        out[n] = _corrupt(lines[n], renumber)
    return out


@pytest.mark.parametrize("name", TEXTS)
def test_real_gaps_and_renumberings_are_kept(name: str) -> None:
    lines = _text(name).split("\n")
    count = len(_headings(lines))
    variants = {
        "jump after the first": _renumbered(lines, lambda k, v: v + (k >= 1)),
        "jump in the middle": _renumbered(lines, lambda k, v: v + (k >= count // 2)),
        "renumbered from 10": _renumbered(lines, lambda k, v: v + 9),
        "every other number": _renumbered(lines, lambda k, v: 2 * v),
    }
    for label, variant in variants.items():
        text = "\n".join(variant)
        assert repair_heading_numbers(text, ocr=True) == (text, ()), label


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a gap the sequence cannot fill: 5 then 7 then 8 keeps 7
        ("Article 5. A\na.\nArticle 7. B\nb.\nArticle 8. C\nc.", "Article 7. B"),
        # lettered insertions are real numbers
        ("Article 12. A\na.\nArticle 12a. B\nb.\nArticle 13. C\nc.", "Article 12a. B"),
        ("មាត្រា ៤.-\nក។\nមាត្រា ៥ ថ្មី.-\nខ។\nមាត្រា ៦.-\nគ។", "មាត្រា ៥ ថ្មី.-"),
        # a restart (an annex numbering its own articles) is no error
        ("Article 9. A\na.\nArticle 10. B\nb.\nAnnex\nArticle 1. C\nc.", "Article 1. C"),
    ],
)
def test_numbers_the_sequence_does_not_fix_are_kept(text: str, kept: str) -> None:
    repaired, warnings = repair_heading_numbers(text, ocr=True)
    assert kept in repaired.split("\n") and repaired == text and warnings == ()


def test_a_broken_number_the_sequence_cannot_predict_is_flagged() -> None:
    text = "មាត្រា ៣.-\nក។\nមាត្រា ៤9.-\nខ។\nមាត្រា ៦.-\nគ។"  # ៤ or ៥? the gap is real
    repaired, warnings = repair_heading_numbers(text, ocr=True)
    assert repaired == text
    assert len(warnings) == 1 and "មាត្រា ៤9" in warnings[0] and "needs check" in warnings[0]


def test_one_misread_digit_in_a_run_the_sequence_fixes() -> None:
    text = "Article 5. A\na.\nArticle 8. B\nb.\nArticle 7. C\nc."
    repaired, warnings = repair_heading_numbers(text, ocr=True)
    assert "Article 6. B" in repaired.split("\n") and len(warnings) == 1
    assert repair_heading_numbers(text, ocr=False) == (text, ())


def test_the_reader_repairs_and_warns() -> None:
    text = "ប្រកាស\nមាត្រា ១9.-\nអត្ថបទទីមួយ។\nមាត្រា ២.-\nអត្ថបទទីពីរ។\nមាត្រា ៣.-\nអត្ថបទទីបី។\n"
    document = read(text.encode("utf-8"), name="mixed.txt")
    assert [s.ref for s in document.sections[1:]] == ["មាត្រា ១", "មាត្រា ២", "មាត្រា ៣"]
    assert any("មាត្រា ១9" in w and "needs check" in w for w in document.warnings)
