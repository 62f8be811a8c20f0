"""Parameters in table cells (budget lines, rate tables): each labelled by its row header and
column header, read with the unit and scale of the column, kept across an inserted row and a
changed value; DOCX made here, English and Khmer."""

from __future__ import annotations

import io

import docx
import pytest

from parsers.compare.parameters import readings
from parsers.read.reader import read

KM_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

EN = {
    "title": "Sub-decree No. 12 on the social protection budget",
    "article": "Article {n}.-",
    "intro": "The budget of the programmes is set in the table below.",
    "header": ["Programme", "2025 (KHR million)", "2026 (KHR million)"],
    "rows": [["Cash transfer for pregnant women", "120,000", "{cash}"],
             ["Social pension", "80,000", "95,000"]],
    "inserted": ["Scholarships for poor students", "10,000", "12,000"],
    "rates": [["Contributor", "Pension scheme", "Health care"],
              ["Employer", "{employer}%", "2.6%"], ["Worker", "2%", "0%"]],
    "closing": "This sub-decree takes effect from 1 January 2026.",
}  # fmt: skip
KM = {
    "title": "អនុក្រឹត្យលេខ ១២ ស្តីពីថវិកាគាំពារសង្គម",
    "article": "មាត្រា {n}.-",
    "intro": "ថវិកានៃកម្មវិធីត្រូវបានកំណត់ក្នុងតារាងខាងក្រោម។",
    "header": ["កម្មវិធី", "ឆ្នាំ២០២៥ (លានរៀល)", "ឆ្នាំ២០២៦ (លានរៀល)"],
    "rows": [["ប្រាក់ឧបត្ថម្ភស្ត្រីមានផ្ទៃពោះ", "120.000", "{cash}"],
             ["សោធនសង្គម", "80.000", "95.000"]],
    "inserted": ["អាហារូបករណ៍សិស្សក្រីក្រ", "10.000", "12.000"],
    "rates": [["អ្នកបង់", "របបសោធននិវត្តន៍", "ការថែទាំសុខភាព"],
              ["និយោជក", "{employer}%", "2,6%"], ["កម្មករ", "2%", "0%"]],
    "closing": "អនុក្រឹត្យនេះមានអានុភាពអនុវត្តចាប់ពីថ្ងៃទី១ ខែមករា ឆ្នាំ២០២៦។",
}  # fmt: skip


def _docx(text: dict, *, cash: str, employer: str, inserted: bool) -> bytes:
    khmer = text is KM

    def digits(value: str) -> str:
        return value.translate(KM_DIGITS) if khmer else value

    document = docx.Document()
    document.add_paragraph(text["title"])
    document.add_paragraph(digits(text["article"].format(n=1)))
    document.add_paragraph(text["intro"])
    rows = [text["header"], *([text["inserted"]] if inserted else []), *text["rows"]]
    for grid in (rows, text["rates"]):
        table = document.add_table(rows=len(grid), cols=len(grid[0]))
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                table.cell(r, c).text = digits(value.format(cash=cash, employer=employer))
    document.add_paragraph(digits(text["article"].format(n=2)))
    document.add_paragraph(digits(text["closing"]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "cash", "labels"),
    [
        (EN, ("150,000", "180,000"),
         {"Cash transfer for pregnant women, 2026": ("KHR", 150e9, "150,000 KHR million"),
          "Social pension, 2025": ("KHR", 80e9, "80,000 KHR million"),
          "Employer, Pension scheme": ("%", 2.0, "2%"),
          "Employer, Health care": ("%", 2.6, "2.6%")}),
        (KM, ("150.000", "180.000"),
         {"ប្រាក់ឧបត្ថម្ភស្ត្រីមានផ្ទៃពោះ, ឆ្នាំ២០២៦": ("KHR", 150e9, "១៥០.០០០ លានរៀល"),
          "សោធនសង្គម, ឆ្នាំ២០២៥": ("KHR", 80e9, "៨០.០០០ លានរៀល"),
          "និយោជក, របបសោធននិវត្តន៍": ("%", 2.0, "២%"),
          "និយោជក, ការថែទាំសុខភាព": ("%", 2.6, "២,៦%")}),
    ],
    ids=["en", "km"],
)  # fmt: skip
def test_a_cell_is_labelled_by_its_row_and_column_and_keeps_its_key(
    text: dict, cash: tuple[str, str], labels: dict[str, tuple[str, float, str]]
) -> None:
    old = readings(read(_docx(text, cash=cash[0], employer="2", inserted=False)))
    new = readings(read(_docx(text, cash=cash[1], employer="3", inserted=True)))
    by_label = {r.label: r for r in old}
    for label, (unit, value, written) in labels.items():
        reading = by_label[label]
        assert (reading.unit, reading.value, reading.text) == (unit, value, written)
        assert reading.ref == text["article"].format(n=1).rstrip(".-").translate(
            KM_DIGITS if text is KM else {}
        )
    # each cell once: the row lines the reader also puts in the article's text add nothing
    assert len(old) == 4 + 4 and len({r.key for r in old}) == len(old)
    # an inserted row and changed values keep every other cell's parameter
    before = {r.key: r.value for r in old}
    after = {r.key: r.value for r in new}
    assert set(before) < set(after) and len(after) == len(before) + 2
    moved = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert sorted(moved.values()) == [(2.0, 3.0), (150e9, 180e9)]
    [row] = {r.clause for r in old if r.label == next(iter(labels))}
    assert row.endswith(": " + labels[next(iter(labels))][2].split()[0])


def test_a_sentence_with_a_row_s_words_is_still_read_from_the_text() -> None:
    """The clause "និយោជកបង់ ២% ..." holds every cell of the table row (និយោជក, ២%) but is not
    that row: its share is read from the clause, and the row's from the table."""
    document = docx.Document()
    document.add_paragraph("មាត្រា ៣.-")
    document.add_paragraph("និយោជកបង់ ២% នៃប្រាក់ឈ្នួលសន្មតប្រចាំខែ តាមតារាងខាងក្រោម។")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([["អ្នកបង់", "អត្រាភាគទាន"], ["និយោជក", "២%"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    found = readings(read(buffer.getvalue()))
    assert sorted((r.label, r.value) for r in found) == [
        ("និយោជក", 2.0),  # the clause's own (no heading, no topic: its party)
        ("និយោជក, អត្រាភាគទាន", 2.0),  # the table's
    ]
