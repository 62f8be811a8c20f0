"""What every command shares: its options, its runtime (closed when the command ends), the
user's files it reads, and its one-line errors."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any

import typer

from app.config import ConfigError
from app.config_file import config_path, load_settings
from parsers.errors import ParseError

ConfigOption = Annotated[
    str | None,
    typer.Option("--config", "-c", help="config.toml (default ./config.toml or $SPTRACK_CONFIG)"),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="json or text")]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout", min=1, help="Give up reading a document after SECONDS (reading.timeout_s)"
    ),
]


def fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def check_format(value: str, allowed: tuple[str, ...]) -> None:
    check_choice("--format", value, allowed)


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        fail(f"{name}: expected one of {', '.join(allowed)}, got {value!r}")


#: The runtimes this invocation opened (:func:`runtime`): their database connections close
#: when the command ends, in a process of its own or called in-process.
_OPENED_RUNTIMES: ContextVar[list[Any] | None] = ContextVar("opened_runtimes", default=None)


def collect_runtimes() -> Callable[[], None]:
    """Start collecting the runtimes this invocation opens; returns what closes them."""
    opened: list[Any] = []
    reset = _OPENED_RUNTIMES.set(opened)

    def close() -> None:
        for runtime in opened:
            runtime.close()
        _OPENED_RUNTIMES.reset(reset)

    return close


def runtime(config: str | None) -> Any:
    """The command's runtime; its database connections close when the command ends (in a
    process of its own or called in-process)."""
    from app.runtime import Runtime

    made = Runtime(load_settings(config_path(config)))
    opened = _OPENED_RUNTIMES.get()
    if opened is not None:
        opened.append(made)
    return made


def positions_path(config: str | None) -> Path:
    path = config_path(config)
    if path.is_file():
        settings = load_settings(path)
        return settings.path(settings.alerts.positions)
    for candidate in (Path("positions.toml"), Path(__file__).parents[2] / "positions.toml"):
        if candidate.is_file():
            return candidate
    raise ConfigError("positions.toml", "positions file not found")


def reading_timeout(config: str | None, timeout: float | None) -> float:
    """``--timeout``, else the config's ``reading.timeout_s``: an explicit ``--config``
    must exist; without one, ./config.toml (or $SPTRACK_CONFIG) is read if it is there."""
    if timeout is not None:
        return timeout
    path = config_path(config)
    if config is not None or path.is_file():
        return float(load_settings(path).reading.timeout_s)
    return 300.0


def read_file(path: Path, timeout_s: float) -> Any:
    """Read a user's file in a killable child process (time and memory limits)."""
    from parsers.read.isolation import read_isolated

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", name=str(path)) from None
    except IsADirectoryError:
        raise ParseError("is a directory, expected a file", name=str(path)) from None
    return read_isolated(data, name=str(path), timeout_s=timeout_s)
