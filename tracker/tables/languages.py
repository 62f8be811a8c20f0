"""Language versions of one work and the text of a changed provision in the other versions."""

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.tables import utcnow


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
