"""The `sources` group: the source wizard's dry run, which fetches a source's listings and
shows what a crawl would take, storing nothing."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from app.commands.context import ConfigOption, FormatOption, check_format, fail, runtime
from app.commands.progress import progress

sources_app = typer.Typer(help="Check the publishers' sources.", no_args_is_help=True)


def _source_to_check(config: str | None, source_id: str | None, changes: dict[str, Any]) -> Any:
    """The configured source (or a new one from --url), with the command line's changes."""
    from pydantic import ValidationError

    from app.config import SourceSettings
    from app.sources import all_sources

    rt = runtime(config)
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
    from app.crawling import check_source

    check_format(output, ("json", "text"))
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
    with progress(f"checking {source.id}"):
        plan = check_source(rt, source, max_pages=max_pages, max_documents=max_documents)
    if output == "json":
        typer.echo(json.dumps(plan, ensure_ascii=False, indent=2))
    else:
        print_plan(plan)
    if not plan["documents"]:
        raise typer.Exit(1)


def print_plan(plan: dict[str, Any], out: Any = None) -> None:
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
