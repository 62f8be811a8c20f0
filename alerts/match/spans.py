"""Where a change is in the text of its provision: the changed words on each side, where a
number is written, the sentence around an offset."""

from __future__ import annotations

import difflib
import re
from typing import Literal

from parsers.compare.change import Change, NumberChange
from parsers.tokens import spans as token_spans

Side = Literal["old", "new"]
_SENTENCE_END_RE = re.compile(r"[។៕;!?\n]|\.(?=\s|$)")


def changed_spans(change: Change, old: str, new: str) -> dict[Side, list[tuple[int, int]]]:
    """Character ranges of the changed words on each side of ``change``."""
    if change.kind == "added":
        return {"old": [], "new": [(0, len(new))]}
    if change.kind == "removed":
        return {"old": [(0, len(old))], "new": []}
    if old == new:
        return {"old": [], "new": []}
    spans: dict[Side, list[tuple[int, int]]] = {"old": [], "new": []}
    cursor = {"old": 0, "new": 0}
    texts: dict[Side, str] = {"old": old, "new": new}
    located = bool(change.ops)
    for op in change.ops:
        for side, fragment in (("old", op.old), ("new", op.new)):
            fragment = fragment.strip()
            if not fragment or not located:
                continue
            i = texts[side].find(fragment, cursor[side])  # type: ignore[index]
            if i < 0:
                located = False
                break
            if op.tag != "equal":
                spans[side].append((i, i + len(fragment)))  # type: ignore[index]
            cursor[side] = i + len(fragment)  # type: ignore[index]
    if located:
        return spans
    old_tokens, new_tokens = token_spans(old), token_spans(new)
    matcher = difflib.SequenceMatcher(
        None, [t for t, _, _ in old_tokens], [t for t, _, _ in new_tokens], autojunk=False
    )
    spans = {"old": [], "new": []}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            spans["old"].append((old_tokens[i1][1], old_tokens[i2 - 1][2]))
        if j2 > j1:
            spans["new"].append((new_tokens[j1][1], new_tokens[j2 - 1][2]))
    return spans


def locate(number: NumberChange, texts: dict[Side, str]) -> tuple[Side | None, int, int]:
    for side, written in (("new", number.new_text), ("old", number.old_text)):
        written = written.strip()
        if written:
            i = texts[side].find(written)  # type: ignore[index]
            if i >= 0:
                return side, i, i + len(written)  # type: ignore[return-value]
    return None, 0, 0


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    lo = 0
    for m in _SENTENCE_END_RE.finditer(text, 0, start):
        lo = m.end()
    after = _SENTENCE_END_RE.search(text, end)
    return lo, after.start() if after else len(text)


# Lines that cite other instruments (the visas of a preamble): the words in them name those
# instruments, they do not say what this one is about.
_CITATION_RE = re.compile(
    r"(?im)^[ \t]*(?:[-–•·*]|\d+[.)])?[ \t]*"
    r"(?:having seen|having regard to|having considered|បានឃើញ|បានពិនិត្យ)"
    r"[^\n]*"
)


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the lines of ``text`` that cite other instruments ("Having seen
    the Law on ...", "បានឃើញ ...")."""
    return [m.span() for m in _CITATION_RE.finditer(text)]
