"""The word diff of two prepared sections, with the noise forgiven, and the changes it gives.

Inside a matched pair of sections a word diff (sentence by sentence first when they are long)
gives the redline; hunks that are only a cross-reference following the renumbering
(``Article 6`` -> ``Article 7`` when 6 became 7), a page number inserted or deleted, or a
Khmer spelling variant count as equal. Numbers in the changed words are paired by
:func:`parsers.compare.quantities.pair_numbers`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from parsers.compare.change import Change, ChangeKind, DiffOp, NumberChange
from parsers.compare.quantities import find_quantities, pair_numbers
from parsers.compare.wording import _PAGE_LINE_RE, Wording, prepare
from parsers.document import Section
from parsers.khmer import normalize

__all__ = [
    "Context",
    "Opcode",
    "changed_numbers",
    "forgive",
    "one_sided",
    "opcodes",
    "ops",
    "text_ops",
    "tidy",
]


Tag = Literal["equal", "delete", "insert", "replace"]
Opcode = tuple[Tag, int, int, int, int]

_DIRECT_DIFF = 4_000_000  # token pairs above which the diff goes sentence-first
_CHUNK_MAX = 300
_COSMETIC_HUNK = 80  # tokens; a larger hunk is a rewrite, not a spelling variant
_VARIANT_OVERLAP = 0.75  # share of characters two spellings of the same words have in common
_OCR_HUNK = 24  # characters; an OCR misreading touches a word or two (Khmer words split
# differently once misread, so characters, not tokens, measure it)
_OCR_SIMILARITY = 0.75  # character similarity of a misread word to the printed one


@dataclass(frozen=True)
class Context:
    """What every pair of a comparison shares."""

    renumbered: dict[str, dict[str, str]]
    needs_check: bool
    classes: dict[str, tuple[str, str, int]]
    # the decimal mark of each document's numbers, old and new
    # (parsers.compare.tables.decimal_mark): a section's "1,250 EUR" reads as the rest of its
    # document writes numbers
    decimals: tuple[str | None, str | None] = (None, None)


def _chunks(p: Wording, lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    start = lo
    for k in range(lo, hi):
        if p.breaks[k] or k - start + 1 >= _CHUNK_MAX:
            out.append((start, k + 1))
            start = k + 1
    if start < hi:
        out.append((start, hi))
    return out


def _token_opcodes(a: Wording, b: Wording, alo: int, ahi: int, blo: int, bhi: int) -> list[Opcode]:
    if (ahi - alo) * (bhi - blo) > _DIRECT_DIFF:
        return [("replace", alo, ahi, blo, bhi)]
    matcher = SequenceMatcher(None, a.keys[alo:ahi], b.keys[blo:bhi], autojunk=False)
    return [
        (t, i1 + alo, i2 + alo, j1 + blo, j2 + blo) for t, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def opcodes(a: Wording, b: Wording) -> list[Opcode]:
    """Word diff; sentence by sentence first when the sections are long."""
    n, m = len(a.keys), len(b.keys)
    if a.keys == b.keys:
        return [("equal", 0, n, 0, m)] if n else []
    if n * m <= _DIRECT_DIFF:
        return _token_opcodes(a, b, 0, n, 0, m)
    ca, cb = _chunks(a, 0, n), _chunks(b, 0, m)
    matcher = SequenceMatcher(
        None, [a.keys[s:e] for s, e in ca], [b.keys[s:e] for s, e in cb], autojunk=False
    )
    out: list[Opcode] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        alo = ca[i1][0] if i1 < len(ca) else n
        ahi = ca[i2 - 1][1] if i2 > i1 else alo
        blo = cb[j1][0] if j1 < len(cb) else m
        bhi = cb[j2 - 1][1] if j2 > j1 else blo
        if tag == "equal":
            out.append(("equal", alo, ahi, blo, bhi))
        else:
            out.extend(_token_opcodes(a, b, alo, ahi, blo, bhi))
    return out


def _is_renumbered_ref(a: Wording, b: Wording, code: Opcode, ctx: Context) -> bool:
    """The replaced tokens are cross-reference numbers that follow the renumbering."""
    _, i1, i2, j1, j2 = code
    return i2 - i1 == j2 - j1 and all(
        a.xrefs[i] and b.xrefs[j] and ctx.renumbered.get(a.xrefs[i], {}).get(a.keys[i]) == b.keys[j]
        for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
    )


def _is_cosmetic(a: Wording, b: Wording, code: Opcode, ctx: Context) -> bool:
    """The replaced words are the same once normalised (Khmer spelling variants, composed and
    decomposed accents). Normalising is slow (khnormal), so only hunks that could be variants
    pay for it: small, non-ASCII, made of nearly the same characters."""
    tag, i1, i2, j1, j2 = code
    if tag != "replace" or max(i2 - i1, j2 - j1) > _COSMETIC_HUNK:
        return False
    old = a.text[_bound(a, i1) : _bound(a, i2)]
    new = b.text[_bound(b, j1) : _bound(b, j2)]
    if (old + new).isascii():
        return False
    common = sum((Counter(old) & Counter(new)).values())
    if 2 * common < _VARIANT_OVERLAP * (len(old) + len(new)):
        return False
    blank = Section("", "", "")
    return (
        prepare(blank, normalize(old), ctx.classes).keys
        == prepare(blank, normalize(new), ctx.classes).keys
    )


def _is_ocr_misreading(a: Wording, b: Wording, code: Opcode, ctx: Context) -> bool:
    """When a side was read by OCR, a word or two replaced by nearly the same letters (a
    vowel sign lost, 'wage' read 'wale') is the reader's error, not the lawmaker's. Digits
    are never forgiven: a number that moved is always a change."""
    tag, i1, i2, j1, j2 = code
    if not ctx.needs_check or tag != "replace":
        return False
    old = a.text[_bound(a, i1) : _bound(a, i2)].strip()
    new = b.text[_bound(b, j1) : _bound(b, j2)].strip()
    if max(len(old), len(new)) > _OCR_HUNK or any(c.isdigit() for c in old + new):
        return False
    return SequenceMatcher(None, old, new, autojunk=False).ratio() >= _OCR_SIMILARITY


def forgive(a: Wording, b: Wording, codes: list[Opcode], ctx: Context) -> list[Opcode]:
    """Turn non-substantive hunks into equal ones and merge neighbouring equal runs."""
    out: list[Opcode] = []
    for code in codes:
        tag, i1, i2, j1, j2 = code
        if tag != "equal" and (
            (tag == "replace" and _is_renumbered_ref(a, b, code, ctx))
            or (tag == "delete" and a.bare.issuperset(range(i1, i2)))
            or (tag == "insert" and b.bare.issuperset(range(j1, j2)))
            or _is_cosmetic(a, b, code, ctx)
            or _is_ocr_misreading(a, b, code, ctx)
        ):
            tag = "equal"
        if out and tag == "equal" and out[-1][0] == "equal":
            out[-1] = ("equal", out[-1][1], i2, out[-1][3], j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _bound(p: Wording, k: int) -> int:
    if k >= len(p.starts):
        return len(p.text)
    return 0 if k == 0 else p.starts[k]


def ops(a: Wording, b: Wording, codes: list[Opcode]) -> tuple[DiffOp, ...]:
    return tuple(
        DiffOp(tag, a.text[_bound(a, i1) : _bound(a, i2)], b.text[_bound(b, j1) : _bound(b, j2)])
        for tag, i1, i2, j1, j2 in codes
    )


def changed_numbers(
    a: Wording, b: Wording, codes: list[Opcode], ctx: Context
) -> tuple[NumberChange, ...]:
    old_mark, new_mark = ctx.decimals
    spans_a = [(_bound(a, i1), _bound(a, i2)) for t, i1, i2, _, _ in codes if t != "equal"]
    spans_b = [(_bound(b, j1), _bound(b, j2)) for t, _, _, j1, j2 in codes if t != "equal"]
    qa = [
        q
        for q in find_quantities(a.text, decimal=old_mark)
        if any(q.start < e and s < q.end for s, e in spans_a)
    ]
    qb = [
        q
        for q in find_quantities(b.text, decimal=new_mark)
        if any(q.start < e and s < q.end for s, e in spans_b)
    ]
    return pair_numbers(qa, qb, old_text=a.text, new_text=b.text)


def one_sided(kind: ChangeKind, p: Wording, ctx: Context) -> Change:
    quantities = find_quantities(p.text, decimal=ctx.decimals[0 if kind == "removed" else 1])
    if kind == "added":
        return Change(
            "added", None, p.section.ref, "", p.text,
            numbers=pair_numbers([], quantities, new_text=p.text), heading=p.section.heading,
            ops=(DiffOp("insert", "", p.text),), needs_check=ctx.needs_check,
        )  # fmt: skip
    return Change(
        "removed", p.section.ref, None, p.text, "",
        numbers=pair_numbers(quantities, [], old_text=p.text), heading=p.section.heading,
        ops=(DiffOp("delete", p.text, ""),), needs_check=ctx.needs_check,
    )  # fmt: skip


# A hunk's trailing spacing and punctuation (no key of their own): moved out of the marks.
_KEYLESS_SYMBOLS = frozenset("%$៛€+=<>±")


def _keyless(char: str) -> bool:
    return char.isspace() or (
        unicodedata.category(char)[0] in "PSZ" and char not in _KEYLESS_SYMBOLS
    )


def _key_end(text: str) -> int:
    """Where the last word of a hunk's text ends: what follows (spacing, punctuation, a
    page-number line) has no key, so the comparison does not see it."""
    end = len(text)
    while True:
        while end and _keyless(text[end - 1]):
            end -= 1
        line_start = text.rfind("\n", 0, end) + 1
        if line_start and _PAGE_LINE_RE.fullmatch(text[line_start:end]):
            end = line_start
            continue
        return end


def tidy(steps: Sequence[DiffOp]) -> tuple[DiffOp, ...]:
    """Changed steps without the spacing, punctuation and page-number lines that trail
    them (a step's slice runs to the next word), those left unmarked; equal steps merged."""
    out: list[DiffOp] = []

    def push(op: DiffOp) -> None:
        if not op.old and not op.new:
            return
        if out and op.tag == "equal" and out[-1].tag == "equal":
            out[-1] = DiffOp("equal", out[-1].old + op.old, out[-1].new + op.new)
        else:
            out.append(op)

    for op in steps:
        if op.tag == "equal":
            push(op)
            continue
        if op.tag == "replace":
            old_cut, new_cut = _key_end(op.old), _key_end(op.new)
            if not (old_cut and new_cut):
                push(op)
                continue
        else:  # what was added or removed keeps its punctuation; its spacing goes
            old_cut, new_cut = len(op.old.rstrip()), len(op.new.rstrip())
        push(DiffOp(op.tag, op.old[:old_cut], op.new[:new_cut]))
        push(DiffOp("equal", op.old[old_cut:], op.new[new_cut:]))
    return tuple(out)


def text_ops(old_text: str, new_text: str, needs_check: bool = False) -> tuple[DiffOp, ...]:
    """The word diff of two whole texts as the per-article comparison sees words: line
    wraps, spacing, hyphenation at line ends, zero-width characters, Khmer spelling
    variants and page-number lines are equal, and, when a side was read by OCR
    (``needs_check``), a word misread into nearly the same letters; each step's texts are
    slices of the texts (joined, the old steps give ``old_text`` back, the new ``new_text``)."""
    blank = Section("", "", "")
    classes: dict[str, tuple[str, str, int]] = {}
    a = prepare(blank, old_text, classes)
    b = prepare(blank, new_text, classes)
    if not a.keys and not b.keys:
        tag: Tag = "equal" if old_text.split() == new_text.split() else "replace"
        return (DiffOp(tag, old_text, new_text),) if old_text or new_text else ()
    ctx = Context(renumbered={}, needs_check=needs_check, classes=classes)
    codes = forgive(a, b, opcodes(a, b), ctx)
    return tidy(ops(a, b, codes))
