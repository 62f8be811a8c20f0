"""Markup in Khmer document text, and in what users type into the tracker, shows as text on
every page, feed and form that prints it (the English cases are in test_escaping)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tracker.database import open_engine, session
from tracker.models import Alert, Change, Instrument, Version

KM_XSS = "ប្រកាស<script>alert('ខ')</script>"
OWN_SCRIPT = '<script src="/static/triage.js" defer></script>'  # the one-step triage's
KM_ESCAPED = "ប្រកាស&lt;script&gt;alert(&#39;ខ&#39;)&lt;/script&gt;"
TEAM_XSS = '"><img src=x onerror=alert(1)>ក្រុម'


@pytest.fixture(scope="module")
def hostile(module_tracker: Any, sign_in: Any) -> TestClient:
    """The module's tracker with markup in Khmer titles, texts and summaries, and in the
    fields users fill in."""
    ids = module_tracker.ids
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        instrument = s.get(Instrument, ids.km_instrument)
        assert instrument is not None
        instrument.title = KM_XSS
        instrument.number = KM_XSS
        for version in s.exec(select(Version).where(Version.instrument_id == ids.km_instrument)):
            version.text = f"{version.text} {KM_XSS}"
            s.add(version)
        change = s.get(Change, ids.km_change)
        alert = s.get(Alert, ids.km_alert)
        assert change is not None and alert is not None
        change.heading = KM_XSS
        change.new_text = f"{change.new_text} {KM_XSS}"
        change.ops = []  # diffed again from the texts
        alert.summary = KM_XSS
        s.add_all([instrument, change, alert])
        s.commit()
    engine.dispose()
    client: TestClient = sign_in(module_tracker, "secretariat")
    edited = client.patch(
        f"/api/instruments/{ids.km_instrument}",
        json={"owner_team": TEAM_XSS, "notes": KM_XSS, "consultation_deadline": "2025-09-01"},
    )
    assert edited.status_code == 200
    triaged = client.post(
        f"/api/alerts/{ids.km_alert}/triage",
        json={"task_team": TEAM_XSS, "verdict": "relevant", "note": KM_XSS},
    )
    assert triaged.status_code == 200
    return client


PAGES = [
    "/",
    "/instruments",
    "/instruments?q=ប្រកាស",
    "/instruments/{km_instrument}",
    "/instruments/{km_instrument}/edit",
    "/instruments/{km_instrument}/compare?old={km_old_version}&new={km_new_version}",
    "/changes/{km_change}",
    "/alerts",
    "/alerts/{km_alert}",
    "/audit",
]


@pytest.mark.parametrize("template", PAGES)
def test_khmer_text_with_markup_is_escaped(
    hostile: TestClient, module_tracker: Any, template: str
) -> None:
    path = template.format(**vars(module_tracker.ids))
    response = hostile.get(path)
    assert response.status_code == 200
    html = response.text
    assert "<script" not in html.replace(OWN_SCRIPT, "").lower(), path
    assert "<img src=x" not in html, path
    assert "&lt;script&gt;" in html, f"{path} does not show the hostile text"


def test_feed_and_calendar_hold_the_text_not_the_markup(hostile: TestClient) -> None:
    feed = hostile.get("/feeds/alerts.atom").text
    assert "<script" not in feed and KM_ESCAPED.replace("&#39;", "'") in feed.replace("&#39;", "'")
    calendar = hostile.get("/calendar/deadlines.ics").content.decode()
    assert "BEGIN:VEVENT" in calendar  # plain text: the title as written, escaped for iCal
    assert "alert('ខ')" in calendar.replace("\r\n ", "")
