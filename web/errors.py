"""Errors of the SHOW stage."""

from __future__ import annotations


class WebError(Exception):
    """Base class of every web error."""


class SettingError(WebError):
    """A web setting has a value the app cannot run with."""

    def __init__(self, name: str, expected: str, got: str) -> None:
        self.name = name
        self.expected = expected
        self.got = got
        super().__init__(f"web setting {name}: expected {expected}, got {got}")


class EditError(WebError):
    """An edit of the tracker names a field value it cannot take: expected vs got."""

    def __init__(self, field: str, expected: str, got: str) -> None:
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(f"{field}: expected {expected}, got {got}")


class CatalogueError(WebError):
    """An interface catalogue (``web/locale``) cannot be served: missing, or a translation
    that does not fit its message."""

    def __init__(self, path: str, message: str, problem: str) -> None:
        self.path = path
        self.message = message
        self.problem = problem
        super().__init__(f"{path}: message {message!r}: {problem}")
