"""Alerts: what was flagged, for which positions, and whether each channel got it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from tracker.models import Alert, AlertTriage, Change, Delivery, Instrument, Version
from web.dependencies import SessionDep, get_or_404
from web.rendering import render
from web.routes.changes import flags_by_change
from web.triage import VERDICT_LABELS, VERDICTS, feedback_by_alert, triage_by_alert

router = APIRouter()

ALERTS_PAGE_SIZE = 100


def latest_alerts(
    session: Session, limit: int, offset: int = 0, untriaged: bool = False
) -> list[Alert]:
    """Newest first; ``untriaged``: only alerts no officer has acknowledged yet."""
    statement = select(Alert)
    if untriaged:
        handled = select(AlertTriage.alert_id).where(col(AlertTriage.acknowledged_at).is_not(None))
        statement = statement.where(col(Alert.id).not_in(handled))
    statement = (
        statement.order_by(col(Alert.created_at).desc(), col(Alert.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.exec(statement))


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


@router.get("/alerts", response_class=HTMLResponse, name="alerts_page")
def alerts_page(
    request: Request,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    show: str = "all",
) -> HTMLResponse:
    untriaged = show == "new"
    alerts = latest_alerts(session, ALERTS_PAGE_SIZE, (page - 1) * ALERTS_PAGE_SIZE, untriaged)
    alert_ids = [a.id for a in alerts if a.id is not None]
    return render(
        request,
        "alerts.html",
        {
            "alerts": alerts,
            "instruments": instruments_by_id(session, (a.instrument_id for a in alerts)),
            "deliveries": deliveries_by_alert(session, alert_ids),
            "triage": triage_by_alert(session, alert_ids),
            "feedback": feedback_by_alert(session, alert_ids),
            "verdict_labels": VERDICT_LABELS,
            "show": "new" if untriaged else "all",
            "page": page,
            "more": len(alerts) == ALERTS_PAGE_SIZE,
        },
    )


@router.get("/alerts/{alert_id}", response_class=HTMLResponse, name="alert_page")
def alert_page(request: Request, alert_id: int, session: SessionDep) -> HTMLResponse:
    alert = get_or_404(session, Alert, alert_id, "alert")
    assert alert.id is not None
    changes = list(
        session.exec(
            select(Change).where(Change.new_version_id == alert.version_id).order_by(col(Change.id))
        )
    )
    version = session.get(Version, alert.version_id)
    return render(
        request,
        "alert.html",
        {
            "alert": alert,
            "instrument": session.get(Instrument, alert.instrument_id),
            "version": version,
            "language": version.language if version else "",
            "changes": changes,
            "flags": flags_by_change(session, [c.id for c in changes if c.id is not None]),
            "deliveries": deliveries_by_alert(session, [alert.id]).get(alert.id, []),
            "triage": triage_by_alert(session, [alert.id]).get(alert.id),
            "feedback": feedback_by_alert(session, [alert.id]).get(alert.id, []),
            "verdicts": VERDICTS,
            "verdict_labels": VERDICT_LABELS,
        },
    )
