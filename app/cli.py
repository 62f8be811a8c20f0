"""`sptrack`: the command line (Typer). Every user mistake ends in one line and exit 1."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import sqlalchemy.exc
import typer

import evaluation
from alerts.errors import AlertError
from app.config import ConfigError, config_path, load_settings
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
alerts_app = typer.Typer(help="Deliver and list alerts.", no_args_is_help=True)
users_app = typer.Typer(help="Manage the web tracker's users.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")
eval_app = typer.Typer(help="Measure the stages on labelled documents.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(eval_app, name="eval")

USER_ERRORS = (ConfigError, ParseError, TrackerError, AlertError, CrawlError, OSError)
F = TypeVar("F", bound=Callable[..., Any])

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


def _setup_logging(level: int) -> None:
    from rich.logging import RichHandler

    handler = RichHandler(console=_stderr_console(), show_path=False, level=level)
    logging.basicConfig(level=level, format="%(message)s", handlers=[handler])
    for noisy in ("scrapy", "twisted", "pdfminer", "apprise", "alembic", "httpx", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@app.callback()
def _root(
    ctx: typer.Context,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Warnings and errors only.")] = False,
) -> None:
    quiet = quiet or ctx.invoked_subcommand in ("demo", "extract", "compare", "eval")
    _setup_logging(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    opened: list[Any] = []
    reset = _OPENED_RUNTIMES.set(opened)

    def close() -> None:
        for runtime in opened:
            runtime.close()
        _OPENED_RUNTIMES.reset(reset)

    ctx.call_on_close(close)


#: The runtimes this invocation opened (:func:`_runtime`): their database connections close
#: when the command ends, in a process of its own or called in-process.
_OPENED_RUNTIMES: ContextVar[list[Any] | None] = ContextVar("opened_runtimes", default=None)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[str], None] | None]:
    """A live line on a terminal (stderr) naming the document being worked on; nothing
    when stderr is not a terminal (logs and CI stay clean)."""
    console = _stderr_console()
    if not console.is_terminal:
        yield None
        return
    with console.status(f"{what}...") as status:
        count = 0

        def update(item: str) -> None:
            nonlocal count
            count += 1
            status.update(f"{what}: {count} done, last {item[-70:]}")

        yield update


@contextmanager
def _crawl_progress() -> Iterator[Callable[[str], None] | None]:
    """Per-source progress of a crawl on a terminal (stderr): a bar of the documents
    fetched of those found (and the listing pages read), then of the documents read; each
    source's bar is kept when the next source starts. Not a terminal: nothing."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    from app.jobs import progress_counts

    console = _stderr_console()
    if not console.is_terminal:
        yield None
        return
    columns = (
        SpinnerColumn(finished_text="[green]done[/green]"),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}", markup=False),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bars:
        tasks: dict[str, TaskID] = {}

        def finish(task: TaskID) -> None:
            total = bars.tasks[task].total
            bars.update(task, total=total or 1, completed=total or 1)

        def update(message: str) -> None:
            source, _, doing = message.partition(": ")
            if source not in tasks:
                for other in tasks.values():
                    finish(other)
                tasks[source] = bars.add_task(source, total=None, detail="")
            task = tasks[source]
            counts = progress_counts(message)
            if "fetched" in counts:
                fetched, found = counts["fetched"], counts["found"]
                detail = f"documents fetched of {found} found on {counts['pages']} listing pages"
                bars.update(
                    task,
                    description=f"{source} fetching",
                    completed=fetched,
                    total=max(found, fetched) or None,
                    detail=detail,
                )
            elif "read" in counts:
                bars.update(
                    task,
                    description=f"{source} reading",
                    completed=counts["read"],
                    total=counts["to_read"],
                    detail="documents read",
                )
            else:
                bars.update(task, detail=doing[:80])
            bars.refresh()

        yield update
        for task in tasks.values():
            finish(task)


def _runtime(config: str | None) -> Any:
    """The command's runtime; its database connections close when the command ends (in a
    process of its own or called in-process)."""
    from app.runtime import Runtime

    runtime = Runtime(load_settings(config_path(config)))
    opened = _OPENED_RUNTIMES.get()
    if opened is not None:
        opened.append(runtime)
    return runtime


def _positions_path(config: str | None) -> Path:
    path = config_path(config)
    if path.is_file():
        settings = load_settings(path)
        return settings.path(settings.alerts.positions)
    for candidate in (Path("positions.toml"), Path(__file__).parent.parent / "positions.toml"):
        if candidate.is_file():
            return candidate
    raise ConfigError("positions.toml", "positions file not found")


