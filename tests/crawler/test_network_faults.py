"""Network faults a publisher's server throws at a crawl: 5xx (retried), a document that
never answers, a download cut short, a redirect loop, a TLS handshake that fails. Each is
one clear error for that URL; the crawl goes on, finishes and keeps what it could fetch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.manifest import read_manifest
from crawler.run import run_crawl
from crawler.spec import SourceSpec
from tests.support.mockserver import MockServer, QuietHandler, serving
from tests.support.publisher_site import FAST

PDF = b"%PDF-1.4\n% a small document\n%%EOF\n"


class _FaultHandler(QuietHandler):
    server: MockServer

    def do_GET(self) -> None:
        path = self.path
        self.server.hits[path] += 1
        if path == "/robots.txt":
            self.send_body(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif path == "/listing/":
            links = "".join(f'<li><a href="{href}">{href}</a></li>' for href in LINKS)
            self.send_body(200, f"<html><body><ul class='docs'>{links}</ul></body></html>".encode())
        elif path == "/docs/ok.pdf":
            self.send_body(200, PDF, "application/pdf")
        elif path == "/docs/flaky.pdf":  # fails once, then answers: a retry fetches it
            if self.server.hits[path] == 1:
                self.send_body(503, b"busy")
            else:
                self.send_body(200, PDF + b"% flaky\n", "application/pdf")
        elif path == "/docs/broken.pdf":
            self.send_body(500, b"internal error")
        elif path == "/docs/hangs.pdf":
            self.server.release.wait(timeout=120)
        elif path == "/docs/cut.pdf":  # promises 20,000 bytes, sends 100, hangs up
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", "20000")
            self.end_headers()
            self.wfile.write(PDF[:100].ljust(100, b" "))
            self.wfile.flush()
            self.close_connection = True
        elif path in ("/docs/loop-a.pdf", "/docs/loop-b.pdf"):
            other = "/docs/loop-b.pdf" if path.endswith("a.pdf") else "/docs/loop-a.pdf"
            self.send_response(302)
            self.send_header("Location", other)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_body(404, b"not found")


@pytest.fixture
def server() -> Iterator[MockServer]:
    """The faulty site; the hanging document is let go when it shuts down."""
    with serving(MockServer(_FaultHandler)) as fault:
        yield fault


LINKS: list[str] = []


@pytest.mark.slow
def test_network_faults_are_one_error_each_and_the_crawl_finishes(
    server: MockServer, tmp_path: Path
) -> None:
    port = server.server_address[1]
    # An https:// link to the plain-HTTP port: the TLS handshake fails.
    LINKS[:] = [
        "/docs/ok.pdf",
        "/docs/flaky.pdf",
        "/docs/broken.pdf",
        "/docs/hangs.pdf",
        "/docs/cut.pdf",
        "/docs/loop-a.pdf",
        f"https://127.0.0.1:{port}/docs/tls.pdf",
    ]
    spec = SourceSpec(
        id="faulty",
        start_urls=(server.url("/listing/"),),
        documents="ul.docs a::attr(href)",
        allow_private_network=True,
    )
    settings = {**FAST, "RETRY_ENABLED": True, "RETRY_TIMES": 2, "DOWNLOAD_TIMEOUT": 3}
    report = run_crawl(spec, tmp_path, {}, user_agent="t", settings_overrides=settings)

    assert report.finished, "the crawl ends normally"
    fetched = {d.url.rsplit("/", 1)[-1] for d in read_manifest(tmp_path) if d.status == "fetched"}
    assert fetched == {"ok.pdf", "flaky.pdf"}, "kept what could be fetched, a retry included"
    # A loop is reported at the request that closed it, naming the whole chain.
    errors = {e.url.rsplit("/", 1)[-1].replace("loop-b", "loop-a"): e.error for e in report.errors}
    assert set(errors) == {"broken.pdf", "hangs.pdf", "cut.pdf", "loop-a.pdf", "tls.pdf"}, errors
    assert errors["broken.pdf"] == "HTTP 500"
    assert server.hits["/docs/broken.pdf"] == 3, "a 5xx is retried twice"
    for name in ("hangs.pdf", "cut.pdf", "loop-a.pdf", "tls.pdf"):
        assert errors[name] and "\n" not in errors[name], (name, errors[name])
    assert report.failed == 5
    loop = errors["loop-a.pdf"]
    assert "redirect loop" in loop and "loop-a.pdf -> " in loop and "loop-b.pdf" in loop
    assert "took longer than 3" in errors["hangs.pdf"]
    assert "DataLoss" in errors["cut.pdf"]
    assert "SSL" in errors["tls.pdf"] or "TLS" in errors["tls.pdf"]
