"""A signed-in user's own page: their role, their password and their alert subscriptions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from tracker.models import Subscription
from tracker.users import UserError, authenticate, set_password
from web.audit import record
from web.dependencies import CsrfChecked, SessionDep, SettingsDep, SignedInPage
from web.errors import EditError
from web.rendering import render
from web.subscriptions import (
    MAX_URL,
    MODES,
    SEVERITIES,
    subscribe,
    subscriptions_of,
    unsubscribe,
)
from web.throttle import LoginThrottle

router = APIRouter()


@router.get("/account", response_class=HTMLResponse, name="account_page")
def account_page(request: Request, session: SessionDep, user: SignedInPage) -> HTMLResponse:
    return render(
        request,
        "account.html",
        {
            "user": user,
            "subscriptions": subscriptions_of(session, user),
            "severities": SEVERITIES,
            "modes": MODES,
        },
    )


@router.post("/account/subscriptions", name="add_subscription")
def add_subscription(
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInPage,
    _csrf: CsrfChecked,
    url: Annotated[str, Form(max_length=MAX_URL)],
    positions: Annotated[str, Form(max_length=2000)] = "",
    min_severity: Annotated[str, Form(max_length=20)] = "low",
    mode: Annotated[str, Form(max_length=20)] = "instant",
) -> RedirectResponse:
    subscribe(session, user, url, positions, min_severity, mode, settings.outbound)
    session.commit()
    return RedirectResponse("/account", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/account/subscriptions/{subscription_id}/delete", name="delete_subscription")
def delete_subscription(
    subscription_id: int, session: SessionDep, user: SignedInPage, _csrf: CsrfChecked
) -> RedirectResponse:
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or subscription.user_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such subscription of yours")
    unsubscribe(session, user, subscription)
    session.commit()
    return RedirectResponse("/account", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/account/password", name="change_password")
def change_password(
    request: Request,
    session: SessionDep,
    user: SignedInPage,
    _csrf: CsrfChecked,
    current_password: Annotated[str, Form(max_length=1024)],
    new_password: Annotated[str, Form(max_length=1024)],
) -> RedirectResponse:
    """Change one's own password, knowing the current one (a borrowed session alone cannot).
    Every session and token of the user ends, this one too: sign in again."""
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    if throttle.retry_after(address, user.name):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail="too many wrong passwords")
    if authenticate(session, user.name, current_password) is None:
        throttle.failed(address, user.name)
        raise EditError("current password", "your current password", "another one")
    try:
        set_password(session, user.name, new_password)
    except UserError as exc:
        raise EditError(exc.field, exc.expected, exc.got) from exc
    assert user.id is not None
    record(session, user.name, "user", user.id, "password")
    session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
