"""Jinja2 pages: one environment per interface language, autoescaping everything, with
a few filters.

Document text is untrusted: templates print it with autoescaping and never mark it safe.
Interface text is written ``{{ _("...") }}`` (Jinja2's i18n extension, new-style gettext:
the translation is escaped markup and its ``%(name)s`` values are escaped too); each
language's environment has its catalogue and date filters installed, so imported macros
translate as well. Times are shown in Phnom Penh time, one format (``web.dates``).
"""

from __future__ import annotations

import gettext
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from alerts.deliver.flag_views import humanise
from alerts.deliver.outbound import redact
from alerts.positions import POSITION_IDS, Position
from parsers.khmer import khmer_share, to_khmer_digits
from tracker.parameters import Move
from tracker.users import role_at_least
from web.csrf import csrf_token
from web.dates import format_date, format_month, format_when, gregorian_date, khmer_date
from web.flash import take_flashes
from web.parameter_words import move_words
from web.settings import WebSettings
from web.translations import LANGUAGE_NAMES, LANGUAGES, request_language

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


def date_value(value: str | None) -> str:
    """The ``value`` of an ``<input type="date">``: ``YYYY-MM-DD``, or empty for text that
    is not an ISO date (the form then offers a text field, so that nothing is lost)."""
    text = (value or "").strip()
    if len(text) < 10:
        return ""
    try:
        return date.fromisoformat(text[:10]).isoformat() if text[10:11] in ("", "T", " ") else ""
    except ValueError:
        return ""


def web_url(value: str | None) -> str:
    """``value`` if it is an http(s) address, else empty: never link a ``javascript:`` URL."""
    if not value:
        return ""
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def short_hash(value: str | None) -> str:
    return (value or "")[:12]


_KHMER_SEPARATORS = str.maketrans({",": ".", ".": ","})
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


def _here(request: Request) -> str:
    """Where the language switch comes back to: this page; after a form was posted (a
    page no GET can reach again) the page the form was on, else the dashboard."""
    if request.method in ("GET", "HEAD"):
        url = urlsplit(str(request.url))
    else:
        url = urlsplit(request.headers.get("referer", ""))
        if url.netloc != request.url.netloc:
            return "/"
    return (url.path or "/") + (f"?{url.query}" if url.query else "")


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
        "language_names": LANGUAGE_NAMES,
        "here": _here(request),
        # taken only by a page that shows them (base.html), not by a feed rendered meanwhile
        "take_flashes": lambda: take_flashes(request),
    }


def _environment(
    language: str, translations: gettext.NullTranslations, positions: Sequence[Position]
) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    never = translations.gettext("never")

    def when(value: datetime | str | None) -> str:
        """A stored time (or an ISO time as text) in Phnom Penh; other text as it is."""
        if value is None or value == "":
            return never
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            return format_when(moment, language)
        return format_when(value, language)

    def day(value: str | date | datetime | None) -> str:
        return format_date(value, language)

    def month(value: date | datetime) -> str:
        return format_month(value, language)

    def digits(value: object) -> str:
        """A number in the reader's digits: Khmer digits for Khmer readers."""
        text = str(value)
        return to_khmer_digits(text) if language == "km" else text

    def number(value: float | int | None) -> str:
        """``1,200,000.5`` in English; ``១.២០០.០០០,៥`` in Khmer (thousands by '.')."""
        text = format_number(value)
        if language != "km":
            return text
        return to_khmer_digits(text.translate(_KHMER_SEPARATORS))

    def told(move: Move | None, english: str = "") -> str:
        """A parameter's move in the reader's words (``english`` where no move is known)."""
        return move_words(move, translations.gettext, language) if move else english

    env.filters.update(
        told=told,
        date_value=date_value,
        redact=redact,
        lang_of=lang_of,
        number=number,
        when=when,
        day=day,
        month=month,
        digits=digits,
        short_hash=short_hash,
        web_url=web_url,
        xml_text=xml_text,
        iso=iso_when,
        khmer_date=khmer_date,
        gregorian=gregorian_date,
    )
    env.globals["ui_language"] = language
    env.tests["role_at_least"] = role_at_least
    known = {p.id: p for p in positions}
    # Every page has the positions' names (id -> (English, Khmer)): no page shows a raw id.
    env.globals["position_names"] = {
        pid: (known[pid].name, known[pid].name_km) if pid in known else (humanise(pid), "")
        for pid in dict.fromkeys([*POSITION_IDS, *known])
    }
    return env


def make_templates(
    translations: Mapping[str, gettext.NullTranslations], positions: Sequence[Position] = ()
) -> dict[str, Jinja2Templates]:
    """One set of templates per interface language, each with its own catalogue;
    ``positions`` name the positions on every page."""
    return {
        language: Jinja2Templates(
            env=_environment(language, translations[language], positions),
            context_processors=[_page_context],
        )
        for language in LANGUAGES
    }


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """``name`` rendered in the reader's language (``web.translations.request_language``)."""
    templates: dict[str, Jinja2Templates] = request.app.state.templates
    page = templates[request_language(request)]
    response = page.TemplateResponse(request, name, context or {}, status_code=status_code)
    response.headers.append("Vary", "Accept-Language, Cookie")  # the language is chosen so
    return response
