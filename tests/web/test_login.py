"""Signing in: required unless public_read, CSRF-checked, wrong passwords refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
PROTECTED = [
    "/",
    "/instruments",
    "/instruments/{km_instrument}",
    "/changes/{km_change}",
    "/alerts",
    "/alerts/{km_alert}",
    "/sources",
    "/positions",
    "/parameters",
    "/parameters.csv",
    "/parameters.xlsx",
    "/export/tracker.csv",
    "/export/tracker.xlsx",
    "/calendar/deadlines.ics",
    "/feeds/alerts.atom",
    "/docs",
    "/versions/{km_new_version}/file",
]
API = [
    "/api/instruments",
    "/api/parameters",
    "/api/instruments/{km_instrument}",
    "/api/alerts",
    "/api/changes",
    "/api/changes/{km_change}",
    "/api/feedback",
]


@pytest.mark.parametrize("template", PROTECTED)
def test_pages_redirect_to_login(anon: TestClient, ids: Any, template: str) -> None:
    path = template.format(**vars(ids))
    response = anon.get(path, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/login")
    assert "ប្រកាស" not in response.text


def test_redirect_keeps_the_page_to_come_back_to(anon: TestClient) -> None:
    response = anon.get("/instruments?q=pension", follow_redirects=False)
    assert response.headers["location"] == "/login?next=%2Finstruments%3Fq%3Dpension"


@pytest.mark.parametrize("template", API)
def test_api_answers_401(anon: TestClient, ids: Any, template: str) -> None:
    response = anon.get(template.format(**vars(ids)))
    assert response.status_code == 401
    assert response.json()["detail"]


def _login(
    client: TestClient, token: str | None, password: str = PASSWORD, next: str = "/sources"
) -> Any:
    data = {"username": "officer1", "password": password, "next": next}
    if token is not None:
        data["csrf_token"] = token
    return client.post("/login", data=data, follow_redirects=False)


def test_login_then_pages_then_logout(anon: TestClient, csrf_from: Callable[[str], str]) -> None:
    form = anon.get("/login")
    assert form.status_code == 200
    response = _login(anon, csrf_from(form.text))
    assert response.status_code == 303
    assert response.headers["location"] == "/sources"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = anon.get("/")
    assert page.status_code == 200
    assert 'Signed in as <a href="/account"><strong>officer1</strong></a>' in page.text
    assert anon.get("/api/instruments").status_code == 200
    # the token changed at login; the form on the page carries the new one
    out = anon.post("/logout", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert anon.get("/", follow_redirects=False).status_code == 303


def test_wrong_password_is_refused(anon: TestClient, csrf_from: Callable[[str], str]) -> None:
    token = csrf_from(anon.get("/login").text)
    response = _login(anon, token, password="wrong password!")
    assert response.status_code == 401
    assert "Wrong name or password." in response.text
    assert anon.get("/", follow_redirects=False).status_code == 303


def test_unknown_user_is_refused(anon: TestClient, csrf_from: Callable[[str], str]) -> None:
    token = csrf_from(anon.get("/login").text)
    response = anon.post(
        "/login",
        data={"username": "nobody", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 401


def test_login_without_csrf_token_is_forbidden(
    anon: TestClient, csrf_from: Callable[[str], str]
) -> None:
    anon.get("/login")
    assert _login(anon, None).status_code == 403
    assert _login(anon, "forged-token").status_code == 403
    assert anon.get("/", follow_redirects=False).status_code == 303


def test_logout_without_csrf_token_is_forbidden(client: TestClient) -> None:
    response = client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_login_never_redirects_off_site(anon: TestClient, csrf_from: Callable[[str], str]) -> None:
    token = csrf_from(anon.get("/login").text)
    response = _login(anon, token, next="//evil.example/")
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_tampered_session_cookie_is_refused(
    anon: TestClient, csrf_from: Callable[[str], str]
) -> None:
    _login(anon, csrf_from(anon.get("/login").text))
    stolen = anon.cookies.get("sptrack_session")
    assert stolen
    tampered = stolen[:-4] + ("AAAA" if not stolen.endswith("AAAA") else "BBBB")
    anon.cookies.set("sptrack_session", tampered)
    assert anon.get("/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("template", [*PROTECTED, *API])
def test_public_read_needs_no_login(public: TestClient, ids: Any, template: str) -> None:
    response = public.get(template.format(**vars(ids)), follow_redirects=False)
    assert response.status_code == 200
