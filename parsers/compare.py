"""Compare two read documents provision by provision: Document x Document -> Changes.

Each section becomes a list of content tokens (ICU words for Khmer, words for English) keyed
so that cosmetic differences vanish: whitespace and line wrap, hyphenation at line ends,
zero-width characters and Khmer spelling variants (text is normalised), optional spaces
between Khmer words, page-number lines, punctuation, letter case, digit script and
thousands separators. Sections are aligned by :mod:`parsers.align`; inside a matched pair a
word diff gives the redline, and a difference that is only a cross-reference following the
renumbering (``Article 6`` -> ``Article 7`` when 6 became 7) does not count. Numbers in the
changed words are paired by :func:`parsers.quantities.pair_numbers`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from parsers.align import Item, align
from parsers.change import Change, ChangeKind, DiffOp, NumberChange
from parsers.document import Document, Section, Table
from parsers.khmer import normalize, to_ascii_digits
from parsers.quantities import column_hint, find_quantities, pair_numbers, parse_number
from parsers.tokens import tokenize

logger = logging.getLogger(__name__)

Tag = Literal["equal", "delete", "insert", "replace"]
Opcode = tuple[Tag, int, int, int, int]

_REF_WORDS = {
    **dict.fromkeys(("article", "articles", "art", "មាត្រា", "ប្រការ"), "article"),
    **dict.fromkeys(("chapter", "chapters", "ជំពូក"), "chapter"),
    **dict.fromkeys(("section", "sections", "ផ្នែក"), "section"),
    **dict.fromkeys(("part", "parts", "គន្ថី"), "part"),
    **dict.fromkeys(("annex", "annexes", "ឧបសម្ព័ន្ធ"), "annex"),
}
_CONNECTORS = frozenset({"and", "or", "to", "through", "និង", "ឬ", "ដល់", "ទី"})
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_RE = re.compile(r"[IVXLC]+")
_LIST_MARKS = frozenset({",", "-", "–", "—", "&", "/"})
_SENTENCE_END = frozenset({".", "។", "៕", ";", "?", "!", "៖", ":"})
_KEEP_SYMBOLS = frozenset({"%", "$", "៛", "€", "+", "=", "<", ">", "±"})
_POSITIONAL_KINDS = frozenset({"paragraph", "para", "¶"})
_OWN_NUMBER_WINDOW = 6  # the section's own number is among its first content tokens
_DIRECT_DIFF = 4_000_000  # token pairs above which the diff goes sentence-first
_CHUNK_MAX = 300
_COSMETIC_HUNK = 80  # tokens; a larger hunk is a rewrite, not a spelling variant
_VARIANT_OVERLAP = 0.75  # share of characters two spellings of the same words have in common

# A page-number line left by the reader: "Page 3", "- 3 -", "3/20", "ទំព័រ ៣" are dropped;
# a bare number on its own line may be content, so it only counts when it is not merely
# inserted or deleted.
_PAGE_LINE_RE = re.compile(
    r"^[ \t]*(?:(?:page|ទំព័រ)[ \t]*\d{1,4}(?:[ \t]*(?:/|of|នៃ)[ \t]*\d{1,4})?"
    r"|[-–—][ \t]*\d{1,4}[ \t]*[-–—]|\d{1,4}[ \t]*(?:/|of|នៃ)[ \t]*\d{1,4})[ \t]*$",
    re.M | re.I,
)
_BARE_NUMBER_LINE_RE = re.compile(r"^[ \t]*\d{1,4}[ \t]*$", re.M)
_HYPHEN_BREAK_RE = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[^\W\d_])")
# Spaces between Khmer letters are optional phrase breaks: drop them; but keep Khmer digits
# apart from letters, so ICU never glues a number into a word (មាត្រា៦ -> មាត្រា ៦).
_KHMER_SPACING_RE = re.compile(
    r"(?<=[\u1780-\u17dd])\s+(?=[\u1780-\u17dd])"
    r"|(?<=[\u1780-\u17dd])(?=[\u17e0-\u17e9])|(?<=[\u17e0-\u17e9])(?=[\u1780-\u17dd])"
)
_NUMBER_TOKEN_RE = re.compile(r"\d[\d.,]*(%?)")
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class _Prepared:
    """A section as content tokens: keys to compare, offsets into ``text`` to show."""

    section: Section
    text: str
    keys: tuple[str, ...]
    starts: tuple[int, ...]
    xrefs: tuple[str, ...]  # kind of the provision a number token refers to, else ""
    breaks: tuple[bool, ...]  # a sentence ends after this token
    bare: frozenset[int]  # tokens that are a number alone on its line (maybe a page number)
    kind: str
    number: str
    positional: bool

    @property
    def blind(self) -> tuple[str, ...]:
        return tuple("#x" if x else k for k, x in zip(self.keys, self.xrefs, strict=True))


@dataclass(frozen=True)
class _Context:
    """What every pair of a comparison shares."""

    renumbered: dict[str, dict[str, str]]
    needs_check: bool
    classes: dict[str, tuple[str, str, int]]


def _rewrite(text: str, offsets: list[int], pattern: re.Pattern[str]) -> tuple[str, list[int]]:
    """Delete the matches of ``pattern`` (an empty match inserts a space), keeping for every
    character its offset in the original text (``offsets`` has an end sentinel)."""
    if pattern.search(text) is None:
        return text, offsets
    parts: list[str] = []
    mapped: list[int] = []
    last = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        parts.append(text[last:start])
        mapped.extend(offsets[last:start])
        if start == end:
            parts.append(" ")
            mapped.append(offsets[start])
        last = end
    parts.append(text[last:])
    mapped.extend(offsets[last:])
    return "".join(parts), mapped


def _number_key(text: str) -> str:
    digits = to_ascii_digits(text)
    try:
        value = parse_number(digits)
    except ValueError:
        return "n" + digits
    return "n" + (str(int(value)) if value.is_integer() else repr(value))


def _own_number_key(number: str) -> str:
    """The token key of a section's number: ``7`` and ``៧`` -> ``n7``, ``IV`` -> ``n4``."""
    ascii_number = to_ascii_digits(number).strip()
    m = re.match(r"\d+", ascii_number)
    if m:
        return "n" + str(int(m.group()))
    if ascii_number and _ROMAN_RE.fullmatch(ascii_number.upper()):
        return "n" + str(_roman(ascii_number.upper()))
    return ""


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


