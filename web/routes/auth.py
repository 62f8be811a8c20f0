"""Signing in and out: a login form checked against tracker users, a signed session cookie.

Both forms carry the session's CSRF token. Signing in starts a fresh session (new token,
a new server-side session row; signing out deletes it),
so a session id planted before login is worth nothing after it. Failed sign-ins are
throttled per address and name (``web.throttle``): past the limit the answer is 429.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tracker.users import authenticate, end_session, start_session
from web.csrf import check_csrf, csrf_token
from web.dependencies import SESSION_KEY, SessionDep, UserDep
from web.rendering import USER_NAME_KEY, render
from web.throttle import LoginThrottle
from web.translations import COOKIE as LANGUAGE_COOKIE
from web.translations import known_language, translator

logger = logging.getLogger(__name__)

router = APIRouter()

MAX_FIELD = 1024


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else (another host) becomes ``/``."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(c in target for c in "\r\n\t")
    ):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse, name="login_form")
def login_form(request: Request, user: UserDep, next: str = "/") -> HTMLResponse:
    return render(
        request, "login.html", {"next": safe_next(next), "error": None, "signed_in": user}
    )


@router.post("/login", name="login", response_model=None)
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    password: Annotated[str, Form(max_length=MAX_FIELD)] = "",
    csrf: Annotated[str | None, Form(alias="csrf_token", max_length=MAX_FIELD)] = None,
    next: Annotated[str, Form(max_length=MAX_FIELD)] = "/",
) -> Response:
    check_csrf(request.session, csrf)
    name = username.strip()
    throttle: LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(address, name)
    if wait:
        logger.warning("sign-in for %r from %s throttled for %ss", name[:64], address, wait)
        response = render(
            request,
            "login.html",
            {
                "next": safe_next(next),
                "error": translator(request).ngettext(
                    "Too many failed sign-ins. Try again in %(count)s second.",
                    "Too many failed sign-ins. Try again in %(count)s seconds.",
                    wait,
                )
                % {"count": wait},
                "signed_in": None,
            },
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    user = authenticate(session, name, password)
    if user is None:
        throttle.failed(address, name)
        logger.info("failed sign-in for %r from %s", name[:64], address)
        return render(
            request,
            "login.html",
            {
                "next": safe_next(next),
                "error": translator(request).gettext("Wrong name or password."),
                "signed_in": None,
            },
            status_code=status.HTTP_401_UNAUTHORIZED,
        )
    throttle.succeeded(address, name)
    old = request.session.get(SESSION_KEY)
    if isinstance(old, str):
        end_session(session, old)
    sid = start_session(session, user, request.app.state.settings.session_max_age_s)
    chosen = known_language(request.cookies.get(LANGUAGE_COOKIE))
    if chosen and not user.language:  # chosen on the sign-in page: it is theirs from now on
        user.language = chosen
        session.add(user)
    session.commit()  # the session, and a rehashed password if argon2's parameters changed
    request.session.clear()
    request.session[SESSION_KEY] = sid
    request.session[USER_NAME_KEY] = user.name
    csrf_token(request.session)
    logger.info("user %s signed in", user.name)
    return RedirectResponse(safe_next(next), status_code=status.HTTP_303_SEE_OTHER)


@router.post("/logout", name="logout")
def logout(
    request: Request,
    session: SessionDep,
    csrf: Annotated[str | None, Form(alias="csrf_token", max_length=MAX_FIELD)] = None,
) -> RedirectResponse:
    """Sign out: the session ends on the server, so a kept copy of the cookie is worthless."""
    check_csrf(request.session, csrf)
    sid = request.session.get(SESSION_KEY)
    if isinstance(sid, str):
        end_session(session, sid)
        session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
