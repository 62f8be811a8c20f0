"""The words of the shared macros (numbers table, why a flag goes its way, how sure), of the
one-time messages (flash.html), of the subscription preview and of the triage script come
in the reader's language: Khmer for a Khmer officer, English for an English one, with
document text escaped all the same."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import XSS, XSS_ESCAPED, SignIn, Tracker, _csrf_from
from tests.web.pipeline_alerts import add_alert
from tracker.database import open_engine, session
from tracker.models import Source


@pytest.fixture(scope="module")
def alerts(module_tracker: Tracker) -> dict[str, int]:
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        assert s.get(Source, "nssf-legal") is not None
        made = {"km": add_alert(s, "km", 10), "en": add_alert(s, "en", 20)}
        s.commit()
    engine.dispose()
    return made


def _choose(client: TestClient, language: str) -> None:
    token = _csrf_from(client.get("/account").text)
    response = client.post(
        "/preferences/language",
        data={"language": language, "csrf_token": token, "next": "/account"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture(scope="module")
def readers(module_tracker: Tracker, sign_in: SignIn) -> dict[str, TestClient]:
    """A Khmer secretariat member and an English officer (both may triage)."""
    khmer, english = sign_in(module_tracker, "secretariat"), sign_in(module_tracker, "officer")
    _choose(khmer, "km")
    _choose(english, "en")
    return {"km": khmer, "en": english}


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _between(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def _triage_words(page: str) -> dict[str, Any]:
    found = re.search(r'<div id="triage-words" hidden data-words="([^"]*)"></div>', page)
    assert found, "no triage words on the page"
    words: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return words


KM_MACRO_WORDS = (
    "ចាស់", "ថ្មី", "បម្រែបម្រួល", "ដូចដែលអត្ថបទចែង",  # the numbers table's head
    "កើនឡើង", "តិចដងជាងមុន",  # up; less often (a recurring period made longer)
    "អាក្រក់ជាងមុនសម្រាប់សម្ព័ន្ធ",  # worse for the coalition
    "៖ សម្ព័ន្ធចង់បាន ការធ្វើនិយ័តកម្មញឹកញាប់ជាងមុន។",
    "ពិន្ទុ ", "តួលេខដែលបានប្រែប្រួល",  # how sure: score, where it was seen
)  # fmt: skip
EN_MACRO_WORDS = (
    "Old", "New", "Moved", "As written", "up", "less often", "worse for the coalition",
    ": the coalition wants more frequent adjustment.", "score ", "a number that moved",
)  # fmt: skip


@pytest.mark.parametrize("language", ["km", "en"])
def test_the_alert_pages_macros_speak_the_readers_language(
    readers: dict[str, TestClient], alerts: dict[str, int], language: str
) -> None:
    for alert in alerts.values():
        page = readers[language].get(f"/alerts/{alert}")
        assert page.status_code == 200
        text = _text(page.text)
        mine = KM_MACRO_WORDS if language == "km" else EN_MACRO_WORDS
        for word in mine:
            assert word in text, (language, alert, word)
        if language == "km":
            for word in ("less often", "worse for the coalition", "the coalition wants"):
                assert word not in text, (alert, word)
            assert "ពិន្ទុ ០," in text  # the score in Khmer digits, ',' before decimals
        assert XSS not in page.text
    assert XSS_ESCAPED in readers[language].get(f"/alerts/{alerts['en']}").text


def test_the_triage_script_gets_its_words_from_the_page_in_each_language(
    readers: dict[str, TestClient], alerts: dict[str, int], sign_in: SignIn, module_tracker: Tracker
) -> None:
    km = _triage_words(readers["km"].get(f"/alerts/{alerts['km']}").text)
    assert km["saved_what"] == "បានរក្សាទុក៖ %(what)s។"
    assert km["team"] == "ក្រុមការងារ %(team)s" and km["undo"] == "មិនធ្វើវិញ"
    assert km["verdicts"] == {"one": "ការវាយតម្លៃ %(count)s", "other": "ការវាយតម្លៃ %(count)s"}
    assert km["digits"] == "០១២៣៤៥៦៧៨៩"
    en = _triage_words(readers["en"].get("/alerts").text)
    assert en["saved_what"] == "Saved: %(what)s." and en["team"] == "team %(team)s"
    assert en["verdicts"] == {"one": "%(count)s verdict", "other": "%(count)s verdicts"}
    assert en["digits"] == "0123456789" and en["no_answer"].startswith("Not saved")
    # every word the script says is there, and only words: no English left in Khmer
    assert set(km) == set(en)
    for key, value in km.items():
        for form in value.values() if isinstance(value, dict) else [value]:
            assert not re.findall(r"[A-Za-z]+", re.sub(r"%\([a-z_]+\)s", "", form)), key
    # a viewer has no triage form, and no words for it
    assert 'id="triage-words"' not in sign_in(module_tracker, "viewer").get("/alerts").text


def _subscribe(client: TestClient) -> Any:
    token = _csrf_from(client.get("/account").text)
    data = {
        "url": "mailto://dara@example.org",
        "positions": "maternity",
        "min_severity": "low",
        "mode": "daily",
        "csrf_token": token,
    }
    return client.post("/account/subscriptions", data=data, follow_redirects=False)


def test_flash_and_preview_in_khmer_and_in_english(readers: dict[str, TestClient]) -> None:
    said = {  # the address as the tracker shows it: its user name hidden
        "km": "បានរក្សាទុក៖ ការជូនដំណឹងអំពី ការគាំពារមាតុភាព នឹងផ្ញើទៅ mailto://***@example.org។",
        "en": "Saved: alerts on Maternity protection will reach mailto://***@example.org.",
    }
    preview_words = {
        "km": ("ការមើលជាមុននៃការជាវ", "អ្វីដែលការជាវនេះនឹងទទួលបាន", "ចាប់ពីកម្រិត ទាប",
               "ប្រចាំថ្ងៃ", "ជាភាសាអង់គ្លេស", "ជាភាសាខ្មែរ", "ផ្ញើសារសាកល្បងឥឡូវនេះ"),
        "en": ("Preview of a subscription", "What this subscription receives", "from low",
               "daily", "In English", "In Khmer", "Send a test message now"),
    }  # fmt: skip
    for language, client in readers.items():
        assert _subscribe(client).status_code == 303
        account = client.get("/account").text
        assert said[language] in _text(account), language
        assert said[language] not in _text(client.get("/account").text), "shown once"
        links = re.findall(r'href="(/account/subscriptions/\d+/preview)"', account)
        assert links, "no preview link"
        page = client.get(links[-1]).text
        for word in preview_words[language]:
            assert word in _text(page), (language, word)
        # the test message's language: the reader's, preselected
        assert re.search(rf'<option value="{language}" lang="{language}" selected>', page)
        if language == "km":  # the interface words, the messages themselves left out
            assert 'title="សារភ្លាមៗជាអ៊ីមែល"' in page or "មិនទាន់មានការជូនដំណឹង" in page
            words = re.sub(r'<pre class="message".*?</pre>|<strong class="subject".*?</strong>',
                           "", page.split("<main>", 1)[1], flags=re.S)  # fmt: skip
            for word in ("Preview", "Channel", "Digest", "Instant", "As text", "In English"):
                assert word not in _text(words), word


def test_the_edit_flashes_in_khmer_escape_the_title(
    readers: dict[str, TestClient], module_tracker: Tracker
) -> None:
    client, ids = readers["km"], module_tracker.ids
    token = _csrf_from(client.get(f"/instruments/{ids.km_instrument}/edit").text)
    linked = client.post(
        f"/instruments/{ids.km_instrument}/links",
        data={"csrf_token": token, "kind": "amends", "target_id": ids.en_instrument},
        follow_redirects=False,
    )
    assert linked.status_code == 303
    page = client.get(linked.headers["location"]).text
    assert (
        f"បានរក្សាទុក៖ លិខិតបទដ្ឋានគតិយុត្តនេះ ធ្វើវិសោធនកម្ម “ Sub-decree on maternity benefits {XSS} ”។"
    ) in _text(page)
    assert XSS not in page and '<span lang="en">Sub-decree on maternity benefits' in page
    data = {"csrf_token": token, "status": "in_force", "owner_team": "ក្រុមការងារសោធន"}
    edited = client.post(f"/instruments/{ids.km_instrument}/edit", data=data)
    # the stage in the reader's words too
    assert "បានរក្សាទុក៖ ដំណាក់កាល → ចូលជាធរមាន, ក្រុមការងារទទួលខុសត្រូវ។" in _text(edited.text)
    again = client.post(f"/instruments/{ids.km_instrument}/edit", data=data)
    assert "គ្មានអ្វីត្រូវរក្សាទុកទេ៖ តម្លៃនីមួយៗដូចនេះរួចស្រេចហើយ។" in _text(again.text)
