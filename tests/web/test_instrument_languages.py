"""The instrument page shows its language versions, their dates and agreement; the change
page shows the same provision in the other language; the Secretariat attaches and detaches
by hand. Document text is escaped everywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

import evaluation
from parsers.read.reader import read
from tracker.database import open_engine, session
from tracker.models import Change, Instrument, Version

FIXTURES = evaluation.DOCUMENTS
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
Tracker = Any  # tests/web/conftest.py's Tracker


def when(month: int) -> datetime:
    return datetime(2025, month, 1, 6, 0, tzinfo=UTC)


def _version(instrument_id: int, name: str, month: int, poison: str = "") -> Version:
    path = FIXTURES / name
    document = read(path.read_bytes(), name=path.name).to_json()
    for section in document["sections"]:
        if poison and section["ref"] == poison:
            section["text"] += f"\n{XSS}"
    return Version(
        instrument_id=instrument_id,
        url=f"https://example.org/{name}",
        fetched_at=when(month),
        sha256=name.ljust(64, "0")[:64],
        language=document["language"],
        text=document["text"],
        document=document,
    )


@pytest.fixture(scope="module")
def pair(module_tracker: Tracker) -> dict[str, int]:
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        km = Instrument(
            source_id="nssf-legal",
            url="https://example.org/km",
            title="អនុក្រឹត្យលេខ ៣៨",
            type="sub-decree",
            number="៣៨ អនក្រ.បក",
            language="km",
            signed_date="2024-03-04",
        )
        en = Instrument(
            source_id="mef-budget",
            url="https://example.org/en",
            title=f"Sub-decree 38 {XSS}",
            type="sub-decree",
            number="38 ANK.BK",
            language="en",
            signed_date="2024-03-04",
        )
        s.add_all([km, en])
        s.flush()
        assert km.id is not None and en.id is not None
        km_v1 = _version(km.id, "subdecree_km_v1.pdf", 1)
        km_v2 = _version(km.id, "subdecree_km_v2.pdf", 2)
        en_v1 = _version(en.id, "subdecree_en_v1.html", 1, poison="Article 3")
        s.add_all([km_v1, km_v2, en_v1])
        s.flush()
        assert km_v2.id is not None
        change = Change(
            instrument_id=km.id,
            old_version_id=km_v1.id,
            new_version_id=km_v2.id,
            kind="modified",
            old_ref="មាត្រា ៣",
            new_ref="មាត្រា ៣",
            old_text="៤%",
            new_text="៦%",
        )
        s.add(change)
        s.commit()
        ids = {"km": km.id, "en": en.id, "change": change.id or 0}
    engine.dispose()
    return ids


def _post(client: TestClient, csrf_from: Any, path: str, page: str, **data: Any) -> Any:
    token = csrf_from(client.get(page).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def test_attach_by_hand_shows_versions_agreement_and_the_other_text(
    module_tracker: Tracker, sign_in: Any, csrf_from: Any, pair: dict[str, int]
) -> None:
    secretariat = sign_in(module_tracker, "secretariat")
    viewer = sign_in(module_tracker, "viewer")
    km_page = f"/instruments/{pair['km']}"
    assert "No other language version known." in secretariat.get(km_page).text
    assert 'id="attach-language"' not in viewer.get(km_page).text
    refused = _post(
        viewer, csrf_from, f"{km_page}/languages", km_page, other_id=pair["en"], role=""
    )
    assert refused.status_code in (401, 403)

    done = _post(
        secretariat, csrf_from, f"{km_page}/languages", km_page, other_id=pair["en"], role=""
    )
    assert done.status_code == 303, done.text
    page = secretariat.get(km_page).text
    assert "Language versions" in page and "official text" in page
    assert "unofficial translation" in page and "2024-03-04" in page
    assert "numbers disagree in" in page and "3%, 6% vs 2%, 4%" in page
    assert "has no counterpart in this text" in page, "the Khmer's new article 5"
    assert XSS not in page and XSS_ESCAPED in page
    en_page = secretariat.get(f"/instruments/{pair['en']}").text
    assert "this text" in en_page and "អនុក្រឹត្យលេខ ៣៨" in en_page

    change = secretariat.get(f"/changes/{pair['change']}").text
    assert "In the other language" in change and "Article 3" in change
    assert "The pension contribution rate is set at 4%" in change
    assert XSS not in change and XSS_ESCAPED in change

    again = _post(
        secretariat, csrf_from, f"{km_page}/languages", km_page, other_id=pair["en"], role=""
    )
    assert again.status_code == 422 and "already a language version" in again.text
    bad_role = _post(
        secretariat, csrf_from, f"{km_page}/languages", km_page, other_id=pair["en"], role="x"
    )
    assert bad_role.status_code == 422

    gone = _post(secretariat, csrf_from, f"{km_page}/languages/detach", km_page)
    assert gone.status_code == 303
    assert "No other language version known." in secretariat.get(km_page).text
    assert "In the other language" not in secretariat.get(f"/changes/{pair['change']}").text


def _rows(page: str, pair: dict[str, int]) -> list[str]:
    """The list's rows that show the pair (the tracker holds other instruments too)."""
    if '<table class="works">' not in page:
        return []
    body = page.split('<table class="works">', 1)[1].split("</tbody>", 1)[0]
    rows = body.split("<tr>")[2:]  # the head's row, then one per work
    ours = {f'<td><a href="/instruments/{pair[k]}">' for k in ("km", "en")}
    return [row for row in rows if any(row.strip().startswith(o) for o in ours)]


def test_the_list_has_one_row_per_instrument_with_its_language_versions(
    module_tracker: Tracker, sign_in: Any, csrf_from: Any, pair: dict[str, int]
) -> None:
    secretariat = sign_in(module_tracker, "secretariat")
    km_page = f"/instruments/{pair['km']}"
    apart = secretariat.get("/instruments?type=sub-decree").text
    assert len(_rows(apart, pair)) == 2, "two instruments until they are known as one"
    done = _post(
        secretariat, csrf_from, f"{km_page}/languages", km_page, other_id=pair["en"], role=""
    )
    assert done.status_code == 303, done.text

    for query in ("type=sub-decree", "q=Sub-decree+38", "q=អនុក្រឹត្យលេខ", "language=en"):
        page = secretariat.get(f"/instruments?{query}").text
        [row] = _rows(page, pair)
        # Named by its official Khmer text, the English title beside it, both linked.
        assert row.index(f'href="/instruments/{pair["km"]}"') < row.index("អនុក្រឹត្យលេខ ៣៨")
        assert f'href="/instruments/{pair["en"]}"' in row and XSS_ESCAPED in row
        assert XSS not in row
        assert 'km official · <span lang="km">ថ្ងៃទី៤ ខែមីនា ឆ្នាំ២០២៤</span>' in row
        assert 'en translation · <span lang="en">4 Mar 2024</span>' in row
        # The Khmer changed in February, the English has not followed since.
        assert "translation behind by" in row and "numbers disagree (" in row
    [matched] = _rows(secretariat.get("/instruments?language=en").text, pair)
    assert matched.count(" matched") == 1, "the English text is the one that matched"
    assert _rows(secretariat.get("/instruments?language=fr").text, pair) == []
    assert _rows(secretariat.get("/instruments?q=no-such-words-anywhere").text, pair) == []

    gone = _post(secretariat, csrf_from, f"{km_page}/languages/detach", km_page)
    assert gone.status_code == 303
    assert len(_rows(secretariat.get("/instruments?type=sub-decree").text, pair)) == 2
