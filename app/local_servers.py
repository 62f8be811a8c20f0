"""HTTP servers on 127.0.0.1 for `sptrack demo`: a static site and a webhook receiver, and
the one way to run such a server (``LocalServer``, ``serving``) that the tests' mock servers
(``tests/support/mockserver.py``) are built on too."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain; charset=utf-8",
}


class LocalServer(ThreadingHTTPServer):
    """A threaded HTTP server on ``host`` (127.0.0.1) at a port the system hands out."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def origin(self) -> str:
        """``http://host:port``, no slash at the end."""
        return f"http://{self.server_address[0]!s}:{self.port}"


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing (its server counts what it needs) and answers
    with ``send_body``."""

    def send_body(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """One whole answer: status, Content-Type, Content-Length, ``headers``, ``body``."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


Server = TypeVar("Server", bound=ThreadingHTTPServer)


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    """Serve ``server`` from a daemon thread until the block ends, then stop and close it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class SiteServer(LocalServer):
    """Serves one folder of a static site, with ETag and 304 answers, on 127.0.0.1.

    ``root`` can be switched while serving, to show a site in its next state.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests = 0
        super().__init__(_SiteHandler)

    @property
    def url(self) -> str:
        return self.origin


class _SiteHandler(QuietHandler):
    server: SiteServer

    def do_GET(self) -> None:
        self.server.requests += 1
        path = unquote(urlsplit(self.path).path).lstrip("/")
        root = self.server.root.resolve()
        target = (root / path).resolve()
        if target.is_dir():
            target = target / "index.html"
        if root not in target.parents or not target.is_file():
            self.send_error(404)
            return
        data = target.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        modified = formatdate(target.stat().st_mtime, usegmt=True)
        kind = TYPES.get(target.suffix, "application/octet-stream")
        self.send_body(200, data, kind, {"ETag": etag, "Last-Modified": modified})


class WebhookServer(LocalServer):
    """Receives Apprise ``json://`` notifications on 127.0.0.1 and keeps them."""

    def __init__(self) -> None:
        self.received: list[dict[str, object]] = []
        super().__init__(_WebhookHandler)


class _WebhookHandler(QuietHandler):
    server: WebhookServer

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length", "0")), 1 << 20)
        body = self.rfile.read(length)
        try:
            self.server.received.append(json.loads(body))
        except ValueError:
            self.server.received.append({"raw": body.decode("utf-8", "replace")})
        self.send_response(200)
        self.end_headers()
