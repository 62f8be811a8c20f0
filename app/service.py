"""Long-running services: the web tracker and the scheduler that runs crawls and deliveries."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

import uvicorn
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from fastapi import FastAPI

from app.config import TIMEZONE
from app.config_file import load_settings
from app.jobs import check_translation_lag, crawl_source, deliver
from app.runtime import Runtime
from app.sources import all_sources, find_source
from app.wizard import SourceWizard
from web.app import create_app, server_options
from web.settings import WebSettings

logger = logging.getLogger(__name__)

DELIVERY_INTERVAL_S = 60
JOBS_TABLE = "apscheduler_jobs"


def secret_key(rt: Runtime) -> str:
    """The session secret: from the environment variable the config names, else a key
    generated once and kept (mode 0600) beside the database."""
    name = rt.settings.web.secret_key_env
    if rt.environ.get(name):
        return rt.environ[name]
    path = rt.settings.path("data/secret_key")
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key


def web_settings(rt: Runtime) -> WebSettings:
    return WebSettings(
        database_url=rt.settings.database_url,
        storage_path=Path(rt.blobs.root),
        public_read=rt.settings.web.public_read,
        secret_key=secret_key(rt),
        base_url=rt.settings.web.base_url,
        trusted_proxies=rt.settings.web.trusted_proxies,
        outbound=rt.outbound,
        sources=SourceWizard(rt),
        positions=rt.positions,
    )


def web_app() -> FastAPI:
    """The web tracker of one worker process (``uvicorn --factory``): built from the config
    file ``$SPTRACK_CONFIG`` names, which :func:`serve_web` sets before starting workers."""
    from app.config_file import config_path, load_settings

    return create_app(web_settings(Runtime(load_settings(config_path()))))


def serve_web(rt: Runtime, host: str, port: int, workers: int = 1) -> None:
    """Serve the tracker; ``workers`` > 1 runs that many processes on one socket (each
    keeps its own login throttle, so the sign-in limits apply per process)."""
    _ = rt.engine  # migrate before serving
    settings = web_settings(rt)  # makes the session secret once, before workers read it
    if workers <= 1:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_level="info",
            **server_options(settings),
        )
        return
    from uvicorn.supervisors import Multiprocess

    os.environ["SPTRACK_CONFIG"] = rt.settings.config_file
    config = worker_config(rt, host, port, workers, server_options(settings))
    sock = config.bind_socket()
    # Listen before the workers start: a request that comes while they import waits in the
    # backlog instead of being refused (uvicorn would listen only in each worker).
    sock.listen(config.backlog)
    Multiprocess(config, sockets=[sock]).run()


def worker_config(
    rt: Runtime, host: str, port: int, workers: int, options: dict[str, Any]
) -> uvicorn.Config:
    """uvicorn's config for ``workers`` processes of :func:`web_app`. The supervisor pings
    each worker every half second and kills one that does not answer within
    ``web.worker_healthcheck_s`` (uvicorn's own 5 s is too short for a worker importing
    the app on a busy machine: it was killed and restarted over and over)."""
    return uvicorn.Config(
        "app.service:web_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        timeout_worker_healthcheck=rt.settings.web.worker_healthcheck_s,
        **options,
    )


def scheduled_crawl(config_file: str, source_id: str) -> None:
    """The job a source's cron runs: one crawl (in its own process, time-limited), then
    delivery. Stored by reference and plain arguments, so the persistent job store can
    hold it across restarts."""
    rt = _RUNTIMES.get(config_file) or Runtime(load_settings(Path(config_file)))
    crawl_source(rt, find_source(rt, source_id))
    check_translation_lag(rt)
    deliver(rt)


#: The service's Runtime by config file, so stored jobs (which hold only the file name)
#: run with the process's wiring instead of building a second one.
_RUNTIMES: dict[str, Runtime] = {}


def job_store(rt: Runtime) -> SQLAlchemyJobStore:
    """APScheduler's jobs in the tracker's own database (table ``apscheduler_jobs``)."""
    return SQLAlchemyJobStore(engine=rt.engine, tablename=JOBS_TABLE)


def build_scheduler(rt: Runtime, store: BaseJobStore | None = None) -> BackgroundScheduler:
    """One cron job per enabled source (Asia/Phnom_Penh) and a delivery job every minute.

    Crawl jobs live in a persistent store (the tracker's database unless ``store`` is
    given): a restart keeps each job's next run time, so a run missed while the process
    was down happens once when it comes back (``coalesce``, no grace limit) and a run that
    had started is not repeated (APScheduler moves the next run time before running).
    A job whose source's schedule changed is rescheduled; one whose source left the
    config is removed. ``max_instances=1``: a crawl still running is never started twice.
    """
    _RUNTIMES[rt.settings.config_file] = rt
    scheduler = BackgroundScheduler(
        timezone=TIMEZONE,
        jobstores={"default": store or job_store(rt), "memory": MemoryJobStore()},
    )
    # Jobs already stored are only visible once the store is attached: do it paused.
    scheduler.start(paused=True)
    wanted = {f"crawl:{s.id}": s for s in all_sources(rt) if s.enabled}
    for job in scheduler.get_jobs(jobstore="default"):
        if job.id.startswith("crawl:") and job.id not in wanted:
            logger.info("removing job %s: its source is no longer configured", job.id)
            job.remove()
    for job_id, source in wanted.items():
        trigger = CronTrigger.from_crontab(source.schedule, timezone=TIMEZONE)
        existing = scheduler.get_job(job_id, jobstore="default")
        args = [rt.settings.config_file, source.id]
        if (
            existing is not None
            and str(existing.trigger) == str(trigger)
            and (list(existing.args) == args)
        ):
            continue  # keep its stored next run time
        scheduler.add_job(
            scheduled_crawl,
            trigger,
            args=args,
            id=job_id,
            name=f"crawl {source.id}",
            jobstore="default",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
    scheduler.add_job(
        deliver,
        IntervalTrigger(seconds=DELIVERY_INTERVAL_S),
        args=[rt],
        id="deliver",
        name="deliver alerts",
        jobstore="memory",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )
    return scheduler


def run_service(rt: Runtime) -> None:
    # Fail now, with one clear line, rather than at the first crawl or delivery.
    _ = rt.engine, rt.channels, rt.positions
    scheduler = build_scheduler(rt)
    scheduler.resume()
    for job in scheduler.get_jobs():
        logger.info("scheduled %s: next run %s", job.name, job.next_run_time)
    try:
        serve_web(rt, rt.settings.web.host, rt.settings.web.port)
    finally:
        scheduler.shutdown(wait=False)
