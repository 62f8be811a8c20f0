"""Commands that keep running: the web tracker alone, or the scheduler with it; and the
demo, which crawls a bundled offline site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.commands.context import ConfigOption, runtime


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

    rt = runtime(config)
    serve_web(rt, host or rt.settings.web.host, port or rt.settings.web.port, workers)


def run(config: ConfigOption = None) -> None:
    """Run the scheduler (crawls on each source's cron, deliveries) and the web tracker."""
    from app.service import run_service

    run_service(runtime(config))


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
