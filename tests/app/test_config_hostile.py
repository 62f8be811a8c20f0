"""The config loader on mangled files: a Settings or one ConfigError line, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.config import ConfigError, Settings
from app.config_file import load_settings, parse_settings

CONFIG = (Path(__file__).parents[2] / "config.toml").read_text(encoding="utf-8")
LINES = CONFIG.splitlines()
JUNK = st.sampled_from(
    [
        "",
        "[[sources]]",
        "[web]",
        'id = "nssf"',
        "url = 3",
        "schedule = '99 99 * * *'",
        "min_severity = 'apocalyptic'",
        "positions = ['no_such_position']",
        'start_urls = ["ftp://x"]',
        "timeout_s = -1",
        "delay_s = 1e400",
        "password = '${NO_SUCH_SECRET}'",
        "[database",
        'name = "ប្រកាស"',
        "= 1",
        "x = [[[[[[[[[[1]]]]]]]]]]",
        "\x00",
    ]
)


@st.composite
def _mangled(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "cut"]))
        if action == "delete" and at < len(lines):
            del lines[at]
        elif action == "insert":
            lines.insert(at, draw(JUNK))
        elif action == "duplicate" and at < len(lines):
            lines.insert(at, lines[at])
        elif action == "cut" and at < len(lines):
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    return "\n".join(lines)


def _one_line_or_settings(text: str, path: Path) -> None:
    try:
        loaded = parse_settings(text, path)
    except ConfigError as exc:
        message = str(exc)
        assert message and "\n" not in message.strip(), message
        assert "config.toml" in message
    else:
        assert isinstance(loaded, Settings)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_mangled())
def test_a_mangled_config_loads_or_gives_one_line(text: str) -> None:
    _one_line_or_settings(text, Path("/srv/sptrack/config.toml"))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text(max_size=400))
def test_any_text_loads_or_gives_one_line(text: str) -> None:
    _one_line_or_settings(text, Path("/srv/sptrack/config.toml"))


def test_binary_garbage_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe\x00garbage\x80")
    try:
        load_settings(path)
    except ConfigError as exc:
        assert "config.toml" in str(exc) and "\n" not in str(exc)
    else:
        raise AssertionError("binary garbage loaded as a config")
