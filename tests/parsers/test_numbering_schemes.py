"""Numbering schemes read from the document itself: decimal-dash numbers of codes, lettered
insertions, keywords of other languages and keywords the document numbers in sequence."""

from __future__ import annotations

import pytest

from parsers.compare.diff import compare
from parsers.read.reader import read
from parsers.read.structure import split_sections

EN = [
    "The employer shall register each worker within thirty days of hiring.",
    "The contribution rate is 4% of the assumed wage of the worker.",
    "Maternity leave is ninety days with a cash benefit of the wage.",
    "Pensions are adjusted every year to the consumer prices.",
]
KM = [
    "និយោជកត្រូវចុះបញ្ជីកម្មករនិយោជិតក្នុងរយៈពេលសាមសិបថ្ងៃ។",
    "អត្រាភាគទានគឺ ៤% នៃប្រាក់ឈ្នួលរបស់កម្មករ។",
    "ការឈប់សម្រាកលំហែមាតុភាពមានរយៈពេលកៅសិបថ្ងៃ។",
    "ប្រាក់សោធនត្រូវកែសម្រួលជារៀងរាល់ឆ្នាំ។",
]


def _text(headings: list[str], bodies: list[str], title: str = "Code") -> str:
    return title + "\n" + "\n".join(f"{h}\n{b}" for h, b in zip(headings, bodies, strict=True))


def _changes(old: str, new: str) -> list[tuple[str, str | None, str | None]]:
    a, b = read(old.encode(), name="old.txt"), read(new.encode(), name="new.txt")
    return [(c.kind, c.old_ref, c.new_ref) for c in compare(a, b)]


@pytest.mark.parametrize(
    ("headings", "bodies"),
    [
        (["Article 375", "Article 375-1", "Article 375-2", "Article 376"], EN),
        (["§ 38-2901.", "§ 38-2902.", "§ 38-2903.", "§ 38-2904."], EN),
        (["មាត្រា ៣៧៥", "មាត្រា ៣៧៥-១", "មាត្រា ៣៧៥-២", "មាត្រា ៣៧៦"], KM),
    ],
)
def test_decimal_dash_numbers_are_not_cut_at_the_dash(
    headings: list[str], bodies: list[str]
) -> None:
    old = _text(headings, bodies)
    refs = [s.ref for s in split_sections(old) if s.kind != "title"]
    assert refs == [h.rstrip(".") for h in headings]
    edited = list(bodies)
    edited[2] = edited[2].replace("ninety", "one hundred").replace("កៅសិប", "មួយរយ")
    ref = headings[2].rstrip(".")
    assert _changes(old, _text(headings, edited)) == [("modified", ref, ref)]


_ART = ["Art 1", "Art 2", "Art 12a", "Art 13"]
_ARTIKEL = ["Artikel 1", "Artikel 2", "Artikel 3", "Anlage 2a Tabelle"]


@pytest.mark.parametrize(
    ("headings", "refs"),
    [
        (_ART, ["Article 1", "Article 2", "Article 12a", "Article 13"]),
        (_ARTIKEL, ["Article 1", "Article 2", "Article 3", "Anlage 2a"]),
    ],
)
def test_article_keywords_without_a_dot_and_lettered_numbers(
    headings: list[str], refs: list[str]
) -> None:
    sections = split_sections(_text(headings, EN, title="Gesetz über die Beiträge"))
    assert [s.ref for s in sections if s.kind != "title"] == refs


@pytest.mark.parametrize(
    ("headings", "bodies"),
    [
        (["Rule 1 Name", "Rule 2 Members", "Rule 3 Fees", "Rule 4 Pensions"], EN),
        (["វិធានទី ១ ការចុះបញ្ជី", "វិធានទី ២ ភាគទាន", "វិធានទី ៣ មាតុភាព", "វិធានទី ៤ សោធន"], KM),
    ],
)
def test_an_unknown_keyword_numbered_in_sequence_is_the_scheme(
    headings: list[str], bodies: list[str]
) -> None:
    old = _text(headings, bodies, title="Rules")
    sections = [s for s in split_sections(old) if s.kind != "title"]
    refs = [" ".join(h.replace("ទី ", " ").split()[:2]) for h in headings]
    assert [s.ref for s in sections] == refs
    # One rule inserted: one added rule and the later ones renumbered, never a cascade.
    inserted = [*headings[:2], headings[1].replace("2", "3").replace("២", "៣"), *headings[2:]]
    renumbered = [
        h.replace("3", "4").replace("៣", "៤") if k == 3 else h for k, h in enumerate(inserted)
    ]
    renumbered[4] = renumbered[4].replace("4", "5").replace("៤", "៥")
    new_bodies = [*bodies[:2], bodies[0] + " " + bodies[1], *bodies[2:]]
    changes = _changes(old, _text(renumbered, new_bodies, title="Rules"))
    assert [c[0] for c in changes] == ["added", "renumbered", "renumbered"]
    assert changes[0][2] == refs[2]


