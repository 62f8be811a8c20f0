from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.config_file import parse_settings
from app.runtime import Runtime
from app.service import build_scheduler, secret_key

CONFIG = """
[[sources]]
id = "nssf-legal"
start_urls = ["https://www.nssf.gov.kh/language/en"]
documents = "a::attr(href)"
schedule = "0 6 * * *"

[[sources]]
id = "mlvt-prakas"
start_urls = ["https://www.mlvt.gov.kh/"]
documents = "a::attr(href)"
schedule = "30 7 * * 1-5"
"""


def test_scheduler_has_one_guarded_job_per_source_and_a_delivery_job(tmp_path: Path) -> None:
    rt = Runtime(parse_settings(CONFIG, tmp_path / "config.toml"), environ={})
    scheduler = build_scheduler(rt)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    assert set(jobs) == {"crawl:nssf-legal", "crawl:mlvt-prakas", "deliver"}
    for job in jobs.values():
        assert job.max_instances == 1 and job.coalesce
    trigger = str(jobs["crawl:mlvt-prakas"].trigger)
    assert "hour='7'" in trigger and "minute='30'" in trigger and "day_of_week='1-5'" in trigger
    assert str(jobs["crawl:nssf-legal"].trigger.timezone) == "Asia/Phnom_Penh"


def test_secret_key_from_environment_or_kept_file(tmp_path: Path) -> None:
    settings = parse_settings(CONFIG, tmp_path / "config.toml")
    assert secret_key(Runtime(settings, environ={"SPTRACK_SECRET_KEY": "k" * 40})) == "k" * 40
    generated = secret_key(Runtime(settings, environ={}))
    assert len(generated) >= 32
    assert secret_key(Runtime(settings, environ={})) == generated
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0


def test_run_serves_the_tracker_with_the_scheduler_started(tmp_path: Path) -> None:
    import subprocess
    import urllib.request

    from tests.support.cli import SPTRACK
    from tests.support.ports import free_port

    port = free_port()
    (tmp_path / "positions.toml").write_bytes(
        (Path(__file__).parents[2] / "positions.toml").read_bytes()
    )
    config = tmp_path / "config.toml"
    config.write_text(CONFIG + f"\n[web]\nport = {port}\n", encoding="utf-8")
    with subprocess.Popen(
        [str(SPTRACK), "run", "--config", str(config)],
        stderr=subprocess.PIPE,
        text=True,
        env={"SPTRACK_SECRET_KEY": "x" * 32, "PATH": "/usr/bin:/bin", "COLUMNS": "300"},
    ) as child:
        try:
            assert child.stderr is not None
            seen = []
            for line in child.stderr:  # blocks until the service says it is up (or dies)
                seen.append(line)
                if "Uvicorn running on" in line:  # printed once the socket listens
                    break
            log = "".join(seen)
            assert "scheduled crawl nssf-legal: next run" in log
            assert "scheduled crawl mlvt-prakas: next run" in log
            url = f"http://127.0.0.1:{port}/healthz"
            with urllib.request.urlopen(url, timeout=10) as answer:
                assert answer.status == 200
        finally:
            child.terminate()
            child.wait(timeout=30)


def _stored_jobs(rt: Runtime) -> dict[str, datetime]:
    from sqlalchemy import text

    with rt.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, next_run_time FROM apscheduler_jobs"))
        return {r[0]: datetime.fromtimestamp(r[1], UTC) for r in rows}


def test_jobs_persist_in_the_tracker_database_across_restarts(tmp_path: Path) -> None:
    rt = Runtime(parse_settings(CONFIG, tmp_path / "config.toml"), environ={})
    first = build_scheduler(rt)
    first.shutdown(wait=False)
    stored = _stored_jobs(rt)
    assert set(stored) == {"crawl:nssf-legal", "crawl:mlvt-prakas"}, "delivery stays in memory"

    again = build_scheduler(Runtime(parse_settings(CONFIG, tmp_path / "config.toml"), environ={}))
    again.shutdown(wait=False)
    assert _stored_jobs(rt) == stored, "a restart keeps each job's next run time"

    changed = CONFIG.replace('schedule = "0 6 * * *"', 'schedule = "15 9 * * *"').replace(
        '[[sources]]\nid = "mlvt-prakas"', '[[sources]]\nenabled = false\nid = "mlvt-prakas"'
    )
    rt2 = Runtime(parse_settings(changed, tmp_path / "config.toml"), environ={})
    third = build_scheduler(rt2)
    job = third.get_job("crawl:nssf-legal")
    third.shutdown(wait=False)
    assert "hour='9'" in str(job.trigger) and "minute='15'" in str(job.trigger)
    assert set(_stored_jobs(rt2)) == {"crawl:nssf-legal"}, "a disabled source's job is removed"


