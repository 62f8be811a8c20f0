"""Alert commands: the `alerts` group (send, test on a channel, list) and `note`, the
rapid-response note written for one alert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from app.commands.context import ConfigOption, FormatOption, check_format, runtime

alerts_app = typer.Typer(help="Deliver and list alerts.", no_args_is_help=True)


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

    report = deliver(runtime(config), retry_failed=not due_only)
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

    from alerts.deliver.channels import LANGUAGES
    from alerts.deliver.delivery import UnknownChannel
    from alerts.deliver.preview import PreviewLanguageError, preview, send_trial, trial_message
    from tracker.kinds import Language

    rt = runtime(config)
    found = {c.name: c for c in rt.channels}
    if channel not in found:
        raise UnknownChannel(channel, sorted(found))
    target = found[channel]
    if language is not None:
        if language not in LANGUAGES:
            raise PreviewLanguageError(language)
        target = replace(target, language=Language(language))
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

    check_format(format, ("json", "text"))
    rt = runtime(config)
    with rt.session() as s:
        rows = notices_status(s) if notices else alerts_status(s)
    if format == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        for row in rows:
            topic = row["source"] if notices else ",".join(row["positions"])
            typer.echo(f"#{row['id']} [{row['status']}] {topic}: {row['summary']}")


def note(
    alert_id: Annotated[int, typer.Argument(help="Alert id (see `sptrack alerts list`)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="note.docx or note.md")],
    config: ConfigOption = None,
) -> None:
    """Write a rapid-response note (DOCX or Markdown) for an alert."""
    from alerts.deliver.alert_loader import load_alert_view
    from alerts.deliver.note import task_team_of, write_note

    rt = runtime(config)
    with rt.session() as s:
        view = load_alert_view(s, alert_id, rt.positions_by_id, rt.settings.web.base_url)
        team = task_team_of(s, alert_id)
    typer.echo(str(write_note(view, out, team=team)))
