"""Jinja2 pages: one environment per app, autoescaping everything, with a few filters.

Document text is untrusted: templates print it with autoescaping and never mark it safe.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from alerts.outbound import redact
from parsers.khmer import khmer_share
from tracker.users import role_at_least
from web.csrf import csrf_token
from web.dates import gregorian_date, khmer_date
from web.flash import take_flashes
from web.settings import WebSettings

TEMPLATES = Path(__file__).with_name("templates")
USER_NAME_KEY = "user_name"
DOCUMENT_LANGUAGES = ("km", "en")


def lang_of(text: str | None, declared: str = "") -> str:
    """The ``lang`` attribute for a piece of document text: what its letters say, else
    the declared language of the document, else English."""
    if text and any(c.isalpha() for c in text):
        return "km" if khmer_share(text) >= 0.5 else "en"
    return declared if declared in DOCUMENT_LANGUAGES else "en"


def format_number(value: float | int | None) -> str:
    """``1200000.0`` -> ``1,200,000``; ``4.5`` -> ``4.5``; None -> an em dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def format_when(value: datetime | None) -> str:
    """Times are stored in UTC (SQLite hands them back naive)."""
    if value is None:
        return "never"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def web_url(value: str | None) -> str:
    """``value`` if it is an http(s) address, else empty: never link a ``javascript:`` URL."""
    if not value:
        return ""
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def short_hash(value: str | None) -> str:
    return (value or "")[:12]


_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def xml_text(value: str | None) -> str:
    """Text an XML 1.0 document may hold (autoescaping still escapes the markup)."""
    return _XML_INVALID.sub("", value or "")


def iso_when(value: datetime | None) -> str:
    """RFC 3339 UTC time for feeds."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _page_context(request: Request) -> dict[str, Any]:
    settings: WebSettings = request.app.state.settings
    session = request.session
    user = getattr(request.state, "user", None)
    # The user the server resolved for this request; the cookie's name only where no route
    # dependency looked (a session it ended is never shown as signed in).
    resolved = hasattr(request.state, "user")
    fallback = session.get(USER_NAME_KEY) if session.get("sid") else None
    user_name = user.name if user is not None else (None if resolved else fallback)
    return {
        "user_role": user.role if user is not None else "",
        "site_name": settings.site_name,
        "public_read": settings.public_read,
        "user_name": user_name,
        "csrf_token": csrf_token(session),
        # taken only by a page that shows them (base.html), not by a feed rendered meanwhile
        "take_flashes": lambda: take_flashes(request),
    }


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        redact=redact,
        lang_of=lang_of,
        number=format_number,
        when=format_when,
        short_hash=short_hash,
        web_url=web_url,
        xml_text=xml_text,
        iso=iso_when,
        khmer_date=khmer_date,
        gregorian=gregorian_date,
    )
    env.tests["role_at_least"] = role_at_least
    return Jinja2Templates(env=env, context_processors=[_page_context])


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)
