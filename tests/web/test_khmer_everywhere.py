"""Khmer wherever the page has Khmer words to give: positions named in Khmer on the dashboard
and the instrument page, the parameter pages' stories, values and units, the error pages, and
a sweep of every HTML page for a Khmer reader that finds no English interface phrase of the
catalogue left outside document text (``lang`` other than ``km``) and code: the source
wizard's pages too, and the audit table with an entry of each kind of edit, each action and
field in Khmer words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlmodel import select

from alerts.match.matcher import Matcher
from alerts.match.parameters import with_positions
from app.config_file import load_settings
from app.runtime import Runtime
from app.wizard import SourceWizard
from parsers.compare.parameters import readings
from parsers.read.reader import read
from tests.web.conftest import SECRET, USERS, XSS, SignIn, Tracker, _csrf_from, _sign_in
from tests.web.pipeline_alerts import POSITIONS, add_alert
from tracker.database import open_engine, session
from tracker.models import Alert, Change, Parameter, Subscription, User, Version
from tracker.parameter_record import record
from web.app import create_app
from web.settings import WebSettings
from web.translations import catalogue_path, compile_catalogue

KM_NAMES = {p.id: p.name_km for p in POSITIONS}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "wbr"}  # fmt: skip


@pytest.fixture(scope="module")
def made(module_tracker: Tracker) -> dict[str, Any]:
    """Two alerts (a Khmer and an English sub-decree), their parameters recorded from the
    read documents, and a subscription of the admin: the demo's kinds of data."""
    engine = open_engine(module_tracker.url)
    matcher = Matcher(POSITIONS)
    with session(engine) as s:
        alerts = {"km": add_alert(s, "km", 10), "en": add_alert(s, "en", 20)}
        s.commit()
        instruments: dict[str, int] = {}
        versions_of: dict[str, list[int]] = {}
        for language, alert_id in alerts.items():
            alert = s.get(Alert, alert_id)
            assert alert is not None
            instruments[language] = alert.instrument_id
            versions = s.exec(
                select(Version)
                .where(Version.instrument_id == alert.instrument_id)
                .order_by(Version.fetched_at)  # type: ignore[arg-type]
            ).all()
            versions_of[language] = [v.id for v in versions if v.id is not None]
            for version in versions:
                document = read((version.text or "").encode())
                version.document = document.to_json()
                s.add(version)
                s.flush()
                record(s, version, with_positions(matcher, readings(document)))
        admin = s.exec(select(User).where(User.name == "admin1")).one()
        s.add(
            Subscription(user_id=admin.id, url="mailto://dara@example.org", positions=["maternity"])
        )
        s.commit()
        changes = {
            language: sorted(
                c.id
                for c in s.exec(select(Change).where(Change.instrument_id == instrument))
                if c.id is not None
            )
            for language, instrument in instruments.items()
        }
        parameters = {
            language: sorted(
                p.id
                for p in s.exec(select(Parameter).where(Parameter.instrument_id == instrument))
                if p.id is not None
            )
            for language, instrument in instruments.items()
        }
        subscription = s.exec(select(Subscription.id).where(Subscription.user_id == admin.id))
        made = {
            "alerts": alerts,
            "instruments": instruments,
            "changes": changes,
            "parameters": parameters,
            "versions": versions_of,
            "subscription": subscription.first(),
        }
    engine.dispose()
    assert all(made["parameters"].values()), made
    return made


def _in_khmer(client: TestClient) -> TestClient:
    token = _csrf_from(client.get("/account").text)
    chose = client.post(
        "/preferences/language",
        data={"language": "km", "csrf_token": token, "next": "/account"},
        follow_redirects=False,
    )
    assert chose.status_code == 303
    return client


@pytest.fixture(scope="module")
def khmer(module_tracker: Tracker, sign_in: SignIn, made: dict[str, Any]) -> TestClient:
    """The admin (who may open every page), reading in Khmer."""
    return _in_khmer(sign_in(module_tracker, "admin"))


def _badges(page: str) -> list[str]:
    """The text of the position badges (their title is the id, as typed in subscriptions; a
    Khmer name is marked ``lang="km"``)."""
    found = re.findall(
        r'<span class="badge pos"(?: title="[a-z_]+")?( lang="km")?>([^<]*)</span>', page
    )
    assert all(marked or not re.search(r"[\u1780-\u17ff]", text) for marked, text in found)
    return [text for _marked, text in found]


