"""The tracker's tables (SQLModel), one module per group; everyone imports them from
``tracker.models``. ORM objects never leave tracker/alerts/web: other stages get frozen
dataclasses.

Here what the table modules share: the clock, and the columns of words (``tracker.kinds``):
stored as plain strings (VARCHAR, like any ``str`` column), read back as members.
"""

from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import AutoString


def utcnow() -> datetime:
    return datetime.now(UTC)


class Words(TypeDecorator[str]):
    """A column of the words of ``kind``: written as plain strings, read back as members (a
    word ``kind`` does not know, written before it existed, is read as it is)."""

    impl = AutoString
    kind: type[StrEnum]

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        try:
            return self.kind(value)
        except ValueError:
            return str(value)


@cache
def words(kind: type[StrEnum]) -> type[TypeDecorator[str]]:
    """The column type of ``kind``'s words (one class per kind, as SQLAlchemy caches it)."""
    return type(f"{kind.__name__}Words", (Words,), {"kind": kind, "cache_ok": True})
