"""Compare two read documents provision by provision: Document x Document -> Changes.

Each section becomes content tokens keyed so that cosmetic differences vanish
(:mod:`parsers.compare.wording`: whitespace and line wrap, hyphenation at line ends, zero-width
characters and Khmer spelling variants, optional spaces between Khmer words, page-number
lines, punctuation, letter case, digit script and thousands separators). Sections are aligned
by :mod:`parsers.compare.align`; inside a matched pair a word diff gives the redline
(:mod:`parsers.compare.redline`), and a difference that is only a cross-reference following the
renumbering (``Article 6`` -> ``Article 7`` when 6 became 7) does not count. Numbers in the
changed words are paired by :func:`parsers.compare.quantities.pair_numbers`; tables are compared row
by row (:mod:`parsers.compare.tables`).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

from parsers.compare.align import Item, align
from parsers.compare.change import Change, ChangeKind
from parsers.compare.points import Point, common_path, format_unit, read_points
from parsers.compare.redline import (
    Context,
    Opcode,
    changed_numbers,
    forgive,
    one_sided,
    opcodes,
    ops,
)
from parsers.compare.tables import decimal_mark, table_changes
from parsers.compare.wording import Wording, prepare, sections
from parsers.document import Document

logger = logging.getLogger(__name__)


def _paired(a: Wording, b: Wording, moved: bool, ctx: Context) -> Change | None:
    codes = forgive(a, b, opcodes(a, b), ctx)
    substantive = any(code[0] != "equal" for code in codes)
    renumbered = (
        not a.positional
        and not b.positional
        and (a.number != b.number or (not a.number and a.section.ref != b.section.ref))
    )
    kind: ChangeKind
    if substantive:
        kind = "modified"
    elif moved:
        kind = "moved"
    elif renumbered:
        kind = "renumbered"
    else:
        return None
    return Change(
        kind,
        a.section.ref,
        b.section.ref,
        a.text,
        b.text,
        numbers=changed_numbers(a, b, codes, ctx) if substantive else (),
        heading=b.section.heading or a.section.heading,
        ops=ops(a, b, codes),
        needs_check=ctx.needs_check,
        unit=_unit(a, b, codes) if substantive else b.section.ref,
    )


def _unit(a: Wording, b: Wording, codes: list[Opcode]) -> str:
    """The section ref and the innermost point that holds every changed word: inserted and
    replacing words where they stand in the new text, deleted ones in the old."""
    old_points, new_points = read_points(a.text), read_points(b.text)
    paths: list[tuple[Point, ...]] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            continue
        points, starts = (new_points, b.starts[j1:j2]) if j2 > j1 else (old_points, a.starts[i1:i2])
        inside = [s for s in starts if not points.in_marker(s)] or list(starts)
        paths.extend(points.at(s) for s in inside)
    return format_unit(b.section.ref, common_path(paths))


def _renumbering(pairs: list[tuple[Wording, Wording]]) -> dict[str, dict[str, str]]:
    votes: dict[str, Counter[tuple[str, str]]] = {}
    for a, b in pairs:
        if a.kind == b.kind and a.number and b.number and not a.positional:
            votes.setdefault(a.kind, Counter())[(a.number, b.number)] += 1
    out: dict[str, dict[str, str]] = {}
    for kind, counter in votes.items():
        mapping = out.setdefault(kind, {})
        for (old, new), _ in counter.most_common():
            mapping.setdefault(old, new)  # the most frequent target wins
    return out


def _inside_tables(change: Change, cells: list[Change]) -> bool:
    """A paragraph change whose changed words all sit in table cells that changed: the same
    edit seen twice (the table is also printed as text), reported once, by the table."""
    if change.kind != "modified":
        return False
    edited = [w for op in change.ops if op.tag != "equal" for w in (op.old + " " + op.new).split()]
    cell_text = "\n".join(cell.old_text + "\n" + cell.new_text for cell in cells)
    return bool(edited) and all(word in cell_text for word in edited)


def compare(old: Document, new: Document) -> tuple[Change, ...]:
    """The substantive changes from ``old`` to ``new``, in the order of the new document
    (removed provisions where they stood). Pure: no I/O."""
    classes: dict[str, tuple[str, str, int]] = {}
    olds = [prepare(s, classes=classes) for s in sections(old)]
    news = [prepare(s, classes=classes) for s in sections(new)]
    items_old = [Item(p.blind, p.kind, p.number, p.section.ref, p.positional) for p in olds]
    items_new = [Item(p.blind, p.kind, p.number, p.section.ref, p.positional) for p in news]
    alignment = align(items_old, items_new)
    ctx = Context(
        renumbered=_renumbering([(olds[i], news[j]) for i, j in alignment.pairs]),
        needs_check=old.method in ("ocr", "mixed") or new.method in ("ocr", "mixed"),
        classes=classes,
        decimals=(decimal_mark(old), decimal_mark(new)),
    )
    ordered: list[tuple[tuple[float, int], Change]] = []
    for i, j in alignment.pairs:
        change = _paired(olds[i], news[j], (i, j) in alignment.moved, ctx)
        if change is not None:
            ordered.append(((j, 0), change))
    for j in alignment.added:
        ordered.append(((j, 0), one_sided("added", news[j], ctx)))
    new_of_old = dict(alignment.pairs)
    removed = set(alignment.removed)
    last_new = -1  # where the last matched old section before this one went
    for i in range(len(olds)):
        if i in new_of_old:
            last_new = max(last_new, new_of_old[i])
        elif i in removed:
            ordered.append(((last_new + 0.5, i), one_sided("removed", olds[i], ctx)))
    ordered.sort(key=lambda item: item[0])
    changes = [c for _, c in ordered]
    cells = table_changes(old, new, ctx)
    if cells:
        changes = [c for c in changes if not _inside_tables(c, cells)]
    changes.extend(cells)
    changes = [c if c.unit else replace(c, unit=c.ref) for c in changes]
    counts = Counter(c.kind for c in changes)
    logger.info(
        "compared %d old and %d new sections: %d changes (%s)",
        len(olds), len(news), len(changes),
        ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none",
    )  # fmt: skip
    return tuple(changes)
