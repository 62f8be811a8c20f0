"""Issue 16's walks in a real browser (Playwright with Debian's chromium, headless) against
the served tracker on 127.0.0.1, at desktop (1280 px) and phone (360 px, every page also
checked at 390 px) width, in English and in Khmer:

- an officer signs in (the inbox is unreadable before), switches the interface to their
  language in the header, filters the inbox by position and severity (kept in the URL),
  opens an alert (what and why on the first screen), triages it in one step from the
  keyboard (a verdict per flag, a task team, assigned, acknowledged; no reload), undoes it
  and does it again, reads the redline and the instrument, and downloads the
  rapid-response note (the team is its owner, its times are Phnom Penh's);
- a Secretariat member switches language on the sign-in page, finds an instrument by its
  title, moves its stage back (warned once), sets a consultation deadline with the date
  input (shown back as the language writes dates, Khmer digits in Khmer), links another
  instrument found by typing its title (not its id), sees each "saved" line, exports the
  tracker as XLSX (frozen header, filters, widths) and signs out (the language stays).

Every visible word is checked in the walk's language: Khmer words come from the Khmer
catalogue (web/locale/km/LC_MESSAGES/messages.po), and a missing translation fails. At
phone width no page is wider than the screen and every menu item contrasts with the
header. Screenshots of each step: test-artefacts/browser/walks/<lang>-<width>-<role>-<n>-
<step>.png; with ``SPTRACK_SCREENS=docs/screens`` the README's (walk-<lang>-<width>-
<role>-<step>.png, viewport-high, 256 colours) are written there too.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import uvicorn
from babel.messages.pofile import read_po
from docx import Document as DocxDocument
from openpyxl import load_workbook
from PIL import Image
from sqlmodel import select

from alerts.deliver.dates import format_date
from parsers.khmer import to_khmer_digits
from tests.web.conftest import POSITIONS, Tracker, copy_tracker
from tests.web.pipeline_alerts import add_alert
from tracker.database import open_engine, session
from tracker.models import Alert, Instrument, User
from web.app import create_app
from web.settings import WebSettings

playwright_api = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = REPO / "test-artefacts" / "browser" / "walks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "correct horse battery"
PHNOM_PENH = ZoneInfo("Asia/Phnom_Penh")
DESKTOP, PHONE = 1280, 360
HEIGHT = {DESKTOP: 860, PHONE: 740}
ALSO_PHONE = 390  # every page of a phone walk is checked at this width too
WALKS = [(width, lang) for lang in ("en", "km") for width in (DESKTOP, PHONE)]
#: The steps whose screenshots the README shows (docs/screens/walk-*.png), each with what
#: its first screen shows (None: the top of the page).
README_STEPS = {
    "inbox": None,
    "alert": None,
    "triaged": "#triage",
    "backwards": None,
    "saved": None,
    "linked": "section:has(> ul.links)",
}
TEAMS = {"en": "Pensions task team", "km": "ក្រុមការងារសោធននិវត្តន៍"}
#: Link targets, found by typing a part of their title.
TARGETS = {
    "en": ("Prakas {n} on collecting pension contributions", "collecting pension"),
    "km": ("ប្រកាសលេខ {n} ស្តីពីការប្រមូលភាគទានសោធន", "ការប្រមូលភាគទាន"),
}
EDITED = {"en": "Sub-decree {n} on the pension fund", "km": "អនុក្រឹត្យលេខ {n} ស្តីពីមូលនិធិសោធន"}
DEADLINE = "2027-01-15"
DEADLINE_SHOWN = {"en": "15 Jan 2027", "km": "ថ្ងៃទី១៥ ខែមករា ឆ្នាំ២០២៧"}
EFFECTIVE = "2027-03-01"
EFFECTIVE_SHOWN = {"en": "1 Mar 2027", "km": "ថ្ងៃទី១ ខែមីនា ឆ្នាំ២០២៧"}
STEP_DATE = "2026-12-01"
STEP_SHOWN = {"en": "1 Dec 2026", "km": "ថ្ងៃទី១ ខែធ្នូ ឆ្នាំ២០២៦"}
#: conftest's Khmer alert, 2025-06-02 06:00 UTC: 13:00 in Phnom Penh.
OLD_ALERT_SHOWN = {"en": "2 Jun 2025 13:00", "km": "ថ្ងៃទី២ ខែមិថុនា ឆ្នាំ២០២៥ ម៉ោង ១៣:០០"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make install adds it)"),
]


# --- the interface's words, from the catalogues ------------------------------------------


def _catalogue(language: str) -> dict[Any, Any]:
    path = REPO / "web" / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


KM = _catalogue("km")


def say(lang: str, message: str, **values: str) -> str:
    """``message`` as the interface in ``lang`` shows it (a Khmer translation missing from
    the catalogue fails the walk)."""
    text = message
    if lang == "km":
        text = KM.get(message) or ""
        assert text, f"no Khmer for {message!r} in the catalogue"
    return text % values if values else text


def say_n(lang: str, singular: str, plural: str, n: int, **values: str) -> str:
    forms = (singular, plural)
    if lang == "km":
        found = KM.get(forms)
        assert found and found[0], f"no Khmer for {singular!r} in the catalogue"
        text = found[0]  # Khmer has one plural form
    else:
        text = singular if n == 1 else plural
    return text % values


def digits(lang: str, value: int | str) -> str:
    return to_khmer_digits(str(value)) if lang == "km" else str(value)


def position_name(lang: str, position_id: str) -> str:
    position = next(p for p in POSITIONS if p.id == position_id)
    return position.name_km if lang == "km" and position.name_km else position.name


# --- one tracker, one server and one browser for the module -------------------------------


@dataclass(frozen=True)
class Walk:
    """What one walk (a width and a language) has of its own in the tracker."""

    lang: str
    width: int
    alert: int
    alert_day: int
    officer: str
    secretariat: str
    edited: int
    edited_title: str
    target_title: str
    query: str


@dataclass(frozen=True)
class Served:
    url: str
    tracker: Tracker
    walks: dict[tuple[int, str], Walk]


def _other(lang: str) -> str:
    return "km" if lang == "en" else "en"


def _populate(tracker: Tracker) -> dict[tuple[int, str], Walk]:
    engine = open_engine(tracker.url)
    walks = {}
    with session(engine) as s:
        # the conftest officer's hash: no argon2 hashing per walk user
        hashed = s.exec(select(User).where(User.name == "officer1")).one().password_hash
        for n, (width, lang) in enumerate(WALKS, start=1):
            day = 2 + 3 * n
            alert_id = add_alert(s, lang, day)
            alert = s.get(Alert, alert_id)
            assert alert is not None
            instrument = s.get(Instrument, alert.instrument_id)
            assert instrument is not None
            instrument.url += f"?walk={n}"  # the next walk's sub-decree has the same address
            number = to_khmer_digits(str(70 + n)) if lang == "km" else str(70 + n)
            edited = Instrument(
                source_id="nssf-legal",
                url=f"https://www.nssf.gov.kh/docs/fund-{n}.pdf",
                title=EDITED[lang].format(n=number),
                type="sub-decree",
                language=lang,
                status="published",
            )
            target_title = TARGETS[lang][0].format(n=number)
            target = Instrument(
                source_id="nssf-legal",
                url=f"https://www.nssf.gov.kh/docs/collect-{n}.pdf",
                title=target_title,
                type="prakas",
                language=lang,
            )
            s.add_all([edited, target])
            # Each walk's users start in the other language (officer) or none (Secretariat):
            # the walk switches as a user does.
            officer = f"officer-{lang}-{width}"
            secretariat = f"sec-{lang}-{width}"
            s.add(User(name=officer, role="officer", password_hash=hashed, language=_other(lang)))
            s.add(User(name=secretariat, role="secretariat", password_hash=hashed))
            s.flush()
            assert edited.id is not None
            walks[(width, lang)] = Walk(
                lang=lang,
                width=width,
                alert=alert_id,
                alert_day=day,
                officer=officer,
                secretariat=secretariat,
                edited=edited.id,
                edited_title=edited.title,
                target_title=target_title,
                query=TARGETS[lang][1],
            )
        s.commit()
    engine.dispose()
    return walks


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, tracker_template: Tracker) -> Iterator[Served]:
    """The module's tracker (conftest's, with each walk's alert, instruments and users)
    served by uvicorn in a thread on a socket already listening."""
    tracker = copy_tracker(tracker_template, tmp_path_factory.mktemp("walks"))
    walks = _populate(tracker)
    settings = WebSettings(
        database_url=tracker.url,
        storage_path=tracker.storage,
        secret_key="browser-walks-secret-0123456789",
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
        yield Served(f"http://127.0.0.1:{port}", tracker, walks)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[int], Any]]:
    """``open_page(width)``: a page in a browser context of its own (no cookies)."""
    contexts: list[Any] = []

    def make(width: int) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": HEIGHT[width]}, accept_downloads=True
        )
        context.set_default_timeout(5000)  # a step that fails says so soon
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# --- what every step checks -----------------------------------------------------------------


class Steps:
    """Numbered screenshots of one walk, and the checks of a page at its width."""

    def __init__(self, page: Any, walk: Walk, role: str) -> None:
        self.page, self.walk, self.role, self.count = page, walk, role, 0
        self.readme = os.environ.get("SPTRACK_SCREENS")

    def shot(self, step: str) -> None:
        self.count += 1
        w = self.walk
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        name = f"{w.lang}-{w.width}-{self.role}-{self.count}-{step}.png"
        self.page.screenshot(path=str(ARTEFACTS / name), full_page=True)
        if self.readme and step in README_STEPS:
            folder = REPO / self.readme
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"walk-{w.lang}-{w.width}-{self.role}-{step}.png"
            shown = README_STEPS[step]
            self.page.evaluate(
                "s => s ? document.querySelector(s).scrollIntoView() : window.scrollTo(0, 0)",
                shown,
            )
            # The README's: the first screen only, in 256 colours (a few tens of kB).
            Image.open(io.BytesIO(self.page.screenshot())).convert("RGB").quantize(256).save(
                target, optimize=True
            )

    def fits(self, where: str) -> None:
        """At phone width (and at 390 px): nothing wider than the screen, the menu inside
        the header, each item readable on it. In Khmer: no English left in the interface."""
        if self.walk.lang == "km":
            assert _english_left(self.page) == [], where
        if self.walk.width != PHONE:
            self._menu_contrasts(where)
            return
        for width in (PHONE, ALSO_PHONE):
            self.page.set_viewport_size({"width": width, "height": HEIGHT[PHONE]})
            fit = _fit(self.page)
            assert fit["scroll"] <= width and fit["body"] <= width, (where, width, fit)
            assert fit["outside"] == [], (where, width, fit)
            assert fit["controls"] == [], (where, width, fit)
            self._menu_contrasts(where, fit)
        self.page.set_viewport_size({"width": PHONE, "height": HEIGHT[PHONE]})

    def _menu_contrasts(self, where: str, fit: dict[str, Any] | None = None) -> None:
        fit = fit or _fit(self.page)
        background = _rgb(fit["header"])
        assert fit["colours"], (where, fit)
        for colour in fit["colours"]:
            ratio = _contrast(_rgb(colour), background)
            assert ratio >= 4.5, (where, colour, fit["header"], ratio)


def _fit(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => {
              const header = document.querySelector("header.site");
              const links = [...header.querySelectorAll("nav a, .who a, .who button")];
              const box = header.getBoundingClientRect();
              // a control a reader would have to scroll sideways to reach
              const controls = [...document.querySelectorAll(
                  "main button, main input:not([type=hidden]), main select, main textarea")]
                .filter(c => c.offsetParent !== null)
                .filter(c => c.getBoundingClientRect().right > window.innerWidth + 1)
                .map(c => c.name || c.textContent.trim());
              return {
                controls,
                scroll: document.scrollingElement.scrollWidth,
                body: document.body.scrollWidth,
                header: getComputedStyle(header).backgroundColor,
                outside: links.filter(a => {
                  const r = a.getBoundingClientRect();
                  return r.right > window.innerWidth + 1 || r.bottom > box.bottom + 1;
                }).map(a => a.textContent.trim()),
                colours: [...new Set(links.map(a => getComputedStyle(a).color))],
              };
            }"""
        )
    )