def _reading_timeout(config: str | None, timeout: float | None) -> float:
    """``--timeout``, else the config's ``reading.timeout_s``: an explicit ``--config``
    must exist; without one, ./config.toml (or $SPTRACK_CONFIG) is read if it is there."""
    if timeout is not None:
        return timeout
    path = config_path(config)
    if config is not None or path.is_file():
        return float(load_settings(path).reading.timeout_s)
    return 300.0


def _read_file(path: Path, timeout_s: float) -> Any:
    """Read a user's file in a killable child process (time and memory limits)."""
    from parsers.read.isolation import read_isolated

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParseError("no such file", name=str(path)) from None
    except IsADirectoryError:
        raise ParseError("is a directory, expected a file", name=str(path)) from None
    return read_isolated(data, name=str(path), timeout_s=timeout_s)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="PDF, DOCX, HTML or text; type read from content")],
    format: FormatOption = "json",
    config: ConfigOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Read a document: text, language, pages, method and sections."""
    _check_format(format, ("json", "text"))
    document = _read_file(file, _reading_timeout(config, timeout))
    if format == "json":
        typer.echo(json.dumps(document.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(document.text)


@app.command()
def compare(
    old: Annotated[Path, typer.Argument(help="The earlier version")],
    new: Annotated[Path, typer.Argument(help="The later version")],
    format: Annotated[str, typer.Option("--format", "-f", help="json, text or html")] = "json",
    config: ConfigOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Compare two versions article by article, with numbers and position flags."""
    from alerts.match.matcher import Matcher
    from alerts.positions import load_positions
    from app.report import compare_report, render_compare_html, render_compare_text

    _check_format(format, ("json", "text", "html"))
    timeout_s = _reading_timeout(config, timeout)
    old_doc, new_doc = _read_file(old, timeout_s), _read_file(new, timeout_s)
    matcher = Matcher(load_positions(_positions_path(config)))
    report = compare_report(old_doc, new_doc, matcher)
    if format == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif format == "text":
        typer.echo(render_compare_text(report, colour=sys.stdout.isatty()))
    else:
        typer.echo(render_compare_html(report, old.name, new.name))


