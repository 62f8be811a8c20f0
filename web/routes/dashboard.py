"""The dashboard: latest alerts, recent changes, source health, counts."""

from __future__ import annotations

import calendar as month_calendar
from datetime import UTC, date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, func, select

from alerts.deliver.summary import alert_summaries
from tracker.kinds import DeliveryStatus
from tracker.models import Alert, AlertHandling, Change, Delivery, Instrument, Source, Version
from web.calendar import deadlines
from web.dependencies import SessionDep, get_settings
from web.rendering import render
from web.routes.alerts import deliveries_by_alert, instruments_by_id, latest_alerts
from web.routes.changes import flags_by_change, positions_of
from web.routes.sources import all_sources, health
from web.translations import request_language

router = APIRouter()

RECENT = 10


def counts(session: Session) -> dict[str, int]:
    tables = {
        "sources": Source,
        "instruments": Instrument,
        "versions": Version,
        "changes": Change,
        "alerts": Alert,
    }
    found = {
        name: int(session.exec(select(func.count()).select_from(table)).one())
        for name, table in tables.items()
    }
    for status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED):
        statement = select(func.count()).select_from(Delivery).where(Delivery.status == status)
        found[f"deliveries_{status}"] = int(session.exec(statement).one())
    found["needs_check"] = int(
        session.exec(
            select(func.count()).select_from(Change).where(col(Change.needs_check).is_(True))
        ).one()
    )
    acknowledged = select(AlertHandling.alert_id).where(
        col(AlertHandling.acknowledged_at).is_not(None)
    )
    found["untriaged"] = int(
        session.exec(
            select(func.count()).select_from(Alert).where(col(Alert.id).not_in(acknowledged))
        ).one()
    )
    return found


def this_month(today: date) -> tuple[date, date]:
    last = month_calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


@router.get("/", response_class=HTMLResponse, name="dashboard")
def dashboard(request: Request, session: SessionDep) -> HTMLResponse:
    alerts = latest_alerts(session, RECENT)
    changes = list(session.exec(select(Change).order_by(col(Change.id).desc()).limit(RECENT)))
    instrument_ids = [a.instrument_id for a in alerts] + [c.instrument_id for c in changes]
    flags = flags_by_change(session, [c.id for c in changes if c.id is not None])
    sources = all_sources(session)
    first, last = this_month(datetime.now(UTC).date())
    positions = get_settings(request).positions_by_id
    return render(
        request,
        "dashboard.html",
        {
            "counts": counts(session),
            "alerts": alerts,
            # each alert's line in the reader's language (the stored one in English)
            "summaries": alert_summaries(session, alerts, positions, request_language(request)),
            "deliveries": deliveries_by_alert(session, [a.id for a in alerts if a.id is not None]),
            "changes": changes,
            "positions": {cid: positions_of(found) for cid, found in flags.items()},
            "instruments": instruments_by_id(session, instrument_ids),
            "sources": sources,
            "health": {s.id: health(s) for s in sources},
            "deadlines": deadlines(session, first, last),
            "month": first,
        },
    )
