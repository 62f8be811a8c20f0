"""What the source wizard needs from the composition root (the web never crawls itself).

The composition root hands a :class:`SourceAdmin` to the web app in its settings: it
validates a source's form, starts dry runs and crawls in the background and says how they
are going. The web stores the definitions (table ``sourcedefinition``) and checks roles and
CSRF; long work never runs in a request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from markupsafe import Markup, escape

from parsers.khmer import to_khmer_digits
from web.translations import DEFAULT_LANGUAGE, N_

#: A field's error in the reader's words, by its kind (app/sources.py ``FieldError``): ours
#: with the English the CLI says (an English reader gets exactly that), then pydantic's types.
FIELD_ERROR_WORDS: Mapping[str, str] = {
    "too_long": N_("at most %(limit)s characters, got %(count)s"),
    "too_many_lines": N_("at most %(limit)s lines, got %(count)s"),
    "pair_line": N_("expected one `name = path` a line, got %(line)s"),
    "admin_only": N_("only an admin may change this"),
    "spider_unknown": N_("expected one of %(known)s, got %(value)s"),
    "id_shape": N_("expected lowercase letters, digits, - or _, got %(value)s"),
    "url_missing": N_("expected at least one URL"),
    "http_url": N_("expected an http(s) URL, got %(value)s"),
    "cron": N_("expected a cron expression like '0 6 * * *', got %(value)s: %(reason)s"),
    "needs_selector": N_(
        "the generic listing spider needs `documents` (a CSS selector) or `json_items`"
    ),
    "needs_url_path": N_("`json_items` needs `json_fields` with a `url` path (`pdfUrl`)"),
    "missing": N_("required"),
    "string_too_long": N_("at most %(max_length)s characters"),
    "string_too_short": N_("at least %(min_length)s characters"),
    "string_type": N_("expected text"),
    "string_pattern_mismatch": N_("expected text matching %(pattern)s"),
    "greater_than_equal": N_("expected a number of at least %(ge)s"),
    "less_than_equal": N_("expected a number of at most %(le)s"),
    "greater_than": N_("expected a number over %(gt)s"),
    "less_than": N_("expected a number under %(lt)s"),
    "int_parsing": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "int_type": N_("expected a whole number"),
    "bool_parsing": N_("expected on or off"),
    "bool_type": N_("expected on or off"),
    "literal_error": N_("expected one of %(expected)s"),
    "url_parsing": N_("expected a URL"),
    "url_type": N_("expected a URL"),
    "url_scheme": N_("expected a URL of %(expected_schemes)s"),
    "extra_forbidden": N_("not a setting of a source"),
}
#: The one error the web itself finds (a new source whose id is taken).
ID_TAKEN = N_("a source with this id exists: edit it, or choose another id")
#: Parameters that stay in the words they came in (a library's reason, in English).
_ENGLISH_PARAMS = ("reason",)
_NUMBER_RE = re.compile(r"[0-9]+")


def _param(name: str, value: str, language: str) -> str:
    if name in _ENGLISH_PARAMS:
        return Markup('<span lang="en">{}</span>').format(value)
    return to_khmer_digits(value) if language == "km" and _NUMBER_RE.fullmatch(value) else value


def field_error_words(error: str, gettext: Callable[[str], str], language: str) -> str:
    """A field's error in the reader's language: an English reader's as it came; another's
    from the catalogue by its kind (its numbers in the reader's digits, what was typed
    escaped), else the English words marked ``lang="en"``. An error with no kind (worded
    by the web already) is shown as it is."""
    kind = getattr(error, "kind", None)
    if language == DEFAULT_LANGUAGE or kind is None:
        return error
    msgid = FIELD_ERROR_WORDS.get(kind)
    params = {k: _param(k, v, language) for k, v in getattr(error, "params", {}).items()}
    if msgid is not None:
        try:
            return Markup(escape(gettext(msgid))) % params
        except (KeyError, TypeError, ValueError):  # pydantic's context not as expected
            pass
    return Markup('<span lang="en">{}</span>').format(error)


@dataclass(frozen=True)
class FormField:
    """One key of a source on the form (see ``app.sources.FieldSpec``)."""

    name: str
    group: str
    widget: str  # text | lines | pairs | number | checkbox | choice
    help: str
    default: str
    choices: tuple[str, ...] = ()
    admin_only: bool = False


@dataclass(frozen=True)
class CheckState:
    """A dry run: ``running``, ``done`` (``plan`` holds its result) or ``failed``."""

    status: str
    definition: dict[str, Any]
    plan: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class CrawlState:
    """A crawl started on the web: ``idle`` (none yet), ``running``, ``done`` or
    ``failed``; what it is doing in plain words and its counts so far."""

    status: str
    message: str = ""
    pages: int = 0
    found: int = 0
    fetched: int = 0
    read: int = 0
    to_read: int = 0
    started: str = ""
    finished: str = ""
    report: str = ""


class SourceAdmin(Protocol):
    def fields(self) -> Sequence[FormField]: ...

    def configured(self) -> Mapping[str, dict[str, Any]]:
        """config.toml's sources: id -> definition."""
        ...

    def to_form(self, definition: Mapping[str, Any]) -> dict[str, str]: ...

    def validate(
        self, form: Mapping[str, str], *, admin: bool, current: Mapping[str, Any] | None = None
    ) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """The definition the form describes, or None and an error per field; unless
        ``admin``, the admin-only keys keep their ``current`` values."""
        ...

    def start_check(self, definition: Mapping[str, Any]) -> str:
        """Start a dry run in the background; its id."""
        ...

    def check_state(self, check_id: str) -> CheckState | None: ...

    def start_crawl(self, source_id: str) -> str:
        """Start a crawl in the background: "" when started, else why not."""
        ...

    def crawl_state(self, source_id: str) -> CrawlState: ...
