"""Instrument search: filters and text search over titles and version text."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

KM_TITLE = "ប្រកាសស្តីពីប្រាក់សោធននិវត្តន៍"


def _titles(client: TestClient, **params: str) -> list[str]:
    body = client.get("/api/instruments", params=params).json()
    return [item["title"] for item in body]


def test_khmer_query_finds_title_and_text(client: TestClient) -> None:
    assert _titles(client, q="សោធននិវត្តន៍") == [KM_TITLE]  # in the title
    assert _titles(client, q="៦០០.០០០") == [KM_TITLE]  # only in the newest version's text
    assert _titles(client, q="៥០០.០០០") == [KM_TITLE]  # only in the old version's text


def test_khmer_query_with_zero_width_space_still_matches(client: TestClient) -> None:
    assert _titles(client, q="ប្រាក់\u200bសោធន") == [KM_TITLE]


def test_english_query_is_case_insensitive(client: TestClient) -> None:
    titles = _titles(client, q="MATERNITY LEAVE")
    assert len(titles) == 1 and titles[0].startswith("Sub-decree on maternity")


def test_like_wildcards_are_literal(client: TestClient) -> None:
    assert _titles(client, q="%") == []
    assert _titles(client, q="_") == []


def test_filters_combine_with_the_query(client: TestClient) -> None:
    assert _titles(client, q="សោធន", language="en") == []
    assert _titles(client, source="nssf-legal") == [KM_TITLE]
    assert _titles(client, type="prakas", status="published") == [KM_TITLE]


def test_page_filters_offer_known_values_and_keep_the_choice(client: TestClient) -> None:
    html = client.get("/instruments", params={"source": "nssf-legal", "q": "សោធន"}).text
    assert '<option value="nssf-legal" selected>nssf-legal</option>' in html
    assert '<option value="mef-budget">mef-budget</option>' in html
    assert 'value="សោធន"' in html
    assert "1 instrument matching" in re.sub(r"<[^>]+>", "", html)
    assert KM_TITLE in html and "Sub-decree on maternity" not in html


def test_page_beyond_the_last_is_empty_not_an_error(client: TestClient, ids: Any) -> None:
    response = client.get("/instruments", params={"page": 5})
    assert response.status_code == 200
    assert "No instrument matches." in response.text
    assert client.get("/instruments", params={"page": 0}).status_code == 400
