"""The triage script in a real browser (Playwright, Debian's chromium) for a Khmer officer:
a step saved without a reload is said in Khmer, with Khmer digits, from the words the page
gives the script (macro triage_words); the English walk is in test_browser.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.pipeline_alerts import add_alert
from tests.web.test_browser import CHROMIUM, _sign_in, playwright_api, served
from tracker.database import open_engine, session

__all__ = ["served"]  # the fixture, shared with the English walk

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make install adds it)"),
]


def test_the_triage_script_says_what_it_saved_in_khmer(served: str, fresh_tracker: Any) -> None:
    engine = open_engine(fresh_tracker.url)
    with session(engine) as s:
        alert = add_alert(s, "km", 10)
        s.commit()
    engine.dispose()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page()
            _sign_in(page, served, "officer1")
            page.click("form.language-switch button[value=km]")
            page.wait_for_selector("html[lang=km]")
            page.goto(f"{served}/alerts/{alert}")
            page.evaluate("() => { window.notReloaded = true; }")
            page.select_option("select[name='verdict.indexation']", "relevant")
            page.fill("input[name=task_team]", "ក្រុមការងារសោធន")
            page.click("#save-triage")
            page.wait_for_selector("#triage-status .saved")
            assert page.evaluate("() => window.notReloaded === true")
            said = page.inner_text("#triage-status .saved")
            assert said.startswith("បានរក្សាទុក៖ ទទួលស្គាល់ដោយ officer1 · "), said
            assert "· ក្រុមការងារ ក្រុមការងារសោធន · ការវាយតម្លៃ ១។" in said, said
            assert page.inner_text("#triage-status .saved button") == "មិនធ្វើវិញ"
        finally:
            browser.close()
