"""The Secretariat's record: officers' verdicts, alert handling, lifecycle steps, links between
instruments and sources defined on the web.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.kinds import VerdictWord
from tracker.tables import utcnow, words


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
    verdict: VerdictWord = Field(sa_type=words(VerdictWord))
    correct_positions: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    note: str = Field(default="", sa_column=Column(Text))
    user_name: str
    created_at: datetime = Field(default_factory=utcnow)


class AlertHandling(SQLModel, table=True):
    """An officer's handling of an alert: acknowledged, and by which task team and officer
    it is owned (the verdicts are ``Verdict`` rows)."""

    alert_id: int = Field(foreign_key="alert.id", primary_key=True)
    acknowledged_by: str = ""
    acknowledged_at: datetime | None = None
    task_team: str = ""
    assignee: str = Field(default="", sa_column_kwargs={"server_default": ""})  # a user name
    updated_at: datetime = Field(default_factory=utcnow)


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


class SourceDefinition(SQLModel, table=True):
    """A source added or edited on the web: the keys of a ``[[sources]]`` table of
    config.toml. Its id wins over config.toml's source of the same id."""

    id: str = Field(primary_key=True)
    definition: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    updated_by: str = ""
    updated_at: datetime = Field(default_factory=utcnow)
