"""Run one crawl of one source, in a subprocess, and return its report.

Twisted's reactor cannot be restarted inside a process, and the scheduler crawls again and
again, so ``run_crawl`` starts ``python -m crawler.run --spec OUT/spec.json --out OUT``.
The child runs Scrapy's ``CrawlerProcess`` with ``crawler.settings`` plus the overrides
and writes its log to ``OUT/crawl.log``. The same spider also runs by hand from the
repository root: ``scrapy crawl listing -a spec=spec.json -a out=OUT``.

``spec.json`` holds the ``SourceSpec`` fields plus an optional ``validators`` object
(``{url: {"etag": ..., "last_modified": ...}}``) for conditional requests.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.errors import CrawlFailed
from crawler.manifest import MANIFEST_FILE, REPORT_FILE, CrawlReport, read_report
from crawler.spec import SPEC_FILE, SourceSpec, ValidatorsLike, read_spec, write_spec

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

PLAN_FILE = "plan.json"
PROGRESS_FILE = "progress.json"
SETTINGS_FILE = "settings.json"
LOG_FILE = "crawl.log"
DEFAULT_TIMEOUT = 3600.0
STDERR_TAIL_CHARS = 4000
TERMINATE_GRACE = 30.0
PROGRESS_INTERVAL = 0.5
#: The crawl process looks this often whether the process that started it is still there.
PARENT_POLL_S = 0.5
#: The finish reason of a crawl whose parent process went away (killed): the spider closed
#: itself, its report and manifest are complete, and nobody recorded the run.
PARENT_GONE = "parent_gone"


def read_progress(out_dir: Path) -> tuple[int, int]:
    """(listing pages read, documents found) of a running crawl, from ``progress.json``."""
    try:
        data = json.loads((Path(out_dir) / PROGRESS_FILE).read_text(encoding="utf-8"))
        return int(data.get("pages", 0)), int(data.get("found", 0))
    except (OSError, ValueError, AttributeError, TypeError):
        return 0, 0


def read_plan(out_dir: Path) -> dict[str, Any]:
    """The ``plan.json`` a dry run wrote: ``documents`` ({url, title, date, language,
    status, listing_url}), ``pages`` ({url, status}) and ``skipped`` ({url, reason})."""
    path = Path(out_dir) / PLAN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"documents": [], "pages": [], "skipped": []}
    except ValueError as exc:
        raise CrawlFailed("?", f"{path} is not JSON: {exc}", 0, "") from exc
    return data if isinstance(data, dict) else {"documents": [], "pages": [], "skipped": []}


def run_crawl(
    source: SourceSpec,
    out_dir: Path,
    validators: Mapping[str, ValidatorsLike],
    *,
    user_agent: str,
    settings_overrides: Mapping[str, Any] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT,
    progress: Callable[[int], None] | None = None,
) -> CrawlReport:
    """Crawl ``source`` into ``out_dir`` in a subprocess and return the report it wrote.

    ``validators`` maps document URLs (as in an earlier manifest's ``url``) to
    ``Validators`` or plain ``{"etag": ..., "last_modified": ...}`` mappings.
    ``timeout_s`` bounds the whole crawl (default one hour). ``progress``, when given, is
    called about twice a second with the number of documents fetched so far.

    Writes ``OUT/spec.json`` (source + validators), ``OUT/settings.json`` (overrides) and
    ``OUT/crawl.log`` beside the crawl's own files; a new run into the same directory starts
    a new manifest and report, and keeps the blobs. Raises ``CrawlFailed`` (with the tail of
    ``OUT/crawl.log``) when the child exits non-zero, runs past ``timeout`` seconds, or ends
    without a finished report.
    """
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / REPORT_FILE).unlink(missing_ok=True)
    write_spec(out / SPEC_FILE, source, validators)
    overrides = {"USER_AGENT": user_agent, **(settings_overrides or {})}
    (out / SETTINGS_FILE).write_text(json.dumps(overrides, indent=2) + "\n", encoding="utf-8")

    package_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    command = [
        sys.executable,
        "-m",
        "crawler.run",
        "--spec",
        str(out / SPEC_FILE),
        "--out",
        str(out),
        "--settings",
        str(out / SETTINGS_FILE),
        "--parent",
        str(os.getpid()),
    ]
    log_path = out / LOG_FILE
    logger.info("crawling source %s into %s", source.id, out)
    with log_path.open("wb") as log:
        child = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd=out
        )
        try:
            returncode = _wait(child, timeout_s, out / MANIFEST_FILE, progress)
        except subprocess.TimeoutExpired:
            _stop(child)
            raise CrawlFailed(
                source.id, f"timed out after {timeout_s:g} s", child.returncode, _tail(log_path)
            ) from None
    if returncode != 0:
        raise CrawlFailed(source.id, "the crawl process failed", returncode, _tail(log_path))
    report = read_report(out)
    if report is None:
        raise CrawlFailed(source.id, "no report.json written", returncode, _tail(log_path))
    logger.info(
        "source %s: %d documents, %d not modified, %d failed, %d bytes",
        source.id,
        report.documents,
        report.not_modified,
        report.failed,
        report.bytes,
    )
    return report


def _wait(
    child: subprocess.Popen[bytes],
    timeout_s: float,
    manifest: Path,
    progress: Callable[[int], None] | None,
) -> int:
    """Wait for the child (raising ``TimeoutExpired`` past ``timeout_s``), reporting the
    manifest's row count meanwhile."""
    if progress is None:
        return child.wait(timeout=timeout_s)
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return child.wait(timeout=min(PROGRESS_INTERVAL, max(deadline - time.monotonic(), 0)))
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                raise
        try:
            with manifest.open("rb") as rows:
                progress(sum(1 for _ in rows))
        except FileNotFoundError:
            progress(0)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Ask the child to shut down (Scrapy closes the spider on SIGTERM), then kill it."""
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=TERMINATE_GRACE)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _tail(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ""
    return data[-STDERR_TAIL_CHARS:].decode("utf-8", errors="replace").strip()


def watch_parent(crawler: Crawler, parent: int) -> None:
    """Close ``crawler``'s spider (reason ``PARENT_GONE``) as soon as this process's parent
    is no longer ``parent``: a parent killed with SIGKILL cannot stop its crawl, and the
    orphan is re-parented (to init or a subreaper), which changes ``os.getppid()``. The
    spider closes as it would at its end: the report is written, the manifest complete,
    and the next crawl of the source ingests them. Polled in the reactor, so the check
    works on every POSIX system (unlike Linux's ``PR_SET_PDEATHSIG``, which also fires
    when the parent's *thread* that started the child ends, as scheduler threads do)."""
    from scrapy import signals

    loops: list[Any] = []

    def check() -> None:
        if os.getppid() == parent:
            return
        from scrapy.utils.defer import deferred_from_coro

        loops.pop().stop()
        logger.warning("the process that started this crawl (%d) is gone: stopping", parent)
        # As the parent itself would stop it: close, and kill after the grace (a download
        # in progress holds the close up to its timeout; rows written so far are kept).
        deadline = threading.Timer(TERMINATE_GRACE, os._exit, args=(1,))
        deadline.daemon = True
        deadline.start()
        if crawler.engine is not None and crawler.engine.spider is not None:
            deferred_from_coro(crawler.engine.close_spider_async(reason=PARENT_GONE))

    def started() -> None:
        # Made once the reactor Scrapy chose runs: a LoopingCall takes the global reactor
        # when made, and made earlier would install Twisted's default one instead.
        from twisted.internet.task import LoopingCall

        loops.append(LoopingCall(check))
        loops[0].start(PARENT_POLL_S, now=True)

    def closed() -> None:
        while loops:
            loops.pop().stop()

    crawler.signals.connect(started, signal=signals.engine_started, weak=False)
    crawler.signals.connect(closed, signal=signals.spider_closed, weak=False)


def main(argv: list[str] | None = None) -> int:
    """Child side of ``run_crawl``: one ``CrawlerProcess`` running one spider."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    parser = argparse.ArgumentParser(prog="python -m crawler.run", description=__doc__)
    parser.add_argument("--spec", type=Path, required=True, help="spec.json of the source")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--settings", type=Path, help="JSON object of Scrapy setting overrides")
    parser.add_argument(
        "--parent", type=int, help="process id to watch: when it is gone, stop the crawl"
    )
    args = parser.parse_args(argv)
    if args.parent is not None and os.getppid() != args.parent:
        print(f"the process that started this crawl ({args.parent}) is gone", file=sys.stderr)
        return 1

    source, _ = read_spec(args.spec)
    settings = get_project_settings()
    if args.settings is not None:
        overrides = json.loads(args.settings.read_text(encoding="utf-8"))
        settings.setdict(overrides, priority="cmdline")
    if not source.respect_robots:
        logger.warning("source %s: robots.txt not obeyed (respect_robots = false)", source.id)
        settings.set("ROBOTSTXT_OBEY", False, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(source.spider)
    if args.parent is not None:
        watch_parent(crawler, args.parent)
    process.crawl(crawler, spec=str(args.spec.resolve()), out=str(args.out.resolve()))
    process.start()
    report = read_report(args.out)
    if report is None or not report.finished:
        reason = "no report written" if report is None else f"closed: {report.finish_reason}"
        print(f"crawl of {source.id} did not finish: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    sys.exit(main())
