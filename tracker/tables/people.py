"""Who uses the web tracker: users, their signed-in sessions and API tokens, their own alert
channels, and the audit of every edit they make.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from tracker.kinds import Language, Mode, Severity
from tracker.tables import utcnow, words


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
    min_severity: Severity = Field(default=Severity.LOW, sa_type=words(Severity))
    mode: Mode = Field(default=Mode.INSTANT, sa_type=words(Mode))
    created_at: datetime = Field(default_factory=utcnow)
    # the language of its messages (at first the user's interface language)
    language: Language = Field(
        default=Language.EN, sa_type=words(Language), sa_column_kwargs={"server_default": "en"}
    )


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
