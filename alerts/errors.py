"""Errors of the alerts package (DECIDE and DELIVER stages)."""

from __future__ import annotations


class AlertError(Exception):
    """Base class of every error raised by ``alerts``."""


class PositionsError(AlertError):
    """The positions file is unreadable or does not follow its schema.

    ``source`` names the file, ``position`` the table (``None`` for the file itself),
    ``key`` the offending key and ``term`` the offending term, where they apply;
    ``expected`` and ``got`` say what was wanted and what was found.
    """

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        position: str | None = None,
        key: str | None = None,
        term: str | None = None,
        expected: str | None = None,
        got: str | None = None,
    ) -> None:
        self.source = source
        self.problem = problem
        self.position = position
        self.key = key
        self.term = term
        self.expected = expected
        self.got = got
        where = source
        if position is not None:
            where += f": [positions.{position}]"
        if key is not None:
            where += f" key {key!r}"
        message = f"{where}: {problem}"
        if term is not None:
            message += f" (term {term!r})"
        if expected is not None:
            message += f": expected {expected}"
        if got is not None:
            message += f", got {got}" if expected is not None else f": got {got}"
        super().__init__(message)
