"""Web tracker under load: 5,000 instruments and 50,000 versions in SQLite, `sptrack serve`
on 127.0.0.1, concurrent clients on the list, search, instrument and change pages.

    .venv/bin/python bench/web_load.py [--workdir DIR] [--connections 10] [--duration 20]
        [--workers 2] [--reuse]

Seeds a fresh database (Khmer and English instruments, 10 versions each, the changes
between them with flags, alerts), adds a viewer and an API token with the real CLI, starts
the real server, then for each page kind runs wrk (Debian package `wrk`; a Lua script
picks a random URL of that kind per request and reports p50/p95/p99) or, when wrk is not
installed, an asyncio httpx client with the same number of connections. Prints one line
per page kind: requests, errors, p50/p95/p99 in milliseconds. The target is p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from tracker.database import migrate, open_engine
from tracker.models import Alert, Change, Flag, Instrument, Source, Version

INSTRUMENTS = 5_000
VERSIONS_PER_INSTRUMENT = 10
TARGET_P95_MS = 300.0
SPTRACK = Path(sys.executable).with_name("sptrack")
PASSWORD = "bench password"

KM_PHRASES = [
    "ប្រាក់សោធននិវត្តន៍ប្រចាំខែ",
    "អត្ថប្រយោជន៍មាតុភាព",
    "អត្រាភាគទាន",
    "កម្មករនិយោជិត",
    "របបសន្តិសុខសង្គម",
    "ប្រាក់ឧបត្ថម្ភ",
    "ការធានារ៉ាប់រងសុខភាព",
    "មូលនិធិសមធម៌សុខាភិបាល",
    "ជនពិការ",
    "កុមារអាយុក្រោម៦ឆ្នាំ",
    "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ",
    "បេឡាជាតិរបបសន្តិសុខសង្គម",
]
EN_PHRASES = [
    "the monthly pension shall be adjusted",
    "maternity benefit of 120 percent of the wage",
    "the contribution rate is set at",
    "workers in the informal economy",
    "the social security scheme",
    "cash transfer for poor households",
    "health equity fund coverage",
    "disability allowance per month",
    "children under six years of age",
    "the minimum contribution period",
    "employment injury insurance",
    "the National Social Security Fund",
]
KM_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
TYPES = ["law", "royal-decree", "sub-decree", "prakas", "circular", "decision"]
ISSUERS = ["NSSF", "MLVT", "MoSVY", "MEF", "NSPC", "Council of Ministers"]
STATUSES = ["draft", "consultation", "adopted", "published", "in_force"]
POSITIONS = ["indexation", "vesting", "maternity", "contribution_rate", "benefit_adequacy"]
SEARCHES = [
    "pension",
    "maternity benefit",
    "informal economy",
    "health equity",
    "ប្រាក់សោធន",
    "មាតុភាព",
    "អត្រាភាគទាន",
    "ជនពិការ",
]


ARTICLES = 8


def _article(km: bool, number: int, words: str, amount: int) -> str:
    shown = f"{amount:,}"
    if km:
        return f"មាត្រា {str(number).translate(KM_DIGITS)} {words} {shown.translate(KM_DIGITS)} រៀល។"
    return f"Article {number}. {words} KHR {shown}."


class Drafts:
    """An instrument's text over its versions: each new version amends one or two articles."""

    def __init__(self, rng: random.Random, km: bool) -> None:
        phrases = KM_PHRASES if km else EN_PHRASES
        self.rng, self.km = rng, km
        self.words = [" ".join(rng.choice(phrases) for _ in range(5)) for _ in range(ARTICLES)]
        self.amounts = [rng.randint(10, 900) * 1000 for _ in range(ARTICLES)]

    def next_version(self, first: bool) -> list[str]:
        if not first:
            for n in self.rng.sample(range(ARTICLES), self.rng.randint(1, 2)):
                self.amounts[n] += self.rng.randint(1, 50) * 1000
        return [_article(self.km, n + 1, self.words[n], self.amounts[n]) for n in range(ARTICLES)]


