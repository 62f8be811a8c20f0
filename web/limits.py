"""Request bodies larger than the limit are refused before anything reads them; addresses
no page could have linked to are refused before any route sees them.

The outermost layer of the app: it runs before sessions, authentication and parsing, so
an anonymous client cannot make the server hold a large body in memory. A declared
``Content-Length`` over the limit is answered 413 at once; a body sent without one
(chunked) is counted as it streams and cut off at the limit.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

#: The largest row id a database holds (a signed 64-bit integer).
MAX_ROW_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")


class BodyTooLarge(Exception):
    pass


#: An HTML page for a refusal (scope, status, the limit), or None where JSON answers.
RefusalPage = Callable[[Scope, int, int], bytes | None]


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, page: RefusalPage | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                await self._refuse(send, 400, "Content-Length is not a number")
                return
            if too_large:
                await self._too_large(scope, send)
                return
        seen = 0
        started = over = False

        async def limited() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over = not started  # the app's answer, when it comes, is replaced
                    raise BodyTooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if over:
                # The app caught the cut (FastAPI makes it "error parsing the body", 400):
                # whatever it answers, the answer is 413.
                if message["type"] == "http.response.start":
                    started = True
                    await self._too_large(scope, send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except BodyTooLarge:
            if not started:
                await self._too_large(scope, send)

    def _detail(self) -> str:
        return f"request body larger than {self.max_bytes} bytes"

    async def _too_large(self, scope: Scope, send: Send) -> None:
        page: bytes | None = None
        if self.page is not None:
            try:
                page = self.page(scope, 413, self.max_bytes)
            except Exception:  # the page cannot be made: the JSON refusal, as ever
                logger.exception("the page for a body over the limit could not be made")
        if page is None:
            await self._refuse(send, 413, self._detail())
            return
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(page)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": page})

    @staticmethod
    async def _refuse(send: Send, code: int, detail: str) -> None:
        body = json.dumps({"detail": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": code,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class UrlLimits:
    """A NUL in the path or the query is a 400 (no database stores one in text, and no
    page links to one); a path segment of digits past the largest row id is a 404 (every
    such segment is a row id, and no row has it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope.get("path", "")
            query = unquote_to_bytes(scope.get("query_string", b"").decode("latin-1"))
            if "\x00" in path or b"\x00" in query:
                await BodyLimit._refuse(send, 400, "a NUL character in the address")
                return
            if any(_DIGITS.fullmatch(part) and int(part) > MAX_ROW_ID for part in path.split("/")):
                await BodyLimit._refuse(send, 404, "Not Found")
                return
        await self.app(scope, receive, send)
