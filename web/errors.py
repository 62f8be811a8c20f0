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
