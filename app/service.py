"""Long-running services: the web tracker and the scheduler that runs crawls and deliveries."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import uvicorn
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from fastapi import FastAPI

from app.config import TIMEZONE
from app.jobs import crawl_source, deliver
from app.runtime import Runtime
from web.app import create_app
from web.settings import WebSettings

logger = logging.getLogger(__name__)

DELIVERY_INTERVAL_S = 60


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
    )


def web_app() -> FastAPI:
    """The web tracker of one worker process (``uvicorn --factory``): built from the config
    file ``$SPTRACK_CONFIG`` names, which :func:`serve_web` sets before starting workers."""
    from app.config import config_path, load_settings

    return create_app(web_settings(Runtime(load_settings(config_path()))))


def serve_web(rt: Runtime, host: str, port: int, workers: int = 1) -> None:
    """Serve the tracker; ``workers`` > 1 runs that many processes on one socket (each
    keeps its own login throttle, so the sign-in limits apply per process)."""
    _ = rt.engine  # migrate before serving
    settings = web_settings(rt)  # makes the session secret once, before workers read it
    if workers <= 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    from uvicorn.supervisors import Multiprocess

    os.environ["SPTRACK_CONFIG"] = rt.settings.config_file
    config = uvicorn.Config(
        "app.service:web_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )
    sock = config.bind_socket()
    # Listen before the workers start: a request that comes while they import waits in the
    # backlog instead of being refused (uvicorn would listen only in each worker).
    sock.listen(config.backlog)
    Multiprocess(config, sockets=[sock]).run()


def build_scheduler(rt: Runtime) -> BackgroundScheduler:
    """One cron job per source (Asia/Phnom_Penh) and a delivery job every minute.

    ``max_instances=1`` and ``coalesce=True``: a crawl still running is never started twice,
    and runs missed while the process was down collapse into one.
    """
    scheduler = BackgroundScheduler(timezone=TIMEZONE)
    for source in rt.settings.sources:
        scheduler.add_job(
            crawl_source,
            CronTrigger.from_crontab(source.schedule, timezone=TIMEZONE),
            args=[rt, source],
            id=f"crawl:{source.id}",
            name=f"crawl {source.id}",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )
    scheduler.add_job(
        deliver,
        IntervalTrigger(seconds=DELIVERY_INTERVAL_S),
        args=[rt],
        id="deliver",
        name="deliver alerts",
        max_instances=1,
        coalesce=True,
    )
    return scheduler


def run_service(rt: Runtime) -> None:
    # Fail now, with one clear line, rather than at the first crawl or delivery.
    _ = rt.engine, rt.channels, rt.positions
    scheduler = build_scheduler(rt)
    scheduler.start()
    for job in scheduler.get_jobs():
        logger.info("scheduled %s: next run %s", job.name, job.next_run_time)
    try:
        serve_web(rt, rt.settings.web.host, rt.settings.web.port)
    finally:
        scheduler.shutdown(wait=False)
