"""The source wizard's work for the web: dry runs and crawls in background threads.

The web app gets a :class:`SourceWizard` from the composition root (``web.sourceadmin``
says what it offers). A request only starts the work and returns; the work writes its
state as JSON files under ``<spool>/_web/`` (``checks/ID.json``, ``crawls/SOURCE.json``),
so any web worker can show how it is going, and a page polls them.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from app import crawling, jobs
from app.config import ConfigError, SourceSettings
from app.runtime import Runtime
from app.sources import definition_of, field_specs, find_source, from_form, to_form
from crawler.errors import CrawlError
from tracker.models import CrawlRun
from web.sourceadmin import CheckState, CrawlState, FormField

logger = logging.getLogger(__name__)

#: A check's id as :meth:`SourceWizard.start_check` makes it (never a path).
CHECK_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
#: Dry-run results are kept this long.
CHECK_KEEP_S = 24 * 3600


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write JSON atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class SourceWizard:
    """Dry runs (at most ``checks_at_once`` at a time, the others wait their turn) and
    crawls (one at a time per source) started from the web."""

    def __init__(self, rt: Runtime, checks_at_once: int = 2) -> None:
        self.rt = rt
        self.folder = rt.spool / "_web"
        self._checks = ThreadPoolExecutor(checks_at_once, thread_name_prefix="sptrack-check")
        self._lock = threading.Lock()

    # -- the form -------------------------------------------------------------------
    def fields(self) -> list[FormField]:
        return [FormField(**vars(spec)) for spec in field_specs()]

    def configured(self) -> dict[str, dict[str, Any]]:
        return {s.id: definition_of(s) for s in self.rt.settings.sources}

    def to_form(self, definition: Mapping[str, Any]) -> dict[str, str]:
        return to_form(definition)

    def validate(
        self, form: Mapping[str, str], *, admin: bool, current: Mapping[str, Any] | None = None
    ) -> tuple[dict[str, Any] | None, dict[str, str]]:
        return from_form(form, admin=admin, current=current)

    # -- dry runs -------------------------------------------------------------------
    def _check_path(self, check_id: str) -> Path | None:
        if not check_id or len(check_id) > 64 or not set(check_id) <= CHECK_ID_CHARS:
            return None
        return self.folder / "checks" / f"{check_id}.json"

    def start_check(self, definition: Mapping[str, Any]) -> str:
        source = SourceSettings.model_validate(dict(definition))
        self._forget_old_checks()
        check_id = secrets.token_urlsafe(12)
        path = self._check_path(check_id)
        assert path is not None
        state = {"status": "running", "definition": dict(definition), "started": _now()}
        _write(path, state)
        self._checks.submit(self._check, path, state, source)
        return check_id

    def _check(self, path: Path, state: dict[str, Any], source: SourceSettings) -> None:
        try:
            plan = crawling.check_source(self.rt, source)
        except CrawlError as exc:
            _write(path, {**state, "status": "failed", "error": str(exc)})
        except Exception as exc:  # the page must say it ended, whatever happened
            logger.exception("dry run of %s failed", source.id)
            _write(path, {**state, "status": "failed", "error": f"unexpected error: {exc}"})
        else:
            _write(path, {**state, "status": "done", "plan": plan, "finished": _now()})

    def check_state(self, check_id: str) -> CheckState | None:
        path = self._check_path(check_id)
        data = _read(path) if path is not None else None
        if data is None:
            return None
        return CheckState(
            status=str(data.get("status", "failed")),
            definition=dict(data.get("definition") or {}),
            plan=dict(data.get("plan") or {}),
            error=str(data.get("error", "")),
        )

    def _forget_old_checks(self) -> None:
        cutoff = time.time() - CHECK_KEEP_S
        for old in (self.folder / "checks").glob("*.json"):
            try:
                if old.stat().st_mtime < cutoff:
                    old.unlink()
            except OSError:
                pass

    # -- crawls ---------------------------------------------------------------------
    def _crawl_path(self, source_id: str) -> Path:
        return self.folder / "crawls" / f"{source_id}.json"

    def _stale_after_s(self) -> float:
        settings = self.rt.settings
        return (
            max(settings.crawler.timeout_s, settings.reading.timeout_s)
            + crawling.CLOSE_GRACE_S
            + 60
        )

    def start_crawl(self, source_id: str) -> str:
        try:
            find_source(self.rt, source_id)
        except ConfigError as exc:
            return str(exc).split(": ", 1)[-1]
        with self._lock:
            if self.crawl_state(source_id).status == "running" or self._running_elsewhere(
                source_id
            ):
                return f"a crawl of {source_id} is already running"
            path = self._crawl_path(source_id)
            _write(path, {"status": "running", "message": "starting", "started": _now()})
        thread = threading.Thread(
            target=self._crawl, args=(source_id, path), name=f"sptrack-crawl-{source_id}"
        )
        thread.daemon = True
        thread.start()
        return ""

    def _running_elsewhere(self, source_id: str) -> bool:
        """A crawl of the source the scheduler or the command line is running now."""
        since = datetime.now(UTC) - timedelta(seconds=self._stale_after_s())
        with self.rt.session() as s:
            row = s.exec(
                select(CrawlRun.id).where(
                    CrawlRun.source_id == source_id,
                    CrawlRun.status == "running",
                    col(CrawlRun.finished_at).is_(None),
                    col(CrawlRun.started_at) > since,
                )
            ).first()
        return row is not None

    def _crawl(self, source_id: str, path: Path) -> None:
        state: dict[str, Any] = {"status": "running", "started": _now()}

        def progress(message: str) -> None:
            state.update(crawling.progress_counts(message))
            state["message"] = message.split(": ", 1)[-1]
            _write(path, state)

        try:
            outcomes = jobs.crawl(self.rt, [source_id], progress)
        except Exception as exc:  # the page must say it ended, whatever happened
            logger.exception("crawl of %s from the web failed", source_id)
            state.update(status="failed", message=f"the crawl failed: {exc}")
        else:
            outcome = outcomes[0]
            state.update(
                status="failed" if outcome.counts.status == "failed" else "done",
                message=f"finished: {outcome.counts.status}",
                report=outcome.line(),
                found=max(outcome.counts.found, int(state.get("found", 0))),
                # the last progress message may predate the last download
                fetched=max(outcome.counts.documents, int(state.get("fetched", 0))),
                pages=max(outcome.counts.listing_pages, int(state.get("pages", 0))),
            )
        state["finished"] = _now()
        _write(path, state)

    def crawl_state(self, source_id: str) -> CrawlState:
        path = self._crawl_path(source_id)
        data = _read(path)
        if data is None:
            return CrawlState("idle")
        status = str(data.get("status", "failed"))
        message = str(data.get("message", ""))
        try:
            quiet_s = time.time() - path.stat().st_mtime
        except OSError:
            quiet_s = 0.0
        if status == "running" and quiet_s > self._stale_after_s():
            status, message = "failed", "the crawl stopped without a word (server restarted?)"

        def count(key: str) -> int:
            value = data.get(key, 0)
            return value if isinstance(value, int) else 0

        return CrawlState(
            status=status,
            message=message,
            pages=count("pages"),
            found=count("found"),
            fetched=count("fetched"),
            read=count("read"),
            to_read=count("to_read"),
            started=str(data.get("started", "")),
            finished=str(data.get("finished", "")),
            report=str(data.get("report", "")),
        )
