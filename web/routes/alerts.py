"""Alerts: the inbox (filtered by position, severity, team, assignee, instrument and date,
the filters kept in the URL) and one alert answering on its first screen what changed,
where, why it matters to the coalition and how sure we are, with its one-step triage."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, select

from alerts.deliver.alert_loader import load_alert_view
from alerts.deliver.channels import SEVERITIES
from alerts.deliver.flag_views import humanise, overall_direction
from alerts.deliver.note import note_bytes, task_team_of
from alerts.deliver.summary import alert_summaries
from alerts.match.verdicts import given_by_alert
from alerts.positions import POSITION_IDS, Position
from tracker.models import Alert, AlertHandling, Change, Delivery, Flag, Instrument, Version
from tracker.parameters import links_for_changes
from web.dependencies import SessionDep, UserDep, get_or_404, get_settings, public_base
from web.rendering import render
from web.routes.triage import officers
from web.translations import request_language
from web.triage import (
    VERDICT_LABELS,
    VERDICTS,
    handling_by_alert,
    last_step,
    latest_verdicts,
)

router = APIRouter()

ALERTS_PAGE_SIZE = 100
MAX_FILTER = 120
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class InboxFilter:
    """The inbox's filters, as the URL query carries them (all optional)."""

    show: str = "all"  # all | new (not acknowledged)
    position: str = ""
    severity: str = ""  # at least this severity
    team: str = ""
    mine: bool = False  # assigned to the signed-in user
    instrument: str = ""  # an instrument id, or words of its title
    since: str = ""  # YYYY-MM-DD, created on or after (UTC)
    until: str = ""  # YYYY-MM-DD, created on or before

    def query(self, **changes: object) -> str:
        """The URL query of these filters (with ``changes``), empty ones left out."""
        values = replace(self, **changes)  # type: ignore[arg-type]
        pairs = {
            "show": values.show if values.show != "all" else "",
            "position": values.position,
            "severity": values.severity,
            "team": values.team,
            "mine": "1" if values.mine else "",
            "instrument": values.instrument,
            "since": values.since,
            "until": values.until,
        }
        return urlencode({k: v for k, v in pairs.items() if v})

    @property
    def active(self) -> bool:
        return self != InboxFilter(show=self.show)


def _day(value: str) -> date | None:
    if not _DATE_RE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def inbox_filter(
    show: str = "all",
    position: str = "",
    severity: str = "",
    team: str = "",
    mine: str = "",
    instrument: str = "",
    since: str = "",
    until: str = "",
) -> InboxFilter:
    """The filters from the query, each checked: an unknown value filters nothing."""
    return InboxFilter(
        show="new" if show == "new" else "all",
        position=position if position in POSITION_IDS else "",
        severity=severity if severity in SEVERITIES else "",
        team=" ".join(team.split())[:MAX_FILTER],
        mine=mine in ("1", "on", "true"),
        instrument=" ".join(instrument.split())[:MAX_FILTER],
        since=since if _day(since) else "",
        until=until if _day(until) else "",
    )