@app.command()
def crosscheck(
    file_a: Annotated[Path, typer.Argument(help="One language version (e.g. the Khmer original)")],
    file_b: Annotated[Path, typer.Argument(help="Another language version (e.g. the English)")],
    format: FormatOption = "json",
    config: ConfigOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Check two language versions of one instrument against each other: provisions aligned
    by structure and numbers, numbers that disagree, provisions missing on one side."""
    from app.report import crosscheck_report, render_crosscheck_text

    _check_format(format, ("json", "text"))
    timeout_s = _reading_timeout(config, timeout)
    report = crosscheck_report(_read_file(file_a, timeout_s), _read_file(file_b, timeout_s))
    if format == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_crosscheck_text(report))


@app.command()
def crawl(
    sources: Annotated[list[str] | None, typer.Argument(help="Source ids (default: all)")] = None,
    config: ConfigOption = None,
) -> None:
    """Fetch each source once, store, compare, match and deliver."""
    from app.jobs import crawl as crawl_job

    rt = _runtime(config)
    with _crawl_progress() as progress:
        outcomes = crawl_job(rt, sources or [], progress)
    typer.echo("run report:")
    for outcome in outcomes:
        typer.echo(outcome.line())
    if outcomes and all(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)


@app.command()
def add(
    file: Annotated[Path, typer.Argument(help="PDF, DOCX, HTML or text to add")],
    source: Annotated[str, typer.Option(help="Source id it belongs to (e.g. mef-budget)")],
    title: Annotated[str, typer.Option(help="Title of the instrument")],
    url: Annotated[str, typer.Option(help="Where it was published (names the instrument)")] = "",
    number: Annotated[str, typer.Option(help="Its number, e.g. 32 ANK.BK")] = "",
    date: Annotated[str, typer.Option(help="Its date as published")] = "",
    language: Annotated[str, typer.Option(help="km or en")] = "",
    config: ConfigOption = None,
) -> None:
    """Add a document by hand (e.g. a budget law): stored, compared, matched, alerted."""
    import re

    from app.upload import Upload, add_document

    if not re.match(r"^[a-z0-9][a-z0-9_-]{0,63}$", source):
        fail(f"--source: expected lowercase letters, digits, - or _, got {source!r}")
    if language not in ("", "km", "en"):
        fail(f"--language: expected km or en, got {language!r}")
    rt = _runtime(config)
    outcome = add_document(
        rt, Upload(file, source, title, url=url, number=number, date=date, language=language)
    )
    typer.echo(outcome.line())
    if outcome.failed:
        raise typer.Exit(1)


@alerts_app.command("send")
def alerts_send(
    config: ConfigOption = None,
    due_only: Annotated[
        bool,
        typer.Option("--due-only", help="Leave failed deliveries until their backoff ends."),
    ] = False,
) -> None:
    """Deliver pending alerts that are due and retry failed ones (each exactly once)."""
    from app.jobs import deliver

    report = deliver(_runtime(config), retry_failed=not due_only)
    typer.echo(report.line())
    for error in report.errors:
        typer.echo(f"failed: {error}", err=True)


@alerts_app.command("test")
def alerts_test(
    channel: Annotated[str, typer.Argument(help="A [[channels]] name of the config")],
    config: ConfigOption = None,
    language: Annotated[
        str | None, typer.Option(help="en or km (default: the channel's own language)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the message instead of sending it.")
    ] = False,
) -> None:
    """Send a test message on a channel now: the latest alert it would have received."""
    from dataclasses import replace

    from alerts.deliver.delivery import UnknownChannel
    from alerts.deliver.preview import PreviewLanguageError, preview, send_trial, trial_message

    rt = _runtime(config)
    found = {c.name: c for c in rt.channels}
    if channel not in found:
        raise UnknownChannel(channel, sorted(found))
    target = found[channel]
    if language is not None:
        if language not in ("en", "km"):
            raise PreviewLanguageError(language)
        target = replace(target, language=language)  # type: ignore[arg-type]
    base = rt.settings.web.base_url
    with rt.session() as s:
        if dry_run:
            message = trial_message(preview(s, target, rt.positions_by_id, base))
            typer.echo(message.subject)
            typer.echo(message.text)
            return
        message = send_trial(s, target, rt.positions_by_id, base)
    typer.echo(f"sent to {channel}: {message.subject}")


@alerts_app.command("list")
def alerts_list(
    config: ConfigOption = None,
    format: FormatOption = "json",
    notices: Annotated[
        bool, typer.Option("--notices", help="List source-health notices instead of alerts.")
    ] = False,
) -> None:
    """List alerts with their positions, summary and delivery status."""
    from alerts.deliver.status import alerts_status, notices_status

    _check_format(format, ("json", "text"))
    rt = _runtime(config)
    with rt.session() as s:
        rows = notices_status(s) if notices else alerts_status(s)
    if format == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        for row in rows:
            topic = row["source"] if notices else ",".join(row["positions"])
            typer.echo(f"#{row['id']} [{row['status']}] {topic}: {row['summary']}")


@app.command()
def note(
    alert_id: Annotated[int, typer.Argument(help="Alert id (see `sptrack alerts list`)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="note.docx or note.md")],
    config: ConfigOption = None,
) -> None:
    """Write a rapid-response note (DOCX or Markdown) for an alert."""
    from alerts.deliver.note import task_team_of, write_note
    from alerts.deliver.view import load_alert_view

    rt = _runtime(config)
    with rt.session() as s:
        view = load_alert_view(s, alert_id, rt.positions_by_id, rt.settings.web.base_url)
        team = task_team_of(s, alert_id)
    typer.echo(str(write_note(view, out, team=team)))


@app.command()
def serve(
    config: ConfigOption = None,
    host: Annotated[str | None, typer.Option(help="Listen address")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Listen port")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Processes serving requests (one per core)")
    ] = 1,
) -> None:
    """Serve the web tracker."""
    from app.service import serve_web

    rt = _runtime(config)
    serve_web(rt, host or rt.settings.web.host, port or rt.settings.web.port, workers)


@app.command()
def run(config: ConfigOption = None) -> None:
    """Run the scheduler (crawls on each source's cron, deliveries) and the web tracker."""
    from app.service import run_service

    run_service(_runtime(config))


@app.command()
def demo(
    workdir: Annotated[
        Path, typer.Option(help="Folder for the demo's config, database and blobs")
    ] = Path("demo-data"),
    language: Annotated[
        str, typer.Option(help="Language of the story: en (English) or km (Khmer)")
    ] = "en",
) -> None:
    """Crawl a bundled offline ministry site in two states and tell what changed."""
    from app.demo import LANGUAGES, run_demo

    if language not in LANGUAGES:
        raise typer.BadParameter(f"expected en or km, got {language!r}", param_hint="--language")
    run_demo(workdir, echo=typer.echo, language=language)


@eval_app.command("extract")
def eval_extract(
    folder: Annotated[
        Path, typer.Argument(help="Documents X.pdf|.docx|.html beside their true text X.txt")
    ] = evaluation.DOCUMENTS,
    format: FormatOption = "text",
    detail: Annotated[bool, typer.Option("--detail", help="One line per file")] = False,
) -> None:
    """Character similarity of extracted text to the true text, per kind of document."""
    from evaluation.extract import evaluate_extraction, render_table, to_json

    _check_format(format, ("json", "text"))
    if not folder.is_dir():
        fail(f"{folder}: no such folder")
    scores = evaluate_extraction(folder)
    _echo_eval(format, to_json(scores), lambda: render_table(scores, detail=detail))


@eval_app.command("compare")
def eval_compare(
    folder: Annotated[
        Path, typer.Argument(help="Pair folders, each with old, new and expected.json")
    ] = evaluation.PAIRS,
    format: FormatOption = "text",
    config: ConfigOption = None,
) -> None:
    """Changes found by compare against the expected counts and numbers of each pair."""
    from alerts.match.matcher import Matcher
    from alerts.positions import load_positions
    from evaluation.compare import evaluate_compare, render_table, to_json

    _check_format(format, ("json", "text"))
    if not folder.is_dir():
        fail(f"{folder}: no such folder")
    try:
        scores = evaluate_compare(folder, Matcher(load_positions(_positions_path(config))))
    except ValueError as exc:  # a malformed expected.json, named in the message
        fail(str(exc))
    _echo_eval(format, to_json(scores), lambda: render_table(scores))


@eval_app.command("match")
def eval_match(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help=f"Labelled changes, JSON Lines (default {evaluation.CHANGES})"),
    ] = None,
    split: Annotated[str, typer.Option(help="dev, held-out, feedback or all")] = "all",
    min_severity: Annotated[
        str, typer.Option("--min-severity", help="Count flags of this severity and above")
    ] = "low",
    errors: Annotated[bool, typer.Option("--errors", help="One line per wrong case")] = False,
    format: FormatOption = "text",
    config: ConfigOption = None,
) -> None:
    """Precision, recall and F1 of position flags on labelled changes: overall, per
    language, per split and per position."""
    from alerts.match.matcher import Matcher
    from alerts.positions import load_positions
    from evaluation.labelled_changes import load_sets
    from evaluation.match import evaluate_matching, render_table, to_json

    _check_format(format, ("json", "text"))
    _check_format_option("--split", split, ("dev", "held-out", "feedback", "all"))
    _check_format_option("--min-severity", min_severity, ("low", "medium", "high"))
    try:
        cases = load_sets(files or [evaluation.CHANGES], split)
    except ValueError as exc:  # a missing file, a bad line, an empty split, an id used twice
        fail(str(exc))
    results = evaluate_matching(
        cases, Matcher(load_positions(_positions_path(config))), min_severity
    )
    _echo_eval(format, to_json(results), lambda: render_table(results, errors=errors))


