"""The coalition's stance and key messages in the reader's language on the alert page ("why
it matters") and /positions: a Khmer reader reads positions.toml's ``stance_km`` and
``key_messages_km`` marked ``lang="km"``, or the English marked ``lang="en"`` where a
position gives none; an English reader's pages are byte for byte what they were."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from alerts.positions import Position
from tests.web.conftest import SECRET, XSS, XSS_ESCAPED, Tracker, _sign_in
from tests.web.pipeline_alerts import POSITIONS, add_alert
from tracker.database import open_engine, session
from web.app import create_app
from web.settings import WebSettings

KM = {"Accept-Language": "km"}
EN = {"Accept-Language": "en"}
BY_ID = {p.id: p for p in POSITIONS}


def _stripped(p: Position) -> Position:
    return replace(p, stance_km="", key_messages_km=())


# indexation without Khmer (the English fallback); contribution_rate's Khmer with markup
EDITED = tuple(
    _stripped(p)
    if p.id == "indexation"
    else replace(p, stance_km=f"{p.stance_km} {XSS}")
    if p.id == "contribution_rate"
    else p
    for p in POSITIONS
)
NO_KHMER = tuple(_stripped(p) for p in POSITIONS)


@pytest.fixture(scope="module")
def alert_id(module_tracker: Tracker) -> int:
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        made = add_alert(s, "km", 10)  # flags indexation and contribution_rate
        s.commit()
    engine.dispose()
    return made


@pytest.fixture(scope="module")
def clients(module_tracker: Tracker) -> Iterator[dict[str, TestClient]]:
    """Officers' clients of three apps over one tracker: the shipped positions, the edited
    ones and the ones with no Khmer stance or message at all."""
    opened = {}
    for name, positions in (("shipped", POSITIONS), ("edited", EDITED), ("none", NO_KHMER)):
        settings = WebSettings(
            database_url=module_tracker.url,
            storage_path=module_tracker.storage,
            secret_key=SECRET,
            positions=positions,
        )
        client = TestClient(create_app(settings))
        client.__enter__()
        _sign_in(client)
        opened[name] = client
    yield opened
    for client in opened.values():
        client.__exit__(None, None, None)


def _card(page: str, position_id: str, marker: str = 'id="position-') -> str:
    return page.split(f'{marker}{position_id}"', 1)[1].split("</article>", 1)[0]


def _why(page: str) -> str:
    return page.split('<section class="why"', 1)[1].split("</section>", 1)[0]


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_khmer_reader_reads_the_stance_and_messages_in_khmer_on_the_alert_page(
    clients: dict[str, TestClient], alert_id: int
) -> None:
    page = clients["shipped"].get(f"/alerts/{alert_id}", headers=KM).text
    assert '<html lang="km"' in page
    rate = BY_ID["contribution_rate"]
    card = _card(page, "contribution_rate")
    assert f'<strong>ជំហររបស់សម្ព័ន្ធ៖</strong> <span lang="km">{rate.stance_km}</span>' in card
    assert (
        f'<strong>សារគន្លឹះ៖</strong> <span lang="km">{rate.key_messages_km[0]}</span>'
        "</blockquote>" in card
    )
    assert f'<li><span lang="km">{rate.key_messages_km[1]}</span></li>' in card
    assert rate.stance.split(",")[0] not in card and rate.key_messages[0] not in card


def test_without_khmer_the_alert_page_marks_the_english_and_escapes_position_text(
    clients: dict[str, TestClient], alert_id: int
) -> None:
    page = clients["edited"].get(f"/alerts/{alert_id}", headers=KM).text
    indexation = BY_ID["indexation"]
    card = _card(page, "indexation")
    assert f'<span lang="en">{indexation.stance}</span>' in card
    assert f'<span lang="en">{indexation.key_messages[0]}</span></blockquote>' in card
    said = card.split('<p class="stance">', 1)[1]  # the stance and messages: none in Khmer
    assert 'lang="km"' not in said and said.count('lang="en"') == len(indexation.key_messages) + 1
    rate = _card(page, "contribution_rate")
    assert f'<span lang="km">{BY_ID["contribution_rate"].stance_km} {XSS_ESCAPED}</span>' in rate
    assert XSS not in page


def test_an_english_reader_reads_the_alert_page_as_before(
    clients: dict[str, TestClient], alert_id: int
) -> None:
    pages = {
        name: clients[name].get(f"/alerts/{alert_id}", headers=EN).text
        for name in ("shipped", "none")
    }
    assert _why(pages["shipped"]) == _why(pages["none"])  # byte for byte
    card = _card(pages["shipped"], "contribution_rate")
    rate = BY_ID["contribution_rate"]
    assert f'<span lang="en">{rate.stance}</span>' in card
    assert rate.stance_km not in pages["shipped"] and rate.key_messages_km[0] not in card


def test_the_positions_page_gives_a_khmer_reader_every_stance_in_khmer(
    clients: dict[str, TestClient],
) -> None:
    page = clients["shipped"].get("/positions", headers=KM).text
    assert '<html lang="km"' in page
    for p in POSITIONS:
        card = _card(page, p.id, 'class="position-card" id="')
        assert f'<strong>ជំហររបស់សម្ព័ន្ធ៖</strong> <span lang="km">{p.stance_km}</span>' in card
        for message in p.key_messages_km:
            assert f'<li><span lang="km">{message}</span></li>' in card, (p.id, message)
        assert p.key_messages[0].replace("'", "&#39;") not in card, p.id

    edited = clients["edited"].get("/positions", headers=KM).text
    card = _card(edited, "indexation", 'class="position-card" id="')
    assert f'<span lang="en">{BY_ID["indexation"].stance}</span>' in card
    assert all(
        f'<li><span lang="en">{m}</span></li>' in card for m in BY_ID["indexation"].key_messages
    )
    assert XSS not in edited and XSS_ESCAPED in edited


def test_the_positions_page_for_an_english_reader_is_as_before(
    clients: dict[str, TestClient],
) -> None:
    shipped = clients["shipped"].get("/positions", headers=EN).text
    assert _main(shipped) == _main(clients["none"].get("/positions", headers=EN).text)
    for p in POSITIONS:
        assert p.stance_km not in shipped, p.id


def test_the_change_page_quotes_the_stance_and_message_in_the_readers_language(
    clients: dict[str, TestClient], alert_id: int
) -> None:
    client = clients["shipped"]
    alert_page = client.get(f"/alerts/{alert_id}", headers=KM).text
    change_ids = re.findall(r'href="/changes/(\d+)"', alert_page)
    assert change_ids
    rate = BY_ID["contribution_rate"]
    khmer = "".join(_why(client.get(f"/changes/{c}", headers=KM).text) for c in change_ids)
    assert f'<span lang="km">{rate.stance_km}</span>' in khmer
    assert f'<span lang="km">{rate.key_messages_km[0]}</span></blockquote>' in khmer
    assert rate.stance not in khmer
    english = "".join(_why(client.get(f"/changes/{c}", headers=EN).text) for c in change_ids)
    assert rate.stance in english and rate.stance_km not in english
