"""Compare the tables of two documents cell by cell, each cell read with its row and column.

Tables at the same position are compared. Columns are paired by their header
(:meth:`Table.column_headers`, several header rows joined with `` / ``), so an inserted year
column is one ``added`` change, not a change in every row; body rows are paired by their label
(:meth:`Table.cells`: the first cell with letters) in order, so an inserted or removed row is
one ``added`` or ``removed`` change. In a paired row every changed cell is diffed word by word
and its numbers are read with the unit and scale of its column header (``KHR billion``,
``ថវិកា (ប៊ីលានរៀល)``), each number labelled with the row. A row change reads
``Table 1, row "Social protection", column "2025 / Budget"`` when one cell changed (the
column is left out when several did), and its text is the row as ``label | header: value``.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from parsers.compare.change import Change, ChangeKind, DiffOp, NumberChange, Quantity
from parsers.compare.numerals import number_format
from parsers.compare.quantities import pair_numbers
from parsers.compare.redline import Context, forgive, opcodes, ops
from parsers.compare.table_grid import Grid, Pair, grid_of, pair_keys
from parsers.compare.wording import prepare, sections
from parsers.document import Document, Section, Table

__all__ = ["table_changes"]

_SEP = " | "
_ROW_SIMILARITY = 0.5  # two differently labelled rows at the same place are one row if this alike


def decimal_mark(document: Document) -> str | None:
    """The decimal mark of a document's numbers, its text and tables together
    (:func:`parsers.compare.numerals.number_format`); None when they do not tell."""
    cells = "\n".join(cell for table in document.tables for row in table.rows for cell in row)
    return number_format(document.text + "\n" + cells) or None


def _keys(text: str, ctx: Context) -> tuple[str, ...]:
    return prepare(Section("", "", text, "cell"), classes=ctx.classes).keys


def _one_sided(
    kind: ChangeKind, ref: str, text: str, quantities: list[Quantity], ctx: Context
) -> Change:
    if kind == "added":
        return Change(
            "added", None, ref, "", text, numbers=pair_numbers([], quantities, new_text=text),
            ops=(DiffOp("insert", "", text),), needs_check=ctx.needs_check,
        )  # fmt: skip
    return Change(
        "removed", ref, None, text, "", numbers=pair_numbers(quantities, [], old_text=text),
        ops=(DiffOp("delete", text, ""),), needs_check=ctx.needs_check,
    )  # fmt: skip


def _ref(index: int, label: str, row: int, column: str = "") -> str:
    where = f'row "{label}"' if label else f"row {row + 1}"
    return f"Table {index}, {where}" + (f', column "{column}"' if column else "")


class _TablePair:
    """The comparison of one old table with the new table at the same position."""

    def __init__(
        self,
        index: int,
        old: Table,
        new: Table,
        ctx: Context,
        decimals: tuple[str | None, str | None] = (None, None),
    ) -> None:
        self.index, self.ctx = index, ctx
        self.old, self.new = grid_of(old, decimals[0]), grid_of(new, decimals[1])
        keys_a = [_keys(h, ctx) for h in self.old.headers]
        keys_b = [_keys(h, ctx) for h in self.new.headers]
        self.columns = pair_keys(keys_a, keys_b)
        # A column that cannot be paired is an inserted or removed column when it has a
        # header; a headerless one holding text means the grids differ: read whole rows.
        self.cellwise = all(
            (i is not None and j is not None)
            or (i is not None and (self.old.headers[i] or not any(r[i] for r in self.old.rows)))
            or (j is not None and (self.new.headers[j] or not any(r[j] for r in self.new.rows)))
            for i, j in self.columns
        )
        self.renamed = [
            (i, j)
            for i, j in self.columns
            if i is not None and j is not None and keys_a[i] != keys_b[j]
        ]

    # -- rows ---------------------------------------------------------------------------------

    def _cells(self, grid: Grid, r: int) -> list[tuple[int, str]]:
        """(column, text) of a row's non-empty cells."""
        return [(c, t) for c, t in enumerate(grid.rows[r]) if t]

    def _text(self, grid: Grid, r: int) -> str:
        parts = []
        for c, text in self._cells(grid, r):
            header = grid.headers[c]
            plain = c == grid.label_columns[r] or not header
            parts.append(text if plain else f"{header}: {text}")
        return _SEP.join(parts)

    def _numbers(self, grid: Grid, r: int, cells: list[tuple[int, str]]) -> list[Quantity]:
        return [q for c, text in cells for q in grid.quantities(text, grid.labels[r], c)]

    def one_sided(self, kind: ChangeKind, r: int) -> Change:
        grid = self.new if kind == "added" else self.old
        text = self._text(grid, r)
        quantities = self._numbers(grid, r, self._cells(grid, r))
        return _one_sided(kind, _ref(self.index, grid.labels[r], r), text, quantities, self.ctx)

    def _cell_ops(self, ta: str, tb: str) -> tuple[DiffOp, ...] | None:
        """The word diff of one cell, or None when it did not change in substance."""
        if not ta or not tb:
            return (DiffOp("insert", "", tb),) if tb else (DiffOp("delete", ta, ""),)
        a = prepare(Section("", "", ta, "cell"), classes=self.ctx.classes)
        b = prepare(Section("", "", tb, "cell"), classes=self.ctx.classes)
        codes = forgive(a, b, opcodes(a, b), self.ctx)
        if all(code[0] == "equal" for code in codes):
            return None
        return ops(a, b, codes)

    def _cell(self, ta: str, tb: str, ca: int, cb: int) -> tuple[DiffOp, ...]:
        """The redline of one cell: all ``equal`` when it did not change in substance."""
        same = (DiffOp("equal", ta, tb),)
        if _keys(ta, self.ctx) == _keys(tb, self.ctx) or self._same_amounts(ta, tb, ca, cb):
            return same
        return self._cell_ops(ta, tb) or same

    def _same_amounts(self, ta: str, tb: str, ca: int, cb: int) -> bool:
        """The cell says the same amounts under a header with another scale
        (``1,200,000`` under ``KHR million`` is ``1,200`` under ``KHR billion``)."""
        qa = self.old.quantities(ta, "", ca)
        qb = self.new.quantities(tb, "", cb)
        words_a = [k for k in _keys(ta, self.ctx) if not k.startswith("n")]
        words_b = [k for k in _keys(tb, self.ctx) if not k.startswith("n")]
        return (
            bool(qa)
            and words_a == words_b
            and [(q.value, q.unit) for q in qa] == [(q.value, q.unit) for q in qb]
        )

    def paired(self, ra: int, rb: int, moved: bool) -> Change | None:
        old, new = self.old, self.new
        if _keys(_SEP.join(old.rows[ra]), self.ctx) == _keys(_SEP.join(new.rows[rb]), self.ctx):
            if not moved:
                return None
            ref_a, ref_b = (
                _ref(self.index, old.labels[ra], ra),
                _ref(self.index, new.labels[rb], rb),
            )
            ta, tb = self._text(old, ra), self._text(new, rb)
            return Change("moved", ref_a, ref_b, ta, tb, ops=(DiffOp("equal", ta, tb),),
                          needs_check=self.ctx.needs_check)  # fmt: skip
        if not self.cellwise:
            return self._whole_rows(ra, rb)
        label_a, label_b = old.labels[ra], new.labels[rb]
        out: list[DiffOp] = []
        numbers: list[NumberChange] = []
        changed: list[str] = []
        for ca, cb in self.columns:
            if ca is None or cb is None:
                continue  # an inserted or removed column is a change of its own
            ta, tb = old.rows[ra][ca], new.rows[rb][cb]
            if not ta and not tb:
                continue
            header_a, header_b = old.headers[ca], new.headers[cb]
            numbering = ca == old.numbering and cb == new.numbering
            cell_ops = (DiffOp("equal", ta, tb),) if numbering else self._cell(ta, tb, ca, cb)
            if any(op.tag != "equal" for op in cell_ops):
                changed.append(header_b or header_a)
                qa = old.quantities(ta, label_a, ca) if ta else []
                qb = new.quantities(tb, label_b, cb) if tb else []
                numbers.extend(pair_numbers(qa, qb, old_text=ta, new_text=tb))
            if out:
                out.append(DiffOp("equal", _SEP, _SEP))
            is_label = ca == old.label_columns[ra] or cb == new.label_columns[rb]
            prefix_a = "" if is_label or not header_a or not ta else f"{header_a}: "
            prefix_b = "" if is_label or not header_b or not tb else f"{header_b}: "
            if prefix_a and prefix_b:
                out.append(DiffOp("equal", prefix_a, prefix_b))
            elif prefix_a or prefix_b:
                out.append(DiffOp("insert" if prefix_b else "delete", prefix_a, prefix_b))
            out.extend(cell_ops)
        if not changed and label_a == label_b and not moved:
            return None
        column = changed[0] if len(changed) == 1 else ""
        return Change(
            "modified" if changed or label_a != label_b else "moved",
            _ref(self.index, label_a, ra, column),
            _ref(self.index, label_b, rb, column),
            "".join(op.old for op in out),
            "".join(op.new for op in out),
            numbers=tuple(numbers),
            ops=tuple(out),
            needs_check=self.ctx.needs_check,
        )

    def _whole_rows(self, ra: int, rb: int) -> Change | None:
        """A row of tables whose columns do not pair: the row text diffed as one, numbers
        read with the new table's column headers."""
        old, new = self.old, self.new
        ref_a = _ref(self.index, old.labels[ra], ra)
        ref_b = _ref(self.index, new.labels[rb], rb)
        a = prepare(Section(ref_a, "", _SEP.join(t for t in old.rows[ra] if t), "row"),
                    classes=self.ctx.classes)  # fmt: skip
        b = prepare(Section(ref_b, "", _SEP.join(t for t in new.rows[rb] if t), "row"),
                    classes=self.ctx.classes)  # fmt: skip
        codes = forgive(a, b, opcodes(a, b), self.ctx)
        if all(code[0] == "equal" for code in codes):
            return None
        qa = self._numbers(old, ra, self._cells(old, ra))
        qb = self._numbers(new, rb, self._cells(new, rb))
        numbers = pair_numbers(qa, qb)
        return Change("modified", ref_a, ref_b, a.text, b.text, numbers=numbers,
                      ops=ops(a, b, codes), needs_check=self.ctx.needs_check)  # fmt: skip

    # -- the table ----------------------------------------------------------------------------

    def header_change(self) -> Change | None:
        """Renamed column headers (an inserted or removed column is its own change)."""
        if not self.renamed:
            return None
        ref = f"Table {self.index}, header"
        out: list[DiffOp] = []
        for i, j in self.columns:
            if i is None or j is None:
                continue
            if out:
                out.append(DiffOp("equal", _SEP, _SEP))
            ha, hb = self.old.headers[i], self.new.headers[j]
            out.extend(self._cell(ha, hb, i, j))
        if all(op.tag == "equal" for op in out):
            return None
        old_text, new_text = "".join(o.old for o in out), "".join(o.new for o in out)
        return Change("modified", ref, ref, old_text, new_text, ops=tuple(out),
                      needs_check=self.ctx.needs_check)  # fmt: skip

    def column_change(self, kind: ChangeKind, c: int) -> Change | None:
        """A column inserted or removed: its cells as ``row label: value`` lines."""
        grid = self.new if kind == "added" else self.old
        header = grid.headers[c]
        lines, quantities = [], []
        for r, row in enumerate(grid.rows):
            if row[c]:
                lines.append(f"{grid.labels[r]}: {row[c]}" if grid.labels[r] else row[c])
                quantities.extend(grid.quantities(row[c], grid.labels[r], c))
        if not lines:
            return None
        text = "\n".join([header, *lines] if header else lines)
        ref = (
            f'Table {self.index}, column "{header}"'
            if header
            else f"Table {self.index}, column {c + 1}"
        )
        return _one_sided(kind, ref, text, quantities, self.ctx)

    def _whole_keys(self, grid: Grid) -> tuple[str, ...]:
        lines = [_SEP.join(grid.headers), *(_SEP.join(row) for row in grid.rows)]
        return _keys("\n".join(lines), self.ctx)

    def changes(self) -> list[Change]:
        if self._whole_keys(self.old) == self._whole_keys(self.new):
            return []  # the same words: another rendering of the same table
        found: list[Change] = []
        header = self.header_change()
        if header is not None:
            found.append(header)
        if self.cellwise:
            for i, j in self.columns:
                column = (
                    self.column_change("added", j) if i is None and j is not None
                    else self.column_change("removed", i) if i is not None and j is None
                    else None
                )  # fmt: skip
                if column is not None:
                    found.append(column)
        label_keys_a = [_keys(label, self.ctx) for label in self.old.labels]
        label_keys_b = [_keys(label, self.ctx) for label in self.new.labels]
        pairs = pair_keys(label_keys_a, label_keys_b)
        # A relabelled row must still look like the same row; else it is removed and added.
        checked: list[Pair] = []
        for i, j in pairs:
            if i is not None and j is not None and label_keys_a[i] != label_keys_b[j]:
                ratio = SequenceMatcher(
                    None, _keys(_SEP.join(self.old.rows[i]), self.ctx),
                    _keys(_SEP.join(self.new.rows[j]), self.ctx), autojunk=False,
                ).ratio()  # fmt: skip
                if ratio < _ROW_SIMILARITY:
                    checked.extend([(i, None), (None, j)])
                    continue
            checked.append((i, j))
        # Rows that left their place but kept their label were moved.
        lone_old = {i for i, j in checked if j is None and i is not None}
        moved: dict[int, int] = {}
        for i, j in checked:
            if i is None and j is not None:
                match = next(
                    (k for k in sorted(lone_old) if label_keys_a[k] == label_keys_b[j]), None
                )
                if match is not None and label_keys_b[j]:
                    lone_old.discard(match)
                    moved[j] = match
        for i, j in checked:
            change: Change | None = None
            if i is not None and j is not None:
                change = self.paired(i, j, moved=False)
            elif j is not None:
                change = (
                    self.paired(moved[j], j, moved=True)
                    if j in moved
                    else self.one_sided("added", j)
                )
            elif i is not None and i in lone_old:
                change = self.one_sided("removed", i)
            if change is not None:
                found.append(change)
        return found


