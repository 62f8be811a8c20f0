"""A table as found on one page (a piece, with where it lies on the page) and the tables a
page break cut in two, made whole again."""

from __future__ import annotations

from dataclasses import dataclass

from parsers.document import Table


@dataclass(frozen=True)
class Piece(Table):
    """A ruled table as found on one page, with where it lies: its top and bottom as shares
    of the page height (from the top) and the x of its column rules."""

    top: float = 0.0
    bottom: float = 1.0
    columns: tuple[float, ...] = ()


#: A table cut by a page break ends in this bottom share of its page and goes on in this
#: top share of the next, on the same column rules (points apart at most).
PAGE_EDGE = 0.3
COLUMN_TOLERANCE = 2.0


def join_continued(tables: list[Table]) -> list[Table]:
    """Tables a page break cut in two made whole again: a table at the foot of one page and
    one at the head of the next on the same column rules are one table (a heading row the
    typesetter repeated, and rows left empty by the break, are dropped). Plain tables come
    out; a piece of one row that continues nothing is no table."""
    out: list[Table] = []
    for table in tables:
        last = out[-1] if out else None
        if isinstance(last, Piece) and isinstance(table, Piece) and _continues(last, table):
            rows = list(table.rows)
            while rows and not any(rows[0]):
                rows.pop(0)  # a row the break left empty
            if rows and last.header_rows and tuple(rows[0]) == last.rows[0]:
                rows = rows[1:]
            out[-1] = Piece(
                (*last.rows, *rows),
                last.page,
                last.header_rows,
                top=last.top,
                bottom=table.bottom,
                columns=table.columns,
            )
            continue
        out.append(table)
    plain = []
    for table in out:
        if isinstance(table, Piece):
            if len(table.rows) < 2:
                continue
            table = Table(table.rows, table.page, table.header_rows)
        plain.append(table)
    return plain


def _continues(first: Piece, then: Piece) -> bool:
    if first.page is None or then.page != first.page + 1:
        return False
    if first.bottom < 1 - PAGE_EDGE or then.top > PAGE_EDGE:
        return False
    if len(first.columns) != len(then.columns):
        return False
    return all(
        abs(a - b) <= COLUMN_TOLERANCE for a, b in zip(first.columns, then.columns, strict=True)
    )
