"""Compare the tables of two documents row by row, numbers read with their column's unit.

Tables at the same position are compared; rows are matched by their label (the first cell
with letters), and changed cells are read with the unit and scale of their column header
(``KHR billion``, ``ពាន់លានរៀល``), each number labelled with its row.
"""

from __future__ import annotations

from parsers.change import Change, ChangeKind, NumberChange
from parsers.document import Document, Section, Table
from parsers.quantities import column_hint, find_quantities, pair_numbers
from parsers.redline import Context, forgive, one_sided, opcodes, ops
from parsers.wording import prepare, sections

__all__ = ["table_changes"]


def _row_label(row: tuple[str, ...]) -> str:
    for cell in row:
        if any(c.isalpha() for c in cell):
            return " ".join(cell.split())
    return " ".join(row[0].split()) if row else ""


def _row_text(row: tuple[str, ...]) -> str:
    return " | ".join(" ".join(c.split()) for c in row)


def _table_whole(kind: ChangeKind, index: int, table: Table, ctx: Context) -> Change:
    text = "\n".join(_row_text(r) for r in table.rows)
    return one_sided(kind, prepare(Section(f"Table {index}", "", text, "table")), ctx)


def _table_rows(index: int, old: Table, new: Table, ctx: Context) -> list[Change]:
    header = new.rows[0] if new.rows else ()
    hints = [column_hint(h) for h in header]

    def key(row: tuple[str, ...]) -> str:
        return " ".join(prepare(Section("", "", _row_label(row))).keys)

    olds: dict[str, list[int]] = {}
    for r, row in enumerate(old.rows):
        olds.setdefault(key(row), []).append(r)
    changes: list[Change] = []
    seen: set[int] = set()
    for r, row in enumerate(new.rows):
        label = _row_label(row)
        ref = f"Table {index}, header" if r == 0 else f'Table {index}, row "{label}"'
        section = Section(ref, "", _row_text(row), "row")
        matches = [k for k in olds.get(key(row), []) if k not in seen]
        if not matches:
            changes.append(one_sided("added", prepare(section), ctx))
            continue
        seen.add(matches[0])
        old_row = old.rows[matches[0]]
        a = prepare(Section(ref, "", _row_text(old_row), "row"), classes=ctx.classes)
        b = prepare(section, classes=ctx.classes)
        codes = forgive(a, b, opcodes(a, b), ctx)
        if all(code[0] == "equal" for code in codes):
            continue
        numbers: list[NumberChange] = []
        for c in range(max(len(row), len(old_row))):
            unit, scale = hints[c] if c < len(hints) and r > 0 else ("", 1.0)
            cell_a = old_row[c] if c < len(old_row) else ""
            cell_b = row[c] if c < len(row) else ""
            if cell_a == cell_b:
                continue
            qa = find_quantities(cell_a, label=label, unit_hint=unit, scale=scale)
            qb = find_quantities(cell_b, label=label, unit_hint=unit, scale=scale)
            numbers.extend(pair_numbers(qa, qb))
        changes.append(
            Change(
                "modified",
                ref,
                ref,
                a.text,
                b.text,
                numbers=tuple(numbers),
                ops=ops(a, b, codes),
                needs_check=ctx.needs_check,
            )
        )
    for r, row in enumerate(old.rows):
        if r not in seen:
            section = Section(f'Table {index}, row "{_row_label(row)}"', "", _row_text(row), "row")
            changes.append(one_sided("removed", prepare(section), ctx))
    return changes


def table_changes(old: Document, new: Document, ctx: Context) -> list[Change]:
    """Row-level changes of tables at the same position; whole tables added or removed only
    when the other side has tables too (or nothing at all), so a reader that found no tables
    in one rendering does not produce noise."""
    changes: list[Change] = []
    for t in range(max(len(old.tables), len(new.tables))):
        if t < len(old.tables) and t < len(new.tables):
            changes.extend(_table_rows(t + 1, old.tables[t], new.tables[t], ctx))
        elif t < len(new.tables) and (old.tables or not sections(old)):
            changes.append(_table_whole("added", t + 1, new.tables[t], ctx))
        elif t < len(old.tables) and (new.tables or not sections(new)):
            changes.append(_table_whole("removed", t + 1, old.tables[t], ctx))
    return changes
