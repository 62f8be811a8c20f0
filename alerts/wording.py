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


class Bilingual:
    """What a position says, for a reader of either language: mixed into the dataclasses
    that carry a position's words in English and in Khmer (``alerts.positions.Position``
    and the alert view's ``PositionView``)."""

    name: str
    name_km: str
    stance: str
    stance_km: str
    key_messages: tuple[str, ...]
    key_messages_km: tuple[str, ...]

    def name_in(self, language: str) -> str:
        """The name for a reader of ``language`` (``km``: the Khmer name where there is one)."""
        return self.name_km if language == "km" and self.name_km else self.name

    def stance_in(self, language: str) -> Worded:
        """The stance for a reader of ``language``; its ``language`` says which it is in."""
        return worded(self.stance, self.stance_km, language)

    def key_messages_in(self, language: str) -> tuple[Worded, ...]:
        """The key messages for a reader of ``language``, each with the language it is in."""
        return worded_all(self.key_messages, self.key_messages_km, language)
