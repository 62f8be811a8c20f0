"""Errors of the FETCH stage, and the signal that reports a failed fetch.

Inside Scrapy components use Scrapy's own exceptions (``IgnoreRequest`` from a downloader
middleware, ``NotConfigured`` from ``from_crawler``, ``DropItem`` from ``process_item``).
The classes here are what the crawler raises to its callers:

- ``CrawlError``: base class of every error below.
- ``SpecInvalid``: a source spec (``spec.json`` or ``SourceSpec``) has a bad key or value.
- ``SelectorMatchedNothing``: a listing selector matched nothing on a first listing page;
  the spider records it in the report (the layout probably changed).
- ``CrawlFailed``: the crawl subprocess exited non-zero, timed out or wrote no report.
- ``OutputCorrupt``: a manifest or report file cannot be read back.

``fetch_failed`` is a Scrapy signal (sent with ``url`` and ``error`` keyword arguments) for
a listing page or document that could not be fetched; ``ManifestPipeline`` collects it
into the report's ``errors`` list and the crawl goes on.
"""

from __future__ import annotations

from pathlib import Path

fetch_failed = object()


class CrawlError(Exception):
    """Base class of the crawler's errors."""


class SpecInvalid(CrawlError):
    """A source spec key is unknown or its value is not what is expected."""

    def __init__(self, key: str, expected: str, got: object) -> None:
        self.key = key
        self.expected = expected
        self.got = got
        super().__init__(f"source spec key {key!r}: expected {expected}, got {got!r}")


class SelectorMatchedNothing(CrawlError):
    """A CSS selector matched nothing on a page where it must match."""

    def __init__(self, selector: str, url: str) -> None:
        self.selector = selector
        self.url = url
        super().__init__(f"selector {selector!r} matched nothing on {url}: layout changed?")


class CrawlFailed(CrawlError):
    """The crawl subprocess failed: non-zero exit, timeout, or no report written."""

    def __init__(
        self, source_id: str, reason: str, returncode: int | None, stderr_tail: str
    ) -> None:
        self.source_id = source_id
        self.reason = reason
        self.returncode = returncode
        self.stderr_tail = stderr_tail
        super().__init__(
            f"crawl of source {source_id!r} failed: {reason} (exit code {returncode})"
            + (f"\n{stderr_tail}" if stderr_tail else "")
        )


class OutputCorrupt(CrawlError):
    """A crawl output file (manifest or report) is not what the crawler writes."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {reason}")
