"""A change's redline as plain segments (kept, deleted, inserted) for the templates.

Stored ``Change.ops`` are word-level diff steps ``{tag, old, new}`` whose texts carry their
own spacing (Khmer has none between words). Templates wrap deleted segments in ``<del>``
and inserted ones in ``<ins>``; autoescaping keeps the document text inert. A change
stored without ops, and two whole versions, are diffed over the words the per-article
comparison compares (ICU breaks for Khmer; wraps, spacing and line-end hyphens equal).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from parsers.compare.redline import text_ops

logger = logging.getLogger(__name__)

SegmentKind = Literal["equal", "del", "ins"]
#: Phrases marked in one redline at most (a flag's evidence is a handful).
MAX_MARKED = 50
TAGS = ("equal", "delete", "insert", "replace")


@dataclass(frozen=True)
class Segment:
    """A run of kept, deleted or inserted text; ``marks`` are spans of matched words."""

    kind: SegmentKind
    text: str
    marks: tuple[tuple[int, int], ...] = ()

    @property
    def pieces(self) -> tuple[tuple[str, bool], ...]:
        """The text cut at its marks: (text, marked) in order."""
        out: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.marks:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text) or not out:
            out.append((self.text[at:], False))
        return tuple(out)


@dataclass(frozen=True)
class Redline:
    """``inline``: one text with deletions and insertions in place; ``old``/``new``: sides."""

    inline: tuple[Segment, ...]
    old: tuple[Segment, ...]
    new: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return any(segment.kind != "equal" for segment in self.inline)


class _Builder:
    def __init__(self) -> None:
        self.inline: list[Segment] = []
        self.old: list[Segment] = []
        self.new: list[Segment] = []

    @staticmethod
    def _push(segments: list[Segment], kind: SegmentKind, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    def step(self, tag: str, old: str, new: str) -> None:
        if tag == "equal":
            self._push(self.inline, "equal", new or old)
            self._push(self.old, "equal", old)
            self._push(self.new, "equal", new)
            return
        self._push(self.inline, "del", old)
        self._push(self.inline, "ins", new)
        self._push(self.old, "del", old)
        self._push(self.new, "ins", new)

    def build(self) -> Redline:
        return Redline(tuple(self.inline), tuple(self.old), tuple(self.new))


def highlight(redline: Redline, words: Iterable[str]) -> Redline:
    """The redline with every occurrence of ``words`` (the words a flag matched) marked,
    longest first, case-insensitively; the text itself is untouched (templates escape it)."""
    phrases = sorted({w.strip() for w in words if len(w.strip()) >= 2}, key=len, reverse=True)
    if not phrases:
        return redline
    pattern = re.compile("|".join(re.escape(p) for p in phrases[:MAX_MARKED]), re.IGNORECASE)

    def mark(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        return tuple(
            Segment(s.kind, s.text, tuple(m.span() for m in pattern.finditer(s.text) if m.group()))
            for s in segments
        )

    return Redline(mark(redline.inline), mark(redline.old), mark(redline.new))


def diff_ops(old_text: str, new_text: str, needs_check: bool = False) -> list[dict[str, str]]:
    """Word-level diff steps of two texts, shaped like stored ``Change.ops``: words as the
    per-article comparison keys them, so a re-wrapped line, other spacing or a hyphen at a
    line end is no change here either, nor, when a side was read by OCR (``needs_check``),
    a word misread into nearly the same letters (:func:`parsers.compare.redline.text_ops`)."""
    steps = text_ops(old_text, new_text, needs_check)
    return [{"tag": op.tag, "old": op.old, "new": op.new} for op in steps]


def _valid(ops: Sequence[Any]) -> bool:
    return all(
        isinstance(op, Mapping)
        and op.get("tag") in TAGS
        and isinstance(op.get("old", ""), str)
        and isinstance(op.get("new", ""), str)
        for op in ops
    )


def build_redline(
    ops: Sequence[Any], old_text: str, new_text: str, needs_check: bool = False
) -> Redline:
    """The redline of a change from its stored ops, or from its texts when ops are missing
    (``needs_check``: a side was read by OCR, as the comparison is told)."""
    steps: Sequence[Mapping[str, Any]]
    if ops and _valid(ops):
        steps = ops
    else:
        if ops:
            logger.warning("ignoring %d malformed diff ops; diffing the texts instead", len(ops))
        steps = diff_ops(old_text, new_text, needs_check)
    builder = _Builder()
    for op in steps:
        builder.step(str(op["tag"]), str(op.get("old", "")), str(op.get("new", "")))
    return builder.build()
