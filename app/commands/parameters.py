"""`parameters`: the registry of every rate, amount and period the stored instruments
state, with its history."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from app.commands.context import ConfigOption, check_choice, fail, runtime
from app.commands.progress import progress


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
    from app.ingest import rebuild_parameters
    from tracker.parameters import parameters as registry
    from web.parameters import to_csv, to_json, to_text

    check_choice("--format", output, ("json", "text", "csv"))
    rt = runtime(config)
    try:
        if position is not None and position not in {p.id for p in rt.positions}:
            fail(f"unknown position {position!r}; see positions.toml")
        if rebuild:
            with progress("rebuilding the parameter registry"):
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
