"""Document text is untrusted: every page that shows it escapes it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

XSS = "<script>alert(1)</script>"
OWN_SCRIPT = '<script src="/static/triage.js" defer></script>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

PAGES = [
    "/",
    "/instruments",
    "/instruments/{en_instrument}",
    "/changes/{en_change}",
    "/alerts",
    "/alerts/{en_alert}",
    "/sources",
]


@pytest.mark.parametrize("template", PAGES)
def test_script_in_document_text_is_escaped(client: TestClient, ids: Any, template: str) -> None:
    path = template.format(**vars(ids))
    response = client.get(path)
    assert response.status_code == 200
    assert ESCAPED in response.text, f"{path} does not show the hostile text"
    assert XSS not in response.text
    assert "<script" not in own_scripts_removed(response.text).lower()


def own_scripts_removed(html: str) -> str:
    """The page without its own script (the one-step triage's, served from /static)."""
    return html.replace(OWN_SCRIPT, "")


def test_search_query_is_escaped(client: TestClient) -> None:
    response = client.get("/instruments", params={"q": XSS})
    assert response.status_code == 200
    assert XSS not in response.text
    assert f'value="{ESCAPED}"' in response.text


def test_error_detail_is_escaped(client: TestClient) -> None:
    response = client.get("/instruments/%3Cscript%3E")
    assert response.status_code == 404
    assert "<script" not in response.text.lower()


def test_change_page_escapes_redline_and_evidence(client: TestClient, ids: Any) -> None:
    html = client.get(f"/changes/{ids.en_change}").text
    # in the redline, the numbers table label, the heading and the flag's evidence
    assert html.count(ESCAPED) >= 5