def _table_whole(
    kind: ChangeKind, index: int, table: Table, ctx: Context, decimal: str | None = None
) -> Change:
    grid = grid_of(table, decimal)
    lines = [_SEP.join(h for h in grid.headers if h)] if any(grid.headers) else []
    quantities = []
    for r, row in enumerate(grid.rows):
        lines.append(_SEP.join(t for t in row if t))
        for c, text in enumerate(row):
            if text:
                quantities.extend(grid.quantities(text, grid.labels[r], c))
    text = "\n".join(lines)
    return _one_sided(kind, f"Table {index}", text, quantities, ctx)


def table_changes(old: Document, new: Document, ctx: Context) -> list[Change]:
    """Cell-level changes of tables at the same position; whole tables added or removed only
    when the other side has tables too (or nothing at all), so a reader that found no tables
    in one rendering does not produce noise."""
    changes: list[Change] = []
    if not old.tables and not new.tables:
        return changes
    # a lone "1,500" in a cell reads by the decimal mark of its whole document
    decimals = (decimal_mark(old), decimal_mark(new))
    for t in range(max(len(old.tables), len(new.tables))):
        if t < len(old.tables) and t < len(new.tables):
            pair = _TablePair(t + 1, old.tables[t], new.tables[t], ctx, decimals)
            changes.extend(pair.changes())
        elif t < len(new.tables) and (old.tables or not sections(old)):
            changes.append(_table_whole("added", t + 1, new.tables[t], ctx, decimals[1]))
        elif t < len(old.tables) and (new.tables or not sections(new)):
            changes.append(_table_whole("removed", t + 1, old.tables[t], ctx, decimals[0]))
    return changes
