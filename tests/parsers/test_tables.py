from __future__ import annotations

import io
import json
from collections.abc import Callable

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from parsers import Document, Table
from parsers.document import Cell
from parsers.read.office import read_docx
from parsers.read.reader import read

Load = Callable[[str], bytes]

BUDGET_EN = Table(
    (
        ("Programme", "2024 (KHR billion)", "2025 (KHR billion)"),
        ("Cash transfers", "1,250.0", "1,410.5"),
        ("Health Equity Fund", "320.0", "355.0"),
    ),
    page=2,
)
BUDGET_KM = Table(
    (
        ("ល.រ", "កម្មវិធី", "ថវិកា (ប៊ីលានរៀល)"),
        ("១", "ការផ្ទេរសាច់ប្រាក់", "១.២៥០,០"),
        ("២", "", "៣២០,០"),
    ),
)


def test_cells_carry_row_label_and_column_header() -> None:
    cells = BUDGET_EN.cells()
    assert Cell("Cash transfers", "2025 (KHR billion)", "1,410.5", 1, 2) in cells
    assert Cell("Health Equity Fund", "2024 (KHR billion)", "320.0", 2, 1) in cells
    assert all(cell.row >= 1 for cell in cells)  # the header row is context, not a cell
    assert len(cells) == 6


def test_khmer_cells_label_is_the_first_cell_with_letters() -> None:
    cells = {(c.row, c.column): c for c in BUDGET_KM.cells()}
    assert cells[1, 2] == Cell("ការផ្ទេរសាច់ប្រាក់", "ថវិកា (ប៊ីលានរៀល)", "១.២៥០,០", 1, 2)
    # A row whose only letters are missing falls back to its first non-empty cell.
    assert cells[2, 2].row_label == "២"
    assert (2, 1) not in cells  # empty cells are left out


def test_multi_row_header_spreads_group_headers_over_their_columns() -> None:
    table = Table(
        (
            ("Programme", "2024", "", "2025", ""),
            ("", "Budget", "Actual", "Budget", "Actual"),
            ("Pensions", "10", "9", "12", ""),
        ),
        header_rows=2,
    )
    assert table.column_headers() == (
        "Programme",
        "2024 / Budget",
        "2024 / Actual",
        "2025 / Budget",
        "2025 / Actual",
    )
    assert [c.column_header for c in table.cells()] == [
        "Programme",
        "2024 / Budget",
        "2024 / Actual",
        "2025 / Budget",
    ]
    khmer = Table(
        (("កម្មវិធី", "ឆ្នាំ២០២៥", ""), ("", "ថវិកា", "ចំណាយ"), ("សោធន", "១០", "៩")),
        header_rows=2,
    )
    assert khmer.column_headers()[2] == "ឆ្នាំ២០២៥ / ចំណាយ"


def test_table_without_header_rows() -> None:
    table = Table((("Pensions", "10"),), header_rows=0)
    assert table.cells() == (
        Cell("Pensions", "", "Pensions", 0, 0),
        Cell("Pensions", "", "10", 0, 1),
    )
    with pytest.raises(ValueError, match="header_rows"):
        Table((), header_rows=-1)


def test_json_round_trip_keeps_header_rows_and_reads_old_json() -> None:
    table = Table(BUDGET_KM.rows, page=3, header_rows=2)
    payload = json.loads(json.dumps(table.to_json(), ensure_ascii=False))
    assert payload["header_rows"] == 2
    assert Table.from_json(payload) == table
    old = {"page": 1, "rows": [["a", "b"], ["c", "d"]]}  # written before header_rows existed
    assert Table.from_json(old).header_rows == 1


def test_document_json_round_trip_keeps_tables_and_furniture() -> None:
    document = Document(
        text="x",
        raw_text="x",
        language="km",
        pages=None,
        method="text",
        sections=(),
        sha256="0" * 64,
        content_type="text/plain",
        tables=(BUDGET_KM,),
        furniture=("ប.ស.ស.", "Page footer"),
    )
    again = Document.from_json(json.loads(json.dumps(document.to_json())), raw_text="x")
    assert again == document
    assert Document.from_json({"text": "x"}).furniture == ()


