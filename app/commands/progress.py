"""Progress shown on a terminal (stderr) while a command works; nothing elsewhere, so logs
and CI stay clean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def progress(what: str) -> Iterator[Callable[[str], None] | None]:
    """A live line on a terminal (stderr) naming the document being worked on; nothing
    when stderr is not a terminal (logs and CI stay clean)."""
    console = stderr_console()
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
def crawl_progress() -> Iterator[Callable[[str], None] | None]:
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

    from app.crawling import progress_counts

    console = stderr_console()
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
