"""The match key of a normalised text and the way back to the text.

Khmer terms are found as substrings of the *match key* (:func:`parsers.khmer.match_key`:
spaces between Khmer letters dropped, ASCII digits, lower case); :class:`KeyMap` maps a key
offset back to the normalised text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from parsers.khmer import to_ascii_digits

_WS_RUN_RE = re.compile(r"\s+")
_KHMER_LETTER = "[\u1780-\u17df\u17ea-\u17ff]"  # Khmer block without its digits
_KHMER_CONSONANT = "[\u1780-\u17a2]"
# Old and new spellings of one word: a consonant then NIKAHIT before RO (សំរាក, កំរិត) is
# written MO, COENG, RO today (សម្រាក, កម្រិត). The key drops both NIKAHIT and MO+COENG there,
# so either spelling of a term finds either spelling in a text.
_SPELLING = rf"(?<={_KHMER_CONSONANT})(?:\u17c6|\u1798\u17d2)(?=\u179a)"
_SPELLING_RE = re.compile(_SPELLING)
_KEY_SPACE_RE = re.compile(
    rf"(?P<dropped>(?<={_KHMER_LETTER})\s+(?={_KHMER_LETTER})|{_SPELLING})"
    rf"|(?P<collapsed>\s{{2,}})"
)


@dataclass(frozen=True)
class KeyMap:
    """The match key of a normalised text (:func:`parsers.khmer.match_key`) and the way back
    from a key offset to the text: each anchor starts a stretch copied one to one."""

    key: str
    key_at: tuple[int, ...]
    text_at: tuple[int, ...]

    def offset(self, k: int) -> int:
        j = bisect.bisect_right(self.key_at, k) - 1
        return self.text_at[j] + (k - self.key_at[j])


def folded_key(key: str) -> str:
    """A match key (:func:`parsers.khmer.match_key`) with old and new Khmer spellings made
    one (the key :func:`keyed` gives a text)."""
    return _SPELLING_RE.sub("", key)


def keyed(norm: str) -> KeyMap:
    """The :class:`KeyMap` of a normalised text."""
    folded = to_ascii_digits(norm).lower()
    if len(folded) != len(norm):  # lower() changed a length (e.g. U+0130)
        return _keyed_by_character(norm)
    parts: list[str] = []
    key_at, text_at = [0], [0]
    length = pos = 0
    # Only runs that change length need an anchor: dropped ones between two Khmer letters,
    # and longer runs that become one space. Single whitespace characters become a space.
    for run in _KEY_SPACE_RE.finditer(norm):
        kept = _WS_RUN_RE.sub(" ", folded[pos : run.start()])
        parts.append(kept)
        length += len(kept)
        if run.lastgroup == "collapsed":
            parts.append(" ")
            key_at.append(length)
            text_at.append(run.start())
            length += 1
        key_at.append(length)
        text_at.append(run.end())
        pos = run.end()
    parts.append(_WS_RUN_RE.sub(" ", folded[pos:]))
    return KeyMap("".join(parts), tuple(key_at), tuple(text_at))


def _keyed_by_character(norm: str) -> KeyMap:
    parts: list[str] = []
    key_at: list[int] = []
    text_at: list[int] = []
    length = 0

    def emit(at: int, piece: str) -> None:
        nonlocal length
        for char in piece:  # every key character of an expansion points at its source
            key_at.append(length)
            text_at.append(at)
            parts.append(char)
            length += 1

    pos = 0
    for run in _KEY_SPACE_RE.finditer(norm):
        for i in range(pos, run.start()):
            emit(i, _WS_RUN_RE.sub(" ", to_ascii_digits(norm[i]).lower()))
        if run.lastgroup == "collapsed":
            emit(run.start(), " ")
        pos = run.end()
    for i in range(pos, len(norm)):
        emit(i, _WS_RUN_RE.sub(" ", to_ascii_digits(norm[i]).lower()))
    return KeyMap("".join(parts), tuple(key_at), tuple(text_at))
