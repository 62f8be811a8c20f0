"""Errors as pages: the status and what went wrong, in the reader's language.

Routes and dependencies raise ``HTTPException`` with an English detail, and the JSON API
(``/api/...``) answers with it exactly as raised. For an HTML page the detail is put in the
reader's words from the catalogue: a fixed detail is its own message (listed in
``DETAILS``); a detail with values is matched against the formats the web raises
(``FORMATS``) and its values set into the translated message; any other detail is shown
as it is, marked English, under a sentence in the reader's language.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from fastapi import Request, status
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection
from starlette.types import Scope

from web.dependencies import LoginRequired
from web.errors import EditError
from web.rendering import lang_of, render
from web.translations import (
    COOKIE,
    DEFAULT_LANGUAGE,
    N_,
    accepted_language,
    known_language,
    request_language,
    translator,
)

logger = logging.getLogger(__name__)

JSON_PREFIXES = ("/api/", "/healthz", "/openapi.json")

#: Details raised as they are (web/csrf.py, web/dependencies.py, web/routes/*.py); Starlette's
#: own for an address no route has.
DETAILS = (
    N_("no such parameter"),
    N_("no such position"),
    N_("no such subscription of yours"),
    N_("too many wrong passwords"),
    N_("the form's CSRF token is missing or stale"),
    N_("the API token is unknown or revoked"),
    N_("sign in at /login or send an API token first"),
    N_("a value the database cannot store (a NUL character, or a number out of range)"),
    N_("Not Found"),
    N_("Method Not Allowed"),
)
#: Details with values: the format raised (web/dependencies.py, web/routes/*.py), its message.
FORMATS = (
    (
        re.compile(r"no (?P<what>[a-z]+) with id (?P<id>.+)"),
        N_("no %(what)s with id %(id)s"),
    ),
    (
        re.compile(
            r"this needs the (?P<needed>[a-z]+) role or higher; (?P<name>.+) is (?P<role>[a-z]+)"
        ),
        N_("this needs the %(needed)s role or higher; %(name)s is %(role)s"),
    ),
    (
        re.compile(r"the original file of version (?P<id>\d+) is not in the blob store"),
        N_("the original file of version %(id)s is not in the blob store"),
    ),
)
#: The words a format's values name (what is missing, a role), in the reader's language.
VALUE_WORDS = {
    "alert": N_("alert"), "change": N_("change"), "instrument": N_("instrument"),
    "link": N_("link"), "user": N_("user"), "version": N_("version"),
    "viewer": N_("viewer"), "officer": N_("officer"), "secretariat": N_("secretariat"),
    "admin": N_("admin"),
}  # fmt: skip
#: What an edit expected, where it is said in fixed words (web/lifecycle.py, web/triage.py,
#: web/subscriptions.py).
EXPECTED = (
    N_("a date YYYY-MM-DD or nothing"),
    N_("a position id such as maternity"),
    N_("position ids such as maternity, or *"),
    N_("a known position id"),
    N_("an officer of this tracker"),
    N_("the latest triage step of this alert"),
    N_("a URL Apprise can deliver to (mailto://, tgram://, ...)"),
    N_("a URL the tracker may send to"),
)


def wants_json(request: HTTPConnection) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith(JSON_PREFIXES)


def in_words(detail: str, gettext: Callable[[str], str]) -> str | None:
    """``detail`` in the reader's words, or None where the catalogue has no words for it."""
    if detail in DETAILS:
        return gettext(detail)
    for pattern, message in FORMATS:
        found = pattern.fullmatch(detail)
        if found:
            values: Mapping[str, str] = {
                key: gettext(VALUE_WORDS[value]) if value in VALUE_WORDS else value
                for key, value in found.groupdict().items()
            }
            return gettext(message) % values
    return None


def error_page(request: Request, code: int, detail: object, technical: str = "") -> Response:
    """``error.html`` for ``code``: the detail in the reader's words where the catalogue
    has them; else, for a reader of another language than English, a sentence in theirs
    and the detail as it is, marked English."""
    english = detail if isinstance(detail, str) else str(detail)
    gettext = translator(request).gettext
    words = in_words(english, gettext)
    context: dict[str, object] = {"status_code": code, "detail": english, "technical": technical}
    if words is not None:
        context["detail"] = words
    elif request_language(request) != "en" and lang_of(english) != "km":  # not worded yet
        context.update(detail=gettext("The tracker could not do this."), technical=english)
    return render(request, "error.html", context, status_code=code)


