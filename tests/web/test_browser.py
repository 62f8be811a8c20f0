"""A real browser (Playwright with Debian's chromium, headless) against the served tracker
on 127.0.0.1: sign in, open an alert, read the redline, change an instrument's status,
export XLSX; an officer's day (inbox -> alert -> one-step triage -> note) at desktop and
phone widths (390 and 360 px). Screenshots are kept in test-artefacts/browser/ (docs/
screenshots/ and docs/screens/ hold some for the README; ``SPTRACK_SCREENS=docs/screens``
writes the officer's there too)."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from docx import Document as DocxDocument
from openpyxl import load_workbook

from tests.web.conftest import POSITIONS
from tests.web.pipeline_alerts import add_alert
from tracker.database import open_engine, session
from tracker.models import Source
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
        positions=POSITIONS,
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
            page.click("#save-triage")  # one step: acknowledged (the box is ticked)
            page.wait_for_selector("#triage-status .saved")
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


PHONES = (390, 360)
WIDE_PAGES = ("inbox", "alert", "change", "instrument", "edit")


def _screens(name: str, page: Any) -> None:
    """Officer screenshots: test-artefacts/browser/officer/, and the folder
    ``SPTRACK_SCREENS`` names (docs/screens when the README's are remade)."""
    folders = [ARTEFACTS / "officer"]
    if os.environ.get("SPTRACK_SCREENS"):
        folders.append(REPO / os.environ["SPTRACK_SCREENS"])
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _fits(page: Any) -> dict[str, Any]:
    """How the page sits in its viewport: widths, and the menu's colours and boxes."""
    return dict(
        page.evaluate(
            """() => {
              const header = document.querySelector("header.site");
              const links = [...header.querySelectorAll("nav a, .who a, .who button")];
              const bg = getComputedStyle(header).backgroundColor;
              const box = header.getBoundingClientRect();
              return {
                scroll: document.documentElement.scrollWidth,
                body: document.body.scrollWidth,
                inner: window.innerWidth,
                header: bg,
                outside: links.filter(a => {
                  const r = a.getBoundingClientRect();
                  return r.right > window.innerWidth + 1 || r.bottom > box.bottom + 1;
                }).map(a => a.textContent.trim()),
                colours: [...new Set(links.map(a => getComputedStyle(a).color))],
              };
            }"""
        )
    )


def _sign_in(page: Any, served: str, name: str) -> None:
    page.goto(f"{served}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_officer_day_in_a_browser_at_desktop_and_phone_width(
    served: str, fresh_tracker: Any
) -> None:
    engine = open_engine(fresh_tracker.url)
    with session(engine) as s:
        assert s.get(Source, "nssf-legal") is not None
        alert_id = add_alert(s, "km", 10)
        s.commit()
    engine.dispose()
    base = f"{served}/alerts/{alert_id}"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            _sign_in(page, served, "officer1")
            # the inbox: filters kept in the URL
            page.goto(f"{served}/alerts")
            page.select_option("select[name=position]", "indexation")
            page.select_option("select[name=severity]", "high")
            page.click("#inbox-filters button[type=submit]")
            page.wait_for_url(re.compile(r"position=indexation&severity=high"))
            assert page.locator(f"#alert-{alert_id}").count() == 1
            _screens("desktop-1-inbox", page)
            # the alert answers on its first screen
            page.click(f"#alert-{alert_id} a.inbox-title")
            page.wait_for_url(re.compile(rf"/alerts/{alert_id}$"))
            first_screen = page.evaluate(
                """() => ["what-changed", "why-it-matters"].map(id =>
                     document.getElementById(id).getBoundingClientRect().top)"""
            )
            assert all(top < 900 for top in first_screen), first_screen
            why = page.inner_text("section.why")
            assert "Indexation of benefits" in why and "worse for the coalition" in why
            assert "the coalition wants more frequent adjustment" in why
            assert "less often" in page.inner_text("section.what")
            _screens("desktop-2-alert", page)
            # one-step triage, from the keyboard, without a reload
            page.evaluate("() => { window.notReloaded = true; }")
            page.select_option("select[name='verdict.indexation']", "relevant")
            page.select_option("select[name='verdict.contribution_rate']", "relevant")
            page.fill("input[name=task_team]", "ក្រុមការងារសោធននិវត្តន៍")
            page.select_option("select[name=assignee]", "officer1")
            page.focus("input[name=note]")
            page.keyboard.type("rapid response by Friday")
            page.keyboard.press("Control+Enter")
            page.wait_for_selector("#triage-status .saved")
            assert page.evaluate("() => window.notReloaded === true")
            assert "team ក្រុមការងារសោធននិវត្តន៍" in page.inner_text("#triage-status")
            _screens("desktop-3-triaged", page)
            # undo (the page shows the state before), then the step again
            page.click("#triage-status button")
            page.wait_for_load_state("load")
            page.wait_for_selector("text=Not acknowledged yet.")
            assert page.input_value("input[name=task_team]") == ""
            page.select_option("select[name='verdict.indexation']", "relevant")
            page.fill("input[name=task_team]", "ក្រុមការងារសោធននិវត្តន៍")
            page.click("#save-triage")
            page.wait_for_selector("#triage-status .saved")
            page.reload()
            assert page.input_value("select[name='verdict.indexation']") == "relevant"
            # the note: its owner is the task team
            with page.expect_download() as download_info:
                page.click("a.note-link")
            note = DocxDocument(download_info.value.path())
            text = "\n".join(par.text for par in note.paragraphs)
            assert "ក្រុមការងារសោធននិវត្តន៍" in text
            page.close()
            # phone widths: no page wider than the screen, a readable menu
            for width in PHONES:
                for who in ("officer1", "sec1"):
                    phone = browser.new_page(viewport={"width": width, "height": 800})
                    _sign_in(phone, served, who)
                    change = phone.evaluate(
                        f"""() => fetch("{base}").then(r => r.text()).then(t =>
                            t.match(/href="\\/changes\\/(\\d+)"/)[1])"""
                    )
                    instrument = phone.evaluate(
                        f"""() => fetch("{base}").then(r => r.text()).then(t =>
                            t.match(/href="\\/instruments\\/(\\d+)"/)[1])"""
                    )
                    pages = {
                        "inbox": f"{served}/alerts",
                        "alert": base,
                        "change": f"{served}/changes/{change}",
                        "instrument": f"{served}/instruments/{instrument}",
                        "edit": f"{served}/instruments/{instrument}/edit",
                    }
                    for name in WIDE_PAGES if who == "sec1" else WIDE_PAGES[:4]:
                        phone.goto(pages[name])
                        fit = _fits(phone)
                        assert fit["scroll"] <= width and fit["body"] <= width, (name, fit)
                        assert fit["outside"] == [], (name, fit)
                        assert fit["header"] == "rgb(29, 35, 43)" and fit["colours"] == [
                            "rgb(255, 255, 255)"
                        ], (name, fit)
                        if name == "alert":  # what and why at a glance, on the first screen
                            glance = phone.evaluate(
                                """() => document.querySelector("ul.glance")
                                    .getBoundingClientRect().bottom"""
                            )
                            assert glance <= 800, (width, glance)
                            assert "worse for the coalition" in phone.inner_text("ul.glance")
                        if who == "officer1" or name == "edit":
                            _screens(f"phone-{width}-{name}", phone)
                    phone.close()
        finally:
            browser.close()