@eval_app.command("crosscheck")
def eval_crosscheck(
    folder: Annotated[
        Path, typer.Argument(help="Folder with cases.json and the language versions it names")
    ] = evaluation.CROSSCHECK,
    case: Annotated[list[str] | None, typer.Option("--case", help="Only these case ids")] = None,
    format: FormatOption = "text",
    timeout: TimeoutOption = None,
) -> None:
    """Precision and recall of the cross-language check on labelled pairs: numbers that
    disagree and provisions missing on one side."""
    from evaluation.crosscheck import evaluate_crosscheck, render_table, to_json

    _check_format(format, ("json", "text"))
    if not folder.is_dir():
        fail(f"{folder}: no such folder")
    try:
        timeout_s = _reading_timeout(None, timeout)
        scores = evaluate_crosscheck(folder, lambda p: _read_file(p, timeout_s), case)
    except ValueError as exc:  # a malformed cases.json, named in the message
        fail(str(exc))
    _echo_eval(format, to_json(scores), lambda: render_table(scores))


@eval_app.command("realworld")
def eval_realworld(
    cases_file: Annotated[
        Path, typer.Argument(help="cases.json naming repository, commits and path of each pair")
    ] = evaluation.REALWORLD,
    mirror: Annotated[
        Path, typer.Option("--mirror", help="Folder of fetched snapshots (owner+name/repo)")
    ] = Path("/work/.mirror"),
    case: Annotated[list[str] | None, typer.Option("--case", help="Only these case ids")] = None,
    detail: Annotated[bool, typer.Option("--detail", help="What each case got wrong")] = False,
    format: FormatOption = "text",
    config: ConfigOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Real legislation version pairs rendered from fetched git snapshots: changes named by
    their section, renumberings found, false number pairs, dates read as durations, units
    named exactly."""
    from evaluation.realworld import evaluate_realworld, load_cases, render_table, to_json

    _check_format(format, ("json", "text"))
    try:
        cases = load_cases(cases_file)
    except ValueError as exc:  # a missing or malformed cases.json, named in the message
        fail(str(exc))
    if case and not set(case) <= {c.id for c in cases}:
        fail(f"no such case: {sorted(set(case) - {c.id for c in cases})[0]!r}")
    timeout_s = _reading_timeout(config, timeout)
    scores = evaluate_realworld(cases, mirror, lambda p: _read_file(p, timeout_s), case)
    for s in scores:
        if s.skipped:
            typer.echo(f"skipped {s.id}: {s.skipped} (fetch the repository first)", err=True)
    _echo_eval(format, to_json(scores), lambda: render_table(scores, detail=detail))


@eval_app.command("metamorphic")
def eval_metamorphic(
    folder: Annotated[
        Path, typer.Argument(help="The bed: expected.json and the typeset files")
    ] = evaluation.METAMORPHIC,
    format: FormatOption = "text",
    failures: Annotated[bool, typer.Option("--failures", help="List every failing pair")] = False,
) -> None:
    """Same text typeset many ways -> no change; one generated edit -> exactly that change."""
    from evaluation.metamorphic import evaluate_metamorphic, render_table, to_json

    _check_format(format, ("json", "text"))
    if not (folder / "expected.json").is_file():
        fail(f"{folder}: no expected.json (build it with tests/fixtures/make_metamorphic.py)")
    try:
        results = evaluate_metamorphic(folder)
    except ValueError as exc:
        fail(str(exc))
    _echo_eval(format, to_json(results), lambda: render_table(results, failures=failures))


@eval_app.command("export-feedback")
def eval_export_feedback(
    out: Annotated[Path, typer.Option("--out", "-o", help="JSON Lines file to write")],
    config: ConfigOption = None,
) -> None:
    """Write officers' triage of flags as labelled changes for `sptrack eval match`."""
    from alerts.match.verdicts import export_feedback

    rt = _runtime(config)
    with rt.session() as s, out.open("w", encoding="utf-8") as stream:
        report = export_feedback(s, stream)
    typer.echo(
        f"{report.exported} labelled changes written to {out}; "
        f"{report.incomplete} triaged changes skipped (a flag not judged yet)"
    )


def _echo_eval(format: str, data: object, table: Callable[[], str]) -> None:
    """An evaluation's result: its JSON with ``--format json``, else its table."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2) if format == "json" else table())


def _check_format_option(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        fail(f"{name}: expected one of {', '.join(allowed)}, got {value!r}")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option(help="viewer, officer, secretariat or admin")],
    config: ConfigOption = None,
) -> None:
    """Add a user; the password is read from standard input."""
    from tracker.users import add_user

    password = _read_password()
    rt = _runtime(config)
    with rt.session() as s:
        user = add_user(s, name, role, password)
        s.commit()
        typer.echo(f"added {user.name} ({user.role})")


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="User name")],
    config: ConfigOption = None,
    days: Annotated[
        float, typer.Option(min=0, help="Days the token is valid; 0: until revoked")
    ] = 90,
) -> None:
    """Issue an API bearer token for a user (printed once, as the last line)."""
    from tracker.users import issue_token

    rt = _runtime(config)
    with rt.session() as s:
        token = issue_token(s, name, days or None)
        s.commit()
    typer.echo(f"API token for {name} (send it as 'Authorization: Bearer TOKEN'):", err=True)
    typer.echo(token)


@users_app.command("list")
def users_list(config: ConfigOption = None) -> None:
    """List the users: name, role, disabled or not."""
    from tracker.users import list_users

    with _runtime(config).session() as s:
        for user in list_users(s):
            state = "disabled" if user.disabled else "active"
            typer.echo(f"{user.name}\t{user.role}\t{state}")


def _user_change(config: str | None, change: Callable[[Any], str]) -> None:
    with _runtime(config).session() as s:
        typer.echo(change(s))
        s.commit()


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Disable a user: no sign-in; every session and API token of theirs ends."""
    from tracker.users import set_disabled

    _user_change(config, lambda s: f"disabled {set_disabled(s, name, True).name}")


@users_app.command("enable")
def users_enable(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Let a disabled user sign in again."""
    from tracker.users import set_disabled

    _user_change(config, lambda s: f"enabled {set_disabled(s, name, False).name}")


@users_app.command("delete")
def users_delete(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Delete a user with their sessions, tokens and subscriptions."""
    from tracker.users import delete_user

    def change(s: Any) -> str:
        delete_user(s, name)
        return f"deleted {name}"

    _user_change(config, change)


@users_app.command("passwd")
def users_passwd(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Set a user's password (read from standard input); their sessions and tokens end."""
    from tracker.users import set_password

    password = _read_password()
    _user_change(config, lambda s: f"password of {set_password(s, name, password).name} set")


@users_app.command("revoke")
def users_revoke(
    name: Annotated[str, typer.Argument(help="User name")], config: ConfigOption = None
) -> None:
    """Revoke every API token and end every web session of a user."""
    from tracker.users import end_sessions, find_user, revoke_tokens

    def change(s: Any) -> str:
        tokens = revoke_tokens(s, name)
        user = find_user(s, name)
        sessions = end_sessions(s, user) if user else 0
        return f"{name}: {tokens} token(s) revoked, {sessions} session(s) ended"

    _user_change(config, change)


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


# -- sources: the source wizard's dry run --------------------------------------------------

sources_app = typer.Typer(help="Check the publishers' sources.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")


def _source_to_check(config: str | None, source_id: str | None, changes: dict[str, Any]) -> Any:
    """The configured source (or a new one from --url), with the command line's changes."""
    from pydantic import ValidationError

    from app.config import SourceSettings
    from app.sources import all_sources

    rt = _runtime(config)
    values: dict[str, Any] = {}
    if source_id is not None:
        known = {s.id: s for s in all_sources(rt)}
        if source_id not in known:
            fail(f"no source {source_id!r} in the config (known: {', '.join(known) or 'none'})")
        values = known[source_id].model_dump()
    elif "start_urls" not in changes:
        fail("name a source ID, or give --url")
    else:
        values = {"id": "new-source", "spider": "listing"}
    values.update({k: v for k, v in changes.items() if v not in (None, (), {})})
    try:
        return rt, SourceSettings.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(p) for p in error["loc"]) or "source"
        fail(f"{key}: {error['msg'].removeprefix('Value error, ')}")


def _json_fields(pairs: list[str] | None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, path = pair.partition("=")
        if not sep or not name.strip() or not path.strip():
            fail(f"--json-field: expected NAME=PATH (url=pdfUrl), got {pair!r}")
        fields[name.strip()] = path.strip()
    return fields


@sources_app.command("check")
def sources_check(
    source_id: Annotated[str | None, typer.Argument(help="Source id in the config")] = None,
    url: Annotated[
        list[str] | None, typer.Option("--url", help="Start URL (repeatable): a new source")
    ] = None,
    spider: Annotated[str | None, typer.Option(help="Built-in spider (default listing)")] = None,
    documents: Annotated[str | None, typer.Option(help="CSS selector of document links")] = None,
    next_page: Annotated[str | None, typer.Option(help="CSS selector of the next page")] = None,
    detail: Annotated[
        str | None, typer.Option(help="CSS selector of the document link on detail pages")
    ] = None,
    date: Annotated[str | None, typer.Option(help="CSS selector of an item's date")] = None,
    title: Annotated[str | None, typer.Option(help="CSS selector of an item's title")] = None,
    query: Annotated[str | None, typer.Option(help="API search filter (CKAN fq...)")] = None,
    json_items: Annotated[str | None, typer.Option(help="JSON listing: path to items")] = None,
    json_field: Annotated[
        list[str] | None, typer.Option(help="JSON listing: NAME=PATH (url=pdfUrl), repeatable")
    ] = None,
    json_total: Annotated[str | None, typer.Option(help="JSON listing: path to count")] = None,
    file_host: Annotated[
        list[str] | None, typer.Option(help="File host whose share links are downloads")
    ] = None,
    allow_private_network: Annotated[
        bool, typer.Option(help="Allow loopback/private addresses (an intranet site)")
    ] = False,
    max_pages: Annotated[int, typer.Option(min=1, help="Listing pages read at most")] = 5,
    max_documents: Annotated[
        int, typer.Option(min=1, help="Documents asked for at most (headers only)")
    ] = 200,
    output: FormatOption = "text",
    config: ConfigOption = None,
) -> None:
    """Dry run: fetch a source's listings and show the documents a crawl would take, the
    pages it would follow and what it would skip, storing nothing."""
    from app.jobs import check_source

    _check_format(output, ("json", "text"))
    changes: dict[str, Any] = {
        "start_urls": tuple(url or ()),
        "spider": spider,
        "documents": documents,
        "next_page": next_page,
        "detail": detail,
        "date": date,
        "title": title,
        "query": query,
        "json_items": json_items,
        "json_fields": _json_fields(json_field),
        "json_total": json_total,
        "file_hosts": tuple(file_host or ()),
        "allow_private_network": allow_private_network or None,
    }
    rt, source = _source_to_check(config, source_id, changes)
    with _progress(f"checking {source.id}"):
        plan = check_source(rt, source, max_pages=max_pages, max_documents=max_documents)
    if output == "json":
        typer.echo(json.dumps(plan, ensure_ascii=False, indent=2))
    else:
        _print_plan(plan)
    if not plan["documents"]:
        raise typer.Exit(1)


def _print_plan(plan: dict[str, Any], out: Any = None) -> None:
    from urllib.parse import unquote

    from rich.console import Console
    from rich.markup import escape

    def shown(url: str) -> str:
        return escape(unquote(url))  # Khmer paths readable; the JSON keeps the real URL

    out = out or Console(highlight=False, soft_wrap=True)
    out.print(
        f"[bold]{escape(plan['source'])}[/bold] ({escape(plan['spider'])}): dry run, nothing stored"
    )
    out.print(f"\n[bold]pages read ({len(plan['pages'])})[/bold]")
    for page in plan["pages"]:
        out.print(f"  {page['status']}  {shown(page['url'])}")
    out.print(f"\n[bold]documents a crawl would fetch ({len(plan['documents'])})[/bold]")
    for doc in plan["documents"]:
        facts = " · ".join(escape(str(doc[k])) for k in ("title", "date", "language") if doc.get(k))
        out.print(f"  {shown(doc['url'])}" + (f"\n      {facts}" if facts else ""))
    out.print(f"\n[bold]skipped ({len(plan['skipped'])})[/bold]")
    for skip in plan["skipped"]:
        out.print(f"  {shown(skip['url'])}\n      [yellow]{escape(skip['reason'])}[/yellow]")
    if plan["truncated"]:
        limits = plan["limits"]
        out.print(
            f"\n[yellow]stopped at the dry run's bounds ({limits['max_pages']} pages, "
            f"{limits['max_documents']} documents): --max-pages / --max-documents for more[/yellow]"
        )
    if not plan["documents"]:
        out.print(
            "\n[red]no document found: see what was skipped and why; "
            "check the start URL and selectors[/red]"
        )


def _check_format(value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        fail(f"--format: expected one of {', '.join(allowed)}, got {value!r}")


def _usage_error(exc: Any) -> NoReturn:
    """A wrong command line: one line on stderr naming the command, exit 2 (usage) or 1."""
    command = exc.ctx.command_path if getattr(exc, "ctx", None) else "sptrack"
    message = " ".join(exc.format_message().split())
    typer.echo(f"error: {command}: {message} (see {command} --help)", err=True)
    sys.exit(exc.exit_code)


# --- Language versions of one instrument ----------------------------------------------

languages_app = typer.Typer(
    help="Language versions of one instrument: list, attach, detach, check drift.",
    no_args_is_help=True,
)
app.add_typer(languages_app, name="languages")


@languages_app.command("list")
def languages_list(config: ConfigOption = None, output: FormatOption = "text") -> None:
    """Every instrument known in more than one language: its texts, roles, publishers, dates."""
    from sqlmodel import select

    from tracker import languages
    from tracker.models import Instrument, LanguageVersion

    _check_format_option("--format", output, ("json", "text"))
    works: list[dict[str, Any]] = []
    with _runtime(config).session() as s:
        for work in sorted(set(s.exec(select(LanguageVersion.work_id)).all())):
            texts = []
            for e in languages.expressions(s, work):
                instrument = s.get(Instrument, e.instrument_id)
                texts.append(
                    {
                        "instrument": e.instrument_id,
                        "language": e.language,
                        "role": e.role,
                        "publisher": e.publisher,
                        "date": e.date,
                        "attached_by": e.attached_by,
                        "title": instrument.title if instrument else "",
                        "url": instrument.url if instrument else "",
                    }
                )
            works.append({"work": work, "texts": texts})
    if output == "json":
        typer.echo(json.dumps(works, ensure_ascii=False, indent=2))
        return
    for work_row in works:
        typer.echo(f"work {work_row['work']}:")
        for t in work_row["texts"]:
            typer.echo(
                f"  #{t['instrument']} {t['language']} {t['role']} {t['date'] or '-'} "
                f"{t['publisher']}: {t['title'] or t['url']}"
            )


@languages_app.command("attach")
def languages_attach(
    instrument_id: Annotated[int, typer.Argument(help="The instrument to attach")],
    to: Annotated[int, typer.Option("--to", help="An instrument of the work it expresses")],
    role: Annotated[
        str, typer.Option(help="official, official_translation or unofficial_translation")
    ] = "",
    by: Annotated[str, typer.Option(help="Who attaches it (recorded)")] = "cli",
    config: ConfigOption = None,
) -> None:
    """Attach an instrument as another language version of an instrument's work."""
    from tracker import languages
    from tracker.models import Instrument

    with _runtime(config).session() as s:
        instrument, other = s.get(Instrument, instrument_id), s.get(Instrument, to)
        if instrument is None or other is None:
            fail(f"no instrument {instrument_id if instrument is None else to}")
        assert instrument is not None and other is not None
        row = languages.attach(s, instrument, other, by=by, role=role)
        s.commit()
        typer.echo(f"instrument {instrument_id} ({row.language}, {row.role}) -> work {row.work_id}")


@languages_app.command("detach")
def languages_detach(
    instrument_id: Annotated[int, typer.Argument(help="The instrument to detach")],
    config: ConfigOption = None,
) -> None:
    """Make a language version an instrument of its own again."""
    from tracker import languages
    from tracker.models import Instrument

    with _runtime(config).session() as s:
        instrument = s.get(Instrument, instrument_id)
        if instrument is None:
            fail(f"no instrument {instrument_id}")
        assert instrument is not None
        languages.detach(s, instrument)
        s.commit()
        typer.echo(f"instrument {instrument_id} detached")


@languages_app.command("check")
def languages_check(config: ConfigOption = None) -> None:
    """Check every work's translations now: numbers that disagree with the official text
    and translations that have not followed it; queue each new notice once, deliver."""
    from sqlmodel import select

    from alerts.deliver import drift
    from app.jobs import check_translation_lag, deliver, now
    from tracker.models import LanguageVersion

    rt = _runtime(config)
    with rt.session() as s:
        numbers = set()
        for work in sorted(set(s.exec(select(LanguageVersion.work_id)).all())):
            numbers |= set(
                drift.check_numbers(s, work, channels=rt.delivery_channels(s), now=now())
            )
        s.commit()
    lag = check_translation_lag(rt)
    deliver(rt)
    typer.echo(f"{len(numbers)} number disagreements, {lag} translations lagging (notices)")


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


@app.command()
def parameters(
    config: ConfigOption = None,
    position: Annotated[
        str | None, typer.Option("--position", help="Only parameters filed under this position")
    ] = None,
    output: Annotated[str, typer.Option("--format", "-f", help="json, text or csv")] = "json",
    rebuild: Annotated[
        bool,
        typer.Option("--rebuild", help="First build the registry anew from every stored version"),
    ] = False,
) -> None:
    """Every rate, amount and period the stored instruments state, with its history."""
    from app.jobs import rebuild_parameters
    from tracker.parameters import parameters as registry
    from web.parameters import to_csv, to_json, to_text

    _check_format_option("--format", output, ("json", "text", "csv"))
    rt = _runtime(config)
    try:
        if position is not None and position not in {p.id for p in rt.positions}:
            fail(f"unknown position {position!r}; see positions.toml")
        if rebuild:
            with _progress("rebuilding the parameter registry"):
                total = rebuild_parameters(rt)
            typer.echo(f"registry rebuilt: {total} values", err=True)
        with rt.session() as s:
            views = registry(s, position=position)
    finally:
        rt.close()
    if output == "json":
        typer.echo(json.dumps([to_json(v) for v in views], ensure_ascii=False, indent=2))
    elif output == "csv":
        sys.stdout.buffer.write(to_csv(views))
        sys.stdout.flush()
    else:
        for view in views:
            typer.echo(to_text(view))
