"""A command called in-process (tests, a caller's own Python) closes the database
connections it opened when it ends, as a process of its own does by exiting: an open
connection left to the garbage collector is a ResourceWarning on PostgreSQL, in whatever
code runs next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

import app.runtime
from app.cli import main


@pytest.mark.parametrize("argv", [["users", "list"], ["users", "disable", "nobody"]])
def test_an_in_process_command_closes_its_connections(
    argv: list[str],
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A command that succeeds and one that fails (no such user).
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{database_url}"\n[storage]\npath = "{tmp_path / "blobs"}"\n',
        encoding="utf-8",
    )
    engines: list[Engine] = []
    open_engine = app.runtime.open_engine

    def recorded(*args: Any, **kwargs: Any) -> Engine:
        engines.append(open_engine(*args, **kwargs))
        return engines[-1]

    monkeypatch.setattr(app.runtime, "open_engine", recorded)
    monkeypatch.delenv("SPTRACK_CONFIG", raising=False)
    monkeypatch.setattr("sys.argv", ["sptrack", *argv, "--config", str(config)])
    with pytest.raises(SystemExit):
        main()
    capsys.readouterr()
    assert engines
    for engine in engines:
        pool: Any = engine.pool
        assert (pool.checkedin(), pool.checkedout()) == (0, 0), "a connection left open"