def _merged_docx() -> bytes:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "ក្រសួងសេដ្ឋកិច្ច"
    doc.sections[0].footer.paragraphs[0].text = "ទំព័រ ១"
    doc.add_paragraph("តារាងទី១")
    table = doc.add_table(rows=5, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "កម្មវិធី"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "ឆ្នាំ២០២៥ (ប៊ីលានរៀល)"
    table.cell(1, 1).text, table.cell(1, 2).text = "ថវិកា", "ចំណាយ"
    table.cell(2, 0).merge(table.cell(3, 0)).text = "សោធននិវត្តន៍"
    for row, values in ((2, ("១០", "៩")), (3, ("១២", "១១")), (4, ("១", "២"))):
        table.cell(row, 1).text, table.cell(row, 2).text = values
    table.cell(4, 0).text = "សរុប"
    doc.add_paragraph("ចប់")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_merged_cells_keep_the_grid_and_each_row_its_label() -> None:
    result = read_docx(_merged_docx())
    (table,) = result.tables
    assert table.header_rows == 2  # the first-row cell merged down makes a two-row header
    assert table.rows[0] == ("កម្មវិធី", "ឆ្នាំ២០២៥ (ប៊ីលានរៀល)", "")
    assert table.rows[3][0] == "សោធននិវត្តន៍"  # merged down: repeated for the row's label
    cells = {(c.row, c.column): c for c in table.cells()}
    assert cells[3, 2] == Cell("សោធននិវត្តន៍", "ឆ្នាំ២០២៥ (ប៊ីលានរៀល) / ចំណាយ", "១១", 3, 2)
    assert cells[4, 1].row_label == "សរុប"
    # The text prints each merged cell once, in order, between the paragraphs around it.
    lines = result.text.split("\n")
    assert lines[0] == "តារាងទី១" and lines[-1] == "ចប់"
    assert result.text.count("សោធននិវត្តន៍") == 1
    assert result.furniture == ("ក្រសួងសេដ្ឋកិច្ច", "ទំព័រ ១")
    assert "ក្រសួងសេដ្ឋកិច្ច" not in result.text


def test_docx_repeat_header_rows_mark_the_header() -> None:
    doc = docx.Document()
    table = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate((("Item", "KHR billion"), ("Unit", "2025"), ("Pensions", "12"))):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    for row in table.rows[:2]:
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    buf = io.BytesIO()
    doc.save(buf)
    (read,) = read_docx(buf.getvalue()).tables
    assert read.header_rows == 2
    assert read.cells()[1] == Cell("Pensions", "KHR billion / 2025", "12", 2, 1)


@pytest.mark.parametrize(
    ("name", "label", "header", "value"),
    [
        ("budget_en.docx", "Health Equity Fund", "2025 (KHR billion)", "355.0"),
        ("budget_en.pdf", "Health Equity Fund", "2025 (KHR billion)", "355.0"),
        ("budget_km.docx", "មូលនិធិសមធម៌សុខាភិបាល", "ថវិកា ២០២៥ (ប៊ីលានរៀល)", "៣៥៥,០"),
    ],
)
def test_budget_fixture_cells(name: str, label: str, header: str, value: str, load: Load) -> None:
    (table,) = read(load(name), name=name).tables
    cell = next(c for c in table.cells() if c.row_label == label and c.column == 2)
    assert (cell.column_header, cell.text) == (header, value)


def test_khmer_pdf_budget_table_keeps_unit_header_and_values(load: Load) -> None:
    (table,) = read(load("budget_km.pdf")).tables
    cells = table.cells()
    assert [c.text for c in cells if c.column == 2] == ["១.៤១០,៥", "៣៥៥,០", "១២០,០", "១.៨៨៥,៥"]
    assert all("(ប៊ីលានរៀល)" in c.column_header for c in cells if c.column > 0)
