"""Positions: each position the matcher has flagged, with its changes, alerts and feed."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import col, func, select

from tracker.models import Alert, Flag
from web.dependencies import SessionDep
from web.rendering import render

router = APIRouter()


@router.get("/positions", response_class=HTMLResponse, name="positions_page")
def positions_page(request: Request, session: SessionDep) -> HTMLResponse:
    flagged = dict(
        session.exec(
            select(Flag.position, func.count(col(Flag.change_id).distinct())).group_by(
                col(Flag.position)
            )
        ).all()
    )
    alerts: Counter[str] = Counter()
    for positions in session.exec(select(Alert.positions)):
        alerts.update(set(positions or []))
    names = sorted(set(flagged) | set(alerts))
    return render(
        request,
        "positions.html",
        {"positions": [(name, flagged.get(name, 0), alerts.get(name, 0)) for name in names]},
    )
