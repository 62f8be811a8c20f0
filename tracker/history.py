"""Instruments and their versions: what the tracker remembers of every fetched document.

Functions here take an open session and leave committing to the caller, so a version, its
changes, flags and alerts land in one transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, col, select

from parsers.compare.change import Change as ParsedChange
from parsers.document import Document
from parsers.read.metadata import instrument_metadata
from tracker.models import Change, DocumentUrl, Instrument, Source, Version, utcnow


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
    number: str = ""
    language: str = ""
    edition_key: str = ""
    discovery: Mapping[str, Any] = field(default_factory=dict)


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
    """The instrument fetched from ``url``: its own URL, or another URL of the same file."""
    statement = select(Instrument).where(Instrument.source_id == source_id, Instrument.url == url)
    instrument = session.exec(statement).first()
    if instrument is not None:
        return instrument
    known = url_state(session, source_id, url)
    return session.get(Instrument, known.instrument_id) if known is not None else None


def url_state(session: Session, source_id: str, url: str) -> DocumentUrl | None:
    statement = select(DocumentUrl).where(
        DocumentUrl.source_id == source_id, DocumentUrl.url == url
    )
    return session.exec(statement).first()


def instrument_with_content(session: Session, source_id: str, sha256: str) -> Instrument | None:
    """An instrument of the source whose latest version holds exactly these bytes."""
    statement = (
        select(Instrument)
        .join(Version, col(Version.instrument_id) == col(Instrument.id))
        .where(Instrument.source_id == source_id, Version.sha256 == sha256)
        .order_by(col(Instrument.id))
    )
    for instrument in session.exec(statement):
        assert instrument.id is not None
        latest = latest_version(session, instrument.id)
        if latest is not None and latest.sha256 == sha256:
            return instrument
    return None


def remember_url(
    session: Session,
    instrument: Instrument,
    url: str,
    *,
    sha256: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    when: datetime | None = None,
) -> DocumentUrl:
    """Record (or update) one URL of an instrument with that URL's own validators."""
    assert instrument.id is not None
    row = url_state(session, instrument.source_id, url)
    if row is None:
        row = DocumentUrl(source_id=instrument.source_id, url=url, instrument_id=instrument.id)
        session.add(row)
    row.instrument_id = instrument.id
    row.sha256 = sha256 or row.sha256
    row.etag = etag or row.etag
    row.last_modified = last_modified or row.last_modified
    row.last_seen_at = when or utcnow()
    session.flush()
    return row


def latest_version(session: Session, instrument_id: int) -> Version | None:
    statement = (
        select(Version)
        .where(Version.instrument_id == instrument_id)
        .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
    )
    return session.exec(statement).first()


def validators(session: Session, source_id: str) -> dict[str, dict[str, str]]:
    """ETag/Last-Modified of every known document URL of a source.

    Each URL's own validators (``DocumentUrl``) first; an instrument with no URL row (a
    database from before per-URL validators) falls back to its latest version's.
    """
    result: dict[str, dict[str, str]] = {}
    for row in session.exec(select(DocumentUrl).where(DocumentUrl.source_id == source_id)):
        found = {"etag": row.etag or "", "last_modified": row.last_modified or ""}
        if found["etag"] or found["last_modified"]:
            result[row.url] = found
    instruments = session.exec(select(Instrument).where(Instrument.source_id == source_id))
    for instrument in instruments:
        assert instrument.id is not None
        if instrument.url in result or url_state(session, source_id, instrument.url):
            continue
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
    known = url_state(session, source_id, url)
    if known is not None:
        known.last_seen_at = instrument.last_seen_at
    return True


def store_fetched(
    session: Session,
    fetched: Fetched,
    document: Document | None,
    parse_error: str | None = None,
    *,
    refetch: bool = True,
) -> Stored:
    """Record a fetched document: a new instrument, a new version, or unchanged bytes.

    ``refetch=False`` keeps the URL's validators of bytes that could not be read, so a
    document that will always fail the same way is not downloaded on every crawl.
    """
    instrument = find_instrument(session, fetched.source_id, fetched.url)
    if instrument is None:
        # The same file already known at another URL: one instrument, one version.
        instrument = instrument_with_content(session, fetched.source_id, fetched.sha256)
    previous: Version | None = None
    if instrument is None:
        instrument = Instrument(source_id=fetched.source_id, url=fetched.url)
        session.add(instrument)
        session.flush()
    else:
        assert instrument.id is not None
        previous = latest_version(session, instrument.id)
    instrument.last_seen_at = fetched.fetched_at
    if instrument.url == fetched.url or not instrument.title:
        apply_discovery(instrument, fetched)
    url_row = remember_url(
        session,
        instrument,
        fetched.url,
        sha256=fetched.sha256,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        when=fetched.fetched_at,
    )
    if parse_error is not None and refetch:
        # Bytes that could not be read are fetched again next time (unless the caller
        # knows the same bytes would fail the same way).
        url_row.etag = url_row.last_modified = None
    if previous is not None and previous.sha256 == fetched.sha256:
        if previous.url == fetched.url:
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
        if not instrument.edition_key and instrument.type and instrument.number:
            instrument.edition_key = edition_key(
                instrument.source_id, instrument.type, instrument.number
            )
    session.add(version)
    session.flush()
    return Stored("new" if previous is None else "changed", instrument, version, previous)


def apply_discovery(instrument: Instrument, fetched: Fetched) -> None:
    """What the listing (or API) said about a document becomes the instrument's metadata."""
    instrument.title = fetched.title or instrument.title
    instrument.listing_date = fetched.listing_date or instrument.listing_date
    instrument.number = fetched.number or instrument.number
    instrument.language = fetched.language or instrument.language
    instrument.edition_key = fetched.edition_key or instrument.edition_key
    if fetched.discovery:
        instrument.discovery = {**(instrument.discovery or {}), **dict(fetched.discovery)}
        for key in ("type", "status", "signed_date", "effective_date", "issuer"):
            value = fetched.discovery.get(key)
            if isinstance(value, str) and value:
                setattr(instrument, key, value)


def edition_key(source_id: str, kind: str, number: str) -> str:
    """A key shared by the Khmer and English editions of one numbered instrument.

    Digits are read in any script (``៣៨`` = ``38``); only the leading number counts, since
    the issuer's abbreviation is written differently in each language (``អនក្រ.បក`` /
    ``ANK.BK``).
    """
    digits = "".join(
        str(unicodedata.digit(c)) if c.isdigit() else c
        for c in unicodedata.normalize("NFC", number)
    )
    match = re.search(r"\d+(?:/\d+)?", digits)
    if match is None:
        return ""
    return f"{source_id}:{kind.lower()}:{match.group(0)}"


def editions(session: Session, instrument: Instrument) -> list[Instrument]:
    """The other editions (languages) of an instrument, linked by edition key."""
    if not instrument.edition_key:
        return []
    statement = select(Instrument).where(
        Instrument.edition_key == instrument.edition_key, Instrument.id != instrument.id
    )
    return list(session.exec(statement))


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