def _english_left(page: Any) -> list[str]:
    """Runs of three or more English words in what a Khmer reader sees, outside the pieces
    marked as in another language (document text, the English name beside a Khmer one),
    codes (addresses, ids) and task teams (as officers typed them): interface words the
    catalogue did not translate."""
    return list(
        page.evaluate(
            r"""() => {
              const copy = document.body.cloneNode(true);
              copy.querySelectorAll("[lang]:not([lang=km]), script, [hidden], code, .url, .team")
                .forEach(e => e.remove());
              return copy.innerText.match(
                /[A-Za-z][A-Za-z'’]+(?:[ ,:]+[A-Za-z][A-Za-z'’]+){2,}/g) || [];
            }"""
        )
    )


def _rgb(css: str) -> tuple[int, int, int]:
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", css)
    assert found, f"expected an rgb() colour, got {css!r}"
    assert found.group(4) in (None, "1"), f"a see-through colour: {css!r}"
    return int(found.group(1)), int(found.group(2)), int(found.group(3))


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG's contrast ratio of two colours (1: the same, 21: black on white)."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            v = c / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _switch(page: Any, lang: str) -> None:
    """Chooses ``lang`` with the header's switch, as a user does."""
    page.click(f"form.language-switch button[value={lang}]")
    page.wait_for_selector(f"html[lang={lang}]")


