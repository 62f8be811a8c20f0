"""Finding instruments: filters (source, language, status, type, issuer, position, first
seen between two dates) and a full-text search in Khmer and English.

On SQLite the text search uses the FTS5 table the tracker's migration keeps: one document
per instrument (title, number, the latest version's text and every text its stored
changes replaced or removed, so what an earlier version said is found too), trigram
tokenizer (Khmer has no
spaces between words, so any three characters are the unit, and a Khmer word is found
inside a run of unspaced text). Each whitespace-separated term of the query must occur
in the instrument's document. The query is tried
as typed and in normalised Khmer spelling, so another cluster order or a zero-width space
still finds the document. Terms shorter than three characters, and other databases, use a
case-insensitive substring match (SQL ILIKE), which on PostgreSQL is served by pg_trgm
trigram indexes on titles, numbers and version texts (migration 0006).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, or_, text
from sqlmodel import Session, col, select

from parsers.khmer import normalize
from tracker.models import Change, Flag, Instrument, LanguageVersion, Version
from web.dates import start_of_day

PAGE_SIZE = 50
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
TRIGRAM = 3


@dataclass(frozen=True)
class InstrumentFilter:
    source: str = ""
    language: str = ""
    status: str = ""
    type: str = ""
    q: str = ""
    issuer: str = ""
    position: str = ""
    seen_from: date | None = None
    seen_to: date | None = None

    @property
    def active(self) -> bool:
        return any(
            (
                self.source,
                self.language,
                self.status,
                self.type,
                self.q,
                self.issuer,
                self.position,
                self.seen_from,
                self.seen_to,
            )
        )

    def query(self) -> dict[str, str]:
        """The filter as URL query parameters (for pagers and links)."""
        return {k: str(v) for k, v in vars(self).items() if v}


@dataclass(frozen=True)
class Facets:
    """The values each filter can take, for the filter form."""

    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    issuers: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _terms(q: str) -> list[str]:
    return q.split()[:MAX_TERMS]


def _like_condition(term: str) -> ColumnElement[bool]:
    pattern = f"%{_escape_like(term)}%"
    in_versions = select(Version.instrument_id).where(col(Version.text).ilike(pattern, escape="\\"))
    return or_(
        col(Instrument.title).ilike(pattern, escape="\\"),
        col(Instrument.number).ilike(pattern, escape="\\"),
        col(Instrument.id).in_(in_versions),
    )


_FTS_MATCH = text("SELECT rowid FROM instrument_fts WHERE instrument_fts MATCH :q")


def _fts_condition(terms: list[str]) -> ColumnElement[bool]:
    """Instruments whose search document (see the module's doc) holds every term."""
    expression = " ".join(_fts_phrase(term) for term in terms)
    matching = _FTS_MATCH.bindparams(bindparam("q", expression, unique=True))
    return col(Instrument.id).in_(matching)


def _variant_condition(terms: list[str], fts: bool) -> ColumnElement[bool] | None:
    parts: list[ColumnElement[bool]] = []
    like_terms = terms
    if fts:
        long_terms = [t for t in terms if len(t) >= TRIGRAM]
        like_terms = [t for t in terms if len(t) < TRIGRAM]
        if long_terms:
            parts.append(_fts_condition(long_terms))
    parts.extend(_like_condition(term) for term in like_terms)
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition = condition & part
    return condition


def _text_condition(q: str, fts: bool) -> ColumnElement[bool]:
    variants = {q.strip(), normalize(q).strip()} - {""}
    conditions = []
    for variant in sorted(variants):
        condition = _variant_condition(_terms(variant), fts)
        if condition is not None:
            conditions.append(condition)
    return or_(*conditions)


def has_fts(session: Session) -> bool:
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    found = session.connection().exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'instrument_fts'"
    )
    return found.first() is not None


def _start_of(day: date) -> datetime:
    """A day a reader picks is a day in Phnom Penh."""
    return start_of_day(day)


