"""One-time messages after an edit ("saved", "test message sent"), kept in the session
cookie until the next page shows them.

A flash is a kind and a few facts; ``flash.html`` words it, so the sentence is in a
template (and translatable), and document text in the facts is escaped like any other.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

FLASH_KEY = "flash"
MAX_FLASHES = 5
MAX_FACT = 300


def flash(request: Request, kind: str, **facts: str | list[str]) -> None:
    """Show ``kind`` (words in ``flash.html``) with ``facts`` on the next page rendered."""
    kept: dict[str, Any] = {"kind": kind}
    for name, value in facts.items():
        kept[name] = [v[:MAX_FACT] for v in value] if isinstance(value, list) else value[:MAX_FACT]
    waiting = list(request.session.get(FLASH_KEY, []))[-(MAX_FLASHES - 1) :]
    request.session[FLASH_KEY] = [*waiting, kept]


def take_flashes(request: Request) -> list[dict[str, Any]]:
    """The waiting flashes, removed from the session (each is shown once)."""
    if "session" not in request.scope or FLASH_KEY not in request.session:
        return []
    found = request.session.pop(FLASH_KEY)
    return [f for f in found if isinstance(f, dict) and isinstance(f.get("kind"), str)]
