"""A Khmer reader reads an alert's one-line summary in Khmer (the inbox, the dashboard, the
alert's page, the note they download), built from its stored changes and flags; an English
reader, and the JSON API, get the stored line as before."""

from __future__ import annotations

import html
import io

import docx
import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import KM_TITLE, XSS, XSS_ESCAPED, SignIn, Tracker
from tests.web.test_interface_language import _choose

ADEQUACY_KM = "ភាពគ្រប់គ្រាន់នៃអត្ថប្រយោជន៍"  # positions.toml name_km
MATERNITY_KM = "ការគាំពារមាតុភាព"
KM_SUMMARY = f"{ADEQUACY_KM}: {KM_TITLE}, មាត្រា ៥: ៥០០.០០០ រៀល -> ៦០០.០០០ រៀល"
STORED_KM = "ប្រាក់សោធនប្រចាំខែ ៥០០.០០០ → ៦០០.០០០ រៀល"  # the fixture's stored lines
STORED_EN = f"Maternity leave 90 -> 98 days {XSS}"


@pytest.fixture(scope="module")
def readers(module_tracker: Tracker, sign_in: SignIn) -> tuple[TestClient, TestClient]:
    khmer = sign_in(module_tracker, "officer")
    _choose(khmer, "km")
    return khmer, sign_in(module_tracker, "secretariat")


def test_the_inbox_and_the_alert_page_give_the_summary_in_the_readers_language(
    readers: tuple[TestClient, TestClient], module_tracker: Tracker
) -> None:
    khmer, english = readers
    ids = module_tracker.ids
    inbox = html.unescape(khmer.get("/alerts").text)
    assert KM_SUMMARY in inbox and STORED_KM not in inbox
    assert f"{MATERNITY_KM}: Sub-decree on maternity benefits" in inbox
    dashboard = html.unescape(khmer.get("/").text)  # its latest alerts, as the inbox
    assert KM_SUMMARY in dashboard and STORED_KM not in dashboard
    page = khmer.get(f"/alerts/{ids.km_alert}").text
    assert (
        f'<p class="summary"><span lang="km">{KM_SUMMARY.replace(">", "&gt;")}</span></p>' in page
    )
    en_page = khmer.get(f"/alerts/{ids.en_alert}").text
    assert XSS not in en_page and XSS_ESCAPED in en_page  # document text escaped, as ever

    english_inbox = english.get("/alerts").text
    assert html.escape(STORED_EN, quote=False) in english_inbox and ADEQUACY_KM not in english_inbox
    assert html.escape(STORED_EN, quote=False) in english.get("/").text
    listed = {a["id"]: a["summary"] for a in khmer.get("/api/alerts").json()}
    assert listed[ids.km_alert] == STORED_KM  # the JSON field is the stored line


def test_a_khmer_readers_note_has_khmer_dates_and_the_khmer_summary(
    readers: tuple[TestClient, TestClient], module_tracker: Tracker
) -> None:
    khmer, english = readers
    alert = module_tracker.ids.km_alert
    markdown = khmer.get(f"/alerts/{alert}/note.md").text
    assert f"**{KM_SUMMARY.replace('>', '&gt;')}**" in markdown
    assert "Alert #" in markdown and "ម៉ោង ១៣:០០ (ម៉ោងភ្នំពេញ)" in markdown  # 06:00 UTC
    document = docx.Document(io.BytesIO(khmer.get(f"/alerts/{alert}/note.docx").content))
    assert KM_SUMMARY in "\n".join(p.text for p in document.paragraphs)
    english_note = english.get(f"/alerts/{alert}/note.md").text
    assert "13:00 (Phnom Penh time)" in english_note and ADEQUACY_KM not in english_note
