"""Exports and feeds: the tracker as CSV and XLSX, an iCalendar feed of deadlines, and
Atom feeds of alerts (all, or one position's)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import Response
from sqlmodel import Session

from tracker.models import Alert
from web.calendar import deadlines, to_ical
from web.dependencies import SessionDep, public_base, public_url
from web.exports import XLSX_MEDIA_TYPE, to_csv, to_xlsx, tracker_rows
from web.rendering import render
from web.routes.alerts import instruments_by_id, latest_alerts

router = APIRouter()

FEED_SIZE = 50
FEED_SCAN = 2_000  # alerts looked at to fill one position's feed
_POSITION_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d")


@router.get("/export/tracker.csv", name="export_csv")
def export_csv(session: SessionDep) -> Response:
    return _attachment(
        to_csv(tracker_rows(session)), "text/csv; charset=utf-8", f"tracker-{_stamp()}.csv"
    )


@router.get("/export/tracker.xlsx", name="export_xlsx")
def export_xlsx(session: SessionDep) -> Response:
    return _attachment(to_xlsx(tracker_rows(session)), XLSX_MEDIA_TYPE, f"tracker-{_stamp()}.xlsx")


@router.get("/calendar/deadlines.ics", name="deadlines_calendar")
def deadlines_calendar(request: Request, session: SessionDep) -> Response:
    base = public_base(request)
    body = to_ical(
        deadlines(session),
        lambda instrument_id: f"{base}instruments/{instrument_id}",
        f"{request.app.state.settings.site_name} deadlines",
    )
    return Response(
        content=body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="deadlines.ics"'},
    )


def _feed(request: Request, session: Session, alerts: list[Alert], title: str) -> Response:
    titles = {
        i: instrument.title or f"Instrument #{i}"
        for i, instrument in instruments_by_id(session, (a.instrument_id for a in alerts)).items()
    }
    newest = max((a.created_at for a in alerts), default=datetime(2000, 1, 1, tzinfo=UTC))
    response = render(
        request,
        "atom.xml",
        {
            "alerts": alerts,
            "titles": titles,
            "feed_title": title,
            "feed_url": public_url(request, request.url.path),
            "base_url": public_base(request),
            "updated": _iso(newest),
        },
    )
    response.headers["content-type"] = "application/atom+xml; charset=utf-8"
    return response


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@router.get("/feeds/alerts.atom", name="alerts_feed")
def alerts_feed(request: Request, session: SessionDep) -> Response:
    site = request.app.state.settings.site_name
    return _feed(request, session, latest_alerts(session, FEED_SIZE), f"{site}: alerts")


@router.get("/feeds/positions/{position}.atom", name="position_feed")
def position_feed(request: Request, position: str, session: SessionDep) -> Response:
    if not _POSITION_RE.fullmatch(position):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such position")
    found = [a for a in latest_alerts(session, FEED_SCAN) if position in a.positions]
    site = request.app.state.settings.site_name
    return _feed(request, session, found[:FEED_SIZE], f"{site}: alerts on {position}")