def test_the_dashboard_names_positions_in_khmer(khmer: TestClient) -> None:
    page = khmer.get("/").text
    badges = _badges(page)
    assert KM_NAMES["contribution_rate"] in badges and KM_NAMES["indexation"] in badges
    assert "contribution_rate" not in badges and "indexation" not in badges
    assert not any(re.fullmatch(r"[a-z_]+", b) for b in badges), badges  # no raw id


def test_the_instrument_page_names_positions_in_khmer(
    khmer: TestClient, made: dict[str, Any]
) -> None:
    page = khmer.get(f"/instruments/{made['instruments']['km']}").text
    badges = _badges(page)
    assert KM_NAMES["contribution_rate"] in badges, badges
    assert not any(re.fullmatch(r"[a-z_]+", b) for b in badges), badges
    assert '<span class="nowrap">១ → ២ ឆ្នាំ</span>' in page  # a period's unit in words


def test_the_parameter_pages_in_khmer(khmer: TestClient, made: dict[str, Any]) -> None:
    listing = khmer.get("/parameters").text
    assert f'<span class="badge pos">{KM_NAMES["contribution_rate"]}</span>' in listing
    assert f">{KM_NAMES['contribution_rate']}</option>" in listing  # the filter, by name
    assert '<option value="contribution_rate">' in listing  # the value stays the id
    for parameter_id in made["parameters"]["km"] + made["parameters"]["en"]:
        page = khmer.get(f"/parameters/{parameter_id}").text
        assert '<html lang="km"' in page
        assert "since" not in _interface(page)
        assert re.search(r"ការកើនឡើងលើកទី១ ចាប់តាំងពីឆ្នាំ២០២៦|តម្លៃដំបូង ឆ្នាំ២០២៦", page)
        assert "first value" not in page and "increase since" not in page
        # the chart's words: its title and description through the catalogue, Khmer dates
        assert re.search(r'<desc id="chart-desc-\d+" lang="km">[^<]*ពី ថ្ងៃទី', page), page
    english = khmer.get(f"/parameters/{made['parameters']['en'][0]}").text
    assert "តម្លៃដំបូង ឆ្នាំ២០២៦" in english  # the English text's story, in Khmer words


def test_the_numbers_tables_tell_the_parameter_story_in_khmer(
    khmer: TestClient, made: dict[str, Any]
) -> None:
    page = khmer.get(f"/alerts/{made['alerts']['km']}").text
    assert "ការកើនឡើងលើកទី១ ចាប់តាំងពីឆ្នាំ២០២៦" in page
    assert "increase since" not in page
    change = khmer.get(f"/changes/{made['changes']['km'][0]}").text
    assert "increase since" not in change and "first value" not in change


def test_an_english_reader_keeps_the_english_story(
    module_tracker: Tracker, sign_in: SignIn, made: dict[str, Any]
) -> None:
    client = sign_in(module_tracker, "officer")  # never switched: English
    page = client.get(f"/alerts/{made['alerts']['en']}").text
    assert "the first increase since 2026" in page
    listing = client.get("/parameters").text
    assert '<html lang="en"' in listing and "[%]" in listing


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/instruments/987654", 404, "គ្មានលិខិតបទដ្ឋានគតិយុត្តដែលមានលេខសម្គាល់ 987654 ទេ"),
        ("/alerts/987654", 404, "គ្មានការជូនដំណឹងដែលមានលេខសម្គាល់ 987654 ទេ"),
        ("/parameters/987654", 404, "គ្មានប៉ារ៉ាម៉ែត្រនេះទេ"),
        ("/no/such/page", 404, "រកមិនឃើញទំព័រនេះទេ"),
        ("/instruments/not-a-number", 404, "អាសយដ្ឋាននេះមិនចង្អុលទៅអ្វីដែលប្រព័ន្ធតាមដាននេះមានទេ។"),
        ("/instruments?page=x", 400, "អាសយដ្ឋាន ឬទម្រង់បែបបទ មានតម្លៃដែលទំព័រនេះមិនអាចទទួលយកបាន។"),
    ],
)
def test_error_pages_in_khmer(khmer: TestClient, path: str, code: int, words: str) -> None:
    response = khmer.get(path)
    assert response.status_code == code
    page = response.text
    assert '<html lang="km"' in page and f'<p class="error">{words}</p>' in page, page
    # what the server said, where it has no Khmer words, is kept, marked English
    english = re.findall(r"[A-Za-z]{3,}", _interface(page))
    assert not [w for w in english if w not in ("API", "SP", "Tracker", "UTC", "admin")], english


