"""A number change as people read it: its values in words (``70%``, ``KHR 1,200,000``,
``90 days``), its direction, and a change summed up by its numbers (``Article 4: 4% -> 6%``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alerts.deliver.message_words import ABSENT_WORDS, KIND_WORDS, UNIT_WORDS
from alerts.deliver.plain_text import plain
from parsers.compare.change import NumberChange
from parsers.khmer import to_khmer_digits

_KIND_WORDS = KIND_WORDS["en"]
_UNIT_WORDS = {"day": "days", "month": "months", "year": "years"}
_KHMER_SEPARATORS = str.maketrans(",.", ".,")


def _format_value(value: float | None, unit: str, language: str = "en") -> str:
    """``70%``, ``KHR 1,200,000``, ``90 days``, ``(none)``; in Khmer ``៧០%``,
    ``១.២០០.០០០ រៀល``, ``៩០ ថ្ងៃ``, ``(គ្មាន)`` (as :func:`messages.quantity_words`)."""
    if value is None:
        return ABSENT_WORDS.get(language, ABSENT_WORDS["en"])
    number = f"{value:,.0f}" if value == int(value) else f"{value:,g}"
    if language == "km":
        number = to_khmer_digits(number.translate(_KHMER_SEPARATORS))
        return (
            f"{number}%" if unit == "%" else f"{number} {UNIT_WORDS['km'].get(unit, unit)}".strip()
        )
    if unit == "%":
        return f"{number}%"
    if unit in ("KHR", "USD"):
        return f"{unit} {number}"
    word = unit if value == 1 else _UNIT_WORDS.get(unit, unit)  # 1 year, 2 years
    return f"{number} {word}".strip()


@dataclass(frozen=True)
class NumberView(NumberChange):
    """A number change as it is shown: its texts and label made safe to show."""

    # the texts as stored (evidence quotes them so), before they are made safe to show
    old_raw: str = field(default="", repr=False, compare=False)
    new_raw: str = field(default="", repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NumberView:
        return cls(
            old_raw=str(data.get("old_text") or ""),
            new_raw=str(data.get("new_text") or ""),
            old=data.get("old"),
            new=data.get("new"),
            unit=str(data.get("unit") or ""),
            old_text=plain(str(data.get("old_text") or ""), 60, single_line=True),
            new_text=plain(str(data.get("new_text") or ""), 60, single_line=True),
            label=plain(str(data.get("label") or ""), 60, single_line=True),
            recurring=bool(data.get("recurring")),
        )

    @property
    def old_words(self) -> str:
        return self.old_words_in("en")

    @property
    def new_words(self) -> str:
        return self.new_words_in("en")

    def old_words_in(self, language: str) -> str:
        """The old value as the text wrote it, else in ``language``'s words."""
        return self.old_text or _format_value(self.old, self.unit, language)

    def new_words_in(self, language: str) -> str:
        return self.new_text or _format_value(self.new, self.unit, language)

    @property
    def direction(self) -> str:
        """``up``, ``down``, ``added`` (no old value), ``removed`` (no new value) or ``same``;
        for a recurring period ``less_often`` (every year -> every two years) or
        ``more_often``."""
        if self.old is None:
            return "same" if self.new is None else "added"
        if self.new is None:
            return "removed"
        if self.new == self.old:
            return "same"
        if self.recurring:
            return "less_often" if self.new > self.old else "more_often"
        return "up" if self.new > self.old else "down"

    @property
    def old_value(self) -> str:
        """The old value in Western digits and base units (``70%``, ``KHR 1,200,000``)."""
        return _format_value(self.old, self.unit)

    @property
    def new_value(self) -> str:
        return _format_value(self.new, self.unit)

    @property
    def in_words(self) -> str:
        """``4% -> 6%``, or ``employer 2% -> 3%`` for a labelled number."""
        return self.in_words_in("en")

    def in_words_in(self, language: str) -> str:
        """:attr:`in_words` with the values the text did not write in ``language``'s words."""
        arrow = f"{self.old_words_in(language)} -> {self.new_words_in(language)}"
        return f"{self.label} {arrow}" if self.label else arrow

    @property
    def what(self) -> str:
        """What the number is: its label, else its unit in words (``days``, ``%``)."""
        return self.label or _UNIT_WORDS.get(self.unit, self.unit)

    def what_in(self, language: str) -> str:
        """:attr:`what` in ``language``: in Khmer ``ថ្ងៃ``, ``រៀល`` for an unlabelled number."""
        if language == "km":
            return self.label or UNIT_WORDS["km"].get(self.unit, self.unit)
        return self.what


def numbers_in_words(numbers: Sequence[NumberView], limit: int = 3, language: str = "en") -> str:
    """The first number change, then the others in brackets:
    ``maternity allowance 70% -> 100% (90 days -> 98 days)``."""
    changed = [n for n in numbers if n.old != n.new][:limit]
    if not changed:
        return ""
    rest = changed[1:]
    extra = f" ({'; '.join(n.in_words_in(language) for n in rest)})" if rest else ""
    return changed[0].in_words_in(language) + extra


def change_in_words(
    ref: str,
    kind: str,
    numbers: Sequence[NumberView],
    kinds: Mapping[str, str] = _KIND_WORDS,
    language: str = "en",
) -> str:
    """``Article 4: 4% -> 6%``, or ``Article 9: amended`` when no number moved; values the
    text did not write (an absent old value) in ``language``'s words."""
    what = numbers_in_words(numbers, language=language) or kinds.get(kind, kind)
    return f"{ref}: {what}" if ref else what
