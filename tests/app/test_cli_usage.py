"""A wrong command line is one clear line on stderr and exit 2, never a traceback; a
configuration the tracker cannot open is one line and exit 1. Through the console script."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from tests.app.sptrack_cli import FIXTURES, sptrack

DOC = str(FIXTURES / "budget_en.pdf")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("extract", DOC, "--fromat", "text"), "--fromat"),
        (("compare", DOC), "new"),
        (("crawl", "--bogus"), "--bogus"),
        (("extract", DOC, "--timeout", "abc"), "--timeout"),
        (("serve", "--port", "99999"), "--port"),
        (("users", "add"), "name"),
        (("alerts", "send", "--nope"), "--nope"),
    ],
)
def test_usage_error_is_one_line_and_exit_2(
    args: tuple[str, ...],
    needle: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.argv", ["sptrack", *args])
    with pytest.raises(SystemExit) as exited:
        main()  # the console script's entry point, in this process (fast)
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: sptrack ") and needle in lines[0]
    assert out == ""


def test_usage_error_through_the_console_script() -> None:
    result = sptrack("extract", DOC, "--fromat", "text")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: sptrack extract: No such option: --fromat (Possible options: --format) "
        "(see sptrack extract --help)"
    ]
    assert "Traceback" not in result.stderr


def _main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[object, str, str]:
    monkeypatch.setattr("sys.argv", ["sptrack", *args])
    monkeypatch.delenv("SPTRACK_CONFIG", raising=False)
    with pytest.raises(SystemExit) as exited:
        main()
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_unknown_database_dialect_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[database]\nurl = "nosuchdialect://x"\n', encoding="utf-8")
    code, _out, err = _main(monkeypatch, capsys, "alerts", "list", "--config", str(config))
    assert code == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "nosuchdialect" in lines[0], err


def test_extract_and_compare_take_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nowhere.toml")
    for args in (("extract", DOC), ("compare", DOC, DOC)):
        code, _out, err = _main(monkeypatch, capsys, *args, "--config", missing)
        assert code == 1 and "nowhere.toml" in err, err
        assert len(err.strip().splitlines()) == 1
    config = tmp_path / "config.toml"
    config.write_text("[reading]\ntimeout_s = 60\n", encoding="utf-8")
    text = tmp_path / "note.txt"
    text.write_text("មាត្រា ១ Article 1: pensions are paid monthly.\n", encoding="utf-8")
    code, out, err = _main(
        monkeypatch, capsys, "extract", str(text), "--format", "text", "--config", str(config)
    )
    assert code == 0, err
    assert "មាត្រា ១" in out and "pensions" in out
