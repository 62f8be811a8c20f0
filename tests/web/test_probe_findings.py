"""What an outside probe of the running tracker found, each tried again here: requests to
private networks, sessions that outlive sign-out, secrets in errors, the API schema open to
anyone, a session cookie without Secure behind https. (Through a real server:
test_real_server.py; accounts: test_account_lifecycle.py.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from alerts.deliver.outbound import OutboundPolicy, OutboundRefused, redact
from tests.web.conftest import (
    PASSWORD,
    SECRET,
    USERS,
    SignIn,
    Tracker,
    _csrf_from,
    _sign_in,
)
from web.app import create_app
from web.settings import WebSettings


def _client(tracker: Tracker, **extra: object) -> TestClient:
    settings = WebSettings(
        database_url=tracker.url,
        storage_path=tracker.storage,
        secret_key=SECRET,
        **extra,  # type: ignore[arg-type]
    )
    return TestClient(create_app(settings))


@pytest.mark.parametrize(
    "url",
    [
        "json://127.0.0.1:8799/internal/admin?method=PUT&+X-Injected=1",
        "json://127.0.0.1:8799/internal/admin",
        "form://10.0.0.1/x",
        "json://169.254.169.254/latest/meta-data",
        "json://localhost:9/x",
        "xml://[::1]/x",
        "json://example.org/x?+X-Injected=1",
    ],
)
def test_subscription_to_a_private_network_is_refused_with_422(
    tracker_db: Tracker, sign_in: SignIn, url: str
) -> None:
    client = sign_in(tracker_db, "viewer")  # one viewer's session for every URL
    page = client.get("/account").text
    token = _csrf_from(page)
    response = client.post(
        "/account/subscriptions",
        data={"url": url, "positions": "", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 422, response.text
    after = client.get("/account").text
    assert after.count("/account/subscriptions/") == page.count("/account/subscriptions/")


def test_outbound_policy_allows_only_what_the_admin_lists() -> None:
    strict = OutboundPolicy()
    with pytest.raises(OutboundRefused):
        strict.check("json://127.0.0.1:9/x")
    OutboundPolicy(allow_private=("127.0.0.1",)).check("json://127.0.0.1:9/x")
    with pytest.raises(OutboundRefused, match="scheme"):
        OutboundPolicy(schemes=("mailto",)).check("json://example.org/x")
    # a host name resolving to loopback is refused after resolution
    with pytest.raises(OutboundRefused, match=r"127\.0\.0\.1"):
        strict.check_address("intranet.example", lambda _host: ["127.0.0.1"])
    strict.check("tgram://123456:abcdef/12345")  # a token where the host would be


def test_errors_never_show_credentials() -> None:
    text = (
        "json://user:s3cretpw@example.org/x?token=abc123 refused it: "
        "Authorization: Bearer tok-9f8e7d | HTTP 500"
    )
    shown = redact(text, ["hdr-value-42"])
    for secret in ("s3cretpw", "abc123", "tok-9f8e7d"):
        assert secret not in shown
    assert "HTTP 500" in shown and "example.org" in shown
    assert "***" in redact("header hdr-value-42 leaked", ["hdr-value-42"])


def test_sign_out_ends_the_session_on_the_server(tracker_db: Tracker) -> None:
    with _client(tracker_db) as client:
        _sign_in(client, USERS["officer"])
        copied = dict(client.cookies)
        token = _csrf_from(client.get("/").text)
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    with _client(tracker_db) as thief:
        thief.cookies.update(copied)
        response = thief.get("/", follow_redirects=False)
        assert response.status_code == 303 and "/login" in response.headers["location"]


def test_openapi_schema_needs_a_reader(tracker_db: Tracker) -> None:
    with _client(tracker_db) as anon:
        assert anon.get("/openapi.json").status_code == 401
        _sign_in(anon, USERS["viewer"])
        assert anon.get("/openapi.json").json()["info"]["title"]


def test_cookie_is_secure_behind_https(tracker_db: Tracker) -> None:
    with _client(tracker_db, base_url="https://tracker.example.org") as client:
        page = client.get("/login")
        token = _csrf_from(page.text)
        response = client.post(
            "/login",
            data={"username": USERS["viewer"], "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
            headers={"host": "evil.example"},
        )
        assert "secure" in response.headers["set-cookie"].lower()
