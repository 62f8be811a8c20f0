"""Alert triage forms (officer and above): acknowledge, assign a task team, give a verdict."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, status
from fastapi.responses import RedirectResponse

from tracker.models import Alert
from web.dependencies import CsrfChecked, OfficerPage, SessionDep, get_or_404
from web.triage import MAX_NOTE, MAX_TEAM, acknowledge, assign, give_feedback

router = APIRouter()


def _back(alert_id: int) -> RedirectResponse:
    return RedirectResponse(f"/alerts/{alert_id}", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/alerts/{alert_id}/acknowledge", name="acknowledge_alert")
def acknowledge_alert(
    alert_id: int, session: SessionDep, user: OfficerPage, _csrf: CsrfChecked
) -> RedirectResponse:
    acknowledge(session, get_or_404(session, Alert, alert_id, "alert"), user.name)
    session.commit()
    return _back(alert_id)


@router.post("/alerts/{alert_id}/assign", name="assign_alert")
def assign_alert(
    alert_id: int,
    session: SessionDep,
    user: OfficerPage,
    _csrf: CsrfChecked,
    task_team: Annotated[str, Form(max_length=MAX_TEAM * 4)] = "",
) -> RedirectResponse:
    assign(session, get_or_404(session, Alert, alert_id, "alert"), task_team, user.name)
    session.commit()
    return _back(alert_id)


@router.post("/alerts/{alert_id}/feedback", name="alert_feedback")
def alert_feedback(
    alert_id: int,
    session: SessionDep,
    user: OfficerPage,
    _csrf: CsrfChecked,
    verdict: Annotated[str, Form(max_length=40)],
    position: Annotated[str, Form(max_length=80)] = "",
    correct_position: Annotated[str, Form(max_length=80)] = "",
    note: Annotated[str, Form(max_length=MAX_NOTE * 4)] = "",
) -> RedirectResponse:
    alert = get_or_404(session, Alert, alert_id, "alert")
    give_feedback(session, alert, verdict, user.name, position, correct_position, note)
    acknowledge(session, alert, user.name)
    session.commit()
    return _back(alert_id)
