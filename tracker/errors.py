"""Errors of the REMEMBER stage."""

from __future__ import annotations


class TrackerError(Exception):
    """Base class of every tracker error."""


class DatabaseError(TrackerError):
    """The database cannot be opened or migrated."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"database {url}: {reason}")


class BlobError(TrackerError):
    """A blob cannot be written or read back intact."""

    def __init__(self, sha256: str, reason: str) -> None:
        self.sha256 = sha256
        self.reason = reason
        super().__init__(f"blob {sha256[:12]}: {reason}")