@pytest.mark.slow
def test_a_run_missed_while_down_happens_once_after_restart(tmp_path: Path) -> None:
    """The process was down at 06:00: on restart the crawl runs once, not twice, not never."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
    from sqlmodel import select

    from app.demo import SITE
    from tests.support.mockserver import SiteServer, serving
    from tracker.models import CrawlRun

    (tmp_path / "positions.toml").write_bytes(
        (Path(__file__).parents[2] / "positions.toml").read_bytes()
    )
    site = SiteServer(SITE / "state1")
    config = f"""[crawler]
delay_s = 0

[[sources]]
id = "demo-ministry"
start_urls = ["{site.url}/legal-documents/"]
documents = "ul.docs a::attr(href)"
schedule = "0 6 * * *"
allow_private_network = true
"""
    with serving(site):
        rt = Runtime(parse_settings(config, tmp_path / "config.toml"), environ={})
        before = build_scheduler(rt)  # paused: nothing runs
        # The process stops before 06:00 comes and is down while 06:00 passes: the stored
        # job's next run time is three hours gone when it starts again.
        before.modify_job(
            "crawl:demo-ministry",
            jobstore="default",
            next_run_time=datetime.now(UTC) - timedelta(hours=3),
        )
        # Detached first: a scheduler stopping runs once what is due, even paused.
        before.remove_jobstore("default")
        before.shutdown(wait=True)
        stored = _stored_jobs(rt)["crawl:demo-ministry"]
        assert stored < datetime.now(UTC) - timedelta(hours=2), "stored as missed"

        after = build_scheduler(
            Runtime(parse_settings(config, tmp_path / "config.toml"), environ={})
        )
        done = threading.Event()
        events: list[JobExecutionEvent] = []

        def record(event: JobExecutionEvent) -> None:
            if event.job_id.startswith("crawl:"):
                events.append(event)
                done.set()

        after.add_listener(record, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        after.resume()
        try:
            assert done.wait(timeout=90), "the missed run happens after the restart"
            next_run = after.get_job("crawl:demo-ministry").next_run_time
        finally:
            after.shutdown(wait=True)
    assert [e.job_id for e in events] == ["crawl:demo-ministry"]
    assert events[0].exception is None
    assert next_run > datetime.now(UTC), "stored for the next 06:00: no second run"
    assert _stored_jobs(rt)["crawl:demo-ministry"] == next_run
    with rt.session() as s:
        assert len(s.exec(select(CrawlRun)).all()) == 1


def test_workers_get_the_configured_health_check_time(tmp_path: Path) -> None:
    """uvicorn's supervisor kills a worker that does not answer its ping in time; its own
    5 s killed workers still importing the app on a busy machine, over and over."""
    from app.config import ConfigError
    from app.service import worker_config

    default = Runtime(parse_settings(CONFIG, tmp_path / "config.toml"), environ={})
    config = worker_config(default, "127.0.0.1", 8000, 2, {"proxy_headers": False})
    assert config.timeout_worker_healthcheck == 30 and config.workers == 2
    assert config.factory and config.app == "app.service:web_app" and not config.proxy_headers
    slow = parse_settings(CONFIG + "[web]\nworker_healthcheck_s = 90\n", tmp_path / "c.toml")
    config = worker_config(Runtime(slow, environ={}), "127.0.0.1", 8000, 2, {})
    assert config.timeout_worker_healthcheck == 90
    with pytest.raises(ConfigError, match="worker_healthcheck_s"):
        parse_settings(CONFIG + "[web]\nworker_healthcheck_s = 0\n", tmp_path / "c.toml")
