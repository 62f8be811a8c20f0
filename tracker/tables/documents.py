"""What the crawl finds and ingest records: sources, instruments, their versions and changes, the
flags and alerts on them, each crawl run and the URLs documents came from.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.kinds import Severity
from tracker.tables import utcnow, words


class Source(SQLModel, table=True):
    """A publisher's listing the crawler visits (one per ``[[sources]]`` in config)."""

    id: str = Field(primary_key=True)
    name: str = ""
    spider: str = "listing"
    baseline_done: bool = False
    last_crawl_at: datetime | None = None
    last_success_at: datetime | None = None
    consecutive_failures: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    # Source health: "ok", "broken" or "unknown" (never crawled), why, and how
    # many documents the listing offered on its last successful run.
    health: str = "unknown"
    health_note: str | None = Field(default=None, sa_column=Column(Text))
    last_found: int = 0
    cursor: str = ""


class Instrument(SQLModel, table=True):
    """A legal or policy instrument as the tracker knows it, across its versions."""

    __table_args__ = (
        UniqueConstraint("source_id", "url"),
        Index("ix_instrument_last_seen", "last_seen_at", "id"),  # the tracker's list order
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(foreign_key="source.id", index=True)
    url: str
    title: str = ""
    type: str = ""
    number: str = ""
    issuer: str = ""
    language: str = ""
    status: str = "published"
    listing_date: str = ""
    signed_date: str = ""
    effective_date: str = ""
    # Editions of one instrument (Khmer, English, ...) share an edition key.
    edition_key: str = Field(default="", index=True)
    discovery: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    first_seen_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    # Kept by the Secretariat in the web tracker; the crawler never writes them.
    consultation_deadline: str = ""  # YYYY-MM-DD or empty
    owner_team: str = ""
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Version(SQLModel, table=True):
    """One distinct content (sha256) of an instrument, as fetched and read."""

    id: int | None = Field(default=None, primary_key=True)
    instrument_id: int = Field(foreign_key="instrument.id", index=True)
    url: str
    fetched_at: datetime = Field(default_factory=utcnow)
    sha256: str = Field(index=True)
    size: int = 0
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    language: str = ""
    method: str = ""
    quality: float = 0.0
    pages: int | None = None
    title: str = ""
    text: str = Field(default="", sa_column=Column(Text))
    raw_text: str = Field(default="", sa_column=Column(Text))
    document: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    parse_error: str | None = Field(default=None, sa_column=Column(Text))


class Change(SQLModel, table=True):
    """A substantive change between two versions of an instrument."""

    id: int | None = Field(default=None, primary_key=True)
    instrument_id: int = Field(foreign_key="instrument.id", index=True)
    old_version_id: int | None = Field(default=None, foreign_key="version.id")
    new_version_id: int = Field(foreign_key="version.id", index=True)
    kind: str
    old_ref: str | None = None
    new_ref: str | None = None
    heading: str = ""
    old_text: str = Field(default="", sa_column=Column(Text))
    new_text: str = Field(default="", sa_column=Column(Text))
    numbers: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    ops: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    needs_check: bool = False


class Flag(SQLModel, table=True):
    """A change judged to touch one of the coalition's positions."""

    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(foreign_key="change.id", index=True)
    position: str = Field(index=True)
    score: float
    severity: Severity = Field(sa_type=words(Severity))
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    # favourable | adverse | mixed for the coalition, "" where the position has no rule
    direction: str = Field(default="", sa_column_kwargs={"server_default": ""})


class Alert(SQLModel, table=True):
    """One alert per new or changed version whose changes were flagged."""

    id: int | None = Field(default=None, primary_key=True)
    instrument_id: int = Field(foreign_key="instrument.id", index=True)
    version_id: int = Field(foreign_key="version.id", unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    positions: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    severity: Severity = Field(default=Severity.LOW, sa_type=words(Severity))
    summary: str = Field(default="", sa_column=Column(Text))
    url: str = ""
    needs_check: bool = False
    # "legal": a change in the official text (or the only text known); "translation": a
    # change that appears only in a translation of an instrument whose official text is known.
    kind: str = Field(default="legal", sa_column_kwargs={"server_default": "legal"})


class RunTally(SQLModel):
    """What one crawl run did, as counts: its status (``running``, then ``ok``, ``partial``,
    ``failed`` or ``interrupted``), the requests and bytes it took, what it found and stored,
    the alerts it raised. The crawl run's table holds them (:class:`CrawlRun`) and the crawl
    reports them (the frozen ``tracker.runs.RunCounts``)."""

    status: str = "running"
    baseline: bool = False
    requests: int = 0
    bytes: int = 0
    documents: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_modified: int = 0
    failed: int = 0
    alerts: int = 0
    listing_pages: int = 0
    found: int = 0
    duration_s: float = 0.0


class CrawlRun(RunTally, table=True):
    """One crawl of one source: what it found and what went wrong."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(foreign_key="source.id", index=True)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))


class DocumentUrl(SQLModel, table=True):
    """One URL a document was fetched from, its instrument and that URL's own validators.

    The same file at two URLs is one instrument (and one version); each URL keeps the
    ETag/Last-Modified its server gave, so both answer 304 next time.
    """

    __table_args__ = (UniqueConstraint("source_id", "url"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(foreign_key="source.id", index=True)
    url: str
    instrument_id: int = Field(foreign_key="instrument.id", index=True)
    sha256: str = ""
    etag: str | None = None
    last_modified: str | None = None
    last_seen_at: datetime = Field(default_factory=utcnow)
