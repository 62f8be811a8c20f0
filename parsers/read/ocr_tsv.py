"""tesseract's TSV output read into lines of text and a mean word confidence: specks read
as punctuation dropped, page numbers standing apart in the margin too."""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass

from parsers.read.ocr_khmer import repair_khmer_marks

#: Words without a letter or digit below this confidence (0..100) are specks, not text.
MIN_MARK_CONFIDENCE = 60
#: ... and so are such words smaller than this share of the page's median word height.
MIN_MARK_HEIGHT = 0.3


#: A line of tesseract's TSV: (page, block, paragraph, line) numbers.
LineKey = tuple[str, str, str, str]


@dataclass
class _Word:
    key: LineKey
    text: str
    confidence: float
    top: int
    height: int
    width: int


#: A line in the outer share of the page's height ...
MARGIN_SHARE = 0.1
#: ... with at most this many characters ...
MARGIN_MARK_CHARS = 6
#: ... set apart from the body by this many typical line heights is a page number or a
#: folio, however tesseract read it ("- 1 -" comes out as "wale", "=2" or a stray letter).
MARGIN_GAP_LINES = 1.5


def parse_tsv(tsv: str, *, whole_page: bool = True) -> tuple[str, float | None]:
    """Lines of words (grouped by block, paragraph and line) and the mean word confidence.

    Words with no letter or digit are dropped when tesseract is unsure of them or they are
    tiny beside the page's text: on a scan those are specks read as punctuation. On a
    ``whole_page``, a short first or last line standing apart in the margin is dropped
    too (:func:`_margin_marks`): a page number, whatever tesseract made of it.
    """
    words: list[_Word] = []
    page_height = 0
    for row in csv.DictReader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "1":
            page_height = max(page_height, _int(row.get("top")) + _int(row.get("height")))
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        if not text:
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        words.append(
            _Word(
                key,
                text,
                _number(row.get("conf")),
                _int(row.get("top")),
                _int(row.get("height")),
                _int(row.get("width")),
            )
        )
    heights = [w.height for w in words if _has_letter(w.text) and w.height > 0]
    typical = statistics.median(heights) if heights else 0
    lines: dict[LineKey, list[_Word]] = {}
    for word in words:
        if not _has_letter(word.text) and (
            word.confidence < MIN_MARK_CONFIDENCE
            or max(word.height, word.width) < MIN_MARK_HEIGHT * typical
        ):
            continue
        lines.setdefault(word.key, []).append(word)
    if whole_page:
        for key in _margin_marks(lines, page_height, typical):
            del lines[key]
    kept = [w for line in lines.values() for w in line]
    text = "\n".join(" ".join(w.text for w in line) for line in lines.values())
    confidences = [w.confidence for w in kept if w.confidence >= 0]
    confidence = sum(confidences) / len(confidences) / 100 if confidences else None
    return repair_khmer_marks(text), confidence


def _margin_marks(
    lines: dict[LineKey, list[_Word]], page_height: int, typical: float
) -> list[LineKey]:
    """Keys of the first and last lines that are page furniture: short, in the outer
    :data:`MARGIN_SHARE` of the page, and :data:`MARGIN_GAP_LINES` line heights away from
    the next line."""
    if page_height <= 0 or typical <= 0 or len(lines) < 2:
        return []
    spans = sorted(
        (min(w.top for w in ws), max(w.top + w.height for w in ws), key)
        for key, ws in lines.items()
    )
    marks = []
    gap = MARGIN_GAP_LINES * typical
    first, second = spans[0], spans[1]
    if first[1] <= MARGIN_SHARE * page_height and second[0] - first[1] >= gap:
        marks.append(first[2])
    last, before = spans[-1], spans[-2]
    if last[0] >= (1 - MARGIN_SHARE) * page_height and last[0] - before[1] >= gap:
        marks.append(last[2])
    return [key for key in marks if sum(len(w.text) for w in lines[key]) <= MARGIN_MARK_CHARS]


def _has_letter(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _number(value: str | None) -> float:
    try:
        return float(value or -1)
    except ValueError:
        return -1.0


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
