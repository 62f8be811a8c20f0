"""Finding instruments: filters by source, language, status and type, and a text search.

The text search is a substring match (SQL LIKE) over titles, numbers and the text of every
version, tried as typed and in normalised Khmer spelling, so a query typed with another
cluster order or a zero-width space still finds the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from parsers.khmer import normalize
from tracker.models import Instrument, Version

PAGE_SIZE = 50
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class InstrumentFilter:
    source: str = ""
    language: str = ""
    status: str = ""
    type: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return any((self.source, self.language, self.status, self.type, self.q))


@dataclass(frozen=True)
class Facets:
    """The values each filter can take, for the filter form."""

    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_condition(q: str) -> ColumnElement[bool]:
    variants = {q.strip(), normalize(q).strip()} - {""}
    conditions: list[ColumnElement[bool]] = []
    for variant in sorted(variants):
        pattern = f"%{_escape_like(variant)}%"
        in_versions = select(Version.instrument_id).where(
            col(Version.text).ilike(pattern, escape="\\")
        )
        conditions += [
            col(Instrument.title).ilike(pattern, escape="\\"),
            col(Instrument.number).ilike(pattern, escape="\\"),
            col(Instrument.id).in_(in_versions),
        ]
    return or_(*conditions)


def _conditions(flt: InstrumentFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.source:
        conditions.append(col(Instrument.source_id) == flt.source)
    if flt.language:
        conditions.append(col(Instrument.language) == flt.language)
    if flt.status:
        conditions.append(col(Instrument.status) == flt.status)
    if flt.type:
        conditions.append(col(Instrument.type) == flt.type)
    q = flt.q[:MAX_QUERY_LENGTH]
    if q.strip():
        conditions.append(_text_condition(q))
    return conditions


def find_instruments(
    session: Session, flt: InstrumentFilter, limit: int = PAGE_SIZE, offset: int = 0
) -> tuple[list[Instrument], int]:
    """One page of matching instruments, most recently seen first, and how many match."""
    conditions = _conditions(flt)
    total = session.exec(select(func.count()).select_from(Instrument).where(*conditions)).one()
    statement = (
        select(Instrument)
        .where(*conditions)
        .order_by(col(Instrument.last_seen_at).desc(), col(Instrument.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.exec(statement)), int(total)


def facets(session: Session) -> Facets:
    def distinct(column: Any) -> list[str]:
        values = session.exec(select(column).distinct().order_by(column))
        return [value for value in values if value]

    return Facets(
        sources=distinct(col(Instrument.source_id)),
        languages=distinct(col(Instrument.language)),
        statuses=distinct(col(Instrument.status)),
        types=distinct(col(Instrument.type)),
    )