def seed(url: str) -> dict[str, int]:
    """A fresh tracker of INSTRUMENTS x VERSIONS_PER_INSTRUMENT; counts of what was made."""
    rng = random.Random(8)
    engine = open_engine(url)
    migrate(engine)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    counts = {"instruments": 0, "versions": 0, "changes": 0, "flags": 0, "alerts": 0}
    with engine.begin() as connection:
        connection.execute(
            insert(Source),
            [
                {
                    "id": f"src-{i}",
                    "name": f"Source {i}",
                    "spider": "listing",
                    "baseline_done": True,
                    "consecutive_failures": 0,
                }
                for i in range(6)
            ],
        )
        instruments = []
        for i in range(1, INSTRUMENTS + 1):
            km = i % 2 == 0
            kind = rng.choice(["អនុក្រឹត្យ", "ប្រកាស", "ច្បាប់"] if km else ["Sub-decree", "Law"])
            subject = rng.choice(KM_PHRASES if km else EN_PHRASES)
            number = str(i).translate(KM_DIGITS) if km else str(i)
            title = f"{kind}ស្តីពី{subject} លេខ{number}" if km else f"{kind} on {subject} No. {i}"
            instruments.append(
                {
                    "id": i,
                    "source_id": f"src-{i % 6}",
                    "url": f"https://example.org/doc/{i}.pdf",
                    "title": title,
                    "type": rng.choice(TYPES),
                    "number": str(i),
                    "issuer": rng.choice(ISSUERS),
                    "language": "km" if km else "en",
                    "status": rng.choice(STATUSES),
                    "listing_date": "",
                    "signed_date": "",
                    "effective_date": "",
                    "consultation_deadline": "",
                    "owner_team": "",
                    "notes": "",
                    "first_seen_at": start + timedelta(hours=i),
                    "last_seen_at": start + timedelta(hours=i, days=30),
                }
            )
        connection.execute(insert(Instrument), instruments)
        counts["instruments"] = len(instruments)
        version_id = change_id = alert_id = 0
        for i in range(1, INSTRUMENTS + 1):
            km = i % 2 == 0
            versions, changes, flags, alerts = [], [], [], []
            previous: list[str] | None = None
            drafts = Drafts(rng, km)
            for v in range(VERSIONS_PER_INSTRUMENT):
                version_id += 1
                articles = drafts.next_version(first=v == 0)
                text = "\n".join(articles)
                versions.append(
                    {
                        "id": version_id,
                        "instrument_id": i,
                        "url": f"https://example.org/doc/{i}.pdf",
                        "fetched_at": start + timedelta(days=v * 7, hours=i),
                        "sha256": f"{version_id:064x}",
                        "size": len(text.encode()),
                        "content_type": "application/pdf",
                        "language": "km" if km else "en",
                        "method": "text",
                        "quality": 0.98,
                        "pages": 2,
                        "title": "",
                        "text": text,
                        "raw_text": text,
                        "document": None,
                    }
                )
                if previous is not None:
                    for n, (old, new) in enumerate(zip(previous, articles, strict=True)):
                        if old == new:
                            continue
                        change_id += 1
                        changes.append(
                            {
                                "id": change_id,
                                "instrument_id": i,
                                "old_version_id": version_id - 1,
                                "new_version_id": version_id,
                                "kind": "modified",
                                "old_ref": f"Article {n + 1}",
                                "new_ref": f"Article {n + 1}",
                                "heading": "",
                                "old_text": old,
                                "new_text": new,
                                "numbers": [
                                    {
                                        "old": 1000.0,
                                        "new": 2000.0,
                                        "unit": "KHR",
                                        "old_text": "1,000",
                                        "new_text": "2,000",
                                        "label": "",
                                    }
                                ],
                                "ops": [],
                                "needs_check": False,
                            }
                        )
                        if change_id % 3 == 0:
                            flags.append(
                                {
                                    "change_id": change_id,
                                    "position": rng.choice(POSITIONS),
                                    "score": 0.8,
                                    "severity": "medium",
                                    "evidence": [{"text": "pension"}],
                                }
                            )
                    if v == VERSIONS_PER_INSTRUMENT - 1 and i % 5 == 0:
                        alert_id += 1
                        alerts.append(
                            {
                                "id": alert_id,
                                "instrument_id": i,
                                "version_id": version_id,
                                "created_at": start + timedelta(days=v * 7, hours=i),
                                "positions": [rng.choice(POSITIONS)],
                                "severity": "medium",
                                "summary": "pension 1,000 -> 2,000",
                                "url": "",
                                "needs_check": False,
                            }
                        )
                previous = articles
            connection.execute(insert(Version), versions)
            if changes:
                connection.execute(insert(Change), changes)
            if flags:
                connection.execute(insert(Flag), flags)
            if alerts:
                connection.execute(insert(Alert), alerts)
            counts["versions"] += len(versions)
            counts["changes"] += len(changes)
            counts["flags"] += len(flags)
            counts["alerts"] += len(alerts)
    engine.dispose()
    return counts


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cli(*args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [str(SPTRACK), *args], input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def _paths(kind: str, rng: random.Random, changes: int, n: int = 500) -> list[str]:
    if kind == "list":
        return [f"/instruments?page={rng.randint(1, INSTRUMENTS // 50)}" for _ in range(n)]
    if kind == "search":
        return [f"/instruments?q={rng.choice(SEARCHES)}" for _ in range(n)]
    if kind == "instrument":
        return [f"/instruments/{rng.randint(1, INSTRUMENTS)}" for _ in range(n)]
    if kind == "api":  # the JSON API: instrument lists and records, changes, alerts
        choices = [
            lambda: f"/api/instruments?offset={rng.randint(0, INSTRUMENTS - 50)}",
            lambda: f"/api/instruments/{rng.randint(1, INSTRUMENTS)}",
            lambda: f"/api/changes/{rng.randint(1, changes)}",
            lambda: "/api/alerts",
        ]
        return [rng.choice(choices)() for _ in range(n)]
    return [f"/changes/{rng.randint(1, changes)}" for _ in range(n)]


WRK_SCRIPT = """
local paths = {%s}
local token = "%s"
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %%d %%d %%.1f %%.1f %%.1f\\n", summary.requests, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def run_wrk(
    base: str, token: str, paths: list[str], connections: int, duration: int
) -> dict[str, Any]:
    from urllib.parse import quote

    quoted = ", ".join(json.dumps(quote(p, safe="/?=&")) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % (quoted, token))
    done = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            base,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    Path(script.name).unlink()
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stdout} {done.stderr}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT"))
    _, requests, errors, p50, p95, p99 = line.split()
    return {
        "requests": int(requests),
        "errors": int(errors),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "tool": "wrk",
    }


async def _httpx_load(
    base: str, token: str, paths: list[str], connections: int, duration: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + duration
    headers = {"Authorization": f"Bearer {token}"}

    async def worker(offset: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        i = offset
        while time.monotonic() < deadline:
            began = time.perf_counter()
            response = await client.get(paths[i % len(paths)], headers=headers)
            latencies.append((time.perf_counter() - began) * 1000)
            errors += response.status_code != 200
            i += connections

    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(n, client) for n in range(connections)))
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "tool": "httpx",
    }


def existing_counts(url: str) -> dict[str, int]:
    engine = open_engine(url)
    with engine.connect() as connection:
        counts = {
            table: int(connection.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar() or 0)
            for table, name in (
                ("instruments", "instrument"),
                ("versions", "version"),
                ("changes", "change"),
                ("flags", "flag"),
                ("alerts", "alert"),
            )
        }
    engine.dispose()
    return counts


def _add_viewer(config: Path) -> None:
    _cli(
        "users",
        "add",
        "loadviewer",
        "--role",
        "viewer",
        "--config",
        str(config),
        stdin=PASSWORD + "\n",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page kind")
    parser.add_argument("--tool", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--workers", type=int, default=2, help="sptrack serve --workers")
    parser.add_argument(
        "--reuse", action="store_true", help="load the database a previous run left in --workdir"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sptrack-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "load.db"
    reuse = args.reuse and db.is_file()
    if not reuse:
        db.unlink(missing_ok=True)
    port = _free_port()
    config = workdir / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{db}"\n[storage]\npath = "{workdir}/blobs"\n'
        f'[web]\nhost = "127.0.0.1"\nport = {port}\n',
        encoding="utf-8",
    )
    if reuse:
        counts = existing_counts(f"sqlite:///{db}")
        print(f"reusing {db}: {counts}")
    else:
        began = time.perf_counter()
        counts = seed(f"sqlite:///{db}")
        seconds = time.perf_counter() - began
        print(f"seeded {counts} in {seconds:.0f} s ({db.stat().st_size / 1e6:.0f} MB)")
        _add_viewer(config)
    token = _cli("users", "token", "loadviewer", "--config", str(config))
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    use_wrk = args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk"))
    env = {"SPTRACK_SECRET_KEY": "k" * 32, "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [str(SPTRACK), "serve", "--config", str(config), "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stderr is not None
        ready = "Uvicorn running on" if args.workers == 1 else "Started parent process"
        for line in server.stderr:  # logged once the socket listens
            if ready in line:
                break
        # keep the server's log from filling the pipe
        threading.Thread(target=server.stderr.read, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        rng = random.Random(1)
        results = {}
        header = ("page", "tool", "requests", "errors", "p50 ms", "p95 ms", "p99 ms")
        print("{:<11} {:<5} {:>8} {:>6} {:>7} {:>7} {:>7}".format(*header))
        # warm up (every worker up, caches filled); not counted
        with httpx.Client(base_url=base, timeout=120) as client:
            client.get("/healthz")
        warm = _paths("list", rng, counts["changes"], 50) + _paths("search", rng, 1, 50)
        if use_wrk:
            run_wrk(base, token, warm, args.connections, 3)
        else:
            asyncio.run(_httpx_load(base, token, warm, args.connections, 3))
        for kind in ("list", "search", "instrument", "change", "api"):
            paths = _paths(kind, rng, counts["changes"])
            if use_wrk:
                result = run_wrk(base, token, paths, args.connections, args.duration)
            else:
                result = asyncio.run(
                    _httpx_load(base, token, paths, args.connections, args.duration)
                )
            results[kind] = result
            print(
                f"{kind:<11} {result['tool']:<5} {result['requests']:>8} {result['errors']:>6} "
                f"{result['p50']:>7.1f} {result['p95']:>7.1f} {result['p99']:>7.1f}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    worst = max(r["p95"] for r in results.values())
    print(
        f"{args.connections} connections, {args.workers} worker(s), "
        f"{args.duration} s per page kind; "
        f"worst p95 {worst:.0f} ms "
        f"(target < {TARGET_P95_MS:.0f} ms): {'met' if worst < TARGET_P95_MS else 'NOT met'}"
    )
    return 0 if worst < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
