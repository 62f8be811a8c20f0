"""Reading config.toml: where it is (``--config``, ``$SPTRACK_CONFIG`` or ./config.toml),
parsing it into :class:`app.config.Settings`, and refusing a bad file with the file, the key
and its line."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.config import ConfigError, Settings

DEFAULT_CONFIG = "config.toml"
CONFIG_ENV = "SPTRACK_CONFIG"


def config_path(explicit: str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """``--config`` wins; else ``$SPTRACK_CONFIG``; else ``./config.toml``."""
    return Path(explicit or environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def _line_of(text: str, loc: Sequence[int | str]) -> int | None:
    """Best line for a validation error at ``loc`` (e.g. ('sources', 1, 'schedule'))."""
    lines = text.splitlines()
    start = 0
    table = ""
    for part in loc:
        if isinstance(part, int) and table:
            pattern = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
            hits = [i for i, line in enumerate(lines) if pattern.match(line)]
            if part < len(hits):
                start = hits[part]
            continue
        name = str(part)
        table_re = re.compile(rf"^\s*\[{{1,2}}\s*{re.escape(name)}\s*\]{{1,2}}")
        key_re = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for i in range(start, len(lines)):
            if table_re.match(lines[i]) or key_re.match(lines[i]):
                start = i
                break
        table = name
    return start + 1 if loc else None


def parse_settings(text: str, path: Path) -> Settings:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"not valid TOML: {exc}") from exc
    data["config_file"] = str(path.resolve())
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function"))]
        key = ".".join(str(p) for p in loc)
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "required key is missing"
        raise ConfigError(path, message, key, _line_of(text, loc)) from exc
    _check_unique(settings, path, text)
    return settings


def _check_unique(settings: Settings, path: Path, text: str) -> None:
    for kind, ids in (
        ("sources", [s.id for s in settings.sources]),
        ("channels", [c.name for c in settings.channels]),
    ):
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                line = _line_of(text, [kind, index])
                raise ConfigError(path, f"duplicate {item!r}", kind, line)
            seen.add(item)


def load_settings(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(path, "no such file (use --config or SPTRACK_CONFIG)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read: {exc}") from exc
    return parse_settings(text, path)
