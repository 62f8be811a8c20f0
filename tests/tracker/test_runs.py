from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from tracker import history, runs
from tracker.database import migrate, open_engine, session
from tracker.models import CrawlRun

WHEN = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine(
    new_database: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One migrated database for the module: each test starts runs of its own source."""
    engine = open_engine(new_database(tmp_path_factory.mktemp("runs")))
    migrate(engine)
    yield engine
    engine.dispose()


def _started(engine: Engine, source: str, *, at: datetime = WHEN, baseline: bool = False) -> int:
    with session(engine) as s:
        history.ensure_source(s, source, "NSSF legal documents", "nssf")
        run_id = runs.start_run(s, source, at, baseline=baseline)
        s.commit()
    return run_id


def test_a_started_run_is_running_until_it_is_finished(engine: Engine) -> None:
    run_id = _started(engine, "started", baseline=True)
    with session(engine) as s:
        run = s.get(CrawlRun, run_id)
        assert run is not None
        assert (run.status, run.baseline, run.finished_at, run.documents) == (
            "running",
            True,
            None,
            0,
        )


def test_finishing_a_run_writes_every_count(engine: Engine) -> None:
    run_id = _started(engine, "finished")
    counts = runs.RunCounts(
        status="partial", baseline=True, requests=12, bytes=34_567, documents=5, new=1,
        changed=2, unchanged=1, not_modified=3, failed=1, alerts=2, listing_pages=4,
        found=9, duration_s=1.25,
        errors=({"url": "http://127.0.0.1/km.pdf", "error": "ឯកសារខូច: not a PDF"},),
    )  # fmt: skip
    with session(engine) as s:
        runs.finish_run(s, run_id, counts, finished_at=WHEN + timedelta(minutes=3))
        s.commit()
    with session(engine) as s:
        run = s.get(CrawlRun, run_id)
        assert run is not None
        kept = {name: getattr(run, name) for name in runs.RunCounts.model_fields}
        assert kept == {**counts.model_dump(), "errors": [dict(counts.errors[0])]}
        assert run.finished_at is not None
        assert run.finished_at.replace(tzinfo=UTC) == WHEN + timedelta(minutes=3)


def test_a_run_keeps_its_first_errors_only(engine: Engine) -> None:
    run_id = _started(engine, "errors")
    errors = tuple({"url": f"http://127.0.0.1/{n}", "error": "404"} for n in range(500))
    with session(engine) as s:
        run = runs.finish_run(
            s, run_id, runs.RunCounts(status="failed", errors=errors), finished_at=WHEN
        )
        s.commit()
        assert [e["url"] for e in run.errors] == [e["url"] for e in errors[: runs.ERRORS_KEPT]]


def test_run_counts_are_frozen() -> None:
    counts = runs.RunCounts(status="ok", new=1)
    with pytest.raises(ValidationError, match="frozen"):
        counts.new = 2  # type: ignore[misc]
    assert counts.new == 1


def test_finishing_an_unknown_run_names_it(engine: Engine) -> None:
    with session(engine) as s, pytest.raises(LookupError, match="no crawl run 999"):
        runs.finish_run(s, 999, runs.RunCounts(status="ok"), finished_at=WHEN)


def test_a_stale_run_is_interrupted_with_the_reason(engine: Engine) -> None:
    old = _started(engine, "nssf", at=WHEN - timedelta(hours=2))
    fresh = _started(engine, "nssf", at=WHEN)
    with session(engine) as s:
        stale = runs.stale_runs(s, "nssf", WHEN - timedelta(hours=1))
        assert [r.id for r in stale] == [old]
        runs.interrupt_run(s, stale[0], WHEN, "killed")
        s.commit()
    with session(engine) as s:
        run = s.get(CrawlRun, old)
        assert run is not None
        assert (run.status, run.errors) == ("interrupted", [{"url": "", "error": "killed"}])
        assert runs.stale_runs(s, "nssf", WHEN + timedelta(hours=1))[0].id == fresh