def _bare_number_tokens(text: str, starts: list[int]) -> frozenset[int]:
    spans = [m.span() for m in _BARE_NUMBER_LINE_RE.finditer(text) if m.group().strip()]
    if not spans:
        return frozenset()
    return frozenset(k for k, st in enumerate(starts) if any(s <= st < e for s, e in spans))


def _classify(token: str) -> tuple[str, str, int]:
    """(class, key, offset of a trailing ``%`` or 0) of a token; class is ``word``,
    ``number``, ``end`` (sentence end), ``list`` (a mark inside a list of references) or
    ``punct``."""
    if not any(c.isalnum() for c in token) and token not in _KEEP_SYMBOLS:
        if token in _SENTENCE_END:
            return "end", "", 0
        return ("list" if token in _LIST_MARKS else "punct"), "", 0
    number = _NUMBER_TOKEN_RE.fullmatch(token)
    if number:
        core = token[: len(token) - len(number.group(1))]
        return "number", _number_key(core), len(core) if number.group(1) else 0
    return "word", token.casefold().replace("-", "").replace("’", "'"), 0


def _prepare(
    section: Section,
    text: str | None = None,
    classes: dict[str, tuple[str, str, int]] | None = None,
) -> _Prepared:
    text = section.text if text is None else text
    canon, offsets = text, list(range(len(text) + 1))
    for pattern in (_PAGE_LINE_RE, _HYPHEN_BREAK_RE, _KHMER_SPACING_RE):
        canon, offsets = _rewrite(canon, offsets, pattern)
    keys: list[str] = []
    starts: list[int] = []
    xrefs: list[str] = []
    breaks: list[bool] = []
    state = ""
    classes = {} if classes is None else classes
    for token in tokenize(canon):
        s = token.text
        found = classes.get(s)
        if found is None:
            found = classes[s] = _classify(s)
        cls, key, split = found
        if cls == "word":
            if key in _REF_WORDS:
                state = _REF_WORDS[key]
            elif key not in _CONNECTORS:
                state = ""
            keys.append(key)
            starts.append(offsets[token.start])
            xrefs.append("")
            breaks.append(False)
        elif cls == "number":
            keys.append(key)
            starts.append(offsets[token.start])
            xrefs.append(state)
            breaks.append(False)
            if split:
                keys.append("%")
                starts.append(offsets[token.start + split])
                xrefs.append("")
                breaks.append(False)
                state = ""
        else:
            if cls == "end" and breaks:
                breaks[-1] = True
            if cls != "list":
                state = ""
    kind = _REF_WORDS.get(section.kind.casefold(), section.kind.casefold())
    positional = kind in _POSITIONAL_KINDS or section.ref.startswith("¶")
    own = _own_number_key(section.number)
    if own and not positional:  # a paragraph's number is its position, not in its text
        for k in range(min(_OWN_NUMBER_WINDOW, len(keys))):
            if keys[k] == own or _own_number_key(keys[k]) == own:
                keys[k], xrefs[k] = "#own", ""
                break
    return _Prepared(
        section=section,
        text=text,
        keys=tuple(keys),
        starts=tuple(starts),
        xrefs=tuple(xrefs),
        breaks=tuple(breaks),
        bare=_bare_number_tokens(text, starts),
        kind=kind,
        number=own,
        positional=positional,
    )