def _sign_in(page: Any, name: str) -> None:
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


# --- the officer --------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "lang"), WALKS, ids=[f"{lang}-{w}" for w, lang in WALKS])
def test_an_officer_triages_an_alert_and_takes_the_note(
    served: Served, open_page: Callable[[int], Any], width: int, lang: str
) -> None:
    walk = served.walks[(width, lang)]
    base = served.url
    page = open_page(width)
    steps = Steps(page, walk, "officer")
    me = walk.officer

    page.goto(f"{base}/alerts")
    assert "/login" in page.url  # nothing readable before signing in
    _sign_in(page, me)
    page.wait_for_url(re.compile(r"/alerts$"))
    assert page.get_attribute("html", "lang") == _other(lang)  # the user's stored choice
    _switch(page, lang)
    menu = page.inner_text("nav[aria-label]")
    for word in ("Dashboard", "Instruments", "Alerts", "Positions"):
        assert say(lang, word) in menu, (word, menu)
    if lang == "km":
        assert "Dashboard" not in menu
    assert page.inner_text("h1") == say(lang, "Alerts")
    assert OLD_ALERT_SHOWN[lang] in page.inner_text("ol.inbox")  # Phnom Penh time
    steps.fits("inbox")

    # the inbox, filtered by position and severity: the filter is in the URL
    page.select_option("select[name=position]", "indexation")
    page.select_option("select[name=severity]", "high")
    page.click("#inbox-filters button[type=submit]")
    page.wait_for_url(re.compile(r"position=indexation&severity=high"))
    assert page.locator(f"#alert-{walk.alert}").count() == 1
    page.reload()
    assert page.input_value("select[name=position]") == "indexation"
    assert page.input_value("select[name=severity]") == "high"
    listed = page.locator("ol.inbox > li").count()
    assert page.locator("ol.inbox > li.sev-line-high").count() == listed
    count = say_n(lang, "%(count)s alert", "%(count)s alerts", listed, count=digits(lang, listed))
    assert count in page.inner_text("p.tabs")
    row = page.inner_text(f"#alert-{walk.alert}")
    assert position_name(lang, "indexation") in row and say(lang, "high") in row
    steps.fits("inbox filtered")
    steps.shot("inbox")

    # the alert answers on its first screen: what changed, why it matters
    page.click(f"#alert-{walk.alert} a.inbox-title")
    page.wait_for_url(re.compile(rf"/alerts/{walk.alert}$"))
    glance = page.inner_text("ul.glance")
    assert position_name(lang, "indexation") in glance
    assert say(lang, "worse for the coalition") in glance
    if width == DESKTOP:
        tops = page.evaluate(
            """() => ["what-changed", "why-it-matters"].map(id =>
                 document.getElementById(id).getBoundingClientRect().top)"""
        )
        assert all(top < HEIGHT[width] for top in tops), tops
    else:
        bottom = page.evaluate(
            "() => document.querySelector('ul.glance').getBoundingClientRect().bottom"
        )
        assert bottom <= HEIGHT[width], bottom
    why = page.inner_text("section.why")
    assert say(lang, "Why it matters") in page.inner_text("#why-it-matters")
    assert position_name(lang, "indexation") in why and say(lang, "worse for the coalition") in why
    wants = say(lang, ": the coalition wants %(what)s.", what=say(lang, "more frequent adjustment"))
    assert wants in why, why
    assert say(lang, "less often") in page.inner_text("section.what")
    steps.fits("alert")
    steps.shot("alert")

    # one-step triage from the keyboard, without a reload
    team = TEAMS[lang]
    page.evaluate("() => { window.notReloaded = true; }")
    page.select_option("select[name='verdict.indexation']", "relevant")
    page.select_option("select[name='verdict.contribution_rate']", "relevant")
    page.fill("input[name=task_team]", team)
    page.select_option("select[name=assignee]", me)
    page.focus("input[name=note]")
    page.keyboard.type("rapid response by Friday")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#triage-status .saved")
    assert page.evaluate("() => window.notReloaded === true")
    what = " · ".join(
        [
            say(lang, "acknowledged by %(name)s", name=me),
            say(lang, "team %(team)s", team=team),
            say(lang, "assigned to %(name)s", name=me),
            say_n(lang, "%(count)s verdict", "%(count)s verdicts", 2, count=digits(lang, 2)),
        ]
    )
    said = page.inner_text("#triage-status .saved")
    assert said.startswith(say(lang, "Saved: %(what)s.", what=what)), said
    assert page.inner_text("#triage-status .saved button") == say(lang, "Undo")
    # the verdict menu keeps what was saved
    assert page.input_value("select[name='verdict.indexation']") == "relevant"
    steps.fits("triaged")
    steps.shot("triaged")

    # undo: the page shows the state before; then the step again
    page.click("#triage-status button")
    page.wait_for_load_state("load")
    page.wait_for_selector(f"text={say(lang, 'Not acknowledged yet.')}")
    assert page.input_value("input[name=task_team]") == ""
    assert page.input_value("select[name='verdict.indexation']") == ""
    steps.shot("undone")
    page.select_option("select[name='verdict.indexation']", "relevant")
    page.fill("input[name=task_team]", team)
    page.select_option("select[name=assignee]", me)
    page.click("#save-triage")
    page.wait_for_selector("#triage-status .saved")
    page.reload()
    assert page.input_value("select[name='verdict.indexation']") == "relevant"
    state = page.inner_text("#triage-state")
    assert say(lang, "Task team: %(team)s.", team=team) in state
    assert say(lang, "Assigned to %(name)s.", name=me) in state
    steps.shot("redone")

    # the note: the team is its owner; its times are Phnom Penh's
    with page.expect_download() as download_info:
        page.click("a.note-link")
    assert download_info.value.suggested_filename == f"alert-{walk.alert}-note.docx"
    note = DocxDocument(download_info.value.path())
    text = "\n".join(par.text for par in note.paragraphs)
    assert f"Owner / អ្នកទទួលខុសត្រូវ: {team}" in text, text
    assert f"ក្រុមការងារ: {team}" in text, text  # the heading line names the team too
    created = datetime(2026, 11, walk.alert_day + 1, 4, 0, tzinfo=UTC)
    # 04:00 UTC, in the one date format of the reader's language
    day = created.day
    shown = {
        "en": f"{day} Nov 2026 11:00 (Phnom Penh time)",
        "km": f"ថ្ងៃទី{to_khmer_digits(str(day))} ខែវិច្ឆិកា ឆ្នាំ២០២៦ ម៉ោង ១១:០០ (ម៉ោងភ្នំពេញ)",
    }
    assert shown[lang] in text, text
    assert "Rapid-response note / កំណត់ត្រាឆ្លើយតបរហ័ស" in text  # headings in both languages
    today = format_date(datetime.now(PHNOM_PENH).date(), lang)
    assert f"Date / កាលបរិច្ឆេទ: {today}" in text
    summary = note.paragraphs[2].text
    assert ("៦%" if lang == "km" else "6%") in summary, summary  # the document's language

    # the redline of a flagged change, and the instrument
    rate = "មាត្រា ៣" if lang == "km" else "Article 3"  # the contribution rate, 4% -> 6%
    page.locator("section.what article.change-card", has_text=rate).locator("h3 a").click()
    page.wait_for_url(re.compile(r"/changes/\d+$"))
    deleted = page.locator(".redline.inline del").all_inner_texts()
    inserted = page.locator(".redline.inline ins").all_inner_texts()
    # 4% (employer 2%, worker 2%) -> 6% (3%, 3%), in the digits of the document
    assert deleted == [digits(lang, n) for n in (4, 2, 2)], deleted
    assert inserted == [digits(lang, n) for n in (6, 3, 3)], inserted
    steps.fits("change")
    steps.shot("change")
    page.go_back()
    page.click("p.where-line a >> nth=0")
    page.wait_for_url(re.compile(r"/instruments/\d+$"))
    assert page.inner_text("h2 >> nth=0") == say(lang, "Language versions")
    # the new version was fetched at 03:00 UTC: 10:00 in Phnom Penh
    fetched = {
        "en": f"{walk.alert_day + 1} Nov 2026 10:00",
        "km": f"ថ្ងៃទី{digits(lang, walk.alert_day + 1)} ខែវិច្ឆិកា ឆ្នាំ២០២៦ ម៉ោង ១០:០០",
    }
    assert fetched[lang] in page.inner_text("main")
    steps.fits("instrument")