async def login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    query = urlencode({"next": exc.next_url}) if exc.next_url != "/" else ""
    target = "/login" + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if wants_json(request):
        return await http_exception_handler(request, exc)
    return error_page(request, exc.status_code, exc.detail)


def _in_path(exc: RequestValidationError) -> bool:
    """A malformed id in the path (``/instruments/abc``) names nothing: a 404."""
    return any(error.get("loc", ("",))[0] == "path" for error in exc.errors())


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if wants_json(request):
        return await request_validation_exception_handler(request, exc)
    detail = "; ".join(
        f"{'.'.join(str(p) for p in error.get('loc', ())[1:])}: {error.get('msg', '')}"
        for error in exc.errors()
    )
    code = status.HTTP_404_NOT_FOUND if _in_path(exc) else status.HTTP_400_BAD_REQUEST
    if request_language(request) == "en":
        return error_page(request, code, detail)
    gettext = translator(request).gettext
    words = (
        gettext("The address names nothing this tracker has.")
        if code == status.HTTP_404_NOT_FOUND
        else gettext("The address or the form has a value this page cannot take.")
    )
    return render(
        request,
        "error.html",
        {"status_code": code, "detail": words, "technical": detail},
        status_code=code,
    )


async def edit_error(request: Request, exc: Exception) -> Response:
    """A value an edit cannot take: 422 with the field, what was expected and what came."""
    assert isinstance(exc, EditError)
    code = status.HTTP_422_UNPROCESSABLE_CONTENT
    if wants_json(request):
        return JSONResponse(
            {"detail": str(exc), "field": exc.field, "expected": exc.expected, "got": exc.got},
            status_code=code,
        )
    if request_language(request) == "en":
        return render(request, "error.html", {"status_code": code, "detail": str(exc)}, code)
    gettext = translator(request).gettext
    expected = gettext(exc.expected) if exc.expected in EXPECTED else exc.expected
    words = gettext("Not saved: %(field)s: expected %(expected)s, got %(got)s.") % {
        "field": exc.field,
        "expected": expected,
        "got": exc.got,
    }
    return render(request, "error.html", {"status_code": code, "detail": words}, code)


async def unstorable(request: Request, exc: Exception) -> Response:
    """A value the database refuses (PostgreSQL stores no NUL in text; no database an
    integer past 64 bits): the request's fault, a 422, never a 500."""
    logger.warning(
        "%s %s: value refused by the database: %s", request.method, request.url.path, exc
    )
    detail = "a value the database cannot store (a NUL character, or a number out of range)"
    return await http_error(
        request, StarletteHTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail)
    )


async def server_error(request: Request, exc: Exception) -> Response:
    """A fault of the server's own: for a page, a page saying so in the reader's language;
    for the API, Starlette's own answer as before. The error is logged by the server."""
    if not wants_json(request):
        try:
            gettext = translator(request).gettext
            words = gettext("Something went wrong in the tracker; the error has been logged.")
            context = {"status_code": 500, "detail": words}
            return render(request, "error.html", context, status_code=500)
        except Exception:  # the page itself cannot be made: the plain answer below
            logger.exception("the error page of %s could not be rendered", request.url.path)
    return PlainTextResponse("Internal Server Error", status_code=500)


def too_large_page(scope: Scope, code: int, limit: int) -> bytes | None:
    """The page for a request body over ``limit`` (web/limits.py answers before sessions
    run): for a browser's request, in the language of its cookie or ``Accept-Language``;
    None for the API and any client that does not ask for HTML (they keep the JSON)."""
    connection = HTTPConnection(scope)
    accepts = connection.headers.get("accept", "")
    if wants_json(connection) or "text/html" not in accepts:
        return None
    language = (
        known_language(connection.cookies.get(COOKIE))
        or accepted_language(connection.headers.get("accept-language"))
        or DEFAULT_LANGUAGE
    )
    app = scope["app"]
    gettext = app.state.translations[language].gettext
    number = app.state.templates[language].env.filters["number"]
    detail = gettext("The request is larger than this tracker accepts (at most %(limit)s bytes).")
    page = (
        app.state.templates[language]
        .env.get_template("error_bare.html")
        .render(
            status_code=code,
            detail=detail % {"limit": number(limit)},
            site_name=app.state.settings.site_name,
        )
    )
    return str(page).encode()