def _chunks(p: _Prepared, lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    start = lo
    for k in range(lo, hi):
        if p.breaks[k] or k - start + 1 >= _CHUNK_MAX:
            out.append((start, k + 1))
            start = k + 1
    if start < hi:
        out.append((start, hi))
    return out


def _token_opcodes(
    a: _Prepared, b: _Prepared, alo: int, ahi: int, blo: int, bhi: int
) -> list[Opcode]:
    if (ahi - alo) * (bhi - blo) > _DIRECT_DIFF:
        return [("replace", alo, ahi, blo, bhi)]
    matcher = SequenceMatcher(None, a.keys[alo:ahi], b.keys[blo:bhi], autojunk=False)
    return [
        (t, i1 + alo, i2 + alo, j1 + blo, j2 + blo) for t, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _opcodes(a: _Prepared, b: _Prepared) -> list[Opcode]:
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


def _is_renumbered_ref(a: _Prepared, b: _Prepared, code: Opcode, ctx: _Context) -> bool:
    """The replaced tokens are cross-reference numbers that follow the renumbering."""
    _, i1, i2, j1, j2 = code
    return i2 - i1 == j2 - j1 and all(
        a.xrefs[i] and b.xrefs[j] and ctx.renumbered.get(a.xrefs[i], {}).get(a.keys[i]) == b.keys[j]
        for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
    )


def _is_cosmetic(a: _Prepared, b: _Prepared, code: Opcode, ctx: _Context) -> bool:
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
        _prepare(blank, normalize(old), ctx.classes).keys
        == _prepare(blank, normalize(new), ctx.classes).keys
    )


def _forgive(a: _Prepared, b: _Prepared, codes: list[Opcode], ctx: _Context) -> list[Opcode]:
    """Turn non-substantive hunks into equal ones and merge neighbouring equal runs."""
    out: list[Opcode] = []
    for code in codes:
        tag, i1, i2, j1, j2 = code
        if tag != "equal" and (
            (tag == "replace" and _is_renumbered_ref(a, b, code, ctx))
            or (tag == "delete" and a.bare.issuperset(range(i1, i2)))
            or (tag == "insert" and b.bare.issuperset(range(j1, j2)))
            or _is_cosmetic(a, b, code, ctx)
        ):
            tag = "equal"
        if out and tag == "equal" and out[-1][0] == "equal":
            out[-1] = ("equal", out[-1][1], i2, out[-1][3], j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


def _bound(p: _Prepared, k: int) -> int:
    if k >= len(p.starts):
        return len(p.text)
    return 0 if k == 0 else p.starts[k]


def _ops(a: _Prepared, b: _Prepared, codes: list[Opcode]) -> tuple[DiffOp, ...]:
    return tuple(
        DiffOp(tag, a.text[_bound(a, i1) : _bound(a, i2)], b.text[_bound(b, j1) : _bound(b, j2)])
        for tag, i1, i2, j1, j2 in codes
    )


def _changed_numbers(a: _Prepared, b: _Prepared, codes: list[Opcode]) -> tuple[NumberChange, ...]:
    spans_a = [(_bound(a, i1), _bound(a, i2)) for t, i1, i2, _, _ in codes if t != "equal"]
    spans_b = [(_bound(b, j1), _bound(b, j2)) for t, _, _, j1, j2 in codes if t != "equal"]
    qa = [q for q in find_quantities(a.text) if any(q.start < e and s < q.end for s, e in spans_a)]
    qb = [q for q in find_quantities(b.text) if any(q.start < e and s < q.end for s, e in spans_b)]
    return pair_numbers(qa, qb, old_text=a.text, new_text=b.text)


def _one_sided(kind: ChangeKind, p: _Prepared, ctx: _Context) -> Change:
    quantities = find_quantities(p.text)
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


def _paired(a: _Prepared, b: _Prepared, moved: bool, ctx: _Context) -> Change | None:
    codes = _forgive(a, b, _opcodes(a, b), ctx)
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
        numbers=_changed_numbers(a, b, codes) if substantive else (),
        heading=b.section.heading or a.section.heading,
        ops=_ops(a, b, codes),
        needs_check=ctx.needs_check,
    )


def _sections(doc: Document) -> tuple[Section, ...]:
    """The document's sections, or its paragraphs when the reader found no structure."""
    if doc.sections or not doc.text.strip():
        return doc.sections
    paragraphs = [p.strip() for p in _PARAGRAPH_RE.split(doc.text) if p.strip()]
    return tuple(
        Section(ref=f"¶{k}", heading="", text=p, kind="paragraph", number=str(k))
        for k, p in enumerate(paragraphs, 1)
    )


def _renumbering(pairs: list[tuple[_Prepared, _Prepared]]) -> dict[str, dict[str, str]]:
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


def compare(old: Document, new: Document) -> tuple[Change, ...]:
    """The substantive changes from ``old`` to ``new``, in the order of the new document
    (removed provisions where they stood). Pure: no I/O."""
    classes: dict[str, tuple[str, str, int]] = {}
    olds = [_prepare(s, classes=classes) for s in _sections(old)]
    news = [_prepare(s, classes=classes) for s in _sections(new)]
    items_old = [Item(p.blind, p.kind, p.number, p.section.ref, p.positional) for p in olds]
    items_new = [Item(p.blind, p.kind, p.number, p.section.ref, p.positional) for p in news]
    alignment = align(items_old, items_new)
    ctx = _Context(
        renumbered=_renumbering([(olds[i], news[j]) for i, j in alignment.pairs]),
        needs_check=old.method in ("ocr", "mixed") or new.method in ("ocr", "mixed"),
        classes=classes,
    )
    ordered: list[tuple[tuple[float, int], Change]] = []
    for i, j in alignment.pairs:
        change = _paired(olds[i], news[j], (i, j) in alignment.moved, ctx)
        if change is not None:
            ordered.append(((j, 0), change))
    for j in alignment.added:
        ordered.append(((j, 0), _one_sided("added", news[j], ctx)))
    new_of_old = dict(alignment.pairs)
    removed = set(alignment.removed)
    last_new = -1  # where the last matched old section before this one went
    for i in range(len(olds)):
        if i in new_of_old:
            last_new = max(last_new, new_of_old[i])
        elif i in removed:
            ordered.append(((last_new + 0.5, i), _one_sided("removed", olds[i], ctx)))
    ordered.sort(key=lambda item: item[0])
    changes = [c for _, c in ordered]
    changes.extend(_table_changes(old, new, ctx))
    counts = Counter(c.kind for c in changes)
    logger.info(
        "compared %d old and %d new sections: %d changes (%s)",
        len(olds), len(news), len(changes),
        ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none",
    )  # fmt: skip
    return tuple(changes)


# --- tables ------------------------------------------------------------------------------------


def _row_label(row: tuple[str, ...]) -> str:
    for cell in row:
        if any(c.isalpha() for c in cell):
            return " ".join(cell.split())
    return " ".join(row[0].split()) if row else ""


def _row_text(row: tuple[str, ...]) -> str:
    return " | ".join(" ".join(c.split()) for c in row)


def _table_whole(kind: ChangeKind, index: int, table: Table, ctx: _Context) -> Change:
    text = "\n".join(_row_text(r) for r in table.rows)
    return _one_sided(kind, _prepare(Section(f"Table {index}", "", text, "table")), ctx)


def _table_rows(index: int, old: Table, new: Table, ctx: _Context) -> list[Change]:
    header = new.rows[0] if new.rows else ()
    hints = [column_hint(h) for h in header]

    def key(row: tuple[str, ...]) -> str:
        return " ".join(_prepare(Section("", "", _row_label(row))).keys)

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
            changes.append(_one_sided("added", _prepare(section), ctx))
            continue
        seen.add(matches[0])
        old_row = old.rows[matches[0]]
        a = _prepare(Section(ref, "", _row_text(old_row), "row"), classes=ctx.classes)
        b = _prepare(section, classes=ctx.classes)
        codes = _forgive(a, b, _opcodes(a, b), ctx)
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
                ops=_ops(a, b, codes),
                needs_check=ctx.needs_check,
            )
        )
    for r, row in enumerate(old.rows):
        if r not in seen:
            section = Section(f'Table {index}, row "{_row_label(row)}"', "", _row_text(row), "row")
            changes.append(_one_sided("removed", _prepare(section), ctx))
    return changes


def _table_changes(old: Document, new: Document, ctx: _Context) -> list[Change]:
    """Row-level changes of tables at the same position; whole tables added or removed only
    when the other side has tables too (or nothing at all), so a reader that found no tables
    in one rendering does not produce noise."""
    changes: list[Change] = []
    for t in range(max(len(old.tables), len(new.tables))):
        if t < len(old.tables) and t < len(new.tables):
            changes.extend(_table_rows(t + 1, old.tables[t], new.tables[t], ctx))
        elif t < len(new.tables) and (old.tables or not _sections(old)):
            changes.append(_table_whole("added", t + 1, new.tables[t], ctx))
        elif t < len(old.tables) and (new.tables or not _sections(new)):
            changes.append(_table_whole("removed", t + 1, old.tables[t], ctx))
    return changes
