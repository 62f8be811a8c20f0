"""A text as a reader gets it, with the language it is actually in: the Khmer of a
position's stance or key message for a Khmer reader where positions.toml gives it, else
the English (and pages then mark it ``lang="en"``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Worded:
    """``text`` in ``language`` (``en`` where a Khmer reader gets the English fallback)."""

    text: str
    language: str


def worded(english: str, khmer: str, language: str) -> Worded:
    """The Khmer text for a reader of ``km`` where there is one, else the English."""
    return Worded(khmer, "km") if language == "km" and khmer else Worded(english, "en")


def worded_all(
    english: tuple[str, ...], khmer: tuple[str, ...], language: str
) -> tuple[Worded, ...]:
    """:func:`worded` for a list given in both languages (the Khmer one by one with the
    English, or not at all)."""
    texts, said = (khmer, "km") if language == "km" and khmer else (english, "en")
    return tuple(Worded(text, said) for text in texts)
