from __future__ import annotations

from pathlib import Path

import pytest

from app.config import ConfigError, expand_secrets
from app.config_file import config_path, load_settings, parse_settings

REPO = Path(__file__).resolve().parents[2]

GOOD = """
[database]
url = "sqlite:///data/test.db"

[[sources]]
id = "nssf-legal"
start_urls = ["https://www.nssf.gov.kh/language/en"]
documents = "ul.docs a::attr(href)"

[[sources]]
id = "mlvt-prakas"
start_urls = ["https://www.mlvt.gov.kh/index.php/ឯកសារផ្លូវការ/ប្រកាស.html"]
schedule = "0 7 * * 1-5"
documents = "a::attr(href)"

[[channels]]
name = "secretariat"
url = "mailto://${SMTP_USER}:${SMTP_PASSWORD}@mail.example.org"
mode = "daily"
"""


def _parse(text: str, tmp_path: Path) -> object:
    return parse_settings(text, tmp_path / "config.toml")


def test_repository_config_loads() -> None:
    settings = load_settings(REPO / "config.toml")
    assert {s.id for s in settings.sources} >= {"nssf-legal", "mlvt-prakas"}
    assert settings.channels[0].mode == "daily"


def test_defaults_and_relative_paths(tmp_path: Path) -> None:
    settings = parse_settings(GOOD, tmp_path / "config.toml")
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'data' / 'test.db'}"
    assert settings.path("data/blobs") == tmp_path.resolve() / "data" / "blobs"
    assert settings.sources[0].schedule == "0 6 * * *"
    assert settings.sources[1].start_urls[0].endswith("ប្រកាស.html")
    assert settings.source("mlvt-prakas").id == "mlvt-prakas"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[database]\nurl = 'x'\ncolour = 'red'\n", r"config.toml:3: database.colour: unknown key"),
        ("[nonsense]\n", r"config.toml:1: nonsense: unknown key"),
        (
            GOOD.replace('schedule = "0 7 * * 1-5"', 'schedule = "every day"'),
            r"config.toml:13: sources.1.schedule: .*expected a cron expression",
        ),
        (GOOD.replace('id = "nssf-legal"', 'id = "NSSF Legal"'), r"sources.0.id: .*lowercase"),
        (
            GOOD.replace('["https://www.nssf.gov.kh/language/en"]', '["ftp://x"]'),
            r"config.toml:7: sources.0.start_urls: .*http\(s\) URL",
        ),
        (GOOD.replace('mode = "daily"', 'mode = "hourly"'), r"channels.0.mode: "),
        (
            "[[sources]]\nid = 'a'\n",
            r"config.toml:1: sources.0.start_urls: required key is missing",
        ),
        (
            GOOD.replace('documents = "ul.docs a::attr(href)"', ""),
            r"config.toml:5: sources.0: the generic listing spider needs `documents`",
        ),
        ("[database\n", r"not valid TOML"),
        (
            GOOD.replace('id = "mlvt-prakas"', 'id = "mlvt-prakas"\nspider = "drupal"'),
            r"config.toml:12: sources.1.spider: expected one of listing, mlvt, .*got 'drupal'",
        ),
        (
            GOOD.replace('id = "mlvt-prakas"', 'id = "nssf-legal"'),
            r"config.toml:10: sources: duplicate 'nssf-legal'",
        ),
    ],
)
def test_bad_config_names_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        _parse(text, tmp_path)


def test_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file") as info:
        load_settings(tmp_path / "absent.toml")
    assert "\n" not in str(info.value)


def test_unknown_source_id_lists_known_ones(tmp_path: Path) -> None:
    settings = parse_settings(GOOD, tmp_path / "config.toml")
    with pytest.raises(ConfigError, match="known: nssf-legal, mlvt-prakas"):
        settings.source("mef")


def test_secrets_come_from_the_environment(tmp_path: Path) -> None:
    url = "mailto://${SMTP_USER}:${SMTP_PASSWORD}@mail.example.org"
    env = {"SMTP_USER": "officer", "SMTP_PASSWORD": "s3cret"}
    assert expand_secrets(url, env, tmp_path, "channels.x.url") == (
        "mailto://officer:s3cret@mail.example.org"
    )
    with pytest.raises(ConfigError, match="SMTP_PASSWORD is not set"):
        expand_secrets(url, {"SMTP_USER": "officer"}, tmp_path, "channels.x.url")


def test_config_path_precedence() -> None:
    assert config_path("a.toml", {"SPTRACK_CONFIG": "b.toml"}) == Path("a.toml")
    assert config_path(None, {"SPTRACK_CONFIG": "b.toml"}) == Path("b.toml")
    assert config_path(None, {}) == Path("config.toml")


def test_without_a_positions_file_the_shipped_one_is_used(tmp_path: Path) -> None:
    from app.runtime import Runtime

    settings = parse_settings("", tmp_path / "config.toml")
    assert len(Runtime(settings, environ={}).positions) == 18
    named = parse_settings("[alerts]\npositions = 'ours.toml'\n", tmp_path / "config.toml")
    with pytest.raises(ConfigError, match="positions file not found"):
        Runtime(named, environ={}).positions  # noqa: B018
