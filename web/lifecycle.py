"""The Secretariat's edits of the tracker: lifecycle state with the date of each step,
consultation deadline, effective date, owner task team, notes, and links between
instruments. Every edit writes an audit entry in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from tracker.models import Instrument, InstrumentLink, LifecycleStep
from web.audit import record
from web.dates import today
from web.errors import EditError

LIFECYCLE = ("draft", "consultation", "adopted", "published", "in_force", "amended", "repealed")
STATUS_LABELS = {status: status.replace("_", " ") for status in LIFECYCLE}
LINK_KINDS = ("amends", "implements", "repeals")
MAX_TEAM = 120
MAX_NOTES = 20_000
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_status(value: str) -> str:
    """``In force``, ``in-force`` and ``in_force`` are one state; anything else is refused."""
    status = re.sub(r"[\s\-]+", "_", value.strip().casefold())
    if status not in LIFECYCLE:
        raise EditError("status", "one of " + ", ".join(LIFECYCLE), repr(value[:80]))
    return status


def check_date(field: str, value: str) -> str:
    """An ISO date ``YYYY-MM-DD`` (or empty, to clear it)."""
    value = value.strip()
    if not value:
        return ""
    if not _DATE_RE.fullmatch(value):
        raise EditError(field, "a date YYYY-MM-DD or nothing", repr(value[:80]))
    try:
        date.fromisoformat(value)
    except ValueError:
        raise EditError(field, "a real calendar date", repr(value)) from None
    return value


def _clean_text(field: str, value: str, limit: int) -> str:
    value = _CONTROL_RE.sub("", value).strip()
    if len(value) > limit:
        raise EditError(field, f"at most {limit} characters", f"{len(value)} characters")
    return value


@dataclass(frozen=True)
class TrackerEdit:
    """What an edit sets; None leaves a field as it is."""

    status: str | None = None
    status_date: str | None = None
    consultation_deadline: str | None = None
    effective_date: str | None = None
    owner_team: str | None = None
    notes: str | None = None

    def checked(self) -> TrackerEdit:
        """The same edit with every value validated and normalised (raises EditError)."""

        def maybe(value: str | None, check: Any) -> str | None:
            return None if value is None else str(check(value))

        return TrackerEdit(
            status=maybe(self.status, normalise_status),
            status_date=maybe(self.status_date, lambda v: check_date("status_date", v)),
            consultation_deadline=maybe(
                self.consultation_deadline, lambda v: check_date("consultation_deadline", v)
            ),
            effective_date=maybe(self.effective_date, lambda v: check_date("effective_date", v)),
            owner_team=maybe(self.owner_team, lambda v: _clean_text("owner_team", v, MAX_TEAM)),
            notes=maybe(self.notes, lambda v: _clean_text("notes", v, MAX_NOTES)),
        )


INSTRUMENT_FIELDS = ("status", "consultation_deadline", "effective_date", "owner_team", "notes")


def apply_edit(
    session: Session, instrument: Instrument, edit: TrackerEdit, user_name: str
) -> dict[str, Any]:
    """Apply ``edit`` to ``instrument``; record the lifecycle step and the audit entry.

    Returns what changed as ``{field: [before, after]}`` (empty when nothing did). A new
    status, or a date given for the current one, records a lifecycle step.
    """
    edit = edit.checked()
    assert instrument.id is not None
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in INSTRUMENT_FIELDS:
        value = getattr(edit, name)
        if value is not None and value != getattr(instrument, name):
            before[name] = getattr(instrument, name)
            after[name] = value
            setattr(instrument, name, value)
    if "status" in after or edit.status_date:
        step = LifecycleStep(
            instrument_id=instrument.id,
            status=instrument.status,
            date=edit.status_date or today().isoformat(),
            recorded_by=user_name,
        )
        session.add(step)
        after["status_date"] = step.date
    if after:
        session.add(instrument)
        record(session, user_name, "instrument", instrument.id, "edit", before, after)
    return {name: [before.get(name), after[name]] for name in after}


def timeline(session: Session, instrument_id: int) -> list[LifecycleStep]:
    """The instrument's lifecycle steps in the order they happened."""
    statement = (
        select(LifecycleStep)
        .where(LifecycleStep.instrument_id == instrument_id)
        .order_by(col(LifecycleStep.date), col(LifecycleStep.id))
    )
    return list(session.exec(statement))


def add_link(
    session: Session, source: Instrument, target_id: int, kind: str, user_name: str
) -> InstrumentLink:
    """Record that ``source`` amends, implements or repeals instrument ``target_id``."""
    assert source.id is not None
    if kind not in LINK_KINDS:
        raise EditError("kind", "one of " + ", ".join(LINK_KINDS), repr(kind[:40]))
    if target_id == source.id:
        raise EditError("target", "another instrument", "the instrument itself")
    if session.get(Instrument, target_id) is None:
        raise EditError("target", "the id of an instrument in the tracker", str(target_id))
    existing = session.exec(
        select(InstrumentLink).where(
            InstrumentLink.source_id == source.id,
            InstrumentLink.target_id == target_id,
            InstrumentLink.kind == kind,
        )
    ).first()
    if existing is not None:
        return existing
    link = InstrumentLink(source_id=source.id, target_id=target_id, kind=kind, created_by=user_name)
    session.add(link)
    record(
        session,
        user_name,
        "instrument",
        source.id,
        "link",
        {},
        {"kind": kind, "target_id": target_id},
    )
    return link


def remove_link(session: Session, link: InstrumentLink, user_name: str) -> None:
    record(
        session,
        user_name,
        "instrument",
        link.source_id,
        "unlink",
        {"kind": link.kind, "target_id": link.target_id},
        {},
    )
    session.delete(link)


def links_of(session: Session, instrument_id: int) -> list[InstrumentLink]:
    """Links from and to the instrument."""
    statement = (
        select(InstrumentLink)
        .where(
            or_(
                col(InstrumentLink.source_id) == instrument_id,
                col(InstrumentLink.target_id) == instrument_id,
            )
        )
        .order_by(col(InstrumentLink.id))
    )
    return list(session.exec(statement))


def edit_from_mapping(data: dict[str, Any]) -> TrackerEdit:
    """A :class:`TrackerEdit` from submitted fields, ignoring names it does not know."""
    known = {f.name for f in fields(TrackerEdit)}
    values = {k: v for k, v in data.items() if k in known and v is not None}
    bad = [k for k, v in values.items() if not isinstance(v, str)]
    if bad:
        raise EditError(bad[0], "a string", type(values[bad[0]]).__name__)
    return TrackerEdit(**values)
