"""A wrong command line is one clear line on stderr and exit 2, never a traceback; a
configuration the tracker cannot open is one line and exit 1. Through the console script's
entry point in this process, and once through the installed console script."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import FIXTURES, sptrack, sptrack_process

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
def test_usage_error_is_one_line_and_exit_2(args: tuple[str, ...], needle: str) -> None:
    result = sptrack(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: sptrack ") and needle in lines[0]
    assert result.stdout == ""


def test_usage_error_through_the_console_script() -> None:
    result = sptrack_process("extract", DOC, "--fromat", "text")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: sptrack extract: No such option: --fromat (Possible options: --format) "
        "(see sptrack extract --help)"
    ]
    assert "Traceback" not in result.stderr


def test_unknown_database_dialect_is_one_line_and_exit_1(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[database]\nurl = "nosuchdialect://x"\n', encoding="utf-8")
    result = sptrack("alerts", "list", "--config", str(config))
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nosuchdialect" in lines[0], result.stderr


def test_extract_and_compare_take_config(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.toml")
    for args in (("extract", DOC), ("compare", DOC, DOC)):
        result = sptrack(*args, "--config", missing)
        assert result.returncode == 1 and "nowhere.toml" in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    config = tmp_path / "config.toml"
    config.write_text("[reading]\ntimeout_s = 60\n", encoding="utf-8")
    text = tmp_path / "note.txt"
    text.write_text("មាត្រា ១ Article 1: pensions are paid monthly.\n", encoding="utf-8")
    result = sptrack("extract", str(text), "--format", "text", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "មាត្រា ១" in result.stdout and "pensions" in result.stdout