def _conditions(session: Session, flt: InstrumentFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for name in ("source", "language", "status", "type", "issuer"):
        value = getattr(flt, name)
        if value:
            column = Instrument.source_id if name == "source" else getattr(Instrument, name)
            conditions.append(col(column) == value)
    if flt.position:
        flagged = (
            select(Change.instrument_id)
            .join(Flag, col(Flag.change_id) == col(Change.id))
            .where(Flag.position == flt.position)
        )
        conditions.append(col(Instrument.id).in_(flagged))
    if flt.seen_from:
        conditions.append(col(Instrument.first_seen_at) >= _start_of(flt.seen_from))
    if flt.seen_to and flt.seen_to < date.max:  # the calendar's last day bounds nothing
        conditions.append(
            col(Instrument.first_seen_at) < _start_of(flt.seen_to + timedelta(days=1))
        )
    q = flt.q[:MAX_QUERY_LENGTH]
    if q.strip():
        conditions.append(_text_condition(q, has_fts(session)))
    return conditions


def find_instruments(
    session: Session, flt: InstrumentFilter, limit: int = PAGE_SIZE, offset: int = 0
) -> tuple[list[Instrument], int]:
    """One page of matching instruments, most recently seen first, and how many match."""
    conditions = _conditions(session, flt)
    order = (col(Instrument.last_seen_at).desc(), col(Instrument.id).desc())
    if not flt.q.strip():
        total = session.exec(select(func.count()).select_from(Instrument).where(*conditions)).one()
        page = select(Instrument).where(*conditions).order_by(*order).limit(limit).offset(offset)
        return list(session.exec(page)), int(total)
    # One statement for the page's ids and the total: the text match runs once, and only
    # ids and dates are sorted, not whole rows.
    rows, total = _page(
        session,
        select(col(Instrument.id), func.count().over()).where(*conditions).order_by(*order),
        select(func.count()).select_from(Instrument).where(*conditions),
        limit,
        offset,
    )
    if not rows:
        return [], total
    ids = [instrument_id for instrument_id, _ in rows]
    found = {i.id: i for i in session.exec(select(Instrument).where(col(Instrument.id).in_(ids)))}
    return [found[i] for i in ids if i in found], total


def _page(
    session: Session, statement: Any, count: Any, limit: int, offset: int
) -> tuple[list[Any], int]:
    """The rows of one page of ``statement`` (its last column ``count() over ()``) and how
    many match: on a page past the last, ``count`` says how many there are."""
    rows = list(session.exec(statement.limit(limit).offset(offset)))
    if rows:
        return rows, int(rows[0][-1])
    return [], int(session.exec(count).one()) if offset else 0


def find_works(
    session: Session, flt: InstrumentFilter, limit: int = PAGE_SIZE, offset: int = 0
) -> tuple[list[tuple[int, list[int]]], int]:
    """One page of matching works (an instrument with its texts in other languages counts
    once), most recently seen first, and how many match: each as its work id and the ids
    of its texts that match the filter."""
    conditions = _conditions(session, flt)
    work = func.coalesce(col(LanguageVersion.work_id), col(Instrument.id))
    matching = (
        select(work.label("work"), col(Instrument.id).label("id"), Instrument.last_seen_at)
        .select_from(Instrument)
        .outerjoin(LanguageVersion, col(LanguageVersion.instrument_id) == col(Instrument.id))
        .where(*conditions)
        .subquery()
    )
    seen = func.max(matching.c.last_seen_at)
    rows, total = _page(
        session,
        select(matching.c.work, func.count().over())
        .group_by(matching.c.work)
        .order_by(seen.desc(), matching.c.work.desc()),
        select(func.count(func.distinct(matching.c.work))),
        limit,
        offset,
    )
    if not rows:
        return [], total
    works = [int(w) for w, _ in rows]
    members: dict[int, list[int]] = {w: [] for w in works}
    for w, instrument_id in session.exec(
        select(matching.c.work, matching.c.id)
        .where(matching.c.work.in_(works))
        .order_by(matching.c.id)
    ):
        members[int(w)].append(int(instrument_id))
    return [(w, members[w]) for w in works], total


class FacetCache:
    """The filter form's values, recomputed at most every ``ttl_s`` seconds (they change
    when a crawl finds a new issuer or type, not between two page views)."""

    def __init__(self, ttl_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._value: Facets | None = None
        self._at = 0.0
        self._lock = threading.Lock()

    def get(self, session: Session) -> Facets:
        now = self._clock()
        with self._lock:
            if self._value is not None and now - self._at < self.ttl_s:
                return self._value
        value = facets(session)
        with self._lock:
            self._value, self._at = value, now
        return value


def facets(session: Session) -> Facets:
    def distinct(column: Any) -> list[str]:
        values = session.exec(select(column).distinct().order_by(column))
        return [value for value in values if value]

    return Facets(
        sources=distinct(col(Instrument.source_id)),
        languages=distinct(col(Instrument.language)),
        statuses=distinct(col(Instrument.status)),
        types=distinct(col(Instrument.type)),
        issuers=distinct(col(Instrument.issuer)),
        positions=distinct(col(Flag.position)),
    )
