"""``load_alert_view``: one alert read once from the database, joining the alert, its
instrument, version, changes, flags and the positions they touch into an ``AlertView``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session, col, select

from alerts.deliver.channels import severity_rank
from alerts.deliver.flag_views import flag_view, position_view
from alerts.deliver.number_views import NumberView
from alerts.deliver.plain_text import plain
from alerts.deliver.view import (
    CLAUSE_LIMIT,
    AlertView,
    ChangeView,
    InstrumentView,
    OtherLanguageView,
    VersionView,
)
from alerts.errors import AlertError
from alerts.positions import Position
from parsers.compare.change import DiffOp
from tracker.models import (
    Alert,
    AlertHandling,
    Change,
    ChangeCounterpart,
    Flag,
    Instrument,
    Source,
    Version,
)


class AlertNotFound(AlertError):
    """No alert has this id."""

    def __init__(self, alert_id: int) -> None:
        self.alert_id = alert_id
        super().__init__(f"alert {alert_id}: expected an existing alert id, got none with it")


def _owner(session: Session, alert_id: int, instrument: Instrument) -> str:
    triage = session.get(AlertHandling, alert_id)
    if triage is not None and triage.task_team.strip():
        return plain(triage.task_team, 200, single_line=True)
    return _tracker_field(instrument, "owner_team")


def _tracker_field(instrument: Instrument, name: str) -> str:
    value = getattr(instrument, name, "") or ""
    return plain(str(value), 200, single_line=True)


def load_alert_view(
    session: Session, alert_id: int, positions: Mapping[str, Position], base_url: str
) -> AlertView:
    """Everything about one alert, read from the database."""
    alert = session.get(Alert, alert_id)
    if alert is None or alert.id is None:
        raise AlertNotFound(alert_id)
    instrument = session.get(Instrument, alert.instrument_id)
    version = session.get(Version, alert.version_id)
    if instrument is None or instrument.id is None or version is None:
        raise AlertNotFound(alert_id)
    source = session.get(Source, instrument.source_id)
    rows = session.exec(
        select(Change).where(Change.new_version_id == alert.version_id).order_by(col(Change.id))
    ).all()
    ids = [row.id for row in rows if row.id is not None]
    flag_rows = session.exec(select(Flag).where(col(Flag.change_id).in_(ids))).all() if ids else []
    base = base_url.rstrip("/")
    others: Sequence[ChangeCounterpart] = (
        session.exec(
            select(ChangeCounterpart).where(col(ChangeCounterpart.change_id).in_(ids))
        ).all()
        if ids
        else []
    )
    other_languages: dict[int, list[OtherLanguageView]] = {}
    for other in others:
        other_languages.setdefault(other.change_id, []).append(
            OtherLanguageView(
                plain(other.language, 10, single_line=True),
                plain(other.ref, 80, single_line=True),
                plain(other.text, CLAUSE_LIMIT),
            )
        )
    changes: list[ChangeView] = []
    for row in rows:
        assert row.id is not None
        numbers = tuple(NumberView.from_json(n) for n in row.numbers)
        flags = tuple(
            flag_view(f, numbers)
            for f in sorted(flag_rows, key=lambda f: (-severity_rank(f.severity), -f.score))
            if f.change_id == row.id
        )
        changes.append(
            ChangeView(
                id=row.id,
                ref=plain(row.new_ref or row.old_ref or "", 80, single_line=True),
                kind=row.kind,
                heading=plain(row.heading, 200, single_line=True),
                old_text=row.old_text,
                new_text=row.new_text,
                numbers=numbers,
                ops=tuple(DiffOp(o["tag"], o.get("old", ""), o.get("new", "")) for o in row.ops),
                needs_check=row.needs_check,
                flags=flags,
                redline_url=f"{base}/changes/{row.id}",
                old_ref=plain(row.old_ref or "", 80, single_line=True),
                other_languages=tuple(other_languages.get(row.id, ())),
            )
        )
    all_flags = [f for change in changes for f in change.flags]
    touched = tuple(position_view(p, all_flags, positions) for p in alert.positions)
    previous_id = next((r.old_version_id for r in rows if r.old_version_id is not None), None)
    previous = session.get(Version, previous_id) if previous_id is not None else None
    return AlertView(
        id=alert.id,
        created_at=alert.created_at,
        instrument=InstrumentView(
            id=instrument.id,
            title=instrument.title,
            type=instrument.type,
            number=instrument.number,
            url=instrument.url,
            source=source.name if source and source.name else instrument.source_id,
            status=plain(instrument.status, 40, single_line=True),
            signed_date=plain(instrument.signed_date, 40, single_line=True),
            effective_date=plain(instrument.effective_date, 40, single_line=True),
            # Kept by the Secretariat in the web tracker where the schema has them.
            deadline=_tracker_field(instrument, "consultation_deadline"),
            # the task team an officer assigned the alert to, else the instrument's owner
            owner=_owner(session, alert.id, instrument),
        ),
        version=VersionView.from_row(version),
        previous=VersionView.from_row(previous) if previous is not None else None,
        changes=tuple(changes),
        positions=touched,
        severity=alert.severity,
        summary=plain(alert.summary, 300, single_line=True),
        needs_check=alert.needs_check,
        url=alert.url,
    )
