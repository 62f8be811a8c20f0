"""The tracker behind a real uvicorn server on 127.0.0.1, with the options `sptrack serve`
gives it: X-Forwarded-For is believed only from the proxies ``[web] trusted_proxies``
names, so a client cannot dodge the sign-in throttle with a fresh address per try; bodies
over the limit are refused before they are read, chunked ones as they stream; absolute
links name the configured address, never the request's Host header."""

from __future__ import annotations

import re
import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn

from tests.web.conftest import PASSWORD, SECRET, USERS, Tracker
from tracker.database import open_engine, session
from tracker.models import Instrument
from web.app import create_app, server_options
from web.settings import WebSettings


@contextmanager
def _served(tracker: Tracker, **extra: object) -> Iterator[str]:
    settings = WebSettings(
        database_url=tracker.url,
        storage_path=tracker.storage,
        secret_key=SECRET,
        **extra,  # type: ignore[arg-type]
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    config = uvicorn.Config(create_app(settings), log_level="warning", **server_options(settings))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def _try(client: httpx.Client, password: str, forwarded_for: str) -> httpx.Response:
    form = client.get("/login").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert found
    return client.post(
        "/login",
        data={"username": USERS["officer"], "password": password, "csrf_token": found[1]},
        headers={"X-Forwarded-For": forwarded_for},
    )


@pytest.mark.parametrize("trusted", [(), ("10.9.9.9",)], ids=["no proxy", "another proxy"])
def test_a_fresh_forwarded_for_per_try_does_not_escape_the_throttle(
    module_tracker: Tracker, trusted: tuple[str, ...]
) -> None:
    with _served(module_tracker, trusted_proxies=trusted) as url, httpx.Client(base_url=url) as c:
        codes = [_try(c, "wrong password", f"203.0.113.{n}").status_code for n in range(7)]
        assert codes == [401] * 5 + [429] * 2
        # the right password, from "another" address, while the real client is locked out
        blocked = _try(c, PASSWORD, "198.51.100.1")
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
        assert c.get("/", follow_redirects=False).status_code == 303  # not signed in


def test_forwarded_for_from_a_trusted_proxy_names_the_client(module_tracker: Tracker) -> None:
    with _served(module_tracker, trusted_proxies=("127.0.0.1",)) as url:
        with httpx.Client(base_url=url) as proxy:
            codes = [_try(proxy, "wrong password", "203.0.113.50").status_code for _ in range(6)]
            assert codes == [401] * 5 + [429]
        with httpx.Client(base_url=url) as proxy:
            # another client behind the same proxy is not locked out by the first one
            assert _try(proxy, PASSWORD, "203.0.113.51").status_code == 303
            assert proxy.get("/", follow_redirects=False).status_code == 200


PUBLIC = "https://tracker.example.org"


@pytest.fixture(scope="module")
def public(module_tracker: Tracker) -> Iterator[str]:
    """One server for the tests that sign nobody in: open to read, at a public https
    address, bodies limited to 64 KiB; one instrument has a deadline (for the calendar)."""
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        instrument = s.get(Instrument, module_tracker.ids.km_instrument)
        assert instrument is not None
        instrument.consultation_deadline = "2026-12-31"
        s.add(instrument)
        s.commit()
    engine.dispose()
    with _served(
        module_tracker, public_read=True, base_url=PUBLIC, max_body_bytes=64 * 1024
    ) as url:
        yield url


def test_a_large_body_is_refused_before_it_is_read(public: str) -> None:
    # An 8 MiB body announced by Content-Length, of which only the first bytes are sent: the
    # answer comes before the rest of the body (a client that goes on sending into a closed
    # connection may lose the answer to the reset, so the test does not).
    host, port = public.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(
            b"POST /api/alerts/1/triage HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {8 * 1024 * 1024 + 2}\r\n\r\n".encode()
            + b"{   "
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = raw.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]


def test_a_large_chunked_body_is_refused_as_it_streams(public: str) -> None:
    # Up to 64 MiB in 64 KiB chunks, no Content-Length; the client stops sending as soon as
    # the answer is there (one that keeps sending into the closed connection may lose the
    # answer to the TCP reset).
    host, port = public.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(
            b"POST /api/alerts/1/triage HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"10000\r\n" + b" " * (64 * 1024) + b"\r\n"
        while sent < 1024 and not select.select([raw], [], [], 0)[0]:
            try:
                raw.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += 1
        select.select([raw], [], [], 10)
        answer = raw.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert sent < 1024, "answered before the whole body was sent"


@pytest.mark.parametrize(
    "path", ["/feeds/alerts.atom", "/calendar/deadlines.ics", "/api/instruments/{id}"]
)
def test_links_name_the_configured_address_whatever_the_host_header(
    public: str, module_tracker: Tracker, path: str
) -> None:
    with httpx.Client(base_url=public, headers={"Host": "evil.example"}) as c:
        response = c.get(path.format(id=module_tracker.ids.km_instrument))
        assert response.status_code == 200, response.text[:300]
        assert f"{PUBLIC}/" in response.text and "evil.example" not in response.text
