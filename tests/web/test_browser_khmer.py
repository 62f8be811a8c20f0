"""The Khmer interface in a real browser (Playwright, Debian's chromium): switch to Khmer
on the sign-in page, sign in, read the dashboard and an instrument in Khmer with Phnom Penh
times; the choice outlives signing out. Screenshots in test-artefacts/browser/km-*.png."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.test_browser import CHROMIUM, PASSWORD, _shot, playwright_api, served

__all__ = ["served"]  # the fixture, shared with the English walk

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make install adds it)"),
]


def test_an_officer_reads_the_tracker_in_khmer(served: str, fresh_tracker: Any) -> None:
    ids = fresh_tracker.ids
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{served}/login")
            assert page.get_attribute("html", "lang") == "en"
            page.click("form.language-switch button[value=km]")
            page.wait_for_selector("html[lang=km]")
            assert page.inner_text("h1") == "ចូលប្រើ"
            page.fill("input[name=username]", "officer1")
            page.fill("input[name=password]", PASSWORD)
            _shot(page, "km-01-login")
            page.click("main button[type=submit]")
            page.wait_for_url(re.compile(r"/$"))

            assert page.get_attribute("html", "lang") == "km"
            menu = page.inner_text("nav[aria-label]")
            assert "ផ្ទាំងគ្រប់គ្រង" in menu and "លិខិតបទដ្ឋានគតិយុត្ត" in menu
            assert "Dashboard" not in menu
            # the Khmer alert: 2025-06-02 06:00 UTC is 13:00 in Phnom Penh
            assert "ថ្ងៃទី២ ខែមិថុនា ឆ្នាំ២០២៥ ម៉ោង ១៣:០០" in page.inner_text("main")
            _shot(page, "km-02-dashboard")

            page.goto(f"{served}/instruments/{ids.km_instrument}")
            assert page.inner_text("h2 >> nth=0") == "កំណែភាសា"
            assert "ថ្ងៃទី១ ខែមិថុនា ឆ្នាំ២០២៥ ម៉ោង ១៣:០០" in page.inner_text("main")
            _shot(page, "km-03-instrument")

            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.context.add_cookies(page.context.cookies())
            phone.goto(f"{served}/")
            assert phone.get_attribute("html", "lang") == "km"
            _shot(phone, "km-04-dashboard-phone")

            page.click("text=ចាកចេញ")  # sign out: the cookie keeps the language
            page.wait_for_url(re.compile(r"/login"))
            assert page.get_attribute("html", "lang") == "km"
        finally:
            browser.close()
