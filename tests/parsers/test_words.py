"""Spaces that justification cut into Khmer words, and the whitespace-aware word score."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import read
from parsers.words import icu_words, join_split_words, word_f1

DOCUMENTS = Path(__file__).parent.parent / "fixtures" / "documents"


@pytest.mark.parametrize(
    ("cut", "whole"),
    [
        ("រាជរដ្ឋា ភិបាល", "រាជរដ្ឋាភិបាល"),
        ("និងបណ្តុះបណ្តា លវិជ្ជា ជីវៈ", "និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ"),
        ("យ៉ា ងតិច", "យ៉ាងតិច"),
        ("ប្រាក់ឈ្នួលពាក់កណ្តា លពីនិយោជក។", "ប្រាក់ឈ្នួលពាក់កណ្តាលពីនិយោជក។"),
    ],
)
def test_a_space_inside_a_khmer_word_goes(cut: str, whole: str) -> None:
    assert join_split_words(cut) == whole
    assert join_split_words(f"{cut}\nline two") == f"{whole}\nline two"


@pytest.mark.parametrize(
    "kept",
    [
        "ខែ មានសិទ្ធិ",  # two whole words: the author's phrase break
        "ព្រះរាជក្រឹត្យលេខ នស/រកត/០៨២៣/១៤៧",  # ICU would re-cut the left word
        "ឆ្នាំ ២០២៣",  # digits
        "ជាតិ សាសនា ព្រះមហាក្សត្រ",
        "the government shall pay",
        "Article 5 រាជរដ្ឋាភិបាល",
    ],
)
def test_the_authors_spaces_stay(kept: str) -> None:
    assert join_split_words(kept) == kept


def test_word_f1_counts_spaces() -> None:
    truth = "រាជរដ្ឋាភិបាល សម្រេច\nThe employer pays."
    assert word_f1(truth, truth) == 1.0
    assert word_f1("រាជរដ្ឋា ភិបាល សម្រេច\nThe employer pays.", truth) < 0.9
    assert word_f1("The employerpays. រាជរដ្ឋាភិបាល សម្រេច", truth) < 1.0
    assert word_f1("", "") == 1.0
    assert word_f1("x", "") == 0.0
    assert icu_words("រាជរដ្ឋាភិបាល សម្រេច") == ["រាជរដ្ឋាភិបាល", "សម្រេច"]


def test_a_justified_khmer_pdf_reads_whole_words() -> None:
    document = read((DOCUMENTS / "subdecree_km_v1.pdf").read_bytes(), name="x.pdf")
    assert "រាជរដ្ឋាភិបាល" in document.text
    assert "រាជរដ្ឋា ភិបាល" not in document.text
    assert "បណ្តុះបណ្តាលវិជ្ជាជីវៈ" in document.text
    truth = (DOCUMENTS / "subdecree_km_v1.txt").read_text(encoding="utf-8")
    assert word_f1(document.text, truth) >= 0.99
