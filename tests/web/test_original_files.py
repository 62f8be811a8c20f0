"""The original file of a version, served from the blob store as fetched."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi.testclient import TestClient

KM_PDF_START = b"%PDF-1.4\n% Khmer prakas, version 2\n"


def test_pdf_comes_back_byte_for_byte(client: TestClient, ids: Any) -> None:
    response = client.get(f"/versions/{ids.km_new_version}/file")
    assert response.status_code == 200
    assert response.content.startswith(KM_PDF_START)
    assert "ប្រាក់សោធន".encode() in response.content
    meta = client.get(f"/api/versions/{ids.km_new_version}").json()
    assert hashlib.sha256(response.content).hexdigest() == meta["sha256"]
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="prakas-216.pdf"'
    assert response.headers["x-content-type-options"] == "nosniff"


def test_html_original_keeps_its_stored_type_as_an_attachment(client: TestClient, ids: Any) -> None:
    response = client.get(f"/versions/{ids.en_new_version}/file")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="maternity.html"'
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.content == b"<html><body><p>Maternity leave is 98 days.</p></body></html>"


def test_bytes_missing_from_the_store_are_404(client: TestClient, ids: Any) -> None:
    response = client.get(f"/versions/{ids.km_old_version}/file")
    assert response.status_code == 404
    assert "not in the blob store" in response.text


def test_download_names_are_safe_and_keep_khmer() -> None:
    from tracker.models import Version
    from web.routes.instruments import content_disposition, download_name

    def name(url: str, content_type: str = "application/pdf") -> str:
        return download_name(
            Version(id=7, instrument_id=1, url=url, sha256="0" * 64, content_type=content_type)
        )

    assert name("https://x.gov.kh/a/%E1%9E%94%E1%9F%92%E1%9E%9A.pdf") == "ប្រ.pdf"
    assert name("https://x.gov.kh/") == "version-7.pdf"
    assert name("https://x.gov.kh/a%22b%0d%0a.pdf") == "a_b_.pdf"
    assert name("https://x.gov.kh/download?id=3", "") == "download"
    header = content_disposition("ប្រកាស.pdf")
    assert header.startswith('attachment; filename="')
    assert header.endswith(
        "filename*=UTF-8''%E1%9E%94%E1%9F%92%E1%9E%9A%E1%9E%80%E1%9E%B6%E1%9E%9F.pdf"
    )
    assert header.isascii()
