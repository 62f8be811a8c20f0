"""The outside probe's reproductions that go through the command line and the delivery job,
tried again: a subscription to an internal service already in the database, a deeply
nested page read by `sptrack extract`, `--config` on the commands."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import typer.main
from pytest_httpserver import HTTPServer
from sqlmodel import col, select

from app.cli import app, main
from app.config_file import load_settings
from app.jobs import deliver
from app.runtime import Runtime
from tests.web.conftest import Tracker, make_tracker
from tracker.models import Delivery, Subscription
from tracker.users import add_user

SECRET = "s3cr3t-pw-42"


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Tracker:
    """A tracker with alerts, shared by this module's delivery tests."""
    return make_tracker(tmp_path_factory.mktemp("probe"))


def _runtime(tracker: Tracker, folder: Path, extra: str = "") -> Runtime:
    config = folder / "config.toml"
    config.write_text(
        f'[database]\nurl = "{tracker.url}"\n[storage]\npath = "{tracker.storage}"\n{extra}',
        encoding="utf-8",
    )
    return Runtime(load_settings(config), environ={})


def _deliveries(rt: Runtime, channels: list[str]) -> list[Delivery]:
    with rt.session() as s:
        return list(s.exec(select(Delivery).where(col(Delivery.channel).in_(channels))).all())


def test_a_stored_subscription_to_an_internal_service_reaches_nothing(
    tracker: Tracker, tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A subscription aimed at an internal service that is in the database already (made
    before the guard, or written by hand) is refused when its alert is delivered: the
    service gets nothing, the error says why without the URL's credentials."""
    httpserver.expect_request("/internal/admin").respond_with_data("ok")
    port = httpserver.port
    urls = [
        f"json://127.0.0.1:{port}/internal/admin?method=PUT&+X-Injected=1",
        f"json://127.0.0.1:{port}/internal/admin",
        f"json://ops:{SECRET}@localhost:{port}/internal/admin",
        f"form://10.0.0.1:{port}/x",
    ]
    rt = _runtime(tracker, tmp_path)
    try:
        with rt.session() as s:
            user = add_user(s, "sokun", "viewer", "long enough passphrase")
            s.flush()
            assert user.id is not None
            rows = [Subscription(user_id=user.id, url=url) for url in urls]
            s.add_all(rows)
            s.flush()
            channels = [f"subscription-{row.id}" for row in rows]
            s.add_all(Delivery(alert_id=tracker.ids.en_alert, channel=c) for c in channels)
            s.commit()
        deliver(rt)
        tried = _deliveries(rt, channels)
    finally:
        rt.close()
    assert httpserver.log == [], "nothing reached the internal service"
    assert len(tried) == len(urls)
    for row in tried:
        assert row.status != "sent" and row.attempts == 1
        assert row.last_error and "not sent" in row.last_error, row.last_error
        assert SECRET not in row.last_error


def test_a_failing_channels_credentials_stay_out_of_its_error(
    tracker: Tracker, tmp_path: Path, httpserver: HTTPServer
) -> None:
    """The admin's own channel, with a password and an API key header in its URL,
    answered 500: the stored error (what /alerts/{id} and /api/alerts show) names the
    service and the status, not the credentials."""
    httpserver.expect_request("/hook").respond_with_data("ការបញ្ជូនបរាជ័យ", status=500)
    token = "tok-9f8e7d6c"
    url = f"json://sender:{SECRET}@127.0.0.1:{httpserver.port}/hook?+X-Api-Key={token}&+X-Trace=t-1"
    rt = _runtime(tracker, tmp_path, f'[[channels]]\nname = "ops"\nurl = "{url}"\n')
    try:
        with rt.session() as s:
            s.add(Delivery(alert_id=tracker.ids.km_alert, channel="ops"))
            s.commit()
        deliver(rt)
        [row] = _deliveries(rt, ["ops"])
    finally:
        rt.close()
    assert len(httpserver.log) == 1, "sent once, refused"
    sent = httpserver.log[0][0].headers
    basic = base64.b64encode(f"sender:{SECRET}".encode()).decode()
    assert sent["X-Api-Key"] == token and sent["Authorization"] == f"Basic {basic}"
    assert row.status != "sent" and row.last_error, row
    assert "127.0.0.1" in row.last_error and "500" in row.last_error, row.last_error
    for secret in (SECRET, token, basic):
        assert secret not in row.last_error, row.last_error


def test_a_channel_of_a_scheme_the_admin_did_not_list_sends_nothing(
    tracker: Tracker, tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    rt = _runtime(
        tracker,
        tmp_path,
        '[alerts]\nurl_schemes = ["mailto", "tgram"]\n'
        f'[[channels]]\nname = "hook"\nurl = "json://127.0.0.1:{httpserver.port}/hook"\n',
    )
    try:
        with rt.session() as s:
            s.add(Delivery(alert_id=tracker.ids.en_alert, channel="hook"))
            s.commit()
        deliver(rt)
        [row] = _deliveries(rt, ["hook"])
    finally:
        rt.close()
    assert httpserver.log == []
    assert row.status != "sent" and "scheme 'json' is not allowed" in (row.last_error or "")


@pytest.mark.parametrize("depth", [300, 2000])
def test_sptrack_extract_keeps_the_text_of_a_deeply_nested_page(
    depth: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """libxml2 stops at 256 nested elements: the article used to vanish, with no warning
    and exit 0 (a removed article, to the tracker)."""
    articles = (
        "<p>មាត្រា ១</p><p>ប្រាក់សោធននិវត្តន៍ត្រូវបានបង់ជារៀងរាល់ខែ។</p>"
        "<p>Article 2</p><p>The pension is paid every month.</p>"
    )
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body>" + "<div>" * depth + articles + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )
    monkeypatch.setattr("sys.argv", ["sptrack", "extract", str(page), "--format", "json"])
    monkeypatch.delenv("SPTRACK_CONFIG", raising=False)
    with pytest.raises(SystemExit) as exited:
        main()  # the console script's entry point, in this process
    out, err = capsys.readouterr()
    assert exited.value.code in (0, None), err
    document = json.loads(out)
    for words in ("មាត្រា ១", "ប្រាក់សោធននិវត្តន៍", "Article 2", "paid every month"):
        assert words in document["text"]
    refs = [s["ref"] for s in document["sections"] if s["kind"] == "article"]
    assert refs == ["មាត្រា ១", "Article 2"]


def _commands(group: object, prefix: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "commands", None):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def test_every_command_that_reads_the_configuration_takes_config() -> None:
    """All take ``--config`` but ``demo`` (it writes its own) and the evaluations that run
    on the bundled test material only."""
    without = [
        name
        for name, command in COMMANDS
        if not any("--config" in getattr(p, "opts", ()) for p in getattr(command, "params", ()))
    ]
    assert [n for n in without if n != "demo" and not n.startswith("eval ")] == []


def test_every_command_answers_a_wrong_option_with_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(COMMANDS) > 20
    group = typer.main.get_command(app)  # built once: main() would build it every call
    monkeypatch.setattr("typer.main.get_command", lambda _typer: group)
    for name, _command in COMMANDS:
        monkeypatch.setattr("sys.argv", ["sptrack", *name.split(), "--fromat", "ខ្មែរ"])
        with pytest.raises(SystemExit) as exited:
            main()  # the console script's entry point, in this process
        out, err = capsys.readouterr()
        assert exited.value.code == 2, (name, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: sptrack {name}"), (name, err)
        assert "--fromat" in lines[0] and out == ""
