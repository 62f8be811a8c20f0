"""The Secretariat's edits, as a newcomer meets them: the instrument to link found by
typing its title (English or Khmer), a "saved" line after each edit, a warning before a
stage moves backwards; document text escaped in all of them."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.web.conftest import KM_TITLE, XSS, XSS_ESCAPED, Tracker, _csrf_of
from tracker.database import open_engine, session
from tracker.models import Instrument, InstrumentLink, LifecycleStep


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def _instrument(tracker: Tracker, instrument_id: int) -> Instrument:
    with session(open_engine(tracker.url)) as s:
        found = s.get(Instrument, instrument_id)
        assert found is not None
        return found


@pytest.fixture(scope="module")
def secretariat(module_tracker: Tracker, sign_in: Any) -> TestClient:
    client: TestClient = sign_in(module_tracker, "secretariat")
    return client


def _edit(client: TestClient, instrument_id: int, **fields: str) -> Any:
    data = {"csrf_token": _csrf_of(client), **fields}
    return client.post(f"/instruments/{instrument_id}/edit", data=data, follow_redirects=False)


def test_an_instrument_to_link_is_found_by_typing_its_title(
    secretariat: TestClient, module_tracker: Tracker
) -> None:
    ids = module_tracker.ids
    # from the English instrument, type part of the Khmer title
    page = secretariat.get(f"/instruments/{ids.en_instrument}/edit", params={"link_q": "សោធន"})
    assert page.status_code == 200
    choices = page.text.split('id="link-choices"', 1)[1].split("</table>", 1)[0]
    assert KM_TITLE in choices and f'name="target_id" value="{ids.km_instrument}"' in choices
    assert f'value="{ids.en_instrument}"' not in choices, "never itself"
    # and from the Khmer one, part of the English title: shown escaped
    page = secretariat.get(f"/instruments/{ids.km_instrument}/edit", params={"link_q": "maternity"})
    choices = page.text.split('id="link-choices"', 1)[1].split("</table>", 1)[0]
    assert XSS_ESCAPED in choices and XSS not in page.text
    nothing = secretariat.get(
        f"/instruments/{ids.km_instrument}/edit", params={"link_q": "no such words"}
    )
    assert "No other instrument matches “no such words”." in _text(nothing.text)


def test_linking_a_found_instrument_says_so_once(
    secretariat: TestClient, module_tracker: Tracker
) -> None:
    ids = module_tracker.ids
    response = secretariat.post(
        f"/instruments/{ids.km_instrument}/links",
        data={
            "csrf_token": _csrf_of(secretariat),
            "kind": "amends",
            "target_id": ids.en_instrument,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = secretariat.get(response.headers["location"])
    said = _text(page.text)
    assert f"Saved: this instrument amends “Sub-decree on maternity benefits {XSS}”." in said
    assert XSS not in page.text
    assert "Saved:" not in _text(secretariat.get(response.headers["location"]).text)
    with session(open_engine(module_tracker.url)) as s:
        [link] = s.exec(select(InstrumentLink)).all()
        assert (link.source_id, link.target_id) == (ids.km_instrument, ids.en_instrument)


def test_an_edit_says_what_it_saved_or_that_nothing_changed(
    secretariat: TestClient, module_tracker: Tracker
) -> None:
    km = module_tracker.ids.km_instrument
    response = _edit(secretariat, km, status="in_force", owner_team="ក្រុមការងារសោធន")
    assert response.status_code == 303
    said = _text(secretariat.get(response.headers["location"]).text)
    assert "Saved: stage → in force, owner task team." in said
    again = _edit(secretariat, km, status="in_force", owner_team="ក្រុមការងារសោធន")
    assert "Nothing to save" in _text(secretariat.get(again.headers["location"]).text)


def test_a_stage_moving_backwards_asks_first(
    secretariat: TestClient, module_tracker: Tracker
) -> None:
    en = module_tracker.ids.en_instrument
    assert _edit(secretariat, en, status="published", status_date="2025-08-01").status_code == 303
    steps_before = _steps(module_tracker, en)
    back = _edit(
        secretariat, en, status="consultation", owner_team="ក្រុមសោធន", notes=f"reopened {XSS}"
    )
    assert back.status_code == 409
    said = _text(back.text)
    assert "The stage would move backwards: from published back to consultation." in said
    assert "Nothing is saved yet." in said and "Save anyway: move back to consultation" in said
    # what was typed is kept (escaped) for the second press
    assert 'value="ក្រុមសោធន"' in back.text and f"reopened {XSS_ESCAPED}" in back.text
    assert _instrument(module_tracker, en).status == "published"
    assert _steps(module_tracker, en) == steps_before
    confirmed = _edit(
        secretariat,
        en,
        status="consultation",
        owner_team="ក្រុមសោធន",
        notes="reopened",
        confirm_backwards="yes",
    )
    assert confirmed.status_code == 303
    assert _instrument(module_tracker, en).status == "consultation"
    assert _steps(module_tracker, en)[-1] == "consultation"
    # forwards needs no confirmation
    assert _edit(secretariat, en, status="adopted").status_code == 303


def _steps(tracker: Tracker, instrument_id: int) -> list[str]:
    with session(open_engine(tracker.url)) as s:
        rows = s.exec(
            select(LifecycleStep)
            .where(LifecycleStep.instrument_id == instrument_id)
            .order_by(LifecycleStep.id)  # type: ignore[arg-type]
        ).all()
        return [row.status for row in rows]


def test_a_feed_read_in_between_leaves_the_saved_line_for_the_page(
    secretariat: TestClient, module_tracker: Tracker
) -> None:
    km = module_tracker.ids.km_instrument
    response = _edit(
        secretariat,
        km,
        status="in_force",
        owner_team="ក្រុមការងារសោធន",  # as the test above left it
        notes="ក្រុមការងារបានពិនិត្យ",
    )
    assert secretariat.get("/feeds/alerts.atom").status_code == 200
    assert "Saved: notes." in _text(secretariat.get(response.headers["location"]).text)