def latest_alerts(
    session: Session,
    limit: int,
    offset: int = 0,
    untriaged: bool = False,
    filters: InboxFilter | None = None,
    user_name: str = "",
) -> list[Alert]:
    """Newest first; ``untriaged``: only alerts no officer has acknowledged yet;
    ``filters``: the inbox's (``mine`` needs ``user_name``)."""
    f = filters or InboxFilter(show="new" if untriaged else "all")
    statement = select(Alert)
    if f.show == "new":
        handled = select(AlertHandling.alert_id).where(
            col(AlertHandling.acknowledged_at).is_not(None)
        )
        statement = statement.where(col(Alert.id).not_in(handled))
    if f.position:
        # positions is a JSON list of ids: its text holds the id in quotes
        statement = statement.where(cast(Alert.positions, String).like(f'%"{f.position}"%'))
    if f.severity:
        wanted = SEVERITIES[SEVERITIES.index(f.severity) :]  # type: ignore[arg-type]
        statement = statement.where(col(Alert.severity).in_(wanted))
    if f.team:
        teams = select(AlertHandling.alert_id).where(
            col(AlertHandling.task_team).ilike(f"%{_like(f.team)}%", escape="\\")
        )
        statement = statement.where(col(Alert.id).in_(teams))
    if f.mine:
        mine = select(AlertHandling.alert_id).where(AlertHandling.assignee == user_name)
        statement = statement.where(col(Alert.id).in_(mine))
    if f.instrument:
        if f.instrument.isdigit():
            statement = statement.where(Alert.instrument_id == int(f.instrument))
        else:
            named = select(Instrument.id).where(
                or_(
                    col(Instrument.title).ilike(f"%{_like(f.instrument)}%", escape="\\"),
                    col(Instrument.number).ilike(f"%{_like(f.instrument)}%", escape="\\"),
                )
            )
            statement = statement.where(col(Alert.instrument_id).in_(named))
    since, until = _day(f.since), _day(f.until)
    if since is not None:
        statement = statement.where(Alert.created_at >= datetime.combine(since, time(), UTC))
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time(), UTC)
        statement = statement.where(Alert.created_at < end)
    statement = (
        statement.order_by(col(Alert.created_at).desc(), col(Alert.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.exec(statement))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def deliveries_by_alert(session: Session, alert_ids: Iterable[int]) -> dict[int, list[Delivery]]:
    ids = list(alert_ids)
    found: dict[int, list[Delivery]] = defaultdict(list)
    if not ids:
        return found
    statement = select(Delivery).where(col(Delivery.alert_id).in_(ids)).order_by(Delivery.channel)
    for delivery in session.exec(statement):
        found[delivery.alert_id].append(delivery)
    return found


def instruments_by_id(session: Session, ids: Iterable[int]) -> dict[int, Instrument]:
    wanted = set(ids)
    if not wanted:
        return {}
    statement = select(Instrument).where(col(Instrument.id).in_(wanted))
    return {i.id: i for i in session.exec(statement) if i.id is not None}


def directions_by_alert(session: Session, alerts: Iterable[Alert]) -> dict[int, str]:
    """Which way each alert goes for the coalition, over its flags (favourable, adverse,
    mixed; absent where no flag says)."""
    by_version = {a.version_id: a.id for a in alerts if a.id is not None}
    if not by_version:
        return {}
    rows = session.exec(
        select(Change.new_version_id, Flag.direction)
        .join(Flag, col(Flag.change_id) == Change.id)
        .where(col(Change.new_version_id).in_(list(by_version)))
    )
    found: dict[int, list[str]] = defaultdict(list)
    for version_id, direction in rows:
        alert_id = by_version.get(version_id)
        if alert_id is not None:
            found[alert_id].append(direction)
    return {a: d for a, ways in found.items() if (d := overall_direction(ways))}


def known_teams(session: Session) -> list[str]:
    """Task teams already used (alerts' and instruments' owners), for the team field."""
    teams = set(session.exec(select(AlertHandling.task_team).distinct()))
    teams |= set(session.exec(select(Instrument.owner_team).distinct()))
    return sorted(t for t in teams if t)


def position_names(positions: Mapping[str, Position]) -> dict[str, tuple[str, str]]:
    """Every position id -> (English name, Khmer name); ids not in the file humanised."""
    return {
        pid: (positions[pid].name, positions[pid].name_km)
        if pid in positions
        else (humanise(pid), "")
        for pid in POSITION_IDS
    }


@router.get("/alerts", response_class=HTMLResponse, name="alerts_page")
def alerts_page(
    request: Request,
    session: SessionDep,
    user: UserDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    show: Annotated[str, Query(max_length=10)] = "all",
    position: Annotated[str, Query(max_length=40)] = "",
    severity: Annotated[str, Query(max_length=10)] = "",
    team: Annotated[str, Query(max_length=MAX_FILTER * 4)] = "",
    mine: Annotated[str, Query(max_length=5)] = "",
    instrument: Annotated[str, Query(max_length=MAX_FILTER * 4)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    saved: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> HTMLResponse:
    filters = inbox_filter(show, position, severity, team, mine, instrument, since, until)
    alerts = latest_alerts(
        session,
        ALERTS_PAGE_SIZE,
        (page - 1) * ALERTS_PAGE_SIZE,
        filters=filters,
        user_name=user.name if user else "",
    )
    alert_ids = [a.id for a in alerts if a.id is not None]
    settings = get_settings(request)
    saved_step = None
    if saved is not None:
        for alert_id in alert_ids:
            step = last_step(session, alert_id)
            if step is not None and step.id == saved:
                saved_step = step
    return render(
        request,
        "alerts.html",
        {
            "alerts": alerts,
            "instruments": instruments_by_id(session, (a.instrument_id for a in alerts)),
            "deliveries": deliveries_by_alert(session, alert_ids),
            "triage": handling_by_alert(session, alert_ids),
            "feedback": given_by_alert(session, alert_ids),
            "directions": directions_by_alert(session, alerts),
            # each alert's line in the reader's language (the stored one in English)
            "summaries": alert_summaries(
                session, alerts, settings.positions_by_id, request_language(request)
            ),
            "verdicts": VERDICTS,
            "verdict_labels": VERDICT_LABELS,
            "filters": filters,
            "show": filters.show,
            "names": position_names(settings.positions_by_id),
            "severities": SEVERITIES,
            "teams": known_teams(session),
            "saved_step": saved_step,
            "page": page,
            "more": len(alerts) == ALERTS_PAGE_SIZE,
        },
    )


@router.get("/alerts/{alert_id}", response_class=HTMLResponse, name="alert_page")
def alert_page(
    request: Request,
    alert_id: int,
    session: SessionDep,
    saved: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    undone: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> HTMLResponse:
    alert = get_or_404(session, Alert, alert_id, "alert")
    assert alert.id is not None
    settings = get_settings(request)
    positions = settings.positions_by_id
    view = load_alert_view(session, alert.id, positions, public_base(request))
    version = session.get(Version, alert.version_id)
    feedback = given_by_alert(session, [alert.id]).get(alert.id, [])
    step = last_step(session, alert.id)
    ids = [c.id for c in view.flagged_changes]
    changes = session.exec(select(Change).where(col(Change.id).in_(ids))).all() if ids else []
    return render(
        request,
        "alert.html",
        {
            "alert": alert,
            "summary": alert_summaries(session, [alert], positions, request_language(request))[
                alert.id
            ],
            "view": view,
            "instrument": session.get(Instrument, alert.instrument_id),
            "version": version,
            "language": version.language if version else "",
            "deliveries": deliveries_by_alert(session, [alert.id]).get(alert.id, []),
            "triage": handling_by_alert(session, [alert.id]).get(alert.id),
            "feedback": feedback,
            "saved_verdicts": latest_verdicts(feedback),
            "verdicts": VERDICTS,
            "verdict_labels": VERDICT_LABELS,
            "names": position_names(positions),
            "parameter_links": links_for_changes(session, changes),
            "teams": known_teams(session),
            "officers": officers(session),
            "last_step": step,
            "saved": saved is not None and step is not None and step.id == saved,
            "undone": undone is not None,
        },
    )


NOTE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}


@router.get("/alerts/{alert_id}/note.{kind}", name="alert_note")
def alert_note(request: Request, alert_id: int, kind: str, session: SessionDep) -> Response:
    """The rapid-response note of an alert (``docx`` or ``md``): the task team assigned
    in triage is its owner."""
    if kind not in NOTE_TYPES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"note.{kind}: expected docx or md")
    alert = get_or_404(session, Alert, alert_id, "alert")
    positions = get_settings(request).positions_by_id
    view = load_alert_view(session, alert_id, positions, public_base(request))
    language = request_language(request)  # the note's dates, times and names
    summary = alert_summaries(session, [alert], positions, language)[alert_id]
    return Response(
        note_bytes(
            view,
            kind,
            team=task_team_of(session, alert_id),
            language=language,
            summary=summary,
        ),
        media_type=NOTE_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="alert-{alert_id}-note.{kind}"'},
    )
