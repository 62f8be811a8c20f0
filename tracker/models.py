"""Every table of the tracker, in one place (SQLModel).

ORM objects never leave tracker/alerts/web: other stages get frozen dataclasses.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def delivery_key() -> str:
    """A delivery's idempotency key: random, stable for the delivery's life, sent with it."""
    return uuid4().hex


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
    severity: str
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
    severity: str = "low"
    summary: str = Field(default="", sa_column=Column(Text))
    url: str = ""
    needs_check: bool = False
    # "legal": a change in the official text (or the only text known); "translation": a
    # change that appears only in a translation of an instrument whose official text is known.
    kind: str = Field(default="legal", sa_column_kwargs={"server_default": "legal"})


class Delivery(SQLModel, table=True):
    """The outbox: one row per alert and channel, sent exactly once (alerts.deliver.delivery).

    ``key`` is the delivery's idempotency key, sent with every try (header, JSON field);
    ``attempt_key`` the key of the message that carried it last (a digest's own key);
    ``claimed_by`` / ``claimed_at`` name the process sending it while ``status`` is sending.
    """

    __table_args__ = (UniqueConstraint("alert_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", index=True)
    channel: str = Field(index=True)
    status: str = Field(default="pending", index=True)  # pending|sending|sent|failed|dead
    attempts: int = 0
    due_at: datetime = Field(default_factory=utcnow)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    sent_at: datetime | None = None
    key: str = Field(default_factory=delivery_key, unique=True)
    attempt_key: str | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None


class SourceNotice(SQLModel, table=True):
    """A source-health alert (a source failing, recovered, gone quiet), one per incident.

    ``key`` names the incident (the caller's choice, e.g. ``nssf-legal:failing:2026-03-02``):
    a second notice with the same key is the same notice, never a second message.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    source_id: str = Field(index=True)
    kind: str
    severity: str = "medium"
    summary: str = Field(default="", sa_column=Column(Text))
    detail: str = Field(default="", sa_column=Column(Text))
    url: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    # What the notice says as data, for notices worded per reader's language.
    facts: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class NoticeDelivery(SQLModel, table=True):
    """The outbox of source notices: one row per notice and channel, like ``Delivery``."""

    __table_args__ = (UniqueConstraint("notice_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="sourcenotice.id", index=True)
    channel: str = Field(index=True)
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    due_at: datetime = Field(default_factory=utcnow)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    sent_at: datetime | None = None
    key: str = Field(default_factory=delivery_key, unique=True)
    attempt_key: str | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None


class CrawlRun(SQLModel, table=True):
    """One crawl of one source: what it found and what went wrong."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(foreign_key="source.id", index=True)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    status: str = "running"  # running | ok | partial | failed | interrupted
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
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    listing_pages: int = 0
    found: int = 0
    duration_s: float = 0.0


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


class User(SQLModel, table=True):
    """A person who signs in to the web tracker."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    role: str  # viewer | officer | secretariat | admin
    password_hash: str
    created_at: datetime = Field(default_factory=utcnow)
    disabled: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # The web interface's language the user chose ("en", "km"); "" not chosen yet: their
    # browser's language cookie or Accept-Language decides.
    language: str = Field(default="", sa_column_kwargs={"server_default": ""})


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random id, the table its sha256. Signing out,
    a password or role change and disabling the user delete the rows: the session ends
    on the server, whatever copy of the cookie is kept."""

    id: str = Field(primary_key=True)  # sha256 of the id in the cookie
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class Verdict(SQLModel, table=True):
    """An officer's verdict on one flag (the change ``change_id`` and the ``position`` it was
    flagged for): ``relevant``, ``not_relevant``, or about the ``wrong_position`` (then
    ``correct_positions`` names the right ones, or none); who gave it and when.

    Rows are only added: a later verdict on the same flag replaces an earlier one for every
    reader (the triage menus, the evaluation's export), and the alert's page lists them all.
    A verdict given on an alert is one row per flag behind it, sharing ``alert_id``, ``judged``
    (the alert's position judged, "" for the whole alert), ``user_name`` and ``created_at``;
    ``change_id`` is None when no flag is behind the position judged, ``alert_id`` None for
    a verdict on the flag alone (given outside the web tracker: no alert's page lists it).
    """

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int | None = Field(default=None, foreign_key="alert.id", index=True)
    change_id: int | None = Field(default=None, foreign_key="change.id", index=True)
    position: str = Field(index=True)
    judged: str = ""
    verdict: str  # relevant | not_relevant | wrong_position
    correct_positions: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    note: str = Field(default="", sa_column=Column(Text))
    user_name: str
    created_at: datetime = Field(default_factory=utcnow)


# --- The Secretariat's tracker, triage and accounts ------------------------------------


class LifecycleStep(SQLModel, table=True):
    """An instrument reaching a lifecycle state (draft ... in force, amended, repealed)."""

    id: int | None = Field(default=None, primary_key=True)
    instrument_id: int = Field(foreign_key="instrument.id", index=True)
    status: str
    date: str = ""  # YYYY-MM-DD the step happened, as the Secretariat records it
    recorded_by: str = ""
    recorded_at: datetime = Field(default_factory=utcnow)


class InstrumentLink(SQLModel, table=True):
    """``source`` amends, implements or repeals ``target``."""

    __table_args__ = (UniqueConstraint("source_id", "target_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="instrument.id", index=True)
    target_id: int = Field(foreign_key="instrument.id", index=True)
    kind: str  # amends | implements | repeals
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Every edit made through the web tracker: who, when, what it was, what it became."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_name: str
    entity: str = Field(index=True)  # instrument | alert | link | user | subscription
    entity_id: str = Field(index=True)
    action: str
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class AlertHandling(SQLModel, table=True):
    """An officer's handling of an alert: acknowledged, and by which task team and officer
    it is owned (the verdicts are ``Verdict`` rows)."""

    alert_id: int = Field(foreign_key="alert.id", primary_key=True)
    acknowledged_by: str = ""
    acknowledged_at: datetime | None = None
    task_team: str = ""
    assignee: str = Field(default="", sa_column_kwargs={"server_default": ""})  # a user name
    updated_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its sha256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_sha256: str = Field(unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None  # None: until revoked


class Subscription(SQLModel, table=True):
    """A user's own channel for alerts (an Apprise URL) and what should reach it. Ids are
    never reused (deliveries name their channel by it)."""

    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    url: str
    positions: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    min_severity: str = "low"
    mode: str = "instant"  # instant | daily | weekly
    created_at: datetime = Field(default_factory=utcnow)
    # en | km: the language of its messages (at first the user's interface language)
    language: str = Field(default="en", sa_column_kwargs={"server_default": "en"})


# --- Language versions of one instrument ------------------------------------------------


class LanguageVersion(SQLModel, table=True):
    """One language expression of a work: the instrument ``instrument_id`` (its own URL and
    versions) is the text of the work ``work_id`` in ``language``. The work is named by the
    instrument first known of the set (its own row has ``instrument_id == work_id``).

    ``role``: official | official_translation | unofficial_translation; ``attached_by``:
    ``auto`` (number, type and date agree) or the name of the user who attached it.
    """

    id: int | None = Field(default=None, primary_key=True)
    work_id: int = Field(foreign_key="instrument.id", index=True)
    instrument_id: int = Field(foreign_key="instrument.id", unique=True)
    language: str
    role: str
    publisher: str = ""
    date: str = ""  # YYYY-MM-DD this expression was signed or published, as known
    attached_by: str = ""
    attached_at: datetime = Field(default_factory=utcnow)


class ChangeCounterpart(SQLModel, table=True):
    """The text of a changed provision in another language version of the same work, as
    that version read when the change was recorded (shown beside the change)."""

    __table_args__ = (UniqueConstraint("change_id", "instrument_id"),)

    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(foreign_key="change.id", index=True)
    instrument_id: int = Field(foreign_key="instrument.id")
    version_id: int = Field(foreign_key="version.id")
    language: str
    ref: str = ""
    text: str = Field(default="", sa_column=Column(Text))


class SourceDefinition(SQLModel, table=True):
    """A source added or edited on the web: the keys of a ``[[sources]]`` table of
    config.toml. Its id wins over config.toml's source of the same id."""

    id: str = Field(primary_key=True)
    definition: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    updated_by: str = ""
    updated_at: datetime = Field(default_factory=utcnow)


# --- Parameters over time ------------------------------------------------------------


class Parameter(SQLModel, table=True):
    """One quantity of one instrument's provisions followed over its versions: a rate, an
    amount or a period with the words that name it (``key``: see parsers.compare.parameters).
    ``ref``, ``heading`` and ``label`` are as the newest version holding it states them;
    ``positions`` the coalition positions its clause is about."""

    __table_args__ = (UniqueConstraint("instrument_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    instrument_id: int = Field(foreign_key="instrument.id", index=True)
    key: str
    label: str
    unit: str
    ref: str = ""
    heading: str = ""
    positions: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    last_version_id: int | None = Field(default=None, foreign_key="version.id")
    # the same parameter in the official text of the work, on a translation's parameter
    counterpart_id: int | None = Field(default=None, foreign_key="parameter.id")


class ParameterValue(SQLModel, table=True):
    """A value of a parameter from the version that first stated it; a later version
    stating the same value adds nothing."""

    id: int | None = Field(default=None, primary_key=True)
    parameter_id: int = Field(foreign_key="parameter.id", index=True)
    version_id: int = Field(foreign_key="version.id")
    value: float
    text: str = ""
    ref: str = ""
    clause: str = Field(default="", sa_column=Column(Text))
    sha256: str = ""
    seen_at: datetime = Field(default_factory=utcnow)
    effective_date: str = ""  # YYYY-MM-DD when the text states one
