"""The tests' HTTP servers on 127.0.0.1, as Scrapy's ``tests/mockserver``: the demo's own
(``SiteServer``: a static site; ``WebhookServer``: an Apprise ``json://`` receiver),
``MockServer`` for a test's own handler and ``AppServer`` for a werkzeug app (a request in,
a response out: the publisher sites of ``tests/crawler``), all run by ``serving``
(``with serving(server):``); and an SMTP server (aiosmtpd) that keeps what it receives
(``SmtpServer``).

They are the product's servers (``app.local_servers``, shipped for ``sptrack demo``), not a
copy of them."""

from __future__ import annotations

import email
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler
from typing import Any

from aiosmtpd.controller import Controller
from werkzeug import Request, Response
from werkzeug.test import EnvironBuilder

from app.local_servers import LocalServer, QuietHandler, SiteServer, WebhookServer, serving

__all__ = [
    "AppServer",
    "Inbox",
    "MockServer",
    "QuietHandler",
    "SiteServer",
    "SmtpServer",
    "WebhookServer",
    "serving",
]


class MockServer(LocalServer):
    """A server for a test's own handler (a ``QuietHandler``): ``hits`` counts the paths
    asked for, and ``release`` (set when the server shuts down) frees a handler that holds
    a request until the test lets it go."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        self.hits: Counter[str] = Counter()
        self.release = threading.Event()
        super().__init__(handler, host)

    def url(self, path: str = "") -> str:
        return self.origin + path

    def shutdown(self) -> None:
        self.release.set()
        super().shutdown()


class AppServer(MockServer):
    """A ``MockServer`` that answers every request with ``app``: a werkzeug ``Request`` in,
    a ``Response`` out."""

    def __init__(self, app: Callable[[Request], Response], host: str = "127.0.0.1") -> None:
        self.app = app
        super().__init__(_AppHandler, host)


class _AppHandler(QuietHandler):
    server: AppServer

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        environ = EnvironBuilder(
            path=self.path,
            base_url=f"http://{self.headers.get('Host') or self.server.origin[7:]}/",
            method=self.command,
            headers=list(self.headers.items()),
            data=self.rfile.read(length) if length else None,
        ).get_environ()
        response = self.server.app(Request(environ))
        body = response.get_data()
        self.send_response(response.status_code)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if "Content-Length" not in response.headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = answer


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox
    controller: Controller | None = None

    @property
    def url(self) -> str:
        return (
            f"mailto://127.0.0.1:{self.port}?from=tracker@example.org"
            f"&to=officer@example.org&smtp=127.0.0.1&mode=insecure"
        )

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
