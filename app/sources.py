"""Sources from config.toml and from the web, as one list.

A ``[[sources]]`` table of config.toml is the default; a source saved on the web (the same
keys, stored in the database's ``sourcedefinition`` table) wins over config.toml's source
of the same id, and a web source whose id config.toml does not know is one more source.
Removing the web definition brings config.toml's source back. Every definition, wherever
it comes from, is validated by :class:`app.config.SourceSettings`.

The web form speaks strings: :func:`to_form` and :func:`from_form` turn a definition into
the form's fields and back, with one plain error per field: a :class:`FieldError`, English
words that also say their kind and parameters, so the web can word them in the reader's
language (web/sourceadmin.py) while the English stays as the CLI and config file say it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, get_origin

from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.config import ConfigError, SourceSettings, spider_names
from app.runtime import Runtime
from tracker.models import SourceDefinition

logger = logging.getLogger(__name__)

#: The form's groups of keys, in order; every key of SourceSettings is in one.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Source", ("id", "name", "spider", "start_urls", "enabled", "schedule")),
    ("Listing pages (HTML)", ("documents", "next_page", "detail", "title", "date")),
    ("JSON listing", ("json_items", "json_fields", "json_total", "page_size")),
    ("Site APIs (WordPress, CKAN)", ("query", "articles")),
    ("Hosts and limits", ("allowed_domains", "file_hosts", "max_pages", "max_documents")),
    ("Permissions (admin only)", ("allow_private_network", "respect_robots")),
)
#: Keys only an admin may set to anything but their default: reaching the local network,
#: disobeying robots.txt.
ADMIN_ONLY = ("allow_private_network", "respect_robots")
#: Longest value of one form field, and most lines of a list field.
MAX_FIELD_CHARS = 2000
MAX_LINES = 50

_PAIR_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(\S.*?)\s*$")
#: SourceSettings' own checks (app/config.py), by the English words they raise: their kind
#: and parameters.
_VALUE_ERRORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("spider_unknown", re.compile(r"expected one of (?P<known>.*), got (?P<value>.*)")),
    ("id_shape", re.compile(r"expected lowercase letters, digits, - or _, got (?P<value>.*)")),
    ("url_missing", re.compile(r"expected at least one URL")),
    ("http_url", re.compile(r"expected an http\(s\) URL, got (?P<value>.*)")),
    (
        "cron",
        re.compile(
            r"expected a cron expression like '0 6 \* \* \*', got (?P<value>'[^']*'|\"[^\"]*\"): "
            r"(?P<reason>.*)",
            re.S,
        ),
    ),
    (
        "needs_selector",
        re.compile(
            r"the generic listing spider needs `documents` \(a CSS selector\) or `json_items`"
        ),
    ),
    (
        "needs_url_path",
        re.compile(r"`json_items` needs `json_fields` with a `url` path \(`pdfUrl`\)"),
    ),
)


class FieldError(str):
    """One field's error: the English words themselves (as the CLI says them and tests
    read them), with ``kind`` (one of ours: ``too_long``, ``too_many_lines``, ``pair_line``,
    ``admin_only``, SourceSettings' checks of ``_VALUE_ERRORS``; else pydantic's error
    type: ``missing``, ``int_parsing``, ...) and its ``params`` as text."""

    kind: str
    params: dict[str, str]

    def __new__(
        cls, text: str, kind: str, params: Mapping[str, object] | None = None
    ) -> FieldError:
        error = super().__new__(cls, text)
        error.kind = kind
        error.params = {key: str(value) for key, value in (params or {}).items()}
        return error


@dataclass(frozen=True)
class FieldSpec:
    """One key of a source as a form field: ``widget`` is text, lines (one value a line),
    pairs (``name = path`` a line), number, checkbox or choice."""

    name: str
    group: str
    widget: str
    help: str
    default: str
    choices: tuple[str, ...] = ()
    admin_only: bool = False


def _widget(name: str, annotation: Any) -> str:
    if name == "spider":
        return "choice"
    origin = get_origin(annotation)
    if origin is tuple:
        return "lines"
    if origin is dict:
        return "pairs"
    if annotation is bool:
        return "checkbox"
    if annotation is int:
        return "number"
    return "text"


def field_specs() -> list[FieldSpec]:
    model = SourceSettings.model_fields
    specs: list[FieldSpec] = []
    for group, names in GROUPS:
        for name in names:
            info = model[name]
            widget = _widget(name, info.annotation)
            default = "" if info.is_required() else _as_text(widget, info.default)
            specs.append(
                FieldSpec(
                    name=name,
                    group=group,
                    widget=widget,
                    help=info.description or "",
                    default=default,
                    choices=spider_names() if widget == "choice" else (),
                    admin_only=name in ADMIN_ONLY,
                )
            )
    return specs


def _as_text(widget: str, value: Any) -> str:
    if widget == "lines":
        return "\n".join(value or ())
    if widget == "pairs":
        return "\n".join(f"{k} = {v}" for k, v in (value or {}).items())
    if widget == "checkbox":
        return "on" if value else ""
    return "" if value is None else str(value)


def to_form(definition: Mapping[str, Any]) -> dict[str, str]:
    """A definition (config.toml keys) as the form's strings, defaults filled in."""
    return {
        spec.name: _as_text(spec.widget, definition[spec.name])
        if spec.name in definition
        else spec.default
        for spec in field_specs()
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def from_form(
    form: Mapping[str, str], *, admin: bool, current: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The definition a form describes (only the keys that differ from the defaults, as in
    config.toml), or None and a plain error per field. Unless ``admin``, the keys of
    ``ADMIN_ONLY`` must keep their value in ``current`` (the source as it was), else
    their default."""
    errors: dict[str, str] = {}  # each a FieldError
    values: dict[str, Any] = {}
    defaults = {name: info.default for name, info in SourceSettings.model_fields.items()}
    for spec in field_specs():
        raw = str(form.get(spec.name, "") or "")
        if spec.widget == "checkbox":
            value: Any = raw not in ("", "0", "off", "false")
        elif len(raw) > MAX_FIELD_CHARS:
            errors[spec.name] = FieldError(
                f"at most {MAX_FIELD_CHARS} characters, got {len(raw)}",
                "too_long",
                {"limit": MAX_FIELD_CHARS, "count": len(raw)},
            )
            continue
        elif spec.widget == "lines":
            value = tuple(_lines(raw))
        elif spec.widget == "pairs":
            value = {}
            for line in _lines(raw):
                match = _PAIR_RE.match(line)
                if match is None:
                    errors[spec.name] = FieldError(
                        f"expected one `name = path` a line, got {line!r}",
                        "pair_line",
                        {"line": repr(line)},
                    )
                    break
                value[match.group(1)] = match.group(2)
        else:
            value = raw.strip()
        if spec.widget in ("lines", "pairs") and len(value) > MAX_LINES:
            errors[spec.name] = FieldError(
                f"at most {MAX_LINES} lines, got {len(value)}",
                "too_many_lines",
                {"limit": MAX_LINES, "count": len(value)},
            )
        if spec.name in errors:
            continue
        if spec.widget == "number" and value == "":
            value = defaults[spec.name]
        allowed = (current or {}).get(spec.name, defaults[spec.name])
        if spec.admin_only and not admin and value != allowed:
            errors[spec.name] = FieldError("only an admin may change this", "admin_only")
            continue
        if spec.name in ("id", "start_urls") or value != defaults.get(spec.name):
            values[spec.name] = value
    try:
        settings = SourceSettings.model_validate(values)
    except ValidationError as exc:
        return None, {**_field_errors(exc), **errors}
    if errors:  # the other fields are right: say only what is wrong
        return None, errors
    return definition_of(settings), {}


def _field_errors(exc: ValidationError) -> dict[str, str]:
    """Pydantic's errors in plain words, by field; an error of the whole source goes to
    the first field its message names (`documents`)."""
    names = list(SourceSettings.model_fields)
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = [p for p in error["loc"] if isinstance(p, str) and p in names]
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required"
        if loc:
            field = loc[0]
        else:
            named = [n for n in re.findall(r"`([a-z_]+)`", message) if n in names]
            field = named[0] if named else "id"
        errors.setdefault(field, _structured(error["type"], message, error.get("ctx") or {}))
    return errors


def _structured(kind: str, message: str, ctx: Mapping[str, Any]) -> FieldError:
    """Pydantic's error as a FieldError: SourceSettings' own checks by their words, the
    others by pydantic's type and context (``string_too_long`` with ``max_length``)."""
    if kind == "value_error":
        for ours, pattern in _VALUE_ERRORS:
            match = pattern.fullmatch(message)
            if match:
                return FieldError(message, ours, match.groupdict())
    params = {k: v for k, v in ctx.items() if k != "error"}
    return FieldError(message, kind, params)


def definition_of(settings: SourceSettings) -> dict[str, Any]:
    """The keys of a source that differ from the defaults, as config.toml would hold them."""
    data = settings.model_dump(mode="json", exclude_defaults=True)
    data["id"] = settings.id
    data["start_urls"] = list(settings.start_urls)
    return data


def stored_definitions(session: Session) -> dict[str, SourceDefinition]:
    rows = session.exec(select(SourceDefinition).order_by(col(SourceDefinition.id)))
    return {row.id: row for row in rows}


def _valid(row: SourceDefinition) -> SourceSettings | None:
    try:
        return SourceSettings.model_validate({**row.definition, "id": row.id})
    except ValidationError as exc:
        logger.error("source %s saved on the web is not valid, ignored: %s", row.id, exc)
        return None


def all_sources(rt: Runtime) -> list[SourceSettings]:
    """config.toml's sources, each replaced by the web's definition of its id, then the
    sources only the web defines (by id)."""
    with rt.session() as s:
        stored = {i: _valid(row) for i, row in stored_definitions(s).items()}
    merged: list[SourceSettings] = []
    for source in rt.settings.sources:
        web = stored.pop(source.id, None)
        merged.append(web or source)
    merged.extend(source for source in stored.values() if source is not None)
    return merged


def find_source(rt: Runtime, source_id: str) -> SourceSettings:
    """The source ``source_id`` (web definition first, then config.toml)."""
    sources = all_sources(rt)
    for source in sources:
        if source.id == source_id:
            return source
    known = ", ".join(s.id for s in sources) or "none"
    raise ConfigError(
        rt.settings.config_file, f"no source {source_id!r} (known: {known})", "sources"
    )
