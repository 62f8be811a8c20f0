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


def test_run_serves_the_tracker_with_the_scheduler_started(tmp_path: Path) -> None:
    import socket
    import subprocess
    import urllib.request

    from sptrack_cli import SPTRACK

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
