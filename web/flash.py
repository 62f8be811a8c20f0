"""One-time messages after an edit ("saved", "test message sent"), kept in the session
cookie until the next page shows them.

A flash is a kind and a few facts; ``flash.html`` words it, so the sentence is in a
template (and translatable), and document text in the facts is escaped like any other.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

FLASH_KEY = "flash"
MAX_FLASHES = 3
MAX_FACT = 160  # characters of one fact
MAX_LIST = 20  # items of a list fact
MAX_BYTES = 1500  # of all waiting flashes as the session cookie stores them (JSON, \u
# escapes: a Khmer letter takes six bytes); a browser drops a cookie past 4 KB, and the
# session with it


def flash(request: Request, kind: str, **facts: str | list[str]) -> None:
    """Show ``kind`` (words in ``flash.html``) with ``facts`` on the next page rendered."""
    kept = _capped(kind, facts, MAX_FACT)
    waiting = [*list(request.session.get(FLASH_KEY, []))[-(MAX_FLASHES - 1) :], kept]
    while len(waiting) > 1 and len(json.dumps(waiting)) > MAX_BYTES:
        waiting.pop(0)  # the oldest goes first
    if len(json.dumps(waiting)) > MAX_BYTES:  # one flash alone too big: its facts shortened
        waiting = [_capped(kind, facts, MAX_FACT // 4)]
    request.session[FLASH_KEY] = waiting


def _capped(kind: str, facts: dict[str, str | list[str]], limit: int) -> dict[str, Any]:
    kept: dict[str, Any] = {"kind": kind}
    for name, value in facts.items():
        if isinstance(value, list):
            kept[name] = [v[:limit] for v in value[:MAX_LIST]]
        else:
            kept[name] = value[:limit]
    return kept


def take_flashes(request: Request) -> list[dict[str, Any]]:
    """The waiting flashes, removed from the session (each is shown once)."""
    if "session" not in request.scope or FLASH_KEY not in request.session:
        return []
    found = request.session.pop(FLASH_KEY)
    return [f for f in found if isinstance(f, dict) and isinstance(f.get("kind"), str)]
