"""DOCX: paragraphs and tables of the body in document order (headers and footers are
page furniture and left out)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
from docx.document import Document as DocxDocument
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from parsers.document import Table
from parsers.errors import CorruptDocument


@dataclass(frozen=True)
class DocxText:
    """Body text (one paragraph or table row a line), tables, and the core title."""

    text: str
    tables: tuple[Table, ...]
    title: str


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
            rows = _rows(block)
            if rows:
                tables.append(Table(rows))
                lines.extend("\t".join(cell for cell in row if cell) for row in rows)
    return DocxText("\n".join(lines), tuple(tables), document.core_properties.title or "")


def _rows(table: DocxTable) -> tuple[tuple[str, ...], ...]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        last = None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell is repeated once per grid column
                continue
            last = cell._tc
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        rows.append(tuple(cells))
    return tuple(r for r in rows if any(r))
