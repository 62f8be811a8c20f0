"""Commands on files named on the command line: read one, compare two versions, check two
language versions against each other. Nothing is stored."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.commands.context import (
    ConfigOption,
    FormatOption,
    TimeoutOption,
    check_format,
    positions_path,
    read_file,
    reading_timeout,
)


def extract(
    file: Annotated[Path, typer.Argument(help="PDF, DOCX, HTML or text; type read from content")],
    format: FormatOption = "json",
    config: ConfigOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Read a document: text, language, pages, method and sections."""
    check_format(format, ("json", "text"))
    document = read_file(file, reading_timeout(config, timeout))
    if format == "json":
        typer.echo(json.dumps(document.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(document.text)


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

    check_format(format, ("json", "text", "html"))
    timeout_s = reading_timeout(config, timeout)
    old_doc, new_doc = read_file(old, timeout_s), read_file(new, timeout_s)
    matcher = Matcher(load_positions(positions_path(config)))
    report = compare_report(old_doc, new_doc, matcher)
    if format == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif format == "text":
        typer.echo(render_compare_text(report, colour=sys.stdout.isatty()))
    else:
        typer.echo(render_compare_html(report, old.name, new.name))


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

    check_format(format, ("json", "text"))
    timeout_s = reading_timeout(config, timeout)
    report = crosscheck_report(read_file(file_a, timeout_s), read_file(file_b, timeout_s))
    if format == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_crosscheck_text(report))
