"""Running a crawl of one source: the spec the crawler gets from a source's settings, the
crawl process (local, or on the Scrapyd daemon when one is configured), the counts its
progress messages carry, and the dry run that stores nothing."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.config import SourceSettings
from app.runtime import Runtime
from crawler.manifest import CrawlReport
from crawler.remote import run_crawl_remote
from crawler.run import read_plan, read_progress
from crawler.run import run_crawl as run_crawl_process
from crawler.spec import SourceSpec

#: Seconds the crawl process runs past ``crawler.timeout_s`` at most when this one is gone.
CLOSE_GRACE_S = 5


def source_spec(source: SourceSettings, since: str | None = None) -> SourceSpec:
    return SourceSpec(
        id=source.id,
        spider=source.spider,
        start_urls=tuple(source.start_urls),
        documents=source.documents,
        next_page=source.next_page or None,
        date=source.date or None,
        title=source.title or None,
        allow_private_network=source.allow_private_network,
        allowed_domains=tuple(source.allowed_domains),
        max_pages=source.max_pages,
        max_documents=source.max_documents,
        query=source.query or None,
        since=since or None,
        detail=source.detail or None,
        file_hosts=tuple(source.file_hosts),
        respect_robots=source.respect_robots,
        json_items=source.json_items or None,
        json_fields=dict(source.json_fields),
        json_total=source.json_total or None,
        page_size=source.page_size,
        articles=source.articles,
    )


def run_crawl(
    rt: Runtime,
    source: SourceSettings,
    out_dir: Path,
    validators: dict[str, dict[str, str]],
    since: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> CrawlReport:
    """One crawl in a local subprocess, or on the Scrapyd daemon when one is configured."""
    crawler = rt.settings.crawler
    options: dict[str, Any] = {
        "user_agent": rt.user_agent,
        "timeout_s": crawler.timeout_s,
        "settings_overrides": {
            # The crawl process closes its spider by itself a little after the timeout
            # this process enforces: when this process is killed, the crawl still ends
            # (and writes its report, which the next run ingests).
            "CLOSESPIDER_TIMEOUT": crawler.timeout_s + CLOSE_GRACE_S,
            "DOWNLOAD_MAXSIZE": rt.read_limits.max_bytes,
            "DOWNLOAD_DELAY": crawler.delay_s,
            "AUTOTHROTTLE_START_DELAY": max(crawler.delay_s, 0.1),
        },
    }
    if crawler.scrapyd_url:
        return run_crawl_remote(
            source_spec(source, since),
            out_dir,
            validators,
            scrapyd_url=crawler.scrapyd_url,
            project=crawler.scrapyd_project,
            **options,
        )
    fetching = None
    if progress is not None:
        report = progress

        def fetching(n: int) -> None:
            pages, found = read_progress(out_dir)
            report(
                f"{source.id}: fetching, {n} of {max(found, n)} documents found"
                f" on {pages} listing pages"
            )

    return run_crawl_process(
        source_spec(source, since), out_dir, validators, progress=fetching, **options
    )


_FETCHING = re.compile(r"fetching, (\d+) of (\d+) documents found on (\d+) listing pages")
_READING = re.compile(r"reading (\d+)/(\d+) ")


def progress_counts(message: str) -> dict[str, int]:
    """The counts a crawl's progress message carries: ``fetched``, ``found`` and
    ``pages`` while fetching, ``read`` of ``to_read`` while reading."""
    if match := _FETCHING.search(message):
        fetched, found, pages = (int(g) for g in match.groups())
        return {"fetched": fetched, "found": found, "pages": pages}
    if match := _READING.search(message):
        read, to_read = (int(g) for g in match.groups())
        return {"read": read, "to_read": to_read}
    return {}


#: A dry run reads at most this many listing pages and documents unless told otherwise.
CHECK_MAX_PAGES = 5
CHECK_MAX_DOCUMENTS = 200


def check_source(
    rt: Runtime,
    source: SourceSettings,
    max_pages: int = CHECK_MAX_PAGES,
    max_documents: int = CHECK_MAX_DOCUMENTS,
) -> dict[str, Any]:
    """Dry-run one source: read its listings (at most ``max_pages``, at the configured
    delay), ask its documents for their headers only, store nothing. Returns the plan:
    ``documents`` a crawl would fetch, ``pages`` read, ``skipped`` links with the reason,
    ``errors`` and whether the bounds ``truncated`` the listing."""
    spec = dataclasses.replace(
        source_spec(source),
        dry_run=True,
        max_pages=min(max_pages, source.max_pages),
        max_documents=min(max_documents, source.max_documents),
    )
    crawler = rt.settings.crawler
    with tempfile.TemporaryDirectory(prefix=f"sptrack-check-{source.id}-") as tmp:
        report = run_crawl_process(
            spec,
            Path(tmp),
            {},
            user_agent=rt.user_agent,
            timeout_s=crawler.timeout_s,
            settings_overrides={
                "DOWNLOAD_MAXSIZE": rt.read_limits.max_bytes,
                "DOWNLOAD_DELAY": crawler.delay_s,
                "AUTOTHROTTLE_START_DELAY": max(crawler.delay_s, 0.1),
            },
        )
        plan = read_plan(Path(tmp))
    return {
        "source": source.id,
        "spider": source.spider,
        "start_urls": list(source.start_urls),
        "documents": plan.get("documents", []),
        "pages": plan.get("pages", []),
        "skipped": plan.get("skipped", []),
        "truncated": report.truncated,
        "limits": {"max_pages": spec.max_pages, "max_documents": spec.max_documents},
    }