# --- the Secretariat ----------------------------------------------------------------------


@pytest.mark.parametrize(("width", "lang"), WALKS, ids=[f"{lang}-{w}" for w, lang in WALKS])
def test_the_secretariat_moves_a_stage_sets_a_deadline_and_links(
    served: Served, open_page: Callable[[int], Any], width: int, lang: str
) -> None:
    walk = served.walks[(width, lang)]
    base = served.url
    page = open_page(width)
    steps = Steps(page, walk, "secretariat")

    # the language chosen on the sign-in page becomes the user's
    page.goto(f"{base}/login")
    if lang == "km":
        assert page.get_attribute("html", "lang") == "en"
        _switch(page, "km")
    assert page.inner_text("h1") == say(lang, "Sign in")
    steps.fits("login")
    steps.shot("login")
    _sign_in(page, walk.secretariat)
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_attribute("html", "lang") == lang
    steps.fits("dashboard")
    page.goto(f"{base}/alerts/{walk.alert}")  # the Secretariat's menu is longer
    steps.fits("alert")
    page.click("section.what h3 a >> nth=0")
    page.wait_for_url(re.compile(r"/changes/\d+$"))
    steps.fits("change")

    # find the instrument by its title
    page.click("nav a[href='/instruments']")
    page.fill("input[name=q]", walk.edited_title)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r"/instruments\?"))
    steps.shot("found")  # the form's empty dates filter nothing (they were a 400)
    steps.fits("instruments")
    assert page.locator("table.works tbody tr").count() == 1
    page.locator("table.works a", has_text=walk.edited_title).click()
    page.wait_for_url(re.compile(rf"/instruments/{walk.edited}$"))
    steps.fits("instrument")

    # move the stage back (published -> consultation): warned once, then saved
    page.click("#edit-link")
    page.wait_for_url(re.compile(rf"/instruments/{walk.edited}/edit$"))
    page.select_option("select[name=status]", "consultation")
    page.fill("input[name=status_date]", STEP_DATE)
    page.fill("input[type=date][name=consultation_deadline]", DEADLINE)
    page.fill("input[type=date][name=effective_date]", EFFECTIVE)  # one kind of date field
    page.fill("input[name=owner_team]", TEAMS[lang])
    steps.fits("edit")
    steps.shot("edit")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#backwards-warning")
    warning = page.inner_text("#backwards-warning")
    assert say(lang, "The stage would move backwards") in warning
    assert say(lang, "published") in warning and say(lang, "consultation") in warning
    # what was typed is kept for the second try
    assert page.input_value("input[name=consultation_deadline]") == DEADLINE
    assert page.input_value("select[name=status]") == "consultation"
    steps.fits("backwards")
    steps.shot("backwards")
    page.click("#save-anyway")
    page.wait_for_url(re.compile(rf"/instruments/{walk.edited}$"))
    flash = page.inner_text("p.flash")
    saved_prefix = say(lang, "Saved: %(what)s.", what="\x00").split("\x00")[0]
    assert flash.startswith(saved_prefix), flash
    for field in ("consultation deadline", "effective date", "owner task team", "consultation"):
        assert say(lang, field) in flash, (field, flash)
    assert page.locator("p.flash").count() == 1
    assert say(lang, "consultation") in page.inner_text("h1 .status")
    meta = page.inner_text("dl.meta")
    assert DEADLINE_SHOWN[lang] in meta, meta  # the language's date form
    assert EFFECTIVE_SHOWN[lang] in meta, meta
    assert TEAMS[lang] in meta
    timeline = page.inner_text("ol.timeline")
    assert STEP_SHOWN[lang] in timeline, timeline
    if lang == "km":
        assert "2027" not in meta and "15" not in meta  # Khmer digits only
    else:  # and the Khmer date, as the official text prints it
        assert DEADLINE_SHOWN["km"] in meta and STEP_SHOWN["km"] in timeline
        assert EFFECTIVE_SHOWN["km"] in meta
    steps.fits("saved")
    steps.shot("saved")
    page.reload()
    assert page.locator("p.flash").count() == 0  # said once

    # link another instrument, found by typing a part of its title
    page.click("#edit-link")
    page.fill("#link-search input[name=link_q]", walk.query)
    page.click("#link-search button[type=submit]")
    page.wait_for_selector("#link-choices")
    row = page.locator("#link-choices tbody tr", has_text=walk.target_title)
    assert row.count() == 1
    steps.fits("link choices")
    steps.shot("link")
    row.locator("select[name=kind]").select_option("implements")
    row.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/instruments/{walk.edited}$"))
    flash = page.inner_text("p.flash")
    kind = say(lang, "implements")
    expected = say(
        lang, "Saved: this instrument %(kind)s “%(title)s”.", kind=kind, title=walk.target_title
    )
    assert flash == expected, flash
    links = page.inner_text("ul.links")
    assert walk.target_title in links and kind in links
    steps.fits("linked")
    steps.shot("linked")

    # the tracker as XLSX: a frozen header with filters and widths
    page.goto(f"{base}/instruments")
    with page.expect_download() as download_info:
        page.click("#export-xlsx")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(w and w >= 8 for w in widths), widths
    rows = {r[header.index("Title")]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    mine = rows[walk.edited_title]
    assert mine[header.index("Status")] == "consultation"
    assert mine[header.index("Consultation deadline")] == DEADLINE
    assert mine[header.index("Owner task team")] == TEAMS[lang]

    # signing out keeps the language
    page.click(f"text={say(lang, 'Sign out')}")
    page.wait_for_url(re.compile(r"/login"))
    assert page.get_attribute("html", "lang") == lang
