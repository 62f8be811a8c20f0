"""Instruments and their versions: what the tracker remembers of every fetched document.

Functions here take an open session and leave committing to the caller, so a version, its
changes, flags and alerts land in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, select

from parsers.change import Change as ParsedChange
from parsers.document import Document
from parsers.structure import instrument_metadata
from tracker.models import Change, Instrument, Source, Version, utcnow


@dataclass(frozen=True)
class Fetched:
    """What the crawler says about one document it fetched."""

    source_id: str
    url: str
    sha256: str
    size: int
    content_type: str
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    title: str = ""
    listing_date: str = ""


@dataclass(frozen=True)
class Stored:
    """Where a fetched document landed: a new instrument, a new version, or nothing new."""

    status: Literal["new", "changed", "unchanged"]
    instrument: Instrument
    version: Version
    previous: Version | None


def ensure_source(session: Session, source_id: str, name: str = "", spider: str = "") -> Source:
    source = session.get(Source, source_id)
    if source is None:
        source = Source(id=source_id, name=name, spider=spider or "listing")
        session.add(source)
        session.flush()
    else:
        source.name = name or source.name
        source.spider = spider or source.spider
    return source


def find_instrument(session: Session, source_id: str, url: str) -> Instrument | None:
    statement = select(Instrument).where(Instrument.source_id == source_id, Instrument.url == url)
    return session.exec(statement).first()


def latest_version(session: Session, instrument_id: int) -> Version | None:
    statement = (
        select(Version)
        .where(Version.instrument_id == instrument_id)
        .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
    )
    return session.exec(statement).first()


def validators(session: Session, source_id: str) -> dict[str, dict[str, str]]:
    """ETag/Last-Modified of the latest version of every instrument of a source, by URL."""
    result: dict[str, dict[str, str]] = {}
    instruments = session.exec(select(Instrument).where(Instrument.source_id == source_id))
    for instrument in instruments:
        assert instrument.id is not None
        version = latest_version(session, instrument.id)
        if version is None or version.parse_error:
            continue
        found = {"etag": version.etag or "", "last_modified": version.last_modified or ""}
        if found["etag"] or found["last_modified"]:
            result[instrument.url] = found
    return result


def touch(session: Session, source_id: str, url: str, when: datetime | None = None) -> bool:
    """Mark an instrument as still listed (e.g. answered 304). False if unknown."""
    instrument = find_instrument(session, source_id, url)
    if instrument is None:
        return False
    instrument.last_seen_at = when or utcnow()
    return True


def store_fetched(
    session: Session,
    fetched: Fetched,
    document: Document | None,
    parse_error: str | None = None,
) -> Stored:
    """Record a fetched document: a new instrument, a new version, or unchanged bytes."""
    instrument = find_instrument(session, fetched.source_id, fetched.url)
    previous: Version | None = None
    if instrument is None:
        instrument = Instrument(source_id=fetched.source_id, url=fetched.url)
        session.add(instrument)
        session.flush()
    else:
        assert instrument.id is not None
        previous = latest_version(session, instrument.id)
    instrument.last_seen_at = fetched.fetched_at
    instrument.title = fetched.title or instrument.title
    instrument.listing_date = fetched.listing_date or instrument.listing_date
    if previous is not None and previous.sha256 == fetched.sha256:
        previous.etag = fetched.etag or previous.etag
        previous.last_modified = fetched.last_modified or previous.last_modified
        return Stored("unchanged", instrument, previous, previous)

    assert instrument.id is not None
    version = Version(
        instrument_id=instrument.id,
        url=fetched.url,
        fetched_at=fetched.fetched_at,
        sha256=fetched.sha256,
        size=fetched.size,
        content_type=fetched.content_type,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        parse_error=parse_error,
    )
    if document is not None:
        version.language = document.language
        version.method = document.method
        version.quality = document.quality
        version.pages = document.pages
        version.title = document.title
        version.text = document.text
        version.raw_text = document.raw_text
        version.document = document.to_json()
        instrument.language = instrument.language or document.language
        if not instrument.title:
            instrument.title = document.title
        printed = instrument_metadata(document.text)
        instrument.type = instrument.type or printed.get("type", "")
        instrument.number = instrument.number or printed.get("number", "")
        instrument.signed_date = instrument.signed_date or printed.get("date", "")
    session.add(version)
    session.flush()
    return Stored("new" if previous is None else "changed", instrument, version, previous)


def document_of(version: Version | None) -> Document | None:
    """The read document a version holds, or None (no version, or it could not be read)."""
    if version is None or version.document is None:
        return None
    return Document.from_json(version.document, raw_text=version.raw_text)


def last_readable_version(session: Session, instrument_id: int, before: Version) -> Version | None:
    """The newest version older than ``before`` that was read successfully."""
    statement = (
        select(Version)
        .where(
            Version.instrument_id == instrument_id,
            Version.id != before.id,
            col(Version.document).is_not(None),
        )
        .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
    )
    return session.exec(statement).first()


def store_changes(
    session: Session,
    instrument_id: int,
    old_version_id: int | None,
    new_version_id: int,
    changes: Sequence[ParsedChange],
) -> list[Change]:
    rows = [
        Change(
            instrument_id=instrument_id,
            old_version_id=old_version_id,
            new_version_id=new_version_id,
            kind=change.kind,
            old_ref=change.old_ref,
            new_ref=change.new_ref,
            heading=change.heading,
            old_text=change.old_text,
            new_text=change.new_text,
            numbers=[n.to_json() for n in change.numbers],
            ops=[o.to_json() for o in change.ops],
            needs_check=change.needs_check,
        )
        for change in changes
    ]
    session.add_all(rows)
    session.flush()
    return rows
