"""Parameters in table cells: a quantity in a body cell labelled by its row header and its
column header ("Social pension, 2026"), read with the unit and scale of the column. Pure."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from parsers.compare.change import Quantity
from parsers.compare.quantities import column_hint, find_quantities
from parsers.document import Table

MAX_LABEL = 80  # characters: a label is a noun phrase, not a sentence


def clean_label(label: str) -> str:
    """A label on one line, at most :data:`MAX_LABEL` characters."""
    return " ".join(label.split())[:MAX_LABEL].strip()


_PAREN_RE = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")


def _row_cells(row: Sequence[str]) -> list[str]:
    return [" ".join(c.split()) for c in row if c.strip()]


_ROW_SLACK = 3  # characters a line may hold beside each of the row's cells (separators)


def table_lines(text: str, tables: Sequence[Table]) -> list[tuple[int, int]]:
    """The spans of ``text``'s lines that are a row of one of ``tables`` (the row's non-empty
    cells in order, and little else: a sentence that names the same words is not the row):
    their numbers are read from the table."""
    wanted = [cells for t in tables for row in t.rows if len(cells := _row_cells(row)) > 1]
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        squeezed = " ".join(line.split())
        for cells in wanted:
            if len(squeezed) > sum(map(len, cells)) + _ROW_SLACK * len(cells):
                continue
            at = 0
            for cell in cells:
                at = squeezed.find(cell, at)
                if at < 0:
                    break
                at += len(cell)
            else:
                spans.append((offset, offset + len(line)))
                break
        offset += len(line) + 1
    return spans


def _header_label(header: str) -> str:
    """A column header without the unit and scale it gives its cells ("2026 (KHR million)"
    -> "2026"): values are in base units, the unit is said apart."""

    def unitless(m: re.Match[str]) -> str:
        unit, scale = column_hint(m.group(1))
        return "" if unit or scale != 1.0 else m.group(0)

    return " ".join(_PAREN_RE.sub(unitless, header).split())


def cell_quantities(table: Table, decimal: str | None) -> list[tuple[str, Quantity, str]]:
    """Each quantity of a table's body cells with its label, the row's header and the
    column's ("Social pension, 2026"), read with the unit and scale of its column header
    (else of the table's corner cell), and the row as its clause."""
    headers = table.column_headers()
    corner = column_hint(headers[0]) if headers and headers[0] else ("", 1.0)
    out: list[tuple[str, Quantity, str]] = []
    for cell in table.cells():
        if " ".join(cell.text.split()) == cell.row_label or not cell.row_label:
            continue
        unit, scale = column_hint(cell.column_header) if cell.column_header else ("", 1.0)
        if not unit and scale == 1.0 and cell.column > 0:
            unit, scale = corner
        column = _header_label(cell.column_header)
        label = clean_label(f"{cell.row_label}, {column}" if column else cell.row_label)
        row = table.rows[cell.row]
        clause = " | ".join(
            f"{_header_label(headers[c]) if c < len(headers) else ''}: {' '.join(v.split())}"
            if c != 0 else " ".join(v.split())
            for c, v in enumerate(row) if v.strip()
        )  # fmt: skip
        hinted = _PAREN_RE.search(cell.column_header or headers[0] if headers else "")
        for q in find_quantities(cell.text, unit_hint=unit, scale=scale, decimal=decimal):
            if not q.unit:
                continue
            if hinted and not column_hint(q.text)[0] and column_hint(hinted.group(1))[0]:
                q = dataclasses.replace(q, text=f"{q.text} {hinted.group(1).strip()}")
            out.append((label, q, clause))
    return out
