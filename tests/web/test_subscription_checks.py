"""Subscriptions are checked when saved (an unknown position named with the closest known
one, a malformed Apprise URL), previewed with the real message templates (English and
Khmer, document text escaped) and tested with a real delivery to a loopback SMTP server."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from alerts.deliver.outbound import OutboundPolicy
from alerts.positions import load_positions
from app.config_file import load_settings
from app.demo import demo_config
from app.runtime import BUNDLED_POSITIONS, Runtime
from tests.support.mockserver import Inbox, SmtpServer
from tests.support.ports import free_port
from tests.web.conftest import SECRET, XSS, Tracker, _csrf_from, _sign_in
from tracker.database import open_engine, session
from tracker.models import Subscription
from web.app import create_app
from web.settings import WebSettings


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[int, Inbox]]:
    """A real SMTP server on loopback for the module."""
    server = SmtpServer(port=free_port(), inbox=Inbox())
    server.start()
    yield server.port, server.inbox
    server.stop()


@pytest.fixture(scope="module")
def officer(module_tracker: Tracker) -> Iterator[TestClient]:
    app = create_app(
        WebSettings(
            database_url=module_tracker.url,
            storage_path=module_tracker.storage,
            secret_key=SECRET,
            outbound=OutboundPolicy(allow_private=("127.0.0.1",)),
            positions=load_positions(BUNDLED_POSITIONS),
        )
    )
    with TestClient(app) as client:
        _sign_in(client, "officer1")
        yield client


def _subscribe(client: TestClient, **fields: str) -> Any:
    token = _csrf_from(client.get("/account").text)
    data = {"min_severity": "low", "mode": "instant", **fields, "csrf_token": token}
    return client.post("/account/subscriptions", data=data, follow_redirects=False)


def _stored(tracker: Tracker) -> list[Subscription]:
    with session(open_engine(tracker.url)) as s:
        return list(s.exec(select(Subscription).order_by(Subscription.id)))  # type: ignore[arg-type]


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_a_misspelt_position_is_refused_naming_it_and_the_closest(
    officer: TestClient, module_tracker: Tracker
) -> None:
    before = len(_stored(module_tracker))
    response = _subscribe(officer, url="mailto://dara@example.org", positions="maternty, vesting")
    assert response.status_code == 422
    said = _text(response.text)
    assert "There is no position “maternty”. Did you mean maternity (Maternity protection)?" in said
    # the form keeps what was typed, so one letter fixes it
    assert 'value="maternty, vesting"' in response.text
    assert 'value="mailto://dara@example.org"' in response.text
    assert len(_stored(module_tracker)) == before


def test_a_position_typed_in_khmer_or_as_markup_is_refused_and_shown_as_text(
    officer: TestClient, module_tracker: Tracker
) -> None:
    before = len(_stored(module_tracker))
    khmer = _subscribe(officer, url="mailto://dara@example.org", positions="មាតុភាព")
    assert khmer.status_code == 422
    assert "There is no position “មាតុភាព”." in _text(khmer.text)
    markup = _subscribe(officer, url="mailto://dara@example.org", positions=XSS)
    assert markup.status_code == 422
    assert XSS not in markup.text and "There is no position" in _text(markup.text)
    assert len(_stored(module_tracker)) == before


def test_a_malformed_apprise_url_is_refused_naming_it(
    officer: TestClient, module_tracker: Tracker
) -> None:
    before = len(_stored(module_tracker))
    response = _subscribe(officer, url="mailto//dara@example.org", positions="maternity")
    assert response.status_code == 422
    said = _text(response.text)
    assert "The channel URL was not saved" in said and "got mailto//dara@example.org" in said
    assert len(_stored(module_tracker)) == before


def test_a_good_subscription_is_saved_and_says_so_once(
    officer: TestClient, module_tracker: Tracker
) -> None:
    response = _subscribe(officer, url="mailto://dara@example.org", positions="maternity, vesting")
    assert response.status_code == 303
    page = officer.get("/account").text
    said = _text(page)
    assert (
        "Saved: alerts on Maternity protection, Qualifying and contribution periods "
        "will reach mailto://dara@example.org."
    ) in said or "Saved: alerts on Maternity protection" in said
    assert "Saved: alerts on" not in _text(officer.get("/account").text), "shown once"
    assert _stored(module_tracker)[-1].positions == ["maternity", "vesting"]


def _mail_url(port: int) -> str:
    return (
        f"mailto://127.0.0.1:{port}?from=tracker@example.org&to=dara@example.org"
        "&smtp=127.0.0.1&mode=insecure"
    )


def test_preview_shows_the_instant_message_and_digest_in_english_and_khmer_escaped(
    officer: TestClient, module_tracker: Tracker, smtp: tuple[int, Inbox]
) -> None:
    assert _subscribe(officer, url=_mail_url(smtp[0]), positions="maternity").status_code == 303
    subscription = _stored(module_tracker)[-1]
    page = officer.get(f"/account/subscriptions/{subscription.id}/preview")
    assert page.status_code == 200
    assert XSS not in page.text, "document text (and the message HTML) stays inert"
    english, khmer = page.text.split('id="preview-km"')
    assert "Instant message" in english and "Digest (1 alert)" in english
    # the subject line of the real template, and the Khmer one of the Khmer template
    assert "[MEDIUM]" in english and "Sub-decree on maternity benefits" in _text(english)
    assert "[មធ្យម]" in khmer
    assert 'sandbox title="Instant message as e-mail"' in page.text
    # the message HTML is in srcdoc, escaped once more: its own escaping shows as &amp;lt;
    assert "&amp;lt;script&amp;gt;" in page.text


def test_send_test_delivers_through_apprise_in_the_chosen_language(
    officer: TestClient, module_tracker: Tracker, smtp: tuple[int, Inbox]
) -> None:
    port, inbox = smtp
    subscription = next(s for s in _stored(module_tracker) if str(port) in s.url)
    token = _csrf_from(officer.get("/account").text)
    for language, mark in (("en", "[TEST]"), ("km", "[សាកល្បង]")):
        count = len(inbox.messages)
        response = officer.post(
            f"/account/subscriptions/{subscription.id}/test",
            data={"language": language, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert len(inbox.messages) == count + 1
        message = inbox.messages[-1]
        assert str(message["Subject"]).startswith(mark)
        assert "Test message sent to" in _text(officer.get("/account").text)
    body = inbox.messages[-1].get_body(("html", "plain"))
    assert body is not None and "SP Tracker" in body.get_content()
    assert XSS not in body.get_content()


def test_send_test_to_a_server_that_is_not_there_says_why(
    officer: TestClient, module_tracker: Tracker
) -> None:
    closed = 9  # discard: nothing listens on loopback port 9
    assert _subscribe(officer, url=_mail_url(closed), positions="*").status_code == 303
    subscription = _stored(module_tracker)[-1]
    token = _csrf_from(officer.get("/account").text)
    response = officer.post(
        f"/account/subscriptions/{subscription.id}/test",
        data={"language": "en", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    said = _text(officer.get("/account").text)
    # the reason Apprise gave, the URL's values (addresses, tokens) left out
    assert "The test message did not reach mailto://***:9" in said
    assert "Connection refused" in said


def test_flashes_stay_small_enough_for_the_session_cookie() -> None:
    """A browser drops a cookie past 4 KB (and the session with it): long Khmer facts and
    many flashes are cut down, the newest kept."""
    import json

    from starlette.requests import Request

    from web.flash import MAX_BYTES, flash, take_flashes

    request = Request({"type": "http", "session": {}})
    for n in range(6):
        flash(request, "test_failed", where="mailto://x", reason=f"{n} " + "ការជូនដំណឹង" * 40)
    assert len(json.dumps(request.session["flash"])) <= MAX_BYTES
    shown = take_flashes(request)
    assert shown and shown[-1]["reason"].startswith("5 ")
    assert take_flashes(request) == []


def test_a_typo_saved_before_the_check_is_pointed_out(
    officer: TestClient, module_tracker: Tracker
) -> None:
    """Subscriptions stored before positions were checked (the observed `maternty`) are
    marked on the account page: no alert would ever come for them."""
    with session(open_engine(module_tracker.url)) as s:
        from tracker.models import User

        user = s.exec(select(User).where(User.name == "officer1")).one()
        s.add(Subscription(user_id=user.id, url="mailto://old@example.org", positions=["maternty"]))
        s.commit()
    said = _text(officer.get("/account").text)
    assert "maternty: unknown, remove and subscribe again" in said


def test_a_subscription_has_a_language_for_its_messages(
    officer: TestClient, module_tracker: Tracker, smtp: tuple[int, Inbox], tmp_path: Path
) -> None:
    """Chosen on the form (preset to the interface language), shown in the list, used for
    the test message and by the delivery stage; a language there are no templates for is
    refused."""
    form = officer.get("/account").text.split('id="subscribe-form"')[1]
    assert '<option value="en" lang="en" selected>English</option>' in form  # the interface's
    assert _subscribe(officer, url=_mail_url(smtp[0]), language="km").status_code == 303
    khmer = _stored(module_tracker)[-1]
    assert khmer.language == "km"
    assert _subscribe(officer, url="mailto://sophea@example.org").status_code == 303
    assert _stored(module_tracker)[-1].language == "en"  # none given: the user's (English)
    bad = _subscribe(officer, url="mailto://sophea@example.org", language="fr")
    assert bad.status_code == 422 and "language: expected en or km, got 'fr'" in _text(bad.text)
    row = officer.get("/account").text.split(f'id="subscription-{khmer.id}"')[1].split("</tr>")[0]
    assert '<td lang="km" class="subscription-language">ខ្មែរ</td>' in row
    assert '<option value="km" lang="km" selected>' in row  # the test message's, preset

    inbox = smtp[1]
    count = len(inbox.messages)
    token = _csrf_from(officer.get("/account").text)
    response = officer.post(
        f"/account/subscriptions/{khmer.id}/test",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and len(inbox.messages) == count + 1
    assert str(inbox.messages[-1]["Subject"]).startswith("[សាកល្បង]")

    # the delivery stage sends it Khmer messages (app.runtime makes the channels)
    (tmp_path / "positions.toml").write_bytes(BUNDLED_POSITIONS.read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(demo_config("http://127.0.0.1:9", 9, module_tracker.url), encoding="utf-8")
    runtime = Runtime(load_settings(config), environ={})
    with runtime.session() as s:
        channels = {c.name: c for c in runtime.delivery_channels(s)}
    assert channels[f"subscription-{khmer.id}"].language == "km"
    assert channels[f"subscription-{_stored(module_tracker)[-1].id}"].language == "en"