@pytest.mark.parametrize(
    "text",
    [
        "Report\nTable 1 shows the budget.\nThe budget grew.\nTable 2\nFigures by year.",
        "របាយការណ៍\nតារាង ១\nថវិកាកើនឡើង។\nការចំណាយកើនឡើង។",
    ],
)
def test_a_keyword_without_a_numbered_run_falls_back_to_paragraphs(text: str) -> None:
    assert {s.kind for s in split_sections(text)} == {"paragraph"}


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        (
            "§88-21\nDefinitions.\nPART II. RETIREMENT\n§88-21\nDefinitions. The following words"
            " have these meanings.\n(1) Member: any person.\n[L 1925, c 55, §1; am L 1929,\n"
            "§5; am L 2022, c 94, §1]\nSection 88-22 establishes the board and\nits duties.",
            ["Title", "Part II", "§ 88-21"],
        ),
        (
            "មាត្រា ៥\nភាគទាន\nជំពូកទី ២ ភាគទាន\nមាត្រា ៥ ភាគទាន\nនិយោជកត្រូវបង់ភាគទាន។\n"
            "មាត្រា ៦ អត្ថប្រយោជន៍\nអត្ថប្រយោជន៍ត្រូវបង់។",
            ["Title", "ជំពូក ២", "មាត្រា ៥", "មាត្រា ៦"],
        ),
    ],
)
def test_a_page_header_repeated_by_the_text_and_stray_numbers_are_not_units(
    text: str, refs: list[str]
) -> None:
    """A published page shows the unit's number and heading above the text that repeats
    them; history notes ("§5; am L 2022") and wrapped references ("Section 88-22
    establishes") are text."""
    assert [s.ref for s in split_sections(text)] == refs


_WRAPPED = 3 * (
    "The worker and the employer each pay half of the contribution set out in this\n"
    "section, and the fund credits the contribution to the account of the worker.\n"
) + (
    "The contribution is paid by the employer for each month in which the worker is\n"
    "employed, and the employer keeps a record of each payment made under\n"
    "Annex 3 Column 2 are to be read with the rates set out in the schedule to this\n"
    "law for each year in which the worker is employed by the same employer.\n"
)


@pytest.mark.parametrize(
    ("heading", "body"),
    [
        (
            "§ 52 Qualifying periods met by pension splitting, supplements to earnings points "
            "and contributions from marginal employment",
            _WRAPPED,
        ),
        (
            "មាត្រា ៥២ រយៈពេលលក្ខខណ្ឌដែលបំពេញដោយការបែងចែកសោធន ការបន្ថែមពិន្ទុប្រាក់ចំណូល "
            "និងភាគទានពីការងារក្រៅម៉ោង និងការងារមិនពេញម៉ោងរបស់កម្មករ",
            _WRAPPED,
        ),
    ],
)
def test_a_long_heading_is_a_heading_and_a_wrapped_mention_is_text(heading: str, body: str) -> None:
    """A heading kept on one line is longer than the text's wrapped lines; a line that goes
    on the open sentence of the full line before it ("... under" / "Annex 3 Column 2 are")
    stays in its provision."""
    assert len(heading) > 100
    text = "Law\n" + heading + "\n" + body + heading.replace("52", "53").replace("៥២", "៥៣")
    units = [s for s in split_sections(text) if s.kind != "title"]
    assert [s.kind for s in units] == ["section" if "§" in heading else "article"] * 2
    assert "Annex 3 Column 2" in units[0].text


@pytest.mark.parametrize("keyword", ["§ 7", "មាត្រា ៧"])
def test_paragraphs_one_a_line_keep_a_heading_after_an_open_paragraph(keyword: str) -> None:
    """Text with one paragraph a line (HTML, DOCX) is not wrapped: a heading after a long
    paragraph that ends without a full stop is still a heading."""
    long = " ".join(["the employer pays the contribution for each worker"] * (2 + 3 * len(keyword)))
    lines = [f"{keyword.split()[0]} {n} Title {n}\n{long[: 60 + 37 * n]}" for n in range(1, 8)]
    units = [s for s in split_sections("Law\n" + "\n".join(lines)) if s.kind != "title"]
    assert len(units) == 7
