"""Spaces that justification cut into Khmer words, and the whitespace-aware word score."""

from __future__ import annotations

import pytest

import evaluation
from parsers.read.layout import unwrap
from parsers.read.reader import read
from parsers.read.words import icu_words, join_split_words, line_joint, word_f1

DOCUMENTS = evaluation.DOCUMENTS


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


@pytest.mark.parametrize(
    ("previous", "line", "joint"),
    [
        ("និងងាយរងគ្រោះ", "១.២៥០,០ ១.៤១០,៥", " "),  # a table row's label and its figures
        ("១.២៥០,០ ១.៤១០,៥", "មូលនិធិសមធម៌", " "),  # the next row
        ("ខែសីហា ឆ្នាំ២០២៣", "ស្តីពីការតែងតាំង", " "),  # a number ends the line
        ("កម្រិតទាបបំផុត", "៤០០.០០០ (បួនសែន) រៀល", " "),
        ("និងបណ្តុះ", "បណ្តាលវិជ្ជាជីវៈ", ""),  # wrapped at a word boundary
        ("រាជរដ្ឋា", "ភិបាល", ""),
    ],
)
def test_khmer_lines_join_with_the_space_the_wrap_took(
    previous: str, line: str, joint: str
) -> None:
    assert line_joint(previous, line) == joint


def test_wrapped_khmer_lines_keep_the_spaces_between_numbers_and_words() -> None:
    lines = [
        "ព្រះរាជាណាចក្រកម្ពុជា ជាតិ សាសនា ព្រះមហាក្សត្រ ក្រសួងសេដ្ឋកិច្ច និងហិរញ្ញវត្ថុ",
        "ការផ្ទេរសាច់ប្រាក់សម្រាប់គ្រួសារក្រីក្រ និងងាយរងគ្រោះ និងងាយរងគ្រោះ",
        "១.២៥០,០ ១.៤១០,៥",
        "មូលនិធិសមធម៌សុខាភិបាល ៣២០,០ ៣៥៥,០",
    ]
    english = ["The employer shall pay the contribution", "of 2% of the wage", "to the fund."]
    assert unwrap("\n".join(lines)).endswith(
        "និងងាយរងគ្រោះ ១.២៥០,០ ១.៤១០,៥ មូលនិធិសមធម៌សុខាភិបាល ៣២០,០ ៣៥៥,០"
    )
    assert "contribution of 2%" in unwrap("\n".join([*english, *english]))


def test_a_space_the_extractor_put_before_a_khmer_mark_goes() -> None:
    # Subscripts and vowels drawn before or below the base fall outside the line's box.
    assert join_split_words("និងបណ\n្តុ ះបណ្តាលវ ិជ្ជា ជីវៈ") == "និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ"
    assert join_split_words("the fund ( 2% )") == "the fund ( 2% )"


@pytest.mark.parametrize("name", ["budget_km.pdf", "subdecree_km_v2.pdf"])
def test_khmer_table_cells_and_numbers_keep_their_spaces(name: str) -> None:
    document = read((DOCUMENTS / name).read_bytes(), name=name)
    truth = (DOCUMENTS / name.replace(".pdf", ".txt")).read_text(encoding="utf-8")
    assert word_f1(document.text, truth) >= 0.99
