"""Exports and feeds: the tracker as CSV and XLSX, deadlines as iCalendar, alerts as Atom;
Khmer intact, document text never a formula or markup."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from web.calendar import fold

KM_TITLE = "ប្រកាសស្តីពីប្រាក់សោធននិវត្តន៍"
XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def edited(module_tracker: Any, sign_in: Any) -> TestClient:
    """The module's tracker with deadlines, an owner and formula-like notes set."""
    client: TestClient = sign_in(module_tracker, "secretariat")
    ids = module_tracker.ids
    response = client.patch(
        f"/api/instruments/{ids.km_instrument}",
        json={
            "status": "consultation",
            "consultation_deadline": "2025-07-31",
            "effective_date": "2026-01-01",
            "owner_team": "ក្រុមការងារសោធន",
            "notes": FORMULA,
        },
    )
    assert response.status_code == 200, response.text
    return client


def test_csv_export(edited: TestClient) -> None:
    response = edited.get("/export/tracker.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    km = next(r for r in rows if r["Title"] == KM_TITLE)
    assert km["Status"] == "consultation" and km["Consultation deadline"] == "2025-07-31"
    assert km["Owner task team"] == "ក្រុមការងារសោធន"
    assert km["Notes"] == "'" + FORMULA  # inert: a spreadsheet shows it as text
    en = next(r for r in rows if r["Title"] != KM_TITLE)
    assert XSS in en["Title"]  # CSV is data, not markup: the text as it was


#: Notes whose text would become a formula somewhere: at the start, after blanks, or after
#: a separator of a locale that splits on ``;`` or on tabs.
HOSTILE_NOTES = [
    'ពន្ធ;=HYPERLINK("http://evil.example","ចុច")',
    "Article 5; @SUM(A1:A9)",
    "rate 2%\t=1+1",
    "  =cmd|' /C calc'!A0",
    "\n+1+1",
    'quoted"; -2+3;"',
    "first line\r\n=2*3",
]
FORMULA_CHARS = ("=", "+", "-", "@")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_csv_never_starts_a_formula_in_any_locale(
    edited: TestClient, module_tracker: Any, delimiter: str
) -> None:
    ids = module_tracker.ids
    for number, note in enumerate(HOSTILE_NOTES):
        response = edited.patch(
            f"/api/instruments/{ids.en_instrument}",
            json={"notes": note, "owner_team": f"ក្រុម {number}"},
        )
        assert response.status_code == 200, response.text
        text = edited.get("/export/tracker.csv").content.decode("utf-8-sig")
        # a spreadsheet reading the file with this separator, quotes honoured
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        for row in rows:
            for cell in row:
                shown = cell.lstrip(' \t\r\n\u00a0"')
                assert shown.startswith("'") or not shown.startswith(FORMULA_CHARS), (note, cell)
        if delimiter == ",":  # the file's own dialect: the note comes back whole, inert
            table = csv.DictReader(io.StringIO(text, newline=""))
            (en,) = [r for r in table if r["Owner task team"] == f"ក្រុម {number}"]
            stored = note.strip()  # as the API keeps it
            assert en["Notes"].replace("'", "") == stored.replace("'", "")  # nothing else changed
            assert en["Notes"].startswith("'") == stored.startswith(FORMULA_CHARS)


def test_xlsx_export(edited: TestClient, module_tracker: Any) -> None:
    response = edited.get("/export/tracker.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["ID", "Title", "Type", "Number", "Issuer", "Status"]
    rows = [[c for c in row] for row in sheet.iter_rows(min_row=2)]
    km = next(r for r in rows if r[1].value == KM_TITLE)
    notes = km[header.index("Notes")]
    assert notes.value == FORMULA and notes.data_type == "s"  # text, never a formula
    assert km[header.index("Owner task team")].value == "ក្រុមការងារសោធន"
    # a header that stays while scrolling, filters on every column, widths that fit
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{len(rows) + 1}" and len(header) == 17
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOPQ"}
    assert widths["A"] == 8  # ids: the narrowest width
    assert widths["K"] == len("Consultation deadline") + 2  # the header is the widest
    assert widths["B"] == 60  # the longest title (61 characters) is capped
    assert widths["H"] == len("nssf-legal") + 2  # the source ids
    # last seen: a time cell in Phnom Penh time, shown in the one format (was UTC text)
    assert header[16] == "Last seen (Phnom Penh time)"
    seen = km[16]
    assert isinstance(seen.value, datetime) and seen.is_date
    assert seen.number_format == "d mmm yyyy hh:mm"
    csv_rows = csv.DictReader(io.StringIO(edited.get("/export/tracker.csv").text.lstrip("\ufeff")))
    shown = next(r for r in csv_rows if r["Title"] == KM_TITLE)["Last seen (Phnom Penh time)"]
    assert shown == f"{seen.value:%Y-%m-%d %H:%M}"  # CSV: the same time, as text
    stored = edited.get(f"/api/instruments/{module_tracker.ids.km_instrument}").json()
    utc = datetime.fromisoformat(stored["last_seen_at"]).replace(tzinfo=None, microsecond=0)
    assert seen.value - utc == timedelta(hours=7)  # Phnom Penh is UTC+7 all year


def test_column_widths_count_what_shows() -> None:
    from web.exports import MAX_WIDTH, display_width

    assert display_width("ប្រកាស") == 4  # ប ្រ ក ា ស: the subscript and vowel take none
    assert display_width("two\nlines, the widest") == len("lines, the widest")
    assert display_width("x" * 500) == 500 and MAX_WIDTH == 60


def test_icalendar_deadlines(edited: TestClient, module_tracker: Any) -> None:
    response = edited.get("/calendar/deadlines.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    text = response.content.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    km = module_tracker.ids.km_instrument
    assert f"UID:instrument-{km}-consultation_deadline@sptrack" in unfolded
    assert "DTSTART;VALUE=DATE:20250731" in unfolded
    assert "DTSTART;VALUE=DATE:20260101" in unfolded
    assert f"SUMMARY:Consultation deadline: {KM_TITLE}" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 2


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + KM_TITLE * 5
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert "".join(pieces) == line


def test_atom_feeds(edited: TestClient, module_tracker: Any) -> None:
    response = edited.get("/feeds/alerts.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert XSS not in response.text
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    summaries = [e.findtext(f"{ATOM}summary") or "" for e in entries]
    assert any(XSS in s for s in summaries)  # escaped in the XML, the text once parsed
    assert any("៦០០.០០០" in s for s in summaries)
    one = ET.fromstring(edited.get("/feeds/positions/maternity.atom").content)
    [entry] = one.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id", "").endswith(f"/alerts/{module_tracker.ids.en_alert}")
    none = ET.fromstring(edited.get("/feeds/positions/vesting.atom").content)
    assert none.findall(f"{ATOM}entry") == []
    assert edited.get("/feeds/positions/Bad%20Id.atom").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/export/tracker.csv",
        "/export/tracker.xlsx",
        "/calendar/deadlines.ics",
        "/feeds/alerts.atom",
    ],
)
def test_exports_need_a_reader(anon: TestClient, path: str) -> None:
    response = anon.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
