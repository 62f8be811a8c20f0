"""Public shapes of the JSON API (pydantic), documented at /docs.

Built from the ORM rows with ``model_validate(row)``; ORM objects never leave web/.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class InstrumentPublic(Public):
    id: int
    source_id: str
    url: str
    title: str
    type: str
    number: str
    issuer: str
    language: str
    status: str
    listing_date: str
    signed_date: str
    effective_date: str
    first_seen_at: datetime
    last_seen_at: datetime


class InstrumentList(BaseModel):
    items: list[InstrumentPublic]
    total: int = Field(description="instruments matching the filters, over all pages")
    limit: int
    offset: int


class VersionPublic(Public):
    id: int
    instrument_id: int
    url: str
    fetched_at: datetime
    sha256: str
    size: int
    content_type: str
    language: str
    method: str
    quality: float
    pages: int | None
    title: str
    parse_error: str | None
    file_url: str = Field(description="the original bytes as fetched")


class SectionPublic(BaseModel):
    ref: str = ""
    heading: str = ""
    text: str = ""


class VersionDetail(VersionPublic):
    text: str
    sections: list[SectionPublic]


class NumberPublic(BaseModel):
    old: float | None = None
    new: float | None = None
    unit: str = ""
    old_text: str = ""
    new_text: str = ""
    label: str = ""


class OpPublic(BaseModel):
    tag: str
    old: str = ""
    new: str = ""


class FlagPublic(Public):
    position: str
    score: float
    severity: str
    evidence: list[dict[str, Any]]


class ChangeSummary(Public):
    id: int
    instrument_id: int
    old_version_id: int | None
    new_version_id: int
    kind: str
    old_ref: str | None
    new_ref: str | None
    heading: str
    needs_check: bool
    positions: list[str] = Field(default_factory=list)


class ChangePublic(ChangeSummary):
    old_text: str
    new_text: str
    numbers: list[NumberPublic]
    ops: list[OpPublic]
    flags: list[FlagPublic]


class InstrumentDetail(InstrumentPublic):
    versions: list[VersionPublic]
    changes: list[ChangeSummary]


class DeliveryPublic(Public):
    channel: str
    status: str
    attempts: int
    due_at: datetime
    sent_at: datetime | None
    last_error: str | None


class AlertPublic(Public):
    id: int
    instrument_id: int
    instrument: str = Field(description="the instrument's title")
    version_id: int
    created_at: datetime
    positions: list[str]
    severity: str
    summary: str
    url: str
    needs_check: bool
    deliveries: list[DeliveryPublic]


class Health(BaseModel):
    status: str
