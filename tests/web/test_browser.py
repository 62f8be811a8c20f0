"""A real browser (Playwright with Debian's chromium, headless) against the served tracker
on 127.0.0.1: sign in, open an alert, read the redline, change an instrument's status,
export XLSX. Screenshots are kept in test-artefacts/browser/ (docs/screenshots/ holds a
few of them for the README)."""

from __future__ import annotations

import io
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from openpyxl import load_workbook

from web.app import create_app
from web.settings import WebSettings

playwright_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = REPO / "test-artefacts" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
KM_TITLE = "ប្រកាសស្តីពីប្រាក់សោធននិវត្តន៍"
PASSWORD = "correct horse battery"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make install adds it)"),
]


@pytest.fixture
def served(fresh_tracker: Any) -> Iterator[str]:
    """The tracker served by uvicorn in a thread on a socket already listening."""
    settings = WebSettings(
        database_url=fresh_tracker.url,
        storage_path=fresh_tracker.storage,
        secret_key="browser-test-secret-0123456789",
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def _shot(page: Any, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def test_secretariat_session_in_a_browser(served: str, fresh_tracker: Any) -> None:
    ids = fresh_tracker.ids
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            page.goto(f"{served}/alerts")
            assert "/login" in page.url  # nothing readable before signing in
            page.fill("input[name=username]", "sec1")
            page.fill("input[name=password]", PASSWORD)
            _shot(page, "01-login")
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r"/alerts$"))

            # open an alert from the inbox
            _shot(page, "02-alerts-inbox")
            page.click(f"a[href='/alerts/{ids.km_alert}']")
            page.wait_for_url(re.compile(rf"/alerts/{ids.km_alert}$"))
            assert "៦០០.០០០" in page.inner_text("p.summary")
            page.click("#acknowledge-form button")
            page.wait_for_selector("text=Acknowledged by")
            _shot(page, "03-alert")

            # read the redline of its change
            page.click(f"a[href='/changes/{ids.km_change}']")
            page.wait_for_url(re.compile(rf"/changes/{ids.km_change}$"))
            assert page.inner_text(".redline.inline del") == "៥០០.០០០"
            assert page.inner_text(".redline.inline ins") == "៦០០.០០០"
            _shot(page, "04-change-redline")

            # change the instrument's status
            page.goto(f"{served}/instruments/{ids.km_instrument}")
            page.click("#edit-link")
            page.select_option("select[name=status]", "in_force")
            page.fill("input[name=status_date]", "2025-08-01")
            page.fill("input[name=consultation_deadline]", "2025-07-15")
            page.fill("input[name=owner_team]", "Pensions task team")
            _shot(page, "05-edit")
            page.click("#edit-form button[type=submit]")
            page.wait_for_url(re.compile(rf"/instruments/{ids.km_instrument}$"))
            assert "in force" in page.inner_text("h1")
            assert "ថ្ងៃទី១ ខែសីហា ឆ្នាំ២០២៥" in page.inner_text("ol.timeline")
            _shot(page, "06-instrument")

            # export the tracker as XLSX
            page.goto(f"{served}/instruments")
            _shot(page, "07-instruments")
            with page.expect_download() as download_info:
                page.click("#export-xlsx")
            download = download_info.value
            assert download.suggested_filename.endswith(".xlsx")
            data = Path(download.path()).read_bytes()
        finally:
            browser.close()
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    km = rows[KM_TITLE]
    assert km[header.index("Status")] == "in force"
    assert km[header.index("Owner task team")] == "Pensions task team"
