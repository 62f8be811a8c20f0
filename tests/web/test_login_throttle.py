"""Failed sign-ins are throttled: past the limit even the right password waits (429)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from web.throttle import LoginThrottle, ThrottleLimits

PASSWORD = "correct horse battery"


def _try(client: TestClient, csrf_of: Any, password: str, name: str = "officer1") -> Any:
    data = {"username": name, "password": password, "csrf_token": csrf_of(client)}
    return client.post("/login", data=data, follow_redirects=False)


def test_too_many_failures_block_even_the_right_password(anon: TestClient, csrf_of: Any) -> None:
    for _ in range(5):
        assert _try(anon, csrf_of, "wrong password").status_code == 401
    blocked = _try(anon, csrf_of, PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in blocked.text
    assert anon.get("/", follow_redirects=False).status_code == 303  # no session opened
    # another name from the same address still has its own tries
    assert _try(anon, csrf_of, PASSWORD, name="viewer1").status_code == 303


def test_window_slides_and_success_clears() -> None:
    now = [1000.0]
    throttle = LoginThrottle(ThrottleLimits(per_name=2, per_address=3, window_s=60), lambda: now[0])
    throttle.failed("10.0.0.1", "Dara")
    assert throttle.retry_after("10.0.0.1", "dara") == 0
    throttle.failed("10.0.0.1", "dara")
    assert throttle.retry_after("10.0.0.1", "DARA") == 60  # names compared case-blind
    assert throttle.retry_after("10.0.0.2", "dara") == 0  # per address
    now[0] += 30
    assert throttle.retry_after("10.0.0.1", "dara") == 30
    now[0] += 31
    assert throttle.retry_after("10.0.0.1", "dara") == 0
    throttle.failed("10.0.0.1", "sok")
    assert throttle.retry_after("10.0.0.1", "anyone") == 0
    throttle.failed("10.0.0.1", "vanna")
    assert throttle.retry_after("10.0.0.1", "anyone") == 0  # dara's two have slid out
    throttle.failed("10.0.0.1", "chan")
    # three failures from one address within the window, whatever the names
    assert throttle.retry_after("10.0.0.1", "anyone") > 0
    throttle.succeeded("10.0.0.1", "sok")
    assert throttle.retry_after("10.0.0.1", "anyone") > 0  # the address window remains
