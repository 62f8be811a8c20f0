"""The interface in Khmer and English: a reader's language (their choice, kept on the user;
else a cookie; else Accept-Language), Khmer dates and digits for Khmer readers, and Phnom
Penh time for everyone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.web.conftest import XSS, XSS_ESCAPED, SignIn, Tracker, _csrf_from, _make_client
from tracker.database import open_engine, session
from tracker.models import User
from web.dates import format_date, format_month, format_short_date, format_when, start_of_day
from web.rendering import date_value
from web.translations import COOKIE, accepted_language

KM_MENU = ("ផ្ទាំងគ្រប់គ្រង", "លិខិតបទដ្ឋានគតិយុត្ត", "ការជូនដំណឹង", "ជំហរ", "ប្រភព")
EN_MENU = ("Dashboard", "Instruments", "Alerts", "Positions", "Sources")
# The Khmer alert of conftest: created 2025-06-02 06:00 UTC, 13:00 in Phnom Penh.
KM_ALERT_TIME = "ថ្ងៃទី២ ខែមិថុនា ឆ្នាំ២០២៥ ម៉ោង ១៣:០០"
EN_ALERT_TIME = "2 Jun 2025 13:00"


def _nav(html: str) -> str:
    found = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S)
    assert found, "no main menu"
    return found.group(1)


def _choose(client: TestClient, language: str, next_url: str = "/") -> None:
    token = _csrf_from(client.get("/login").text)
    response = client.post(
        "/preferences/language",
        data={"language": language, "csrf_token": token, "next": next_url},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == next_url


@pytest.fixture(scope="module")
def khmer_officer(module_tracker: Tracker, sign_in: SignIn) -> TestClient:
    client = sign_in(module_tracker, "officer")
    _choose(client, "km")
    return client


def test_a_khmer_readers_dashboard_is_in_khmer(khmer_officer: TestClient) -> None:
    html = khmer_officer.get("/").text
    assert '<html lang="km">' in html
    menu = _nav(html)
    for word in KM_MENU:
        assert f">{word}</a>" in menu
    for word in EN_MENU:
        assert word not in menu
    assert KM_ALERT_TIME in html  # Khmer digits, Khmer month, Phnom Penh time
    assert "<strong>២</strong>" in html  # the counts in Khmer digits
    assert "ម៉ោងទាំងអស់ជាម៉ោងភ្នំពេញ (UTC+7)។" in html
    assert ">ខ្ពស់</span>" in html and ">មធ្យម</span>" in html  # severities in words
    assert XSS not in html and XSS_ESCAPED in html  # document text still escaped


def test_an_english_readers_dashboard_is_in_english(
    module_tracker: Tracker, sign_in: SignIn
) -> None:
    html = sign_in(module_tracker, "admin").get("/").text
    assert '<html lang="en">' in html
    menu = _nav(html)
    for word in EN_MENU:
        assert f">{word}</a>" in menu
    assert EN_ALERT_TIME in html and "UTC</" not in html
    assert "Times are Phnom Penh time (UTC+7)." in html
    assert not any(word in menu for word in KM_MENU)


def test_khmer_instrument_page_and_its_dates(
    khmer_officer: TestClient, module_tracker: Tracker
) -> None:
    html = khmer_officer.get(f"/instruments/{module_tracker.ids.km_instrument}").text
    assert '<html lang="km">' in html
    assert "<h2>ប្រវត្តិនៃមាត្រានីមួយៗ</h2>" in html
    # version 2 fetched 2025-06-01 06:00 UTC
    assert "ថ្ងៃទី១ ខែមិថុនា ឆ្នាំ២០២៥ ម៉ោង ១៣:០០" in html
    assert ">បានកែប្រែ</a>" in html  # the kind of change in Khmer
    assert '<span lang="km">ប្រកាសស្តីពីប្រាក់សោធននិវត្តន៍</span>' in html


def test_the_choice_is_kept_on_the_user(module_tracker: Tracker) -> None:
    engine = open_engine(module_tracker.url)
    try:
        with session(engine) as s:
            officer = s.exec(select(User).where(User.name == "officer1")).one()
            other = s.exec(select(User).where(User.name == "admin1")).one()
            assert (officer.language, other.language) == ("km", "")
    finally:
        engine.dispose()
    # Another browser (no cookie, an English Accept-Language): the user's choice wins.
    with _make_client(module_tracker) as browser:
        token = _csrf_from(browser.get("/login").text)
        browser.post(
            "/login",
            data={
                "username": "officer1",
                "password": "correct horse battery",
                "csrf_token": token,
                "next": "/",
            },
            headers={"Accept-Language": "en-GB,en;q=0.9"},
        )
        assert COOKIE not in browser.cookies
        page = browser.get("/instruments", headers={"Accept-Language": "en"}).text
        assert '<html lang="km">' in page and "<h1>លិខិតបទដ្ឋានគតិយុត្ត</h1>" in page


def test_anonymous_readers_get_their_browsers_language_then_their_cookie(
    module_tracker: Tracker,
) -> None:
    with _make_client(module_tracker) as browser:
        page = browser.get("/login", headers={"Accept-Language": "km-KH,km;q=0.9,en;q=0.5"})
        assert '<html lang="km">' in page.text and "<h1>ចូលប្រើ</h1>" in page.text
        assert "Accept-Language" in page.headers["vary"] and "Cookie" in page.headers["vary"]
        assert '<html lang="en">' in browser.get("/login").text  # no header: English
        _choose(browser, "en", "/login?next=%2Finstruments")
        assert browser.cookies[COOKIE] == "en"
        page = browser.get("/login", headers={"Accept-Language": "km"})
        assert '<html lang="en">' in page.text and "<h1>Sign in</h1>" in page.text
        _choose(browser, "km", "/login")
        wrong = browser.post(
            "/login",
            data={
                "username": "nobody",
                "password": "x",
                "csrf_token": _csrf_from(page.text),
                "next": "/",
            },
        )
        assert wrong.status_code == 401
        assert "ឈ្មោះ ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។" in wrong.text


def test_the_switch_refuses_an_unknown_language_and_a_missing_token(
    module_tracker: Tracker,
) -> None:
    with _make_client(module_tracker) as browser:
        token = _csrf_from(browser.get("/login").text)
        bad = browser.post(
            "/preferences/language",
            data={"language": "fr<b>", "csrf_token": token},
            follow_redirects=False,
        )
        assert bad.status_code == 400
        assert "language: expected one of en, km, got &#39;fr&lt;b&gt;&#39;" in bad.text
        forged = browser.post(
            "/preferences/language", data={"language": "km"}, follow_redirects=False
        )
        assert forged.status_code == 403 and COOKIE not in browser.cookies
        elsewhere = browser.post(
            "/preferences/language",
            data={"language": "km", "csrf_token": token, "next": "https://evil.example/"},
            follow_redirects=False,
        )
        assert elsewhere.headers["location"] == "/"


def test_the_switch_is_on_every_page_and_names_each_language_in_itself(
    khmer_officer: TestClient,
) -> None:
    html = khmer_officer.get("/sources").text
    form = html.split('action="/preferences/language"', 1)[1].split("</form>", 1)[0]
    assert '<strong lang="km" aria-current="true">ខ្មែរ</strong>' in form
    assert '<button name="language" value="en" class="link" lang="en">English</button>' in form
    assert '<input type="hidden" name="next" value="/sources">' in form


def test_after_a_posted_form_the_switch_comes_back_to_the_form(module_tracker: Tracker) -> None:
    with _make_client(module_tracker) as browser:
        login = browser.get("/login?next=%2Finstruments")
        assert '<input type="hidden" name="next" value="/login?next=%2Finstruments">' in (
            login.text
        )
        wrong = browser.post(
            "/login",
            data={"username": "x", "password": "y", "csrf_token": _csrf_from(login.text)},
            headers={"Referer": str(login.url)},
        )
        assert wrong.status_code == 401
        assert '<input type="hidden" name="next" value="/login?next=%2Finstruments">' in (
            wrong.text
        )
        elsewhere = browser.post(
            "/login",
            data={"username": "x", "password": "y", "csrf_token": _csrf_from(login.text)},
            headers={"Referer": "https://evil.example/login"},
        )
        assert '<input type="hidden" name="next" value="/">' in elsewhere.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("km", "km"),
        ("en-US,en;q=0.9,km;q=0.8", "en"),
        ("fr-FR, km;q=0.4, en;q=0.3", "km"),
        ("km;q=0, en", "en"),
        ("fr, de", None),
        ("", None),
        ("km;q=abc, en;q=0.1", "en"),
    ],
)
def test_accept_language(header: str, expected: str | None) -> None:
    assert accepted_language(header) == expected


def test_phnom_penh_time_and_one_format_per_language() -> None:
    late = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)  # already 1 January in Phnom Penh
    assert format_when(late) == "1 Jan 2026 00:30"
    assert format_when(late, "km") == "ថ្ងៃទី១ ខែមករា ឆ្នាំ២០២៦ ម៉ោង ០០:៣០"
    assert format_when(late.replace(tzinfo=None)) == "1 Jan 2026 00:30"  # naive is UTC
    assert format_date(late) == "1 Jan 2026" and format_date("2025-06-15", "km") == (
        "ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥"
    )
    assert format_date("15 June 2025 (as printed)") == "15 June 2025 (as printed)"
    assert format_month(date(2025, 2, 1), "km") == "ខែកុម្ភៈ ឆ្នាំ២០២៥"
    assert format_month(date(2025, 2, 1)) == "February 2025"
    assert format_short_date(late, "km") == "១ មករា ២០២៦"
    assert format_short_date(late) == "1 Jan 2026"
    # A day typed in a date input starts at midnight in Phnom Penh.
    assert start_of_day(date(2025, 6, 1)) == datetime(2025, 5, 31, 17, 0, tzinfo=UTC)
    assert start_of_day(date.min) == datetime.min.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2025-06-15", "2025-06-15"),
        ("2025-06-15T00:00:00", "2025-06-15"),
        ("", ""),
        ("15 June 2025", ""),  # not ISO: the edit form offers a text field instead
        ("2025-02-30", ""),
        ("2025-06-150", ""),
    ],
)
def test_the_value_of_a_date_field(stored: str, shown: str) -> None:
    assert date_value(stored) == shown


def test_a_language_chosen_before_signing_in_becomes_the_users(module_tracker: Tracker) -> None:
    with _make_client(module_tracker) as browser:
        _choose(browser, "km", "/login")
        page = browser.get("/login")
        browser.post(
            "/login",
            data={
                "username": "sec1",
                "password": "correct horse battery",
                "csrf_token": _csrf_from(page.text),
                "next": "/",
            },
        )
    engine = open_engine(module_tracker.url)
    try:
        with session(engine) as s:
            assert s.exec(select(User.language).where(User.name == "sec1")).one() == "km"
    finally:
        engine.dispose()
