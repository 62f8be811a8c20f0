"""Commands that bring documents in: crawl the sources, or add one by hand. Each new version
is stored, compared, matched and alerted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.commands.context import ConfigOption, fail, runtime
from app.commands.progress import crawl_progress


def crawl(
    sources: Annotated[list[str] | None, typer.Argument(help="Source ids (default: all)")] = None,
    config: ConfigOption = None,
) -> None:
    """Fetch each source once, store, compare, match and deliver."""
    from app.jobs import crawl as crawl_job

    rt = runtime(config)
    with crawl_progress() as progress:
        outcomes = crawl_job(rt, sources or [], progress)
    typer.echo("run report:")
    for outcome in outcomes:
        typer.echo(outcome.line())
    if outcomes and all(o.counts.status == "failed" for o in outcomes):
        raise typer.Exit(1)


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
    from tracker.kinds import Language

    if not re.match(r"^[a-z0-9][a-z0-9_-]{0,63}$", source):
        fail(f"--source: expected lowercase letters, digits, - or _, got {source!r}")
    if language not in ("", *Language):
        fail(f"--language: expected km or en, got {language!r}")
    rt = runtime(config)
    outcome = add_document(
        rt, Upload(file, source, title, url=url, number=number, date=date, language=language)
    )
    typer.echo(outcome.line())
    if outcome.counts.failed:
        raise typer.Exit(1)
