"""Run one crawl on a Scrapyd daemon (Scrapy's own service) instead of a local subprocess.

For scale-out: spiders run on other machines, the tracker's database is PostgreSQL and the
spool folder is shared (NFS or similar) so that the spider writes where ingest reads. The
daemon serves the crawler as a ``[settings]`` project (``sptrack = crawler.settings`` in its
``scrapyd.conf``, this repository on its ``PYTHONPATH``); see docs/scale-out.md.

:func:`run_crawl_remote` writes ``OUT/spec.json`` as :func:`crawler.run.run_crawl` does,
schedules the spider with ``spec`` and ``out`` arguments and the setting overrides, polls
``listjobs.json`` until the job finishes (cancelling it past ``timeout_s``), then reads the
report the spider wrote. Every failure is a :class:`~crawler.errors.CrawlFailed`.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crawler.errors import CrawlFailed
from crawler.manifest import REPORT_FILE, CrawlReport, read_report
from crawler.run import DEFAULT_TIMEOUT
from crawler.spec import SPEC_FILE, SourceSpec, ValidatorsLike, write_spec

logger = logging.getLogger(__name__)

#: Seconds between two looks at the daemon's job list.
POLL_S = 0.5
#: Seconds one request to the daemon may take.
REQUEST_TIMEOUT_S = 30.0


def run_crawl_remote(
    source: SourceSpec,
    out_dir: Path,
    validators: Mapping[str, ValidatorsLike],
    *,
    scrapyd_url: str,
    project: str = "sptrack",
    user_agent: str,
    settings_overrides: Mapping[str, Any] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT,
) -> CrawlReport:
    """Crawl ``source`` into ``out_dir`` through the Scrapyd at ``scrapyd_url``."""
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / REPORT_FILE).unlink(missing_ok=True)
    write_spec(out / SPEC_FILE, source, validators)
    overrides = {"USER_AGENT": user_agent, **(settings_overrides or {})}
    fields = [
        ("project", project),
        ("spider", source.spider),
        ("spec", str(out / SPEC_FILE)),
        ("out", str(out)),
        *(("setting", f"{key}={value}") for key, value in overrides.items()),
    ]
    answer = _call(scrapyd_url, "schedule.json", source.id, fields)
    job = str(answer.get("jobid") or "")
    if not job:
        raise CrawlFailed(source.id, f"Scrapyd scheduled no job: {answer}", None, "")
    logger.info("crawling source %s on %s as job %s into %s", source.id, scrapyd_url, job, out)
    deadline = time.monotonic() + timeout_s
    while True:
        jobs = _call(scrapyd_url, f"listjobs.json?project={urllib.parse.quote(project)}", source.id)
        if any(j.get("id") == job for j in jobs.get("finished", [])):
            break
        if time.monotonic() > deadline:
            _call(scrapyd_url, "cancel.json", source.id, [("project", project), ("job", job)])
            raise CrawlFailed(source.id, f"timed out after {timeout_s:g} s on Scrapyd", None, "")
        time.sleep(POLL_S)
    report = read_report(out)
    if report is None or not report.finished:
        reason = "no report.json written" if report is None else f"closed: {report.finish_reason}"
        raise CrawlFailed(source.id, f"Scrapyd job {job}: {reason}", None, "")
    return report


def _call(
    base: str, endpoint: str, source_id: str, fields: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """GET (no fields) or POST (form fields) one Scrapyd endpoint; its JSON answer."""
    url = base.rstrip("/") + "/" + endpoint
    body = urllib.parse.urlencode(fields).encode() if fields is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=REQUEST_TIMEOUT_S) as response:
            answer = json.loads(response.read(1_000_000))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise CrawlFailed(source_id, f"Scrapyd at {base} did not answer: {exc}", None, "") from exc
    if not isinstance(answer, dict) or answer.get("status") != "ok":
        raise CrawlFailed(source_id, f"Scrapyd refused {endpoint}: {answer}", None, "")
    return answer
