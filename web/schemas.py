"""Public shapes of the JSON API (pydantic), documented at /docs.

Built from the ORM rows with ``model_validate(row)``; ORM objects never leave web/.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from alerts.deliver.outbound import redact


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
    consultation_deadline: str = Field(description="YYYY-MM-DD, or empty")
    owner_team: str
    notes: str


class InstrumentPatch(BaseModel):
    """Fields the Secretariat edits; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    status: str | None = Field(
        None, description="draft, consultation, adopted, published, in_force, amended, repealed"
    )
    status_date: str | None = Field(None, description="YYYY-MM-DD the new status was reached")
    consultation_deadline: str | None = Field(None, description="YYYY-MM-DD, or empty to clear")
    effective_date: str | None = Field(None, description="YYYY-MM-DD, or empty to clear")
    owner_team: str | None = None
    notes: str | None = None


class LifecycleStepPublic(Public):
    status: str
    date: str
    recorded_by: str
    recorded_at: datetime


class LinkPublic(Public):
    id: int
    source_id: int
    target_id: int
    kind: str


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
    lifecycle: list[LifecycleStepPublic]
    links: list[LinkPublic]


class TriageIn(BaseModel):
    """One triage step on an alert; every field is optional, each given one is applied."""

    model_config = ConfigDict(extra="forbid")

    acknowledge: bool = False
    task_team: str | None = Field(None, max_length=480)
    verdict: str | None = Field(None, description="relevant, not_relevant or wrong_position")
    position: str = Field("", max_length=80, description="the alert's position judged")
    correct_position: str = Field("", max_length=80)
    note: str = Field("", max_length=8000)


class TriagePublic(Public):
    alert_id: int
    acknowledged_by: str
    acknowledged_at: datetime | None
    task_team: str
    assignee: str = ""  # the officer the alert is assigned to


class FeedbackPublic(Public):
    id: int
    alert_id: int
    position: str
    verdict: str
    correct_position: str
    note: str | None
    user_name: str
    created_at: datetime


class DeliveryPublic(Public):
    channel: str
    status: str
    attempts: int
    due_at: datetime
    sent_at: datetime | None
    last_error: str | None = Field(description="why the last try failed, without credentials")

    @field_validator("last_error")
    @classmethod
    def _without_credentials(cls, value: str | None) -> str | None:
        return redact(value) if value else value


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
    triage: TriagePublic | None = None


class Health(BaseModel):
    status: str
