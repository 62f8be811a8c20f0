"""DOCX: paragraphs and tables of the body in document order; headers and footers are page
furniture, kept apart from the text.

Tables keep their grid: a cell merged across columns is given in its first column and the
columns it also covers are empty; a cell merged down several rows is repeated in each row it
covers (so every row carries its label) but printed once in the text. Header rows are the
rows marked "repeat as header row" in Word, else the first row plus any rows a first-row cell
is merged down into.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tc
from docx.section import _Footer, _Header
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from parsers.document import Table
from parsers.errors import CorruptDocument


@dataclass(frozen=True)
class DocxText:
    """Body text (one paragraph or table row a line), tables, the core title, and the
    distinct lines of the page headers and footers (``furniture``, not in ``text``)."""

    text: str
    tables: tuple[Table, ...]
    title: str
    furniture: tuple[str, ...] = field(default=())


def is_docx(data: bytes) -> bool:
    """A ZIP archive holding ``word/document.xml``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_docx(data: bytes, *, name: str = "") -> DocxText:
    """Read the body of a DOCX in order; an unreadable package raises CorruptDocument."""
    try:
        document: DocxDocument = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise CorruptDocument("DOCX", f"{type(exc).__name__}: {exc}", name=name) from exc
    lines: list[str] = []
    tables: list[Table] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                lines.append(block.text)
        elif isinstance(block, DocxTable):
            table, text_rows = _table(block)
            if table.rows:
                tables.append(table)
                lines.extend("\t".join(cell for cell in row if cell) for row in text_rows)
    return DocxText(
        "\n".join(lines),
        tuple(tables),
        document.core_properties.title or "",
        _furniture(document),
    )


def _table(table: DocxTable) -> tuple[Table, list[tuple[str, ...]]]:
    """The table (grid rows, header rows) and its rows as printed (merged cells once)."""
    width = len(table._tbl.tblGrid.gridCol_lst)
    grid: list[list[str]] = []
    printed: list[list[str]] = []
    continued: list[set[int]] = []  # per row: grid columns merged down from the row above
    for tr in table._tbl.tr_lst:
        row = [""] * width
        shown = [""] * width
        below: set[int] = set()
        col = tr.grid_before
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            if col >= width:
                row.extend([""] * (col + span - width))
                shown.extend([""] * (col + span - width))
                width = col + span
            if _merged_from_above(tc) and grid:
                row[col] = grid[-1][col]
                below.add(col)
            else:
                row[col] = shown[col] = _cell_text(tc, table)
            col += span
        grid.append(row)
        printed.append(shown)
        continued.append(below)
    header = _header_rows(table._tbl.tr_lst, continued)
    keep = [i for i, row in enumerate(grid) if any(cell for cell in row)]
    header = sum(1 for i in keep if i < header) if keep else 0
    rows = tuple(tuple(grid[i]) for i in keep)
    text_rows = [tuple(printed[i]) for i in keep if any(printed[i])]
    return Table(rows, header_rows=min(max(header, 1), len(rows)) if rows else 1), text_rows


def _merged_from_above(tc: CT_Tc) -> bool:
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def _cell_text(tc: CT_Tc, table: DocxTable) -> str:
    cell = _Cell(tc, table)
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _header_rows(trs: list[CT_Row], continued: list[set[int]]) -> int:
    marked = 0
    for tr in trs:
        flag = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
        if flag is None or flag.get(qn("w:val"), "true") in ("0", "false", "off"):
            break
        marked += 1
    if marked:
        return marked
    header = 1
    while header < len(trs) - 1 and continued[header]:
        header += 1
    return header


def _furniture(document: DocxDocument) -> tuple[str, ...]:
    """Distinct non-empty lines of every header and footer, in section order."""
    found: list[str] = []
    for section in document.sections:
        parts: list[_Header | _Footer] = [
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ]
        for part in parts:
            if part.is_linked_to_previous:
                continue
            for block in part.iter_inner_content():
                if isinstance(block, Paragraph):
                    texts = [block.text]
                else:
                    texts = ["\t".join(c.text for c in row.cells) for row in block.rows]
                for text in texts:
                    text = " ".join(text.split())
                    if text and text not in found:
                        found.append(text)
    return tuple(found)
