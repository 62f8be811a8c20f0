"""`sptrack` for tests: in this process (``sptrack``), or as the installed console script
(``sptrack_process``, ``SPTRACK``) where the process itself is what a test is about
(killed, signalled, served, scheduled)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from typer.testing import CliRunner

import evaluation
from app.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = evaluation.DOCUMENTS
SPTRACK = Path(sys.executable).with_name("sptrack")


@dataclass(frozen=True)
class Ran:
    """One command's outcome, read as from a process: exit status, stdout, stderr."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Both streams, stdout first (for what may be on either)."""
        return self.stdout + self.stderr


def sptrack(*args: str, cwd: Path | None = None, stdin: str = "") -> Ran:
    """Run ``sptrack ARGS`` through the console script's entry point (``app.cli.main``) in
    this process: its own stdin, stdout and stderr, argv, working folder (the repository
    unless ``cwd``), no ``$SPTRACK_CONFIG``, and the logging the command sets up itself (to
    its stderr, not pytest's capture). A crash is a traceback on stderr and status 1, as
    from the process. Database connections the command leaves open (a process's exit would
    close them) are closed when it returns: none is left for the garbage collector."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logger.level for name, logger in _loggers()}
    argv, folder = sys.argv, os.getcwd()
    engines: dict[int, Engine] = {}

    def connected(connection: Connection) -> None:
        engines.setdefault(id(connection.engine), connection.engine)

    event.listen(Engine, "engine_connect", connected)
    with CliRunner().isolation(input=stdin, env={"SPTRACK_CONFIG": None}) as (out, err, _):
        root.handlers = []
        sys.argv = ["sptrack", *args]
        os.chdir(cwd or REPO)
        try:
            main()
            code: int = 0
        except SystemExit as exited:
            code = _status(exited.code)
        except Exception:
            traceback.print_exc()
            code = 1
        finally:
            event.remove(Engine, "engine_connect", connected)
            for engine in engines.values():
                engine.dispose()
            sys.stdout.flush()
            sys.stderr.flush()
            os.chdir(folder)
            sys.argv = argv
            for handler in root.handlers:
                handler.close()
            root.handlers = handlers
            root.setLevel(level)
            for name, logger in _loggers():
                logger.setLevel(levels.get(name, logging.NOTSET))
        return Ran(args, code, _text(out.getvalue()), _text(err.getvalue()))


def _loggers() -> list[tuple[str, logging.Logger]]:
    made = logging.Logger.manager.loggerDict.items()
    return [(name, logger) for name, logger in made if isinstance(logger, logging.Logger)]


def _status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


def console_env() -> dict[str, str]:
    """The environment a console-script process gets: this one's, without $SPTRACK_CONFIG."""
    return {k: v for k, v in os.environ.items() if k != "SPTRACK_CONFIG"}


def sptrack_process(
    *args: str, cwd: Path | None = None, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script in a process of its own, as a user would (in
    ``env``, else this environment without $SPTRACK_CONFIG)."""
    return subprocess.run(
        [str(SPTRACK), *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd or REPO,
        env=console_env() if env is None else env,
        timeout=300,
        check=False,
    )
