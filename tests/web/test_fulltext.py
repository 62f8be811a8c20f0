"""Full-text search (SQLite FTS5, trigram): Khmer words inside unspaced text, English
terms in any order, an index kept up to date by whoever writes versions."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tracker.database import open_engine, session
from tracker.models import Instrument, Version
from web.search import has_fts

KM_TITLE = "ប្រកាសស្តីពីប្រាក់សោធននិវត្តន៍"
KM_TEXT = "មាត្រា ៧ កម្មករនិយោជិតមានសិទ្ធិទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង១២០ភាគរយ"


def _titles(client: TestClient, q: str) -> list[str]:
    response = client.get("/api/instruments", params={"q": q})
    assert response.status_code == 200, response.text
    return sorted(item["title"] for item in response.json())


def _add_version(tracker: Any, instrument_id: int, text: str) -> None:
    engine = open_engine(tracker.url)
    with session(engine) as s:
        s.add(
            Version(
                instrument_id=instrument_id, url="https://x.example/v3", sha256="1" * 64, text=text
            )
        )
        s.commit()
    engine.dispose()


def test_the_tracker_database_has_the_index(fresh_tracker: Any) -> None:
    engine = open_engine(fresh_tracker.url)
    with Session(engine) as s:
        assert has_fts(s)
    engine.dispose()


def test_a_new_version_is_searchable_at_once(sign_in: Any, fresh_tracker: Any) -> None:
    client = sign_in(fresh_tracker, "viewer")
    assert _titles(client, "ឧបត្ថម្ភមាតុភាព") == []
    _add_version(fresh_tracker, fresh_tracker.ids.km_instrument, KM_TEXT)
    # a word in the middle of a run of Khmer without spaces
    assert _titles(client, "ឧបត្ថម្ភមាតុភាព") == [KM_TITLE]
    assert _titles(client, "១២០ភាគរយ") == [KM_TITLE]
    # two terms, both required, in any order
    assert _titles(client, "មាតុភាព កម្មករ") == [KM_TITLE]
    assert _titles(client, "មាតុភាព pension") == []


def test_english_terms_in_any_order_and_short_terms(sign_in: Any, fresh_tracker: Any) -> None:
    client = sign_in(fresh_tracker, "viewer")
    [title] = _titles(client, "days maternity")
    assert title.startswith("Sub-decree on maternity")
    assert _titles(client, "maternity pension") == []
    # a term under three characters is still matched (as a substring)
    assert len(_titles(client, "98")) == 1
    assert _titles(client, "ខែ") == [KM_TITLE]
    # quotes and FTS operators in a query are text, not syntax
    assert _titles(client, '"maternity" OR NEAR(') == []
    assert client.get("/instruments", params={"q": 'AND "'}).status_code == 200


def test_a_renamed_instrument_is_found_by_its_new_title(sign_in: Any, fresh_tracker: Any) -> None:
    engine = open_engine(fresh_tracker.url)
    with session(engine) as s:
        instrument = s.get(Instrument, fresh_tracker.ids.en_instrument)
        assert instrument is not None
        instrument.title = "Royal decree on disability allowance"
        s.add(instrument)
        s.commit()
    engine.dispose()
    client = sign_in(fresh_tracker, "viewer")
    assert _titles(client, "disability allowance") == ["Royal decree on disability allowance"]
    assert _titles(client, "Sub-decree on maternity") == []
