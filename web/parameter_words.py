"""A parameter's story and values in the reader's language: "the third increase since 2019"
is ``ការកើនឡើងលើកទី៣ ចាប់តាំងពីឆ្នាំ២០១៩`` for a Khmer reader. ``gettext`` is the reader's
catalogue (``web.translations.translator``); the CLI keeps ``tracker.parameters.Move.story``.
"""

from __future__ import annotations

from collections.abc import Callable

from parsers.khmer import to_khmer_digits
from tracker.parameters import Move, ordinal
from web.translations import N_

ORDINALS = (
    N_("first"), N_("second"), N_("third"), N_("fourth"), N_("fifth"), N_("sixth"),
    N_("seventh"), N_("eighth"), N_("ninth"), N_("tenth"),
)  # fmt: skip
MOVE_WORDS = {
    "increase": N_("the %(nth)s increase since %(year)s"),
    "decrease": N_("the %(nth)s decrease since %(year)s"),
}
# A unit as stored (``day``, ``KHR``) in words, for Khmer readers (English ones see it as is)
UNIT_NAMES = {
    "day": N_("days"), "week": N_("weeks"), "month": N_("months"), "year": N_("years"),
    "KHR": N_("riel"), "USD": N_("US dollars"), "hour": N_("hours"), "age": N_("years of age"),
}  # fmt: skip
_KHMER_SEPARATORS = str.maketrans({",": ".", ".": ","})


def digits(text: str, language: str) -> str:
    """``text`` with Khmer digits for a Khmer reader."""
    return to_khmer_digits(text) if language == "km" else text


def nth(n: int, gettext: Callable[[str], str], language: str) -> str:
    """``third``; past the tenth ``11th`` in English, ``ទី១១`` in Khmer."""
    if 1 <= n <= len(ORDINALS):
        return gettext(ORDINALS[n - 1])
    return f"ទី{digits(str(n), language)}" if language == "km" else ordinal(n)


def move_words(move: Move, gettext: Callable[[str], str], language: str) -> str:
    """The story of one value in the reader's words."""
    year = digits(move.since, language)
    if move.kind not in MOVE_WORDS:
        return gettext("first value, %(year)s") % {"year": year}
    return gettext(MOVE_WORDS[move.kind]) % {"nth": nth(move.nth, gettext, language), "year": year}


def unit_name(unit: str, gettext: Callable[[str], str], language: str) -> str:
    """``day`` for an English reader, ``ថ្ងៃ`` for a Khmer one."""
    return gettext(UNIT_NAMES[unit]) if language == "km" and unit in UNIT_NAMES else unit


def value_text(value: float, language: str = "en") -> str:
    """A value where no text says it (a chart's axis): ``1,200,000`` / ``១.២០០.០០០``, ``4.5``;
    never in scientific notation (``4e+05``)."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.4f}".rstrip("0").rstrip(".")
    return digits(text.translate(_KHMER_SEPARATORS), language) if language == "km" else text
