"""`sptrack`: the command line (Typer). Every user mistake ends in one line and exit 1.

The commands live in `app.commands`, one module per group; this module registers them on
the one app, sets up logging and turns errors into one line (:func:`main`)."""

from __future__ import annotations

import logging
import sys
from typing import Annotated, Any, NoReturn

import sqlalchemy.exc
import typer

from alerts.errors import AlertError
from app.commands import alerts as alert_commands
from app.commands import crawl as crawl_commands
from app.commands import documents as document_commands
from app.commands import evaluate as eval_commands
from app.commands import languages as language_commands
from app.commands import parameters as parameter_commands
from app.commands import service as service_commands
from app.commands import sources as source_commands
from app.commands import users as user_commands
from app.commands.context import collect_runtimes
from app.commands.progress import stderr_console
from app.config import ConfigError
from crawler.errors import CrawlError
from parsers.errors import ParseError
from tracker.errors import TrackerError

logger = logging.getLogger(__name__)

app = typer.Typer(
    help="SP Tracker: track social-protection instruments, compare versions, alert the coalition.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Commands first, then the groups, each in the order `sptrack --help` lists them.
app.command()(document_commands.extract)
app.command()(document_commands.compare)
app.command()(document_commands.crosscheck)
app.command()(crawl_commands.crawl)
app.command()(crawl_commands.add)
app.command()(alert_commands.note)
app.command()(service_commands.serve)
app.command()(service_commands.run)
app.command()(service_commands.demo)
app.command()(parameter_commands.parameters)
app.add_typer(alert_commands.alerts_app, name="alerts")
app.add_typer(user_commands.users_app, name="users")
app.add_typer(eval_commands.eval_app, name="eval")
app.add_typer(source_commands.sources_app, name="sources")
app.add_typer(language_commands.languages_app, name="languages")

USER_ERRORS = (ConfigError, ParseError, TrackerError, AlertError, CrawlError, OSError)


def _setup_logging(level: int) -> None:
    from rich.logging import RichHandler

    handler = RichHandler(console=stderr_console(), show_path=False, level=level)
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler])
    for noisy in ("scrapy", "twisted", "pdfminer", "apprise", "alembic", "httpx", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@app.callback()
def _root(
    ctx: typer.Context,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Warnings and errors only.")] = False,
) -> None:
    quiet = quiet or ctx.invoked_subcommand in ("demo", "extract", "compare", "eval")
    _setup_logging(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    ctx.call_on_close(collect_runtimes())


def _usage_error(exc: Any) -> NoReturn:
    """A wrong command line: one line on stderr naming the command, exit 2 (usage) or 1."""
    command = exc.ctx.command_path if getattr(exc, "ctx", None) else "sptrack"
    message = " ".join(exc.format_message().split())
    typer.echo(f"error: {command}: {message} (see {command} --help)", err=True)
    sys.exit(exc.exit_code)


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit 1; a wrong
    command line (unknown option, missing argument, bad value) one line and exit 2."""
    try:
        result = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except USER_ERRORS as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except sqlalchemy.exc.OperationalError as exc:  # locked, unreachable, disk full
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        typer.echo(f"error: database: {reason}", err=True)
        sys.exit(1)
    except Exception as exc:
        import click
        from typer._click import exceptions as typer_click

        if isinstance(exc, typer_click.NoArgsIsHelpError | click.exceptions.NoArgsIsHelpError):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, typer_click.ClickException | click.ClickException):
            _usage_error(exc)
        raise
    sys.exit(result if isinstance(result, int) else 0)
