"""A ``[[channels]]`` entry with a misspelt position or a malformed Apprise URL is refused
when the config is used, in one line naming the key, the bad value and the closest id."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main

CONFIG = """[database]
url = "sqlite:///data/t.db"

[[channels]]
name = "officers"
url = "{url}"
positions = [{positions}]
"""


def _run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str,
    positions: str,
) -> tuple[int, str]:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(url=url, positions=positions), encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["sptrack", "alerts", "send", "--config", str(config)])
    with pytest.raises(SystemExit) as exit_:
        main()
    _, err = capsys.readouterr()
    return int(exit_.value.code or 0), err


def test_a_misspelt_position_in_a_channel_is_refused_with_the_closest_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(tmp_path, monkeypatch, capsys, "json://127.0.0.1:9/x", '"maternty", "vesting"')
    assert code == 1
    [line] = err.strip().splitlines()
    assert "channels.officers.positions" in line
    assert "did you mean 'maternity'?" in line and "got 'maternty'" in line
    assert "Traceback" not in err


def test_a_position_in_khmer_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(tmp_path, monkeypatch, capsys, "json://127.0.0.1:9/x", '"មាតុភាព"')
    assert code == 1 and "got 'មាតុភាព'" in err and "channels.officers.positions" in err


def test_a_malformed_apprise_url_is_refused_without_its_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(tmp_path, monkeypatch, capsys, "mailtoo://user:s3cret@mail.example.org", '"*"')
    assert code == 1
    [line] = err.strip().splitlines()
    assert "channels.officers.url" in line and "got 'mailtoo://…'" in line
    assert "s3cret" not in err


def test_known_positions_and_source_health_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(
        tmp_path, monkeypatch, capsys, "json://127.0.0.1:9/x", '"maternity", "source_health"'
    )
    assert code == 0, err


def test_alerts_test_sends_on_a_configured_channel_in_its_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.mockserver import WebhookServer, serving

    hook = WebhookServer()
    with serving(hook):
        config = tmp_path / "config.toml"
        url = f"json://127.0.0.1:{hook.port}/alerts"
        config.write_text(CONFIG.format(url=url, positions='"*"'), encoding="utf-8")

        def run(*args: str) -> tuple[int, str, str]:
            argv = ["sptrack", "alerts", "test", *args, "--config", str(config)]
            monkeypatch.setattr("sys.argv", argv)
            try:
                main()
                code = 0
            except SystemExit as exit_:
                code = int(exit_.code or 0)
            out, err = capsys.readouterr()
            return code, out, err

        code, out, _ = run("officers")
        assert code == 0 and out.strip() == "sent to officers: [TEST] SP Tracker"
        code, out, _ = run("officers", "--language", "km")
        assert code == 0 and "[សាកល្បង] SP Tracker" in out
        assert [m["title"] for m in hook.received] == ["[TEST] SP Tracker", "[សាកល្បង] SP Tracker"]
        assert "No alert has matched it yet." in str(hook.received[0]["message"])
        code, out, _ = run("officers", "--dry-run")
        assert code == 0 and "this channel works" in out and len(hook.received) == 2
        code, _, err = run("secretariat")
        assert code == 1 and "unknown channel 'secretariat'" in err and "officers" in err
        code, _, err = run("officers", "--language", "fr")
        assert code == 1 and "got 'fr'" in err
