"""Alert triage forms (officer and above): the one-step triage of an alert (verdict per
flagged position, task team, assignee, acknowledged) and its undo; and the older single
forms (acknowledge, assign, feedback), kept for links and clients that post them.

A form posted by the page's script (``Accept: application/json``) gets JSON back and the
page updates in place; without the script the browser follows a 303 back to the page.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session

from tracker.models import Alert, AuditEntry
from tracker.users import list_users, role_at_least
from web.dependencies import CsrfChecked, OfficerPage, SessionDep, get_or_404
from web.errors import EditError
from web.triage import (
    MAX_NOTE,
    MAX_TEAM,
    VERDICTS,
    VerdictChoice,
    acknowledge,
    assign,
    give_feedback,
    handling_by_alert,
    triage_step,
    undo_step,
)

router = APIRouter()
MAX_FORM_FIELDS = 200


def _back(alert_id: int) -> RedirectResponse:
    return RedirectResponse(f"/alerts/{alert_id}", status_code=status.HTTP_303_SEE_OTHER)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _return_to(value: str, alert_id: int) -> str:
    """Where to go after the step: the inbox (with its filters) or the alert; never
    another site."""
    if value.startswith("/alerts") and not value.startswith("//") and "\\" not in value:
        return value
    return f"/alerts/{alert_id}"


def officers(session: Session) -> list[str]:
    """Names an alert can be assigned to: officers and above, not disabled."""
    return [
        u.name for u in list_users(session) if not u.disabled and role_at_least(u.role, "officer")
    ]


def _state(session: Session, alert_id: int, step: AuditEntry | None) -> dict[str, Any]:
    triage = handling_by_alert(session, [alert_id]).get(alert_id)
    return {
        "alert": alert_id,
        "step": step.id if step is not None else None,
        "acknowledged_by": triage.acknowledged_by if triage else "",
        "task_team": triage.task_team if triage else "",
        "assignee": triage.assignee if triage else "",
        "verdicts": step.after.get("verdicts", {}) if step is not None else {},
    }


def _verdicts(form: Any, alert: Alert) -> list[VerdictChoice]:
    """``verdict`` (the whole alert, from the inbox) or ``verdict.<position>`` with
    ``correct.<position>`` per flagged position; an empty choice gives no verdict."""
    found = []
    whole = str(form.get("verdict") or "").strip()
    if whole:
        found.append(VerdictChoice("", whole, str(form.get("correct") or "")))
    for position in alert.positions:
        chosen = str(form.get(f"verdict.{position}") or "").strip()
        if chosen:
            found.append(
                VerdictChoice(position, chosen, str(form.get(f"correct.{position}") or ""))
            )
    return found


@router.post("/alerts/{alert_id}/triage", name="triage_alert_step")
async def triage_alert(
    request: Request,
    alert_id: int,
    session: SessionDep,
    user: OfficerPage,
    _csrf: CsrfChecked,
) -> Response:
    alert = get_or_404(session, Alert, alert_id, "alert")
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    text = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    if len(text.get("note", "")) > MAX_NOTE * 4 or len(text.get("task_team", "")) > MAX_TEAM * 4:
        raise EditError("note", "a shorter text", "a text too long")
    try:
        step = triage_step(
            session,
            alert,
            user.name,
            verdicts=_verdicts(text, alert),
            task_team=text.get("task_team"),
            assignee=text.get("assignee"),
            known_users=officers(session),
            acknowledged=text.get("acknowledged", "") in ("1", "on", "true"),
            note=text.get("note", ""),
        )
    except EditError as exc:
        return _refused(request, session, exc)
    session.commit()
    if _wants_json(request):
        return JSONResponse(_state(session, alert_id, step))
    return _back_saying(
        _return_to(text.get("return_to", ""), alert_id), saved=step.id, alert=alert_id
    )


@router.post("/alerts/{alert_id}/triage/undo", name="undo_triage_step")
def undo_triage(
    request: Request,
    alert_id: int,
    session: SessionDep,
    user: OfficerPage,
    _csrf: CsrfChecked,
    step: Annotated[int, Form(ge=1, le=2**62)],
    return_to: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    alert = get_or_404(session, Alert, alert_id, "alert")
    try:
        undo_step(session, alert, step, user.name)
    except EditError as exc:
        return _refused(request, session, exc)
    session.commit()
    if _wants_json(request):
        return JSONResponse({**_state(session, alert_id, None), "undone": step})
    return _back_saying(_return_to(return_to, alert_id), undone=step)


def _refused(request: Request, session: Session, exc: EditError) -> JSONResponse:
    """A step refused: nothing of it stays; a script gets the reason as JSON (422), a form
    the error page."""
    session.rollback()
    if _wants_json(request):
        return JSONResponse(
            {"detail": str(exc), "field": exc.field}, status.HTTP_422_UNPROCESSABLE_CONTENT
        )
    raise exc


def _back_saying(target: str, **query: int | None) -> RedirectResponse:
    """Back to the page the form came from, saying what was done."""
    glue = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{glue}{urlencode(query)}", status.HTTP_303_SEE_OTHER)


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


__all__ = ["VERDICTS", "officers", "router"]
