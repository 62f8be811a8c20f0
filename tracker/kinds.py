"""The words the tracker stores for kinds of things, each set written once: how urgent an
alert is, how a channel is sent, the language of its messages, where a delivery stands and
what an officer's verdict says.

Members are ``str`` (StrEnum): they compare equal to their words, and the database,
templates and JSON see the plain words.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How urgent an alert (or a flag, or a notice) is for the coalition, least first."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for low, 1 for medium, 2 for high."""
        return list(Severity).index(self)


class Mode(StrEnum):
    """How a channel is sent: each alert at once, or a digest every day or every week."""

    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"


class Language(StrEnum):
    """The language of a channel's messages."""

    EN = "en"
    KM = "km"


class DeliveryStatus(StrEnum):
    """Where an outbox row stands: waiting, claimed by a sender, sent, failed (to be retried)
    or dead (given up after the last attempt)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


class VerdictWord(StrEnum):
    """An officer's verdict on a flag."""

    RELEVANT = "relevant"
    NOT_RELEVANT = "not_relevant"
    WRONG_POSITION = "wrong_position"
