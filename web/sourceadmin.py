"""What the source wizard needs from the composition root (the web never crawls itself).

The composition root hands a :class:`SourceAdmin` to the web app in its settings: it
validates a source's form, starts dry runs and crawls in the background and says how they
are going. The web stores the definitions (table ``sourcedefinition``) and checks roles and
CSRF; long work never runs in a request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


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
