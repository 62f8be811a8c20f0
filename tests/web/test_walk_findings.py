"""What the browser walks (test_browser_walks.py) found, pinned without a browser: the
instrument search form sends its empty date fields and must still search; the web's
rapid-response note names the task team in its heading line as well as its owner; the
edit form's dates are all date inputs (a stored value that is no date stays text)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from docx import Document as DocxDocument
from fastapi.testclient import TestClient

from tests.web.pipeline_alerts import add_alert
from tracker.database import open_engine, session
from tracker.models import Instrument

TEAM = "ក្រុមការងារសោធននិវត្តន៍"


@pytest.fixture(scope="module")
def officer(sign_in: Any, module_tracker: Any) -> TestClient:
    client: TestClient = sign_in(module_tracker, "officer")
    return client


@pytest.fixture(scope="module")
def triaged(officer: TestClient, module_tracker: Any) -> int:
    """An English alert triaged to a Khmer-named task team."""
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        alert = add_alert(s, "en", 3)
        s.commit()
    engine.dispose()
    page = officer.get(f"/alerts/{alert}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    response = officer.post(
        f"/alerts/{alert}/triage",
        data={"csrf_token": token.group(1), "task_team": TEAM, "acknowledged": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.text
    return alert


def test_the_search_form_with_its_date_fields_left_empty_searches(
    officer: TestClient, triaged: int
) -> None:
    # what the browser sends for the form on /instruments when only the words are typed
    response = officer.get(
        "/instruments", params={"q": "Sub-decree 38", "seen_from": "", "seen_to": ""}
    )
    assert response.status_code == 200, response.text
    assert "1 instrument matching" in response.text
    assert "Sub-decree 38 on pensions &lt;script&gt;" in response.text
    # a date that is not one is still refused, naming the field
    bad = officer.get("/instruments", params={"q": "x", "seen_from": "15/01/2027"})
    assert bad.status_code == 400 and "seen_from" in bad.text


@pytest.mark.parametrize("kind", ["docx", "md"])
def test_the_web_note_names_the_task_team_in_its_heading_line(
    officer: TestClient, triaged: int, kind: str
) -> None:
    response = officer.get(f"/alerts/{triaged}/note.{kind}")
    assert response.status_code == 200
    if kind == "docx":
        document = DocxDocument(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
    else:
        text = response.text
    team_lines = [line for line in text.splitlines() if "ក្រុមការងារ:" in line]
    assert team_lines, text[:600]
    assert all(TEAM in line for line in team_lines), team_lines
    owner = next(line for line in text.splitlines() if "Owner / អ្នកទទួលខុសត្រូវ" in line)
    assert TEAM in owner


@pytest.mark.parametrize(
    ("stored", "field"),
    [
        ("2026-01-01", '<input type="date" name="effective_date" value="2026-01-01">'),
        ("", '<input type="date" name="effective_date" value="">'),
        (
            "upon signature",  # kept as text to correct, with the Khmer placeholder
            'type="text" name="effective_date" value="upon signature" placeholder="ឆឆឆឆ-ខខ-ថថ"',
        ),
    ],
)
def test_the_edit_forms_dates_are_date_inputs(
    sign_in: Any, module_tracker: Any, stored: str, field: str
) -> None:
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        instrument = s.get(Instrument, module_tracker.ids.km_instrument)
        assert instrument is not None
        instrument.effective_date = stored
        instrument.consultation_deadline = "2027-01-15"
        s.add(instrument)
        s.commit()
    engine.dispose()
    secretariat: TestClient = sign_in(module_tracker, "secretariat")
    token = re.search(r'name="csrf_token" value="([^"]+)"', secretariat.get("/account").text)
    assert token is not None
    secretariat.post(
        "/preferences/language",
        data={"language": "km", "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    page = secretariat.get(f"/instruments/{module_tracker.ids.km_instrument}/edit").text
    assert field in page
    assert '<input type="date" name="consultation_deadline" value="2027-01-15">' in page


def test_a_khmer_reader_sees_position_badges_by_their_khmer_names(
    sign_in: Any, module_tracker: Any, triaged: int
) -> None:
    reader: TestClient = sign_in(module_tracker, "viewer")
    token = re.search(r'name="csrf_token" value="([^"]+)"', reader.get("/account").text)
    assert token is not None
    reader.post(
        "/preferences/language",
        data={"language": "km", "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    alert = reader.get(f"/alerts/{triaged}").text
    instrument = re.search(r'href="/instruments/(\d+)"', alert)
    assert instrument is not None
    page = reader.get(f"/instruments/{instrument.group(1)}").text
    badge = '<span class="badge pos" title="indexation" lang="km">និយ័តកម្មអត្ថប្រយោជន៍</span>'
    assert badge in page
    assert ">Indexation of benefits</span>" not in page
