"""The officer's and the Secretariat's pages for a reader who chose Khmer: alert, inbox,
change, positions, account and edit answer in Khmer (``<html lang="km">``, Khmer
headings, position names from positions.toml ``name_km``, verdicts, kinds and stages in
words, Khmer digits), with no English interface word left: what stays English is document
text, each piece marked with its own ``lang`` and escaped."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.web.conftest import XSS, XSS_ESCAPED, SignIn, Tracker, _csrf_from
from tests.web.pipeline_alerts import POSITIONS, add_alert
from tracker.database import open_engine, session
from tracker.models import Alert, Change, Delivery, Source

KM_NAMES = {p.id: p.name_km for p in POSITIONS}
# Words a Khmer page may show in Latin letters: user names, position ids (typed as they
# are), formats and names written so in Khmer too (a key, a file format, a protocol).
NAMES = {"officer1", "sec1", "admin1", "OCR", "DOCX", "Atom", "API", "URL", "Apprise",
         "Ctrl", "Enter", "source_health", *KM_NAMES,
         # named things the Khmer stances and key messages of positions.toml keep exact
         "ILO", "Convention", "NSSF", "NSAF", "NSPC", "IDPoor", "COVID-19"}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
ADDRESS = re.compile(r"[a-z]+://\S*|(?<!\w)/[\w./-]+|[\w.+-]+@[\w.-]+")
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr",
}  # fmt: skip


class _Interface(HTMLParser):
    """The interface text of a page's ``<main>``: its text and readable attributes, less
    document text (any element with a ``lang`` other than ``km``), code and the alerts'
    stored summaries."""

    READABLE = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.found: list[str] = []

    def _skipped(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        skip = (
            tag in ("code", "script", "style")
            or found.get("lang", "km") != "km"
            # an alert's summary is stored with it, once, not worded per reader (left)
            or bool({"summary", "inbox-summary"} & set((found.get("class") or "").split()))
        )
        # a delivery badge's title ends with the channel's last error, as the server said it
        delivery = "delivery" in (found.get("class") or "").split()
        if not skip and not self._skipped() and not delivery:
            self.found.extend(v for k, v in attrs if k in self.READABLE and v)
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


def english_left(page: str, allowed: set[str] = NAMES) -> list[str]:
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    parser = _Interface()
    parser.feed("<main" + main)
    words = WORD.findall(ADDRESS.sub(" ", " ".join(parser.found)))
    return sorted({w for w in words if w not in allowed})


def headings(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", page, re.S)
    ]


CHANNELS: set[str] = set()  # the tracker's channel names (configuration ids), filled below


def _assert_khmer(page: str, *expected: str) -> None:
    assert '<html lang="km"' in page
    found = headings(page)
    assert found and all(re.search(r"[\u1780-\u17ff]", h) or h in NAMES for h in found), found
    for words in expected:
        assert words in page, words
    left = english_left(page, NAMES | CHANNELS)
    where = [page[max(0, page.find(w) - 120) : page.find(w) + 40] for w in left[:3]]
    assert not left, f"English interface words on a Khmer page: {left}, in {where}"
    assert XSS not in page


@pytest.fixture(scope="module")
def made(module_tracker: Tracker) -> dict[str, Any]:
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        assert s.get(Source, "nssf-legal") is not None
        alerts = {"km": add_alert(s, "km", 10), "en": add_alert(s, "en", 20)}
        s.add(
            Delivery(
                alert_id=alerts["km"],
                channel="ក្រុមលេខាធិការដ្ឋាន",
                status="failed",
                attempts=2,
                last_error=f"HTTP 500 {XSS}",
            )
        )
        s.commit()
        CHANNELS.update(s.exec(select(Delivery.channel).distinct()))
        changes = {}
        for language, alert_id in alerts.items():
            alert = s.get(Alert, alert_id)
            assert alert is not None
            rows = s.exec(select(Change).where(Change.new_version_id == alert.version_id))
            changes[language] = sorted(c.id for c in rows if c.id is not None)
    engine.dispose()
    return {"alerts": alerts, "changes": changes}


@pytest.fixture(scope="module")
def khmer(module_tracker: Tracker, sign_in: SignIn) -> TestClient:
    """An officer who chose Khmer, who has triaged the Khmer alert."""
    client = sign_in(module_tracker, "officer")
    token = _csrf_from(client.get("/account").text)
    chose = client.post(
        "/preferences/language",
        data={"language": "km", "csrf_token": token, "next": "/account"},
        follow_redirects=False,
    )
    assert chose.status_code == 303
    return client


@pytest.fixture(scope="module")
def triaged(khmer: TestClient, made: dict[str, Any]) -> int:
    alert = made["alerts"]["km"]
    path = f"/alerts/{alert}"
    response = khmer.post(
        f"{path}/triage",
        data={
            "csrf_token": _csrf_from(khmer.get(path).text),
            "verdict.indexation": "relevant",
            "verdict.contribution_rate": "wrong_position",
            "correct.contribution_rate": "pension_financing",
            "task_team": "ក្រុមការងារសោធននិវត្តន៍",
            "assignee": "officer1",
            "acknowledged": "1",
            "note": f"ពិនិត្យ {XSS}",
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.text
    return int(alert)


def test_the_alert_page_in_khmer(khmer: TestClient, made: dict[str, Any], triaged: int) -> None:
    page = khmer.get(f"/alerts/{triaged}").text
    _assert_khmer(
        page,
        '<h2 id="what-changed">អ្វីដែលបានផ្លាស់ប្តូរ</h2>',
        '<h2 id="why-it-matters">ហេតុអ្វីសំខាន់</h2>',
        f'<span class="pos-name" lang="km">{KM_NAMES["indexation"]}</span>',
        "<strong>ជំហររបស់សម្ព័ន្ធ៖</strong>",
        "ទទួលស្គាល់ដោយ <strong>officer1</strong>",
        'ក្រុមការងារ៖ <strong class="team">ក្រុមការងារសោធននិវត្តន៍</strong>។',
        '<option value="relevant" selected>ពាក់ព័ន្ធ</option>',  # the verdict kept, in words
        f'<option value="pension_financing" selected>{KM_NAMES["pension_financing"]}</option>',
        "<strong>ជំហរខុស</strong>",  # the verdicts given, in words
        "២ ឆ្នាំ",  # a period in Khmer digits and words
        "ការវាយតម្លៃដែលបានផ្តល់ (២)",
        '<td class="num">២</td>',  # attempts
        "បរាជ័យ",  # the delivery's status
        "កំណត់ត្រាឆ្លើយតបរហ័ស (DOCX)",
    )
    assert "ពិនិត្យ " + XSS_ESCAPED in page and XSS_ESCAPED in page  # note and error escaped
    # the triage script's words sit beside the script, in Khmer
    found = re.search(r'<div id="triage-words" hidden data-words="([^"]*)"></div>', page)
    assert found is not None
    words = json.loads(html.unescape(found.group(1)))
    assert words["undo"] == "មិនធ្វើវិញ" and words["digits"] == "០១២៣៤៥៦៧៨៩"
    assert page.index('id="triage-words"') < page.index('<script src="/static/triage.js"')
    # an English document on a Khmer page: its words marked English, the interface Khmer
    english = khmer.get(f"/alerts/{made['alerts']['en']}").text
    _assert_khmer(english, "ហេតុអ្វីសំខាន់", '<span lang="en">Sub-decree 38 on pensions')


def test_the_inbox_in_khmer(khmer: TestClient, made: dict[str, Any], triaged: int) -> None:
    page = khmer.get("/alerts").text
    _assert_khmer(
        page,
        "<h1>ការជូនដំណឹង</h1>",
        "បានឃើញដោយ officer1",
        f'<span class="badge pos">{KM_NAMES["indexation"]}</span>',
        '<option value="medium">មធ្យម ឬខ្ពស់ជាងនេះ</option>',
        f'<option value="maternity">{KM_NAMES["maternity"]}</option>',
        "— មិនទាន់វាយតម្លៃ —",
    )
    assert re.search(r'<p class="tabs muted">ការជូនដំណឹង [០-៩]+ ·', page)  # Khmer digits
    assert 'id="triage-words"' in page
    nothing = khmer.get("/alerts", params={"team": "គ្មានក្រុមនេះ"}).text
    _assert_khmer(nothing, "គ្មានការជូនដំណឹងណាត្រូវនឹងតម្រងទាំងនេះទេ។")


def test_the_change_page_in_khmer(khmer: TestClient, made: dict[str, Any]) -> None:
    for change in made["changes"]["km"][:3]:
        page = khmer.get(f"/changes/{change}").text
        _assert_khmer(
            page,
            f"<h1>ការផ្លាស់ប្តូរ #{change}៖ ",
            "<dt>កំណែចាស់</dt>",
            "ស្រទាប់អត្ថបទ",  # read by: the text layer, in words
            "<h2>ការកែប្រែ</h2>",
            "<del>បានលុប</del> <ins>បានបញ្ចូល</ins>",
        )


def test_the_positions_page_in_khmer(khmer: TestClient, made: dict[str, Any]) -> None:
    page = khmer.get("/positions").text
    _assert_khmer(
        page,
        "ជំហរ ១៨ របស់សម្ព័ន្ធ៖",
        f'<a href="#maternity">{KM_NAMES["maternity"]}</a>',
        f'{KM_NAMES["indexation"]} <span class="pos-en muted" lang="en">Indexation of benefits',
        "សារគន្លឹះ (៣)",
        "<strong>ជំហររបស់សម្ព័ន្ធ៖</strong>",
        "ត្រូវបានសម្គាល់",
        "មិនទាន់មានការសម្គាល់អ្វីនៅឡើយទេ។",
    )


def test_the_account_page_in_khmer(khmer: TestClient) -> None:
    token = _csrf_from(khmer.get("/account").text)
    typo = khmer.post(
        "/account/subscriptions",
        data={"url": "mailto://dara@example.org", "positions": "maternty", "csrf_token": token,
              "min_severity": "low", "mode": "daily"},
    )  # fmt: skip
    assert typo.status_code == 422
    _assert_khmer(
        typo.text,
        'គ្មានជំហរ “<span lang="en">maternty</span>” ទេ។',  # what was typed, marked
        f"តើអ្នកចង់សំដៅលើ <strong>maternity</strong> ({KM_NAMES['maternity']}) មែនទេ?",
    )
    saved = khmer.post(
        "/account/subscriptions",
        data={"url": "mailto://dara@example.org", "positions": "maternity, source_health",
              "csrf_token": token, "min_severity": "medium", "mode": "weekly"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    page = khmer.get("/account").text
    _assert_khmer(
        page,
        "តួនាទី៖ <strong>មន្ត្រី</strong>។",
        "<h2>ការជាវការជូនដំណឹង</h2>",
        f'title="maternity">{KM_NAMES["maternity"]}</span>',
        "សុខភាពប្រភព",
        "<td>ប្រចាំសប្តាហ៍</td>",
        '<option value="km" lang="km" selected>ខ្មែរ</option>',  # the test message's language
        "ផ្ញើសារសាកល្បង",
    )


def test_the_edit_page_in_khmer(module_tracker: Tracker, sign_in: SignIn) -> None:
    client = sign_in(module_tracker, "secretariat")
    token = _csrf_from(client.get("/account").text)
    client.post(
        "/preferences/language",
        data={"language": "km", "csrf_token": token, "next": "/account"},
        follow_redirects=False,
    )
    instrument = module_tracker.ids.km_instrument
    path = f"/instruments/{instrument}/edit"
    page = client.get(path, params={"link_q": "Sub-decree"}).text
    _assert_khmer(
        page,
        "<h1>កែសម្រួលព័ត៌មានតាមដាន</h1>",
        '<input type="date" name="effective_date" value="">',  # the Khmer placeholder of a
        # stored date that is no date: test_walk_findings.py
        '<option value="in_force">ចូលជាធរមាន</option>',
        '<option value="amends">ធ្វើវិសោធនកម្ម</option>',
        "<th>ភ្ជាប់ជា</th>",
    )
    nothing = client.get(path, params={"link_q": "គ្មានឯកសារនេះ"}).text
    _assert_khmer(
        nothing, 'គ្មានលិខិតបទដ្ឋានគតិយុត្តផ្សេងទៀតណាត្រូវនឹង “<span lang="km">គ្មានឯកសារនេះ</span>” ទេ។'
    )
    token = _csrf_from(page)
    forward = client.post(path, data={"csrf_token": token, "status": "in_force"})
    assert forward.status_code in (200, 303)
    back = client.post(path, data={"csrf_token": token, "status": "consultation"})
    _assert_khmer(
        back.text,
        "<strong>ដំណាក់កាលនឹងថយក្រោយ</strong>៖ ពី <em>ចូលជាធរមាន</em> ត្រឡប់ទៅ <em>ការពិគ្រោះយោបល់</em> វិញ។",
        "រក្សាទុកទោះយ៉ាងណាក៏ដោយ៖ ត្រឡប់ទៅ ការពិគ្រោះយោបល់ វិញ",
    )
