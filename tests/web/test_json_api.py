"""The JSON API: shapes, filters, Khmer text intact, 404s."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

KM_TITLE = "ប្រកាសស្តីពីប្រាក់សោធននិវត្តន៍"
KM_NEW = "ប្រាក់សោធនប្រចាំខែ ៦០០.០០០ រៀល"


def test_instruments_list_and_filters(client: TestClient) -> None:
    response = client.get("/api/instruments")
    body = response.json()
    assert isinstance(body, list) and len(body) == 2
    assert response.headers["x-total-count"] == "2"
    item = next(i for i in body if i["language"] == "km")
    assert item["title"] == KM_TITLE
    assert {"id", "title", "type", "status", "source_id", "url", "number", "last_seen_at"} <= set(
        item
    )
    km_only = client.get("/api/instruments", params={"language": "km"}).json()
    assert [i["title"] for i in km_only] == [KM_TITLE]
    drafts = client.get("/api/instruments", params={"status": "draft", "type": "sub-decree"})
    assert drafts.headers["x-total-count"] == "1" and len(drafts.json()) == 1
    page = client.get("/api/instruments", params={"limit": 1, "offset": 1})
    assert page.headers["x-total-count"] == "2" and len(page.json()) == 1
    assert client.get("/api/instruments", params={"limit": 0}).status_code == 422


def test_instrument_detail(client: TestClient, ids: Any) -> None:
    body = client.get(f"/api/instruments/{ids.km_instrument}").json()
    assert body["title"] == KM_TITLE
    assert [v["id"] for v in body["versions"]] == [ids.km_new_version, ids.km_old_version]
    newest = body["versions"][0]
    assert newest["file_url"].endswith(f"/versions/{ids.km_new_version}/file")
    assert newest["method"] == "text" and newest["content_type"] == "application/pdf"
    assert len(newest["sha256"]) == 64
    [change] = body["changes"]
    assert change["id"] == ids.km_change and change["positions"] == ["benefit_adequacy"]
    assert change["new_ref"] == "មាត្រា ៥"


def test_version_detail_has_text_and_sections(client: TestClient, ids: Any) -> None:
    body = client.get(f"/api/versions/{ids.km_new_version}").json()
    assert body["text"] == KM_NEW
    assert body["sections"] == [{"ref": "មាត្រា ៥", "heading": "", "text": KM_NEW}]
    assert body["quality"] == 0.98 and body["pages"] == 1
    old = client.get(f"/api/versions/{ids.km_old_version}").json()
    assert old["sections"] == []


def test_change_detail(client: TestClient, ids: Any) -> None:
    body = client.get(f"/api/changes/{ids.en_change}").json()
    assert body["kind"] == "modified" and body["needs_check"] is True
    assert body["numbers"] == [
        {
            "old": 90.0,
            "new": 98.0,
            "unit": "day",
            "old_text": "90 days",
            "new_text": "98 days",
            "label": "leave <script>alert(1)</script>",
        }
    ]
    assert body["ops"][1] == {"tag": "replace", "old": "90", "new": "98"}
    [flag] = body["flags"]
    assert flag["position"] == "maternity" and flag["severity"] == "medium"
    assert flag["score"] == 0.75 and flag["evidence"][0]["side"] == "new"


def test_alerts_list(client: TestClient, ids: Any) -> None:
    alerts = client.get("/api/alerts").json()
    assert [a["id"] for a in alerts] == [ids.km_alert, ids.en_alert]  # newest first
    en = alerts[1]
    assert en["positions"] == ["maternity"] and en["severity"] == "medium"
    assert en["instrument"].startswith("Sub-decree on maternity benefits")
    statuses = {d["channel"]: d["status"] for d in en["deliveries"]}
    assert statuses == {"secretariat": "sent", "telegram-officers": "failed"}
    assert client.get("/api/alerts", params={"limit": 1}).json()[0]["id"] == ids.km_alert


def test_missing_ids_are_json_404(client: TestClient) -> None:
    for path in ("/api/instruments/999", "/api/versions/999", "/api/changes/999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/json"
        assert "999" in response.json()["detail"]


def test_openapi_documents_the_api(public: TestClient) -> None:
    schema = public.get("/openapi.json").json()
    assert {"/api/instruments", "/api/changes/{change_id}", "/api/alerts"} <= set(schema["paths"])
    assert "/login" not in schema["paths"]
    assert "ChangePublic" in schema["components"]["schemas"]
