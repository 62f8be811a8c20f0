"""Parameters over time: a quantity of an instrument's provisions and its values by version."""

from datetime import datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.tables import utcnow


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
