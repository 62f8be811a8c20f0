"""A table as a grid: its body as rows of cells, each row with its label and each column
with its header; and the order-preserving pairing of the rows (or columns) of two tables."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from parsers.compare.change import Quantity
from parsers.compare.quantities import column_hint, find_quantities
from parsers.document import Table
from parsers.khmer import to_ascii_digits

#: A pair of row (or column) indices, old and new; None on the side that has none.
Pair = tuple[int | None, int | None]


@dataclass(frozen=True)
class Grid:
    """A table's body as rows of cells, with each row's label and each column's header."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    labels: tuple[str, ...]
    label_columns: tuple[int, ...]  # the column each label came from, -1 if none
    numbering: int = -1  # a column that numbers the rows 1, 2, 3... (its cells are no content)
    decimal: str | None = None  # the document's decimal mark (None: read from each cell)

    def quantities(self, text: str, label: str, column: int) -> list[Quantity]:
        """Quantities of a cell read with its column header's unit and scale, else with those
        of the table's corner cell (``KHR billion`` above the row labels)."""
        header = self.headers[column]
        unit, scale = column_hint(header) if header else ("", 1.0)
        if not unit and scale == 1.0 and column > 0 and self.headers[0]:
            unit, scale = column_hint(self.headers[0])
        return find_quantities(text, label=label, unit_hint=unit, scale=scale, decimal=self.decimal)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def grid_of(table: Table, decimal: str | None = None) -> Grid:
    headers = table.column_headers()
    found: dict[int, tuple[str, int]] = {}
    for cell in table.cells():
        if cell.row not in found:
            found[cell.row] = (cell.row_label, -1)
        if found[cell.row][1] < 0 and _squeeze(cell.text) == cell.row_label:
            found[cell.row] = (cell.row_label, cell.column)
    width = len(headers)
    rows, labels, columns = [], [], []
    for r in sorted(found):  # rows with no text at all are layout, not content
        row = table.rows[r]
        rows.append(tuple(_squeeze(row[c]) if c < len(row) else "" for c in range(width)))
        labels.append(found[r][0])
        columns.append(found[r][1])
    return Grid(headers, tuple(rows), tuple(labels), tuple(columns), _numbering(rows), decimal)


def _numbering(rows: list[tuple[str, ...]]) -> int:
    """The column whose cells count the rows (``1``, ``2``... or ``១``, ``២``...), else -1:
    when a row is inserted every later number moves, and that is not a change."""
    if len(rows) < 2:
        return -1
    for c in range(len(rows[0])):
        cells = [to_ascii_digits(row[c]).rstrip(".") for row in rows]
        if all(cell.isdigit() for cell in cells) and [int(x) for x in cells] == list(
            range(int(cells[0]), int(cells[0]) + len(cells))
        ):
            return c
    return -1


def pair_keys(a: list[tuple[str, ...]], b: list[tuple[str, ...]]) -> list[Pair]:
    """Order-preserving pairing of two key lists; a replaced run of the same length pairs
    position by position (a renamed header, a relabelled row)."""
    out: list[Pair] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            out.extend((i, None) for i in range(i1, i2))
            out.extend((None, j) for j in range(j1, j2))
    return out
