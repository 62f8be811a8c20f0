"""Values no form offers, typed into the address bar: ids past the database's integers, a
NUL in a search, the last day of the calendar. Each is a clear 4xx (or an empty answer),
never a 500. On SQLite and, when the suite runs there, on PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import SignIn, Tracker

HUGE = str(2**63)  # one past the largest 64-bit integer a database row id can be
HUGER = "9" * 40
NUL = "%00"

PAGES = [
    f"/instruments/{HUGE}",
    f"/instruments/{HUGER}",
    f"/instruments/{HUGE}/edit",
    f"/instruments/1/redline?old={HUGE}&new=1",
    f"/alerts/{HUGE}",
    f"/changes/{HUGE}",
    f"/versions/{HUGE}",
    f"/versions/{HUGE}/file",
    f"/api/instruments/{HUGE}",
    f"/api/versions/{HUGE}",
    f"/api/changes/{HUGE}",
    f"/api/changes?instrument_id={HUGE}",
    f"/api/instruments?offset={HUGE}",
    f"/api/alerts?offset={HUGER}",
    f"/alerts?page={HUGE}",
    f"/instruments?q=a{NUL}b",
    f"/instruments?q={NUL}",
    f"/instruments?q=ប្រាក់{NUL}សោធន",
    f"/api/instruments?q=x{NUL}",
    f"/instruments?source=nssf{NUL}",
    f"/instruments?type=prakas{NUL}&status=draft{NUL}",
    "/instruments?seen_to=9999-12-31",
    "/instruments?seen_from=9999-12-31&seen_to=9999-12-31",
    "/instruments?seen_from=0001-01-01",
    "/api/instruments?seen_to=9999-12-31",
    f"/feeds/positions/x{NUL}.atom",
    f"/login?next=/{NUL}",
]


@pytest.fixture(scope="module")
def admin(tracker_db: Tracker, sign_in: SignIn) -> TestClient:
    return sign_in(tracker_db, "admin")


@pytest.mark.parametrize("path", PAGES)
def test_hostile_value_is_never_a_server_error(admin: TestClient, path: str) -> None:
    response = admin.get(path, follow_redirects=False)
    assert response.status_code < 500, response.text[:300]


def test_the_last_day_of_the_calendar_finds_everything(admin: TestClient) -> None:
    everything = admin.get("/api/instruments").json()
    bounded = admin.get("/api/instruments?seen_from=0001-01-01&seen_to=9999-12-31").json()
    assert everything and bounded == everything


@pytest.mark.parametrize(
    "path",
    [f"/alerts/{HUGE}/acknowledge", f"/instruments/{HUGE}/edit", f"/links/{HUGE}/delete"],
)
def test_hostile_id_in_a_form_post(admin: TestClient, csrf_of: object, path: str) -> None:
    token = csrf_of(admin)  # type: ignore[operator]
    response = admin.post(path, data={"csrf_token": token}, follow_redirects=False)
    assert 400 <= response.status_code < 500, response.text[:300]


def test_hostile_id_in_the_json_api(admin: TestClient) -> None:
    response = admin.patch(f"/api/instruments/{HUGE}", json={"notes": "x"})
    assert response.status_code == 404
    response = admin.post(f"/api/alerts/{HUGE}/triage", json={"action": "acknowledge"})
    assert 400 <= response.status_code < 500


def test_nul_in_a_sign_in_form(tracker_db: Tracker, sign_in: SignIn, csrf_of: object) -> None:
    anonymous = sign_in(tracker_db, None)
    token = csrf_of(anonymous)  # type: ignore[operator]
    response = anonymous.post(
        "/login",
        data={"username": "admin1\x00", "password": "x\x00", "csrf_token": token},
        follow_redirects=False,
    )
    assert 400 <= response.status_code < 500


def test_nul_in_an_edit_is_refused_or_dropped(admin: TestClient, tracker_db: Tracker) -> None:
    first = tracker_db.ids.en_instrument
    before = admin.get(f"/api/instruments/{first}").json()["owner_team"]
    try:
        response = admin.patch(f"/api/instruments/{first}", json={"owner_team": "ក្រុម\x00A"})
        assert response.status_code < 500, response.text
        if response.status_code == 200:
            assert response.json()["owner_team"] == "ក្រុមA"
    finally:  # the database is shared with the other modules' tests
        admin.patch(f"/api/instruments/{first}", json={"owner_team": before})
