"""A signed-in user's own page: their role, their password and their alert subscriptions
(each with a preview of the messages it would get and a "send test" button)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from alerts.deliver.channels import MODES, SEVERITIES
from alerts.deliver.notifier import DeliveryFailed
from alerts.positions import POSITION_IDS
from tracker.models import Subscription, User
from tracker.users import UserError, authenticate, set_password
from web.audit import record
from web.dependencies import CsrfChecked, SessionDep, SettingsDep, SignedInPage, public_base
from web.errors import EditError
from web.flash import flash
from web.rendering import render
from web.settings import WebSettings
from web.subscriptions import (
    MAX_URL,
    preview,
    send_test,
    shown_url,
    subscribe,
    subscriptions_of,
    unsubscribe,
)
from web.throttle import LoginThrottle
from web.translations import LANGUAGES

router = APIRouter()


def known_positions(settings: WebSettings) -> dict[str, str]:
    """Position id -> name: the configured positions, else the fixed ids."""
    if settings.positions:
        return {p.id: p.name for p in settings.positions}
    return {position_id: position_id for position_id in POSITION_IDS}


def _account(
    request: Request,
    session: Session,
    settings: WebSettings,
    user: User,
    error: EditError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "user": user,
        "subscriptions": subscriptions_of(session, user),
        "severities": SEVERITIES,
        "modes": MODES,
        "known_positions": known_positions(settings),
        "error": error,
        "form": form or {},
    }
    code = status.HTTP_422_UNPROCESSABLE_CONTENT if error else status.HTTP_200_OK
    return render(request, "account.html", context, status_code=code)


def _own(session: Session, user: User, subscription_id: int) -> Subscription:
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or subscription.user_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="no such subscription of yours")
    return subscription


@router.get("/account", response_class=HTMLResponse, name="account_page")
def account_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: SignedInPage
) -> HTMLResponse:
    return _account(request, session, settings, user)


@router.post("/account/subscriptions", name="add_subscription", response_model=None)
def add_subscription(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInPage,
    _csrf: CsrfChecked,
    url: Annotated[str, Form(max_length=MAX_URL)],
    positions: Annotated[str, Form(max_length=2000)] = "",
    min_severity: Annotated[str, Form(max_length=20)] = "low",
    mode: Annotated[str, Form(max_length=20)] = "instant",
    language: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse | RedirectResponse:
    """Save a subscription; a bad value is shown on the form, the values kept. Its messages'
    language: the form's, else the user's interface language."""
    known = known_positions(settings)
    try:
        saved = subscribe(
            session, user, url, positions, min_severity, mode, settings.outbound, known, language
        )
    except EditError as exc:
        session.rollback()
        form = {
            "url": url,
            "positions": positions,
            "min_severity": min_severity,
            "mode": mode,
            "language": language,
        }
        return _account(request, session, settings, user, exc, form)
    session.commit()
    names = [known.get(p, p) if p != "*" else "*" for p in saved.positions]
    flash(request, "subscribed", positions=names, where=shown_url(saved.url))
    return RedirectResponse("/account", status_code=status.HTTP_303_SEE_OTHER)


@router.post("/account/subscriptions/{subscription_id}/delete", name="delete_subscription")
def delete_subscription(
    request: Request,
    subscription_id: int,
    session: SessionDep,
    user: SignedInPage,
    _csrf: CsrfChecked,
) -> RedirectResponse:
    unsubscribe(session, user, _own(session, user, subscription_id))
    session.commit()
    flash(request, "unsubscribed")
    return RedirectResponse("/account", status_code=status.HTTP_303_SEE_OTHER)


@router.get(
    "/account/subscriptions/{subscription_id}/preview",
    response_class=HTMLResponse,
    name="subscription_preview",
)
def subscription_preview(
    request: Request,
    subscription_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInPage,
) -> HTMLResponse:
    """The instant message and the digest this subscription would get, in English and
    Khmer, as the message templates render them (text escaped, HTML in a sandbox)."""
    subscription = _own(session, user, subscription_id)
    positions = {p.id: p for p in settings.positions}
    base = public_base(request).rstrip("/")
    previews = [
        preview(session, subscription, settings.outbound, positions, base, language)
        for language in LANGUAGES
    ]
    return render(
        request,
        "subscription_preview.html",
        {
            "subscription": subscription,
            "shown_url": shown_url(subscription.url),
            "previews": previews,
            "known_positions": known_positions(settings),
        },
    )


@router.post("/account/subscriptions/{subscription_id}/test", name="test_subscription")
def test_subscription(
    request: Request,
    subscription_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: SignedInPage,
    _csrf: CsrfChecked,
    language: Annotated[str, Form(max_length=10)] = "",
) -> RedirectResponse:
    """Send a test message on the subscription now, through Apprise, and say how it went
    (in the language asked for, else the subscription's)."""
    subscription = _own(session, user, subscription_id)
    positions = {p.id: p for p in settings.positions}
    where = shown_url(subscription.url)
    try:
        message = send_test(
            session,
            user,
            subscription,
            settings.outbound,
            positions,
            public_base(request).rstrip("/"),
            language,
        )
    except DeliveryFailed as exc:
        # the service's own words, without the address again (the flash names it)
        reason = exc.reason.split(" refused it: ", 1)[-1]
        flash(request, "test_failed", where=where, reason=reason)
    else:
        session.commit()
        flash(request, "test_sent", where=where, subject=message.subject)
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
