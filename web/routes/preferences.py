"""The language switch: every page's header has one, for anyone, signed in or not.

The choice is kept in a cookie (a year) and, for a signed-in user, on the user, so it
follows them to another browser. The form carries the session's CSRF token like every
form that changes something.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import RedirectResponse

from web.csrf import check_csrf
from web.dependencies import MAX_FIELD, SessionDep, UserDep
from web.routes.auth import safe_next
from web.translations import COOKIE, LANGUAGES, known_language, translator

router = APIRouter()

COOKIE_MAX_AGE = 365 * 24 * 3600


@router.post("/preferences/language", name="set_language")
def set_language(
    request: Request,
    session: SessionDep,
    user: UserDep,
    language: Annotated[str, Form(max_length=16)],
    csrf: Annotated[str | None, Form(alias="csrf_token", max_length=MAX_FIELD)] = None,
    next: Annotated[str, Form(max_length=MAX_FIELD)] = "/",
) -> RedirectResponse:
    check_csrf(request.session, csrf)
    chosen = known_language(language)
    if chosen is None or chosen != language.strip().lower():
        _ = translator(request).gettext
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            detail=_("language: expected one of %(expected)s, got %(got)s")
            % {"expected": ", ".join(LANGUAGES), "got": repr(language[:40])},
        )
    if user is not None and user.language != chosen:
        user.language = chosen
        session.add(user)
        session.commit()
    response = RedirectResponse(safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        COOKIE,
        chosen,
        max_age=COOKIE_MAX_AGE,
        samesite="lax",
        secure=request.url.scheme == "https",
        httponly=True,
    )
    return response
