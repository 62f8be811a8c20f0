"""Document text made safe to show: ``plain`` strips control and bidi-override characters
and caps its length before any of it reaches a message, a note or a page.
"""

from __future__ import annotations

import re
import unicodedata

# Explicit directional formatting can make text display in an order other than the stored one.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_SPACES = re.compile(r"[ \t\u00a0]+")


def plain(text: str, limit: int | None = None, *, single_line: bool = False) -> str:
    """Document text made safe to show: no control or bidi-override characters, capped.

    Newlines and tabs survive unless ``single_line``; ``limit`` cuts at a word boundary
    when one is near and marks the cut with an ellipsis.
    """
    kept: list[str] = []
    for char in text:
        if char in "\u2028\u2029":  # Unicode line and paragraph separators
            char = "\n"
        if char in "\n\t" and not single_line:
            kept.append(char)
        elif char in "\r\n\t\v\f":
            kept.append(" ")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs", "Co"):
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept)
    cleaned = _SPACES.sub(" ", cleaned) if single_line else cleaned
    cleaned = "\n".join(line.rstrip() for line in cleaned.strip().splitlines())
    if limit is not None and len(cleaned) > limit:
        cut = cleaned[: limit - 1]
        space = cut.rfind(" ")
        if space > limit * 0.8:
            cut = cut[:space]
        cleaned = cut.rstrip() + "…"
    return cleaned