def test_error_pages_for_other_roles_and_edits_in_khmer(
    module_tracker: Tracker, sign_in: SignIn, made: dict[str, Any]
) -> None:
    officer = _in_khmer(sign_in(module_tracker, "officer"))
    forbidden = officer.get("/admin/users")
    assert forbidden.status_code == 403
    assert "ការនេះតម្រូវឱ្យមានតួនាទី អ្នកគ្រប់គ្រង ឬខ្ពស់ជាងនេះ៖ officer1 មានតួនាទី មន្ត្រី" in forbidden.text, (
        forbidden.text
    )
    token = _csrf_from(officer.get("/account").text)
    bad = officer.post(
        "/account/subscriptions",
        data={"url": "mailto://dara@example.org", "positions": "maternity", "csrf_token": token,
              "min_severity": "low", "mode": "hourly"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert "មិនបានរក្សាទុកទេ៖ mode៖ រំពឹងថាជា" in bad.text, bad.text
    # a detail the route worded in the reader's language already is shown as it is (this app
    # was made without the crawler: the source wizard is not available)
    admin = _in_khmer(sign_in(module_tracker, "admin"))
    wizard = admin.get("/sources/new")
    assert wizard.status_code == 503
    shown = wizard.text.split('<p class="error">', 1)[1].split("</main>")[0]
    assert re.match(r"[\u1780-\u17ff]", shown) and 'lang="en"' not in shown, shown
    stale = officer.post("/account/subscriptions", data={"csrf_token": "stale"})
    assert stale.status_code == 403
    assert "សញ្ញាសម្គាល់សុវត្ថិភាពនៃទម្រង់បែបបទនេះបាត់ ឬហួសសុពលភាព" in stale.text


def test_a_server_fault_is_a_khmer_page_and_the_api_keeps_its_answer(
    module_tracker: Tracker, sign_in: SignIn
) -> None:
    client = _in_khmer(sign_in(module_tracker, "officer"))
    app: Any = client.app

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a fault of the server's own")

    @app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("a fault of the server's own")

    with TestClient(app, raise_server_exceptions=False) as quiet:
        quiet.cookies = client.cookies
        page = quiet.get("/boom")
        api = quiet.get("/api/boom")
    assert page.status_code == 500 and '<html lang="km"' in page.text
    assert "មានបញ្ហាកើតឡើងនៅក្នុងប្រព័ន្ធតាមដាន" in page.text
    assert "fault" not in page.text  # the exception's words stay in the log
    assert api.status_code == 500 and api.text == "Internal Server Error"


def test_a_body_over_the_limit_is_a_page_in_the_browsers_language(khmer: TestClient) -> None:
    big = b"x" * (1024 * 1024 + 1)  # the default limit, 1 MiB, and one byte
    browser = {"Accept": "text/html,*/*", "Accept-Language": "km"}
    page = khmer.post("/account/subscriptions", content=big, headers=browser)
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="km">' in page.text
    assert "សំណើនេះធំជាងទំហំដែលប្រព័ន្ធតាមដាននេះទទួលយក (យ៉ាងច្រើន ១.០៤៨.៥៧៦ បៃ)។" in page.text
    api = khmer.post("/api/alerts/1/triage", content=big, headers=browser)
    assert api.status_code == 413
    assert api.json() == {"detail": "request body larger than 1048576 bytes"}
    script = khmer.post("/account/subscriptions", content=big, headers={"Accept": "*/*"})
    assert script.json() == {"detail": "request body larger than 1048576 bytes"}


def test_english_error_pages_and_json_errors_stay_as_they_are(
    module_tracker: Tracker, sign_in: SignIn, khmer: TestClient
) -> None:
    english = sign_in(module_tracker, "viewer")
    page = english.get("/instruments/987654")
    assert '<p class="error">no instrument with id 987654</p>' in page.text
    api = khmer.get("/api/parameters/987654")
    assert api.status_code == 404 and api.json() == {"detail": "no such parameter"}
    invalid = khmer.get("/api/alerts", params={"limit": "x"})
    assert invalid.status_code == 422 and invalid.json()["detail"][0]["loc"] == ["query", "limit"]


# --- edits for the audit table, and the source wizard ------------------------------------------

WIZARD_SOURCE = "mosvy-laws"
SAVED_SOURCE = "nssf-prakas"


def _post(client: TestClient, path: str, data: dict[str, str]) -> None:
    token = _csrf_from(client.get("/account").text)
    answer = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, (path, answer.status_code, answer.text[:500])


@pytest.fixture(scope="module")
def wizard(
    module_tracker: Tracker, tmp_path_factory: pytest.TempPathFactory, made: dict[str, Any]
) -> Iterator[TestClient]:
    """The admin, reading in Khmer, on an app with the source wizard (the real wiring,
    app.wizard.SourceWizard, over the module's database and one source of config.toml)."""
    root = tmp_path_factory.mktemp("wizard-km")
    positions = Path(__file__).resolve().parents[2] / "positions.toml"
    config = root / "config.toml"
    config.write_text(
        f'[database]\nurl = "{module_tracker.url}"\n\n[storage]\npath = "{module_tracker.storage}"'
        f'\n\n[alerts]\npositions = "{positions}"\n\n[[sources]]\nid = "{WIZARD_SOURCE}"\n'
        'name = "MoSVY: laws"\nstart_urls = ["https://www.mosvy.gov.kh/laws/"]\n'
        'documents = "table.laws a"\n',
        encoding="utf-8",
    )
    rt = Runtime(load_settings(config))
    settings = WebSettings(
        database_url=module_tracker.url,
        storage_path=module_tracker.storage,
        secret_key=SECRET,
        positions=POSITIONS,
        sources=SourceWizard(rt),
    )
    with TestClient(create_app(settings)) as client:
        _sign_in(client, USERS["admin"])
        yield _in_khmer(client)
    rt.close()


@pytest.fixture(scope="module")
def edited(khmer: TestClient, wizard: TestClient, made: dict[str, Any]) -> dict[str, Any]:
    """An edit of each kind the tracker audits, made by the Khmer admin: the instrument's
    stage, dates, team and notes; a link; an alert's team, verdict and acknowledgement; a
    source saved on the web."""
    km, en = made["instruments"]["km"], made["instruments"]["en"]
    alert = made["alerts"]["km"]
    _post(khmer, f"/instruments/{km}/edit", {
        "status": "consultation", "status_date": "2026-11-02",
        "consultation_deadline": "2026-12-31", "effective_date": "2027-01-01",
        "owner_team": "ក្រុមការងារសោធននិវត្តន៍", "notes": "ពិគ្រោះយោបល់ជាមួយសហជីព",
        "confirm_backwards": "yes",  # a new text back at consultation: the stage goes back
    })  # fmt: skip
    _post(khmer, f"/instruments/{km}/links", {"kind": "amends", "target_id": str(en)})
    _post(khmer, f"/alerts/{alert}/assign", {"task_team": "ក្រុមការងារសោធននិវត្តន៍"})
    _post(khmer, f"/alerts/{alert}/feedback", {"verdict": "relevant", "position": "indexation"})
    _post(khmer, f"/alerts/{alert}/acknowledge", {})
    token = _csrf_from(wizard.get("/sources/new").text)
    saved = wizard.post(
        "/sources/wizard",
        data={"csrf_token": token, "mode": "new", "action": "save", "id": SAVED_SOURCE,
              "name": "NSSF: prakas", "spider": "listing",
              "start_urls": "https://www.nssf.gov.kh/prakas/", "documents": "ul.docs a",
              "schedule": "0 6 * * *", "max_pages": "50", "max_documents": "500",
              "page_size": "20", "respect_robots": "on", "enabled": "on"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303, saved.text
    return {"instrument": km, "alert": alert}


def _audit_words(page: str) -> tuple[list[str], list[str]]:
    """The audit table's actions and field names as shown."""
    actions = re.findall(r'<td class="audit-action">([^<]*)</td>', page)
    fields = re.findall(r'<span class="muted audit-field">(.*?)[:៖]</span>', page)
    return actions, fields


def test_the_audit_table_speaks_khmer(
    khmer: TestClient, module_tracker: Tracker, sign_in: SignIn, edited: dict[str, Any]
) -> None:
    page = khmer.get(f"/instruments/{edited['instrument']}").text
    actions, fields = _audit_words(page)
    assert "បានកែសម្រួល" in actions and "បានភ្ជាប់" in actions, actions
    for shown in (
        "ដំណាក់កាល", "កាលកំណត់ពិគ្រោះយោបល់", "កាលបរិច្ឆេទនៃដំណាក់កាល",
        "ក្រុមការងារទទួលខុសត្រូវ", "ប្រភេទតំណភ្ជាប់",
    ):  # fmt: skip
        assert shown in fields, (shown, fields)
    # the stage it moved to is worded as the stage menu words it, not as its id
    table = page.split('<table class="audit">', 1)[1].split("</table>", 1)[0]
    stage = compile_catalogue("km").gettext("consultation")
    assert f"ដំណាក់កាល៖</span> {stage}</div>" in table and ">consultation<" not in table
    everything = khmer.get("/audit").text
    actions, fields = _audit_words(everything)
    assert {"បានកំណត់ក្រុមការងារ", "បានផ្តល់ការវាយតម្លៃ", "បានទទួលស្គាល់", "បានបន្ថែម"} <= set(actions), (
        actions
    )
    for text in actions + [f for f in fields if not f.startswith("<code>")]:
        assert re.search(r"[\u1780-\u17ff]", text) and not re.search(r"[A-Za-z]", text), text
    # a source's keys are config.toml's, in code, as the wizard shows them
    assert "<code>start_urls</code>" in fields and "<code>documents</code>" in fields
    assert f"ប្រភព {SAVED_SOURCE}" in everything
    english = sign_in(module_tracker, "secretariat")  # never switched: English
    actions, fields = _audit_words(english.get("/audit").text)
    assert "edited" in actions and "linked" in actions and "task team set" in actions
    assert "consultation deadline" in fields and "consultation_deadline" not in fields


def test_no_english_on_the_source_wizard_in_khmer(
    wizard: TestClient, edited: dict[str, Any]
) -> None:
    left: dict[str, list[str]] = {}
    for path in (
        "/sources",
        "/sources/new",
        f"/sources/{WIZARD_SOURCE}/edit",
        f"/sources/{SAVED_SOURCE}/edit",
        f"/sources/{WIZARD_SOURCE}/crawl",  # no crawl started here yet
        "/audit",
    ):
        response = wizard.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert '<html lang="km"' in response.text, path
        found = _english_phrases(response.text)
        if found:
            left[path] = found
    assert not left, f"English interface phrases on Khmer pages: {left}"
    form = wizard.get("/sources/new").text
    helps = re.findall(r'<small class="help" id="help-([a-z_]+)">([^<]*)', form)
    assert len(helps) == 23, helps  # every key of a source, each with its help
    for name, text in helps:
        assert re.search(r"[\u1780-\u17ff]", text), (name, text)
    assert "កម្មវិធីជ្រើសរើស CSS នៃតំណភ្ជាប់ទៅឯកសារ" in form
    assert "CSS selector" not in form and "Listing pages to start from" not in form


# --- the sweep ------------------------------------------------------------------------------


class _Interface(HTMLParser):
    """A page's interface text (its text and readable attributes), less document text (an
    element with a ``lang`` other than ``km``), code, scripts and styles."""

    READABLE = ("title", "placeholder", "aria-label", "alt", "value")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def _skipped(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        skip = (
            tag in ("code", "script", "style")
            or (found.get("lang") or "km") != "km"
            # a message as a channel receives it (the subscription preview): its own words,
            # bilingual by design (alerts/deliver/templates), not the page's
            or bool({"message", "subject"} & classes)
        )
        shown = tag == "input" and found.get("type") in ("submit", "button")
        if not skip and not self._skipped():
            self.found.extend(
                v for k, v in attrs if k in self.READABLE and v and (k != "value" or shown)
            )
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipped():
            self.found.append(data)


def _interface(page: str) -> str:
    body = page.split("<body", 1)[-1]
    parser = _Interface()
    parser.feed("<body" + body)
    return " ".join(" ".join(parser.found).split())


def _phrases() -> list[re.Pattern[str]]:
    """Every English phrase of 2+ words the interface has a Khmer translation for: the
    pieces of each message between its placeholders, from the catalogues themselves."""
    with catalogue_path("km").open("rb") as handle:
        khmer = read_po(handle, locale="km")
    found: set[str] = set()
    for message in khmer:
        if not message.id or not message.string:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        strings = (message.string,) if isinstance(message.string, str) else message.string
        if not any(strings) or all(s == i for s, i in zip(strings, ids, strict=False)):
            continue
        for ident in ids:
            for piece in PLACEHOLDER.split(ident):
                words = re.findall(r"[A-Za-z][A-Za-z'-]*", piece)
                if len(words) >= 2:
                    found.add(" ".join(piece.split()).strip(" .,:;()"))
    return [re.compile(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])") for p in sorted(found) if p]


PHRASES = _phrases()


def _english_phrases(page: str) -> list[str]:
    text = _interface(page)
    return [p.pattern for p in PHRASES if p.search(text)]


def _pages(made: dict[str, Any]) -> list[str]:
    km, en = made["instruments"]["km"], made["instruments"]["en"]
    return [
        "/",
        "/alerts",
        "/alerts?show=new",
        *(f"/alerts/{a}" for a in made["alerts"].values()),
        *(f"/changes/{c}" for c in made["changes"]["km"] + made["changes"]["en"]),
        "/positions",
        "/instruments",
        f"/instruments/{km}",
        f"/instruments/{en}",
        f"/instruments/{km}/edit",
        "/instruments/{}/compare?old={}&new={}".format(km, *made["versions"]["km"]),
        "/audit",
        "/parameters",
        "/parameters?position=contribution_rate",
        *(f"/parameters/{p}" for p in made["parameters"]["km"] + made["parameters"]["en"]),
        "/sources",
        "/account",
        f"/account/subscriptions/{made['subscription']}/preview",
        "/admin/users",
        "/docs",
    ]


def test_no_english_interface_phrase_on_any_khmer_page(
    khmer: TestClient, made: dict[str, Any], edited: dict[str, Any]
) -> None:
    assert len(PHRASES) > 300  # the check is built from the catalogue, not a hand list
    left: dict[str, list[str]] = {}
    for path in _pages(made):
        response = khmer.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert '<html lang="km"' in response.text, path
        assert XSS not in response.text, path
        found = _english_phrases(response.text)
        if found:
            left[path] = found
    assert not left, f"English interface phrases on Khmer pages: {left}"


def test_the_sign_in_page_and_a_wrong_method_for_a_khmer_browser(
    module_tracker: Tracker, sign_in: SignIn
) -> None:
    anonymous = sign_in(module_tracker, None)
    khmer_browser = {"Accept-Language": "km-KH,km;q=0.9,en;q=0.5"}
    login = anonymous.get("/login", headers=khmer_browser)
    assert login.status_code == 200 and '<html lang="km"' in login.text
    assert not _english_phrases(login.text)
    wrong = anonymous.put("/login", headers=khmer_browser)
    assert wrong.status_code == 405
    assert '<p class="error">មិនអនុញ្ញាតឱ្យប្រើវិធីនេះទេ</p>' in wrong.text


def test_numbers_that_disagree_between_languages_in_the_readers_words() -> None:
    from parsers.compare.crosscheck import Value
    from web.languages import Disagreement
    from web.rendering import make_templates
    from web.translations import load_translations

    templates = make_templates(load_translations())
    call = (
        '{% import "macros.html" as m %}'
        "{{ m.values_in_words(d.a_numbers, d.a_values) }} | "
        "{{ m.values_in_words(d.b_numbers, d.b_values) }}"
    )
    d = Disagreement("Article 7", "មាត្រា ៧", "98 days, 70%", "none", (Value(98.0, "day"),
                     Value(70.0, "%")), ())  # fmt: skip
    assert templates["km"].env.from_string(call).render(d=d) == "៩៨ ថ្ងៃ, ៧០% | គ្មាន"
    assert templates["en"].env.from_string(call).render(d=d) == "98 days, 70% | none"


# --- the source wizard's field errors ----------------------------------------------------


def _wizard_errors(wizard: TestClient, **fields: str) -> tuple[str, dict[str, str]]:
    """Post a new source with ``fields`` over a valid one; the 422 page and its errors."""
    form = {"csrf_token": _csrf_from(wizard.get("/sources/new").text), "mode": "new",
            "action": "save", "id": "moi-laws", "name": "MoI", "spider": "listing",
            "start_urls": "https://www.interior.gov.kh/laws/", "documents": "ul a",
            "schedule": "0 6 * * *", "max_pages": "50", "max_documents": "500",
            "page_size": "20", "respect_robots": "on", "enabled": "on", **fields}  # fmt: skip
    answer = wizard.post("/sources/wizard", data=form, follow_redirects=False)
    assert answer.status_code == 422, answer.text[:300]
    found = re.findall(r'<p class="field-error" id="err-([a-z_]+)">(.*?)</p>', answer.text)
    return answer.text, dict(found)


def test_the_wizards_field_errors_are_in_khmer(wizard: TestClient) -> None:
    page, errors = _wizard_errors(
        wizard,
        id="MoI <b>Laws</b>",
        name=XSS,
        start_urls="ftp://www.interior.gov.kh/laws/",
        schedule="every morning",
        max_pages="many",
        max_documents="0",
        json_fields="pdfUrl",
        spider="nope",
    )
    assert errors == {
        "id": "រំពឹងថាជាអក្សរតូច លេខ - ឬ _ ប៉ុន្តែទទួលបាន &#39;MoI &lt;b&gt;Laws&lt;/b&gt;&#39;",
        "start_urls": "រំពឹងថាជា URL នៃគេហទំព័រ ប៉ុន្តែទទួលបាន &#39;ftp://www.interior.gov.kh/laws/&#39;",
        "schedule": errors["schedule"],  # the scheduler's own reason stays English, marked
        "max_pages": "រំពឹងថាជាចំនួនគត់",
        "max_documents": "រំពឹងថាជាចំនួនយ៉ាងហោចណាស់ ១",
        "json_fields": "រំពឹងថាជា `name = path` មួយក្នុងមួយបន្ទាត់ ប៉ុន្តែទទួលបាន &#39;pdfUrl&#39;",
        "spider": errors["spider"],
    }  # fmt: skip
    assert errors["schedule"].startswith(
        "រំពឹងថាជាកន្សោម cron ដូចជា &#39;0 6 * * *&#39; ប៉ុន្តែទទួលបាន &#39;every morning&#39;៖ "
        '<span lang="en">'
    )
    assert errors["spider"].startswith("រំពឹងថាជាមួយក្នុងចំណោម ") and "&#39;nope&#39;" in errors["spider"]
    # each error under its field, named by its Khmer help; what was typed comes back, escaped
    block = page.split('id="field-max_documents"', 1)[1].split("</div>", 1)[0]
    assert "ចំនួនឯកសារ ដែលទាញយកយ៉ាងច្រើនបំផុត" in block and "ចំនួនយ៉ាងហោចណាស់ ១" in block
    assert 'value="MoI &lt;b&gt;Laws&lt;/b&gt;"' in page and "<b>Laws" not in page
    assert XSS not in page and 'value="0"' in page and ">pdfUrl</textarea>" in page
    assert '<html lang="km"' in page and _english_phrases(page) == []  # the 422 page swept

    page, errors = _wizard_errors(wizard, name="ក" * 2001)
    assert errors == {"name": "យ៉ាងច្រើន ២០០០ តួអក្សរ ប៉ុន្តែទទួលបាន ២០០១"}
    page, errors = _wizard_errors(wizard, documents="")  # the whole source's rule
    assert errors == {
        "documents": "កម្មវិធីប្រមូលទូទៅ ត្រូវការ `documents` (កម្មវិធីជ្រើសរើស CSS) ឬ `json_items`"
    }
    page, errors = _wizard_errors(wizard, id=WIZARD_SOURCE)  # config.toml has it
    assert errors == {"id": "មានប្រភពដែលមានលេខសម្គាល់នេះរួចហើយ៖ សូមកែប្រែវា ឬជ្រើសរើសលេខសម្គាល់ផ្សេង"}
    assert _english_phrases(page) == []
