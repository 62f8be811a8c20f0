from __future__ import annotations

import pytest

from parsers.structure import instrument_metadata, split_sections

KHMER = """ព្រះរាជាណាចក្រកម្ពុជា
ជាតិ សាសនា ព្រះមហាក្សត្រ
លេខ ៣២ អនក្រ.បក
អនុក្រឹត្យ
ស្តីពីរបបសន្តិសុខសង្គមផ្នែកសោធននិវត្តន៍
- បានឃើញរដ្ឋធម្មនុញ្ញនៃព្រះរាជាណាចក្រកម្ពុជា
- បានឃើញច្បាប់ស្តីពីរបបសន្តិសុខសង្គម
សម្រេច
ជំពូកទី ១
បទប្បញ្ញត្តិទូទៅ
មាត្រា ១.-
អនុក្រឹត្យនេះអនុវត្តចំពោះកម្មករនិយោជិត។
មាត្រា៥ អត្រាភាគទាន
អត្រាភាគទានត្រូវបានកំណត់ត្រឹម ៤%។
មាត្រា ៥ ថ្មី.-
ភាគទានត្រូវបង់រៀងរាល់ខែ។
មាត្រា ៦.-
ដូចមានចែងក្នុង
មាត្រា ៥ នៃអនុក្រឹត្យនេះ។
ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី០៤ ខែមីនា ឆ្នាំ២០២១
ឧបសម្ព័ន្ធ ១
តារាងអត្រាភាគទាន
មាត្រា ១ ក្នុងឧបសម្ព័ន្ធ
"""

ENGLISH = """KINGDOM OF CAMBODIA
Royal Kram NS/RKM/1119/018
LAW
on Social Security Schemes
Having seen the Constitution;
CHAPTER II
SCOPE
Section 1 - Definitions
Art. 4: Terms
Terms used in this law.
Article 4 bis.- Self-employed persons
This law covers self-employed persons.
Section 2 - Coverage
ARTICLE 5
This Law applies to persons defined by the provisions of the Labour Law, and
Article 7 of the Labour Law applies to them.
CHAPTER III
Section 1 - Pensions
Article 6.- Pension
Text.
Done at Phnom Penh, 2 November 2019
ANNEX
List of schemes
"""


def test_khmer_refs_as_printed() -> None:
    sections = split_sections(KHMER)
    refs = [s.ref for s in sections]
    assert refs == [
        "Title",
        "Preamble",
        "ជំពូក ១",
        "មាត្រា ១",
        "មាត្រា ៥",
        "មាត្រា ៥ ថ្មី",
        "មាត្រា ៦",
        "Closing",
        "ឧបសម្ព័ន្ធ ១",
    ]
    by_ref = {s.ref: s for s in sections}
    assert by_ref["មាត្រា ៥"].heading == "អត្រាភាគទាន"
    assert by_ref["មាត្រា ៥"].number == "5"
    assert by_ref["មាត្រា ៥ ថ្មី"].number == "5new"
    assert by_ref["ជំពូក ១"].heading == "បទប្បញ្ញត្តិទូទៅ"
    assert by_ref["ជំពូក ១"].kind == "chapter"
    # A cross-reference wrapped to the start of a line is not a new article.
    assert "មាត្រា ៥ នៃអនុក្រឹត្យនេះ" in by_ref["មាត្រា ៦"].text
    assert "សម្រេច" in by_ref["Preamble"].text
    # The annex keeps its own article-like lines.
    assert "មាត្រា ១ ក្នុងឧបសម្ព័ន្ធ" in by_ref["ឧបសម្ព័ន្ធ ១"].text
    assert by_ref["Title"].kind == "title"


def test_english_refs_bis_roman_chapters_and_sections() -> None:
    sections = split_sections(ENGLISH)
    refs = [s.ref for s in sections]
    assert refs == [
        "Title",
        "Preamble",
        "Chapter II",
        "Chapter II, Section 1",
        "Article 4",
        "Article 4 bis",
        "Chapter II, Section 2",
        "Article 5",
        "Chapter III",
        "Chapter III, Section 1",
        "Article 6",
        "Closing",
        "Annex",
    ]
    by_ref = {s.ref: s for s in sections}
    assert by_ref["Chapter II"].number == "2"
    assert by_ref["Article 4"].heading == "Terms"
    assert by_ref["Article 4 bis"].number == "4bis"
    assert by_ref["Article 4 bis"].heading == "Self-employed persons"
    assert "Article 7 of the Labour Law" in by_ref["Article 5"].text
    assert by_ref["Article 5"].heading == ""
    assert by_ref["Article 6"].text == "Article 6.- Pension\nText."


def test_text_without_structure_becomes_paragraphs() -> None:
    letter = "Dear colleagues,\n\nThe NSSF will raise contributions.\nMore soon.\n\nRegards"
    sections = split_sections(letter)
    assert [s.ref for s in sections] == ["¶1", "¶2", "¶3"]
    assert sections[1].text == "The NSSF will raise contributions.\nMore soon."
    assert all(s.kind == "paragraph" for s in sections)
    assert [s.ref for s in split_sections("មួយ\nពីរ")] == ["¶1", "¶2"]
    assert split_sections("") == ()


def test_duplicate_refs_stay_unique() -> None:
    refs = [s.ref for s in split_sections("Article 1.- A\nx\nArticle 1.- B\ny")]
    assert refs == ["Article 1", "Article 1 (2)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            KHMER,
            {
                "type": "sub-decree",
                "number": "៣២ អនក្រ.បក",
                "date": "2021-03-04",
                "title": "អនុក្រឹត្យ ស្តីពីរបបសន្តិសុខសង្គមផ្នែកសោធននិវត្តន៍",
            },
        ),
        (
            ENGLISH,
            {
                "type": "law",
                "number": "NS/RKM/1119/018",
                "date": "2019-11-02",
                "title": "LAW on Social Security Schemes",
            },
        ),
        ("ប្រកាស\nលេខ ០៩៥/២៥ ក.ប/ប្រ.ក\nប្រការ ១.-\nអត្ថបទ", {"type": "prakas"}),
    ],
)
def test_instrument_metadata(text: str, expected: dict[str, str]) -> None:
    meta = instrument_metadata(text)
    for key, value in expected.items():
        assert meta.get(key) == value
