"""The web tracker: ``create_app(settings)`` wires routers, templates, sessions and errors.

The engine is made here, per app, never at import. The caller (the composition root) has
already migrated the schema. Every page and API route needs a signed-in user unless
``settings.public_read``; ``/healthz``, ``/login`` and ``/static`` never do. Every route
that changes something needs a role (officer: triage; secretariat: the tracker; admin:
users) whatever ``public_read`` says, and every form that changes something a CSRF token.
The API documentation at ``/docs`` is rendered here from the OpenAPI schema: no CDN.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from tracker.database import open_engine
from web import error_pages
from web.dependencies import LoginRequired, require_api_reader, require_page_reader
from web.errors import EditError
from web.limits import BodyLimit, UrlLimits
from web.rendering import make_templates, render
from web.routes import (
    account,
    admin,
    alerts,
    api,
    auth,
    changes,
    dashboard,
    exports,
    instruments,
    languages,
    parameters,
    positions,
    preferences,
    sources,
    tracker,
    triage,
)
from web.schemas import Health
from web.search import FacetCache
from web.settings import WebSettings
from web.throttle import LoginThrottle
from web.translations import load_translations

logger = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
SESSION_COOKIE = "sptrack_session"
SESSION_MAX_AGE = 14 * 24 * 3600
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
PAGE_CSP = "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.headers.get("content-type", "").startswith("text/html"):
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
    return response


def server_options(settings: WebSettings) -> dict[str, Any]:
    """uvicorn's options for this app: X-Forwarded-For and -Proto are read only from the
    proxies ``settings.trusted_proxies`` names (uvicorn's default trusts 127.0.0.1, which
    lets any local client choose its address and so escape the sign-in throttle)."""
    if not settings.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(settings.trusted_proxies)}


def create_app(settings: WebSettings) -> FastAPI:
    """A web tracker over the database and blob store ``settings`` name."""
    engine = open_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title=settings.site_name,
        summary="Legislative tracker for social protection in Cambodia",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served below, to readers only
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.translations = load_translations()
    app.state.templates = make_templates(app.state.translations, settings.positions)
    app.state.login_throttle = LoginThrottle()
    app.state.facets = FacetCache()

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.base_url.startswith("https://"),
    )
    app.middleware("http")(_security_headers)
    app.add_middleware(UrlLimits)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, page=error_pages.too_large_page
    )  # outermost: first
    app.add_exception_handler(LoginRequired, error_pages.login_required)
    app.add_exception_handler(StarletteHTTPException, error_pages.http_error)
    app.add_exception_handler(RequestValidationError, error_pages.validation_error)
    app.add_exception_handler(EditError, error_pages.edit_error)
    app.add_exception_handler(DataError, error_pages.unstorable)
    app.add_exception_handler(OverflowError, error_pages.unstorable)
    app.add_exception_handler(Exception, error_pages.server_error)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/healthz", response_model=Health, tags=["health"])
    def healthz() -> Health:
        return Health(status="ok")

    app.include_router(auth.router, include_in_schema=False)
    app.include_router(preferences.router, include_in_schema=False)  # anyone: the language
    pages = [Depends(require_page_reader)]
    readable = (dashboard, instruments, changes, alerts, positions, parameters, sources, exports)
    for module in (*readable, tracker, triage, languages):
        app.include_router(module.router, dependencies=pages, include_in_schema=False)
    for module in (account, admin):  # their routes need a signed-in user of a role anyway
        app.include_router(module.router, include_in_schema=False)
    app.include_router(api.router, dependencies=[Depends(require_api_reader)])
    app.include_router(parameters.api_router, dependencies=[Depends(require_api_reader)])

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_schema(_reader: Annotated[object, Depends(require_api_reader)]) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(
        request: Request, _reader: Annotated[object, Depends(require_page_reader)]
    ) -> HTMLResponse:
        return render(request, "api_docs.html", {"schema": app.openapi()})

    logger.debug("web app ready (public_read=%s)", settings.public_read)
    return app
