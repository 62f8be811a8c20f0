"""Every page renders what a reader needs, in Khmer and English."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

KM_TITLE = "ប្រកាសស្តីពីប្រាក់សោធននិវត្តន៍"


def _text(html: str) -> str:
    """The page's text without tags, whitespace collapsed (for phrases split by markup)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_healthz_needs_no_login(anon: TestClient) -> None:
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_dashboard_shows_alerts_changes_sources_and_counts(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="en">' in html
    assert f'<span lang="km">{KM_TITLE}</span>' in html
    assert "ប្រាក់សោធនប្រចាំខែ ៥០០.០០០ → ៦០០.០០០ រៀល" in html  # alert summary
    assert "secretariat: sent" in html and "telegram-officers: failed" in html
    text = _text(html)
    assert "2 instruments" in text and "4 versions" in text and "2 alerts" in text
    assert "1 change needs a human check" in text
    assert "1 delivery pending, 1 failed" in text
    assert "health-failing" in html and "HTTP 503 from listing" in html
    assert "/changes/" in html and "benefit_adequacy" in html


def test_instruments_list_shows_both_languages(client: TestClient) -> None:
    response = client.get("/instruments")
    assert response.status_code == 200
    assert KM_TITLE in response.text
    assert "Sub-decree on maternity benefits" in response.text
    assert "2 instruments" in _text(response.text)


def test_instrument_page_shows_versions_and_changes_by_version(
    client: TestClient, ids: Any
) -> None:
    response = client.get(f"/instruments/{ids.km_instrument}")
    assert response.status_code == 200
    html = response.text
    assert (
        f'<h1><span lang="km">{KM_TITLE}</span> <span class="badge status status-published">'
        in html
    )
    assert "លេខ២១៦/២៥" in html
    # two versions, newest first, each with its original file
    rows = re.findall(r'<tr id="version-(\d+)">', html)
    assert rows == [str(ids.km_new_version), str(ids.km_old_version)]
    assert f'href="/versions/{ids.km_new_version}/file"' in html
    assert "application/pdf" in html and "0.98" in html
    # changes grouped under the version they appeared in
    assert f"Version #{ids.km_new_version}" in html
    assert f'href="/changes/{ids.km_change}"' in html
    assert "500,000 → 600,000 KHR" in html
    assert "benefit_adequacy" in html


def test_instrument_page_never_links_a_javascript_url(client: TestClient, ids: Any) -> None:
    html = client.get(f"/instruments/{ids.en_instrument}").text
    assert "javascript:alert(2)" in html  # shown as text
    assert 'href="javascript:' not in html


def test_change_page_redline_numbers_flags_khmer(client: TestClient, ids: Any) -> None:
    response = client.get(f"/changes/{ids.km_change}")
    assert response.status_code == 200
    html = response.text
    assert "<del>៥០០.០០០</del><ins>៦០០.០០០</ins>" in html
    # the words the flag matched are marked in the redline, on every side
    assert '<div class="redline inline" lang="km"><mark>ប្រាក់សោធន</mark>ប្រចាំខែ <del>' in html
    assert html.count("<mark>ប្រាក់សោធន</mark>") == 3
    # side by side: the old side holds only the deletion, the new side only the insertion
    old_side, new_side = re.findall(r'<div class="redline" lang="km">(.*?)</div>', html, re.S)
    assert "<del>៥០០.០០០</del>" in old_side and "<ins>" not in old_side
    assert "<ins>៦០០.០០០</ins>" in new_side and "<del>" not in new_side
    numbers = _text(re.search(r'<table class="numbers">.*?</table>', html, re.S).group(0))
    assert "500,000 → 600,000 KHR" in numbers
    assert "៥០០.០០០ រៀល → ៦០០.០០០ រៀល" in numbers
    assert "benefit_adequacy" in html and "sev-high" in html and "0.91" in html
    assert "needs human check" not in html


def test_change_page_english_needs_check(client: TestClient, ids: Any) -> None:
    html = client.get(f"/changes/{ids.en_change}").text
    assert "<del>90</del><ins>98</ins>" in html
    assert "needs human check" in html
    assert "90 → 98 day" in _text(html)
    assert "maternity" in html and "sev-medium" in html


def test_alerts_pages_show_positions_and_delivery(client: TestClient, ids: Any) -> None:
    html = client.get("/alerts").text
    assert html.index("ប្រាក់សោធនប្រចាំខែ") < html.index("Maternity leave 90 -&gt; 98")  # newest first
    assert "telegram-officers: failed" in html and "secretariat: pending" in html
    response = client.get(f"/alerts/{ids.en_alert}")
    assert response.status_code == 200
    detail = response.text
    assert "connection refused" in detail
    assert "maternity" in detail and "needs human check" in detail
    assert f'href="/changes/{ids.en_change}"' in detail
    assert "90 → 98 day" in _text(detail)


def test_sources_page_shows_health_and_runs(client: TestClient) -> None:
    html = client.get("/sources").text
    assert 'id="source-nssf-legal"' in html and 'id="source-mef-budget"' in html
    assert "health-ok" in html and "health-failing" in html
    assert "123,456" in html  # bytes of the run
    assert "run-failed" in html and "HTTP 503" in html


def test_missing_ids_are_404_pages(client: TestClient) -> None:
    for path in ("/instruments/999", "/changes/999", "/alerts/999", "/versions/999/file"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Not found" in response.text and "999" in response.text
    assert client.get("/instruments/abc").status_code == 404
    assert client.get("/no-such-page").status_code == 404


def test_pages_send_security_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_positions_page_counts_flags_and_alerts(client: TestClient) -> None:
    html = client.get("/positions").text
    assert '<span class="badge pos">maternity</span>' in html
    assert '<span class="badge pos">benefit_adequacy</span>' in html
    assert 'href="/feeds/positions/maternity.atom"' in html
    assert 'href="/instruments?position=maternity"' in html
    assert 'href="/parameters?position=maternity"' in html


def test_api_docs_are_served_without_a_cdn(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "/api/instruments/{instrument_id}" in html and "PATCH" in html
    assert "cdn" not in html.lower() and "<script" not in html.lower()
    assert client.get("/redoc").status_code == 404


def test_instrument_filters_by_issuer_position_and_date(client: TestClient) -> None:
    def titles(**params: str) -> list[str]:
        return [i["title"] for i in client.get("/api/instruments", params=params).json()]

    assert [t[:10] for t in titles(position="maternity")] == ["Sub-decree"]
    assert titles(position="vesting") == []
    html = client.get("/instruments", params={"position": "benefit_adequacy"}).text
    assert "1 instrument" in html
    assert (
        client.get("/instruments", params={"seen_from": "2999-01-01"}).text.count(
            "No instrument matches."
        )
        == 1
    )
    assert client.get("/instruments", params={"seen_from": "not a date"}).status_code == 400


def test_instrument_page_shows_each_articles_history(client: TestClient, ids: Any) -> None:
    html = client.get(f"/instruments/{ids.km_instrument}").text
    section = html.split("Each article's history", 1)[1].split("</table>", 1)[0]
    assert '<span lang="km">មាត្រា ៥</span>' in section
    assert f'<a href="/changes/{ids.km_change}">modified</a>' in section
    assert "2025-06-01 06:00 UTC" in section
