from __future__ import annotations

from pathlib import Path

from app.config import parse_settings
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
