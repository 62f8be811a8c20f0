"""pdfplumber with ``/ActualText`` honoured.

pdfminer (under pdfplumber) ignores ``/Span <</ActualText ...>> BDC``, which Word,
LibreOffice and cairo use for Khmer clusters that do not map glyph-for-character, so stock
pdfplumber returns ``(cid:N)`` and duplicated clusters. :class:`ActualTextAggregator` gives
the span's ActualText to its first glyph and drops the others.
"""

from __future__ import annotations

from typing import Any

from pdfminer.layout import LTChar
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import decode_text
from pdfplumber.page import Page as PlumberPage
from pdfplumber.page import PDFPageAggregatorWithMarkedContent


class ActualTextAggregator(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's aggregator, but glyphs inside ``/ActualText`` spans become the span's
    text: the first glyph carries it (with the span's merged box), the others are dropped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._spans: list[list[Any] | None] = []  # per open tag: [text, first glyph] or None

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        super().begin_tag(tag, props)
        actual = props.get("ActualText") if isinstance(props, dict) else None
        if isinstance(actual, bytes | str):
            text = decode_text(actual) if isinstance(actual, bytes) else actual
            self._spans.append([text, None])
        else:
            self._spans.append(None)

    def end_tag(self) -> None:
        super().end_tag()
        if self._spans:
            self._spans.pop()

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        adv: float = super().render_char(*args, **kwargs)
        span = next((s for s in reversed(self._spans) if s is not None), None)
        objs = self.cur_item._objs
        if span is None or not objs or not isinstance(objs[-1], LTChar):
            return adv
        char = objs[-1]
        first = span[1]
        if first is None:
            char._text = span[0]
            span[1] = char
        else:
            del objs[-1]
            first.set_bbox(
                (
                    min(first.x0, char.x0),
                    min(first.y0, char.y0),
                    max(first.x1, char.x1),
                    max(first.y1, char.y1),
                )
            )
        return adv


def honour_actual_text(page: PlumberPage) -> PlumberPage:
    """Lay ``page`` out with :class:`ActualTextAggregator` (before anything reads its chars)."""
    device = ActualTextAggregator(
        page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams
    )
    interpreter = PDFPageInterpreter(page.pdf.rsrcmgr, device)
    interpreter.process_page(page.page_obj)
    page._layout = device.get_result()
    return page
