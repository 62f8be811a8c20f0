"""The Secretariat edits the tracker: lifecycle steps with dates, deadlines, owner, notes,
links; every edit lands in the audit log with who, when, before and after."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from tracker.database import open_engine, session
from tracker.models import AuditEntry, Instrument, LifecycleStep
from tracker.users import issue_token

XSS = "<script>alert(1)</script>"


def _rows(tracker: Any, model: Any) -> list[Any]:
    engine = open_engine(tracker.url)
    with session(engine) as s:
        rows = list(s.exec(select(model)))
    engine.dispose()
    return rows


def _token(tracker: Any, name: str) -> str:
    engine = open_engine(tracker.url)
    with session(engine) as s:
        token = issue_token(s, name)
        s.commit()
    engine.dispose()
    return token


def test_edit_form_records_step_fields_and_audit(
    sign_in: Any, fresh_tracker: Any, csrf_of: Any
) -> None:
    client: TestClient = sign_in(fresh_tracker, "secretariat")
    en = fresh_tracker.ids.en_instrument
    form = client.get(f"/instruments/{en}/edit")
    assert form.status_code == 200 and 'name="csrf_token"' in form.text
    response = client.post(
        f"/instruments/{en}/edit",
        data={
            "csrf_token": csrf_of(client),
            "status": "consultation",
            "status_date": "2025-07-01",
            "consultation_deadline": "2025-07-31",
            "effective_date": "2026-01-01",
            "owner_team": "Maternity task team",
            "notes": f"ប្រជុំពិគ្រោះយោបល់ {XSS}",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/instruments/{en}"
    [instrument] = [i for i in _rows(fresh_tracker, Instrument) if i.id == en]
    assert instrument.status == "consultation"
    assert instrument.consultation_deadline == "2025-07-31"
    assert instrument.owner_team == "Maternity task team"
    [step] = _rows(fresh_tracker, LifecycleStep)
    assert (step.status, step.date, step.recorded_by) == ("consultation", "2025-07-01", "sec1")
    [entry] = _rows(fresh_tracker, AuditEntry)
    assert entry.user_name == "sec1" and entry.entity == "instrument"
    assert entry.entity_id == str(en) and entry.action == "edit"
    assert entry.before["status"] == "draft" and entry.after["status"] == "consultation"
    assert entry.before["owner_team"] == "" and entry.after["owner_team"] == "Maternity task team"
    page = client.get(f"/instruments/{en}").text
    assert XSS not in page and "&lt;script&gt;" in page
    assert "ថ្ងៃទី៣១ ខែកក្កដា ឆ្នាំ២០២៥" in page  # the deadline in Khmer
    assert "31 Jul 2025" in page
    audit = client.get("/audit").text
    assert "sec1" in audit and "ប្រជុំពិគ្រោះយោបល់" in audit
    assert XSS not in audit and "&lt;script&gt;" in audit


def test_bad_values_are_refused_with_the_field_named(
    sign_in: Any, fresh_tracker: Any, csrf_of: Any
) -> None:
    client: TestClient = sign_in(fresh_tracker, "secretariat")
    en = fresh_tracker.ids.en_instrument
    for field, value in [
        ("status", "abolished"),
        ("consultation_deadline", "31/07/2025"),
        ("effective_date", "2025-02-30"),
    ]:
        data = {"csrf_token": csrf_of(client), "status": "draft", field: value}
        response = client.post(f"/instruments/{en}/edit", data=data, follow_redirects=False)
        assert response.status_code == 422 and field in response.text
    assert _rows(fresh_tracker, AuditEntry) == []


def test_links_between_instruments(sign_in: Any, fresh_tracker: Any, csrf_of: Any) -> None:
    client: TestClient = sign_in(fresh_tracker, "secretariat")
    ids = fresh_tracker.ids
    added = client.post(
        f"/instruments/{ids.km_instrument}/links",
        data={"csrf_token": csrf_of(client), "kind": "amends", "target_id": ids.en_instrument},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.get(f"/instruments/{ids.en_instrument}").text
    assert "<strong>amends</strong> this instrument" in page
    detail = client.get(f"/api/instruments/{ids.km_instrument}").json()
    [link] = detail["links"]
    assert (link["kind"], link["target_id"]) == ("amends", ids.en_instrument)
    to_itself = client.post(
        f"/instruments/{ids.km_instrument}/links",
        data={"csrf_token": csrf_of(client), "kind": "amends", "target_id": ids.km_instrument},
        follow_redirects=False,
    )
    assert to_itself.status_code == 422
    removed = client.post(
        f"/links/{link['id']}/delete", data={"csrf_token": csrf_of(client)}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert client.get(f"/api/instruments/{ids.km_instrument}").json()["links"] == []
    actions = [e.action for e in _rows(fresh_tracker, AuditEntry)]
    assert actions == ["link", "unlink"]


def test_api_patch_with_bearer_token(fresh_tracker: Any, sign_in: Any) -> None:
    client: TestClient = sign_in(fresh_tracker, None)
    km = fresh_tracker.ids.km_instrument
    secretariat = {"Authorization": f"Bearer {_token(fresh_tracker, 'sec1')}"}
    officer = {"Authorization": f"Bearer {_token(fresh_tracker, 'officer1')}"}
    listing = client.get("/api/instruments", headers=officer)
    assert listing.status_code == 200
    assert {"id", "title", "type", "status"} <= set(listing.json()[0])
    refused = client.patch(f"/api/instruments/{km}", json={"status": "in force"}, headers=officer)
    assert refused.status_code == 403
    done = client.patch(
        f"/api/instruments/{km}",
        json={"status": "in force", "status_date": "2025-08-01", "effective_date": "2025-08-01"},
        headers=secretariat,
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "in_force" and body["effective_date"] == "2025-08-01"
    assert [(s["status"], s["date"]) for s in body["lifecycle"]] == [("in_force", "2025-08-01")]
    assert client.get(f"/api/instruments/{km}", headers=officer).json()["status"] == "in_force"
    bad = client.patch(f"/api/instruments/{km}", json={"status": "gone"}, headers=secretariat)
    assert bad.status_code == 422 and bad.json()["field"] == "status"
    unknown_field = client.patch(f"/api/instruments/{km}", json={"title": "x"}, headers=secretariat)
    assert unknown_field.status_code == 422
    forged = client.get("/api/instruments", headers={"Authorization": "Bearer not-a-token"})
    assert forged.status_code == 401
    [entry] = _rows(fresh_tracker, AuditEntry)
    assert entry.user_name == "sec1" and entry.after["status"] == "in_force"
