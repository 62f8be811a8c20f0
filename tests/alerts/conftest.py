"""Shared fixtures for the DELIVER side: a migrated database (SQLite, or PostgreSQL when the
suite runs there), positions, a world of instruments, versions, changes and flags, real
local servers (SMTP and HTTP) and the console script."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from alerts.deliver.channels import Channel
from alerts.deliver.outbox import record_alert
from alerts.match.flags import Evidence
from alerts.match.flags import Flag as MatchFlag
from alerts.positions import Position
from tests.support.cli import REPO, SPTRACK, console_env, sptrack
from tests.support.mockserver import Inbox, MockServer, QuietHandler, SmtpServer, serving
from tests.support.ports import free_port
from tracker.database import open_engine
from tracker.database import session as open_session
from tracker.models import Alert, Change, Instrument, Source, Version

# Monday 2 March 2026, 10:00 in Phnom Penh.
MONDAY_10_PP = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
BASE_URL = "http://tracker.example.org"

POSITIONS: dict[str, Position] = {
    "contribution_rate": Position(
        id="contribution_rate",
        name="Contribution rate",
        description="Contribution rates, shares, assumed-wage floor and ceiling, schedules.",
        stance="Rates should rise gradually, agreed in the tripartite board, never cut.",
        key_messages=(
            "Adequate pensions need adequate, predictable contributions.",
            "ប្រាក់សោធននិវត្តន៍គ្រប់គ្រាន់ ត្រូវការការរួមចំណែកគ្រប់គ្រាន់។",
        ),
        terms_en=("contribution rate",),
        terms_km=("អត្រាភាគទាន",),
        weight="core",  # as in positions.toml: its number changes rank high (alerts.match.severity)
    ),
    "maternity": Position(
        id="maternity",
        name="Maternity",
        description="Maternity benefits, leave and protection.",
        stance="Maternity cash benefits must cover 90 days at full pay for every worker.",
        key_messages=("No mother left without income at childbirth.",),
        terms_en=("maternity",),
        terms_km=("មាតុភាព",),
        weight="core",  # a flag's tier stays its severity here: medium ranks medium
    ),
}


def match_flag(position: str, severity: str = "high", score: float = 0.9) -> MatchFlag:
    evidence = Evidence(
        term=position, text=position, side="new", start=0, end=len(position), where="changed"
    )
    return MatchFlag(position=position, score=score, severity=severity, evidence=(evidence,))  # type: ignore[arg-type]


CONTRIBUTION_CHANGE: dict[str, Any] = {
    "kind": "modified",
    "old_ref": "Article 4",
    "new_ref": "Article 4",
    "heading": "Contribution rates",
    "old_text": "The contribution rate is 4% of the assumed wage, of which the employer pays 2%.",
    "new_text": "The contribution rate is 6% of the assumed wage, of which the employer pays 3%.",
    "numbers": [
        {"old": 4.0, "new": 6.0, "unit": "%", "old_text": "4%", "new_text": "6%", "label": ""},
        {
            "old": 2.0,
            "new": 3.0,
            "unit": "%",
            "old_text": "2%",
            "new_text": "3%",
            "label": "employer",
        },
    ],
    "ops": [
        {"tag": "equal", "old": "The contribution rate is", "new": "The contribution rate is"},
        {"tag": "replace", "old": "4%", "new": "6%"},
    ],
}
KHMER_CHANGE: dict[str, Any] = {
    "kind": "modified",
    "old_ref": "មាត្រា ៤",
    "new_ref": "មាត្រា ៤",
    "heading": "អត្រាភាគទាន",
    "old_text": "អត្រាភាគទានស្មើនឹង ៤% នៃប្រាក់ឈ្នួលប្រចាំខែ។",
    "new_text": "អត្រាភាគទានស្មើនឹង ៦% នៃប្រាក់ឈ្នួលប្រចាំខែ។",
    "numbers": [
        {"old": 4.0, "new": 6.0, "unit": "%", "old_text": "៤%", "new_text": "៦%", "label": ""}
    ],
    "ops": [{"tag": "replace", "old": "៤%", "new": "៦%"}],
}


@dataclass
class World:
    """Builds instruments with two versions and flagged changes, and records their alerts."""

    factory: Callable[[], Session]
    channels: list[Channel] = field(default_factory=list)
    count: int = 0

    # Sample data for the tests (conftest is not importable as a module).
    now = MONDAY_10_PP
    base_url = BASE_URL
    positions = POSITIONS
    contribution = CONTRIBUTION_CHANGE
    khmer = KHMER_CHANGE
    flag = staticmethod(match_flag)

    def alert(
        self,
        changes: Sequence[dict[str, Any]] = (CONTRIBUTION_CHANGE,),
        flags: Sequence[Sequence[MatchFlag]] | None = None,
        *,
        title: str = "Sub-decree 32 on pensions",
        source_id: str = "nssf-legal",
        baseline: bool = False,
        now: datetime = MONDAY_10_PP,
        method: str = "text",
        channels: Sequence[Channel] | None = None,
    ) -> int | None:
        """Store a new instrument version with ``changes``; return the alert id (or None)."""
        self.count += 1
        flags = flags if flags is not None else [[match_flag("contribution_rate")] for _ in changes]
        with self.factory() as session:
            if session.get(Source, source_id) is None:
                session.add(Source(id=source_id, name="NSSF legal documents"))
                session.flush()
            instrument = Instrument(
                source_id=source_id, url=f"https://www.nssf.gov.kh/doc/{self.count}", title=title
            )
            session.add(instrument)
            session.flush()
            assert instrument.id is not None
            old = Version(
                instrument_id=instrument.id,
                url=instrument.url,
                sha256="a" * 64,
                fetched_at=now - timedelta(days=30),
                method="text",
            )
            new = Version(
                instrument_id=instrument.id,
                url=instrument.url,
                sha256=f"{self.count:064x}",
                fetched_at=now,
                method=method,
            )
            session.add_all([old, new])
            session.flush()
            assert old.id is not None and new.id is not None
            rows = [
                Change(
                    instrument_id=instrument.id,
                    old_version_id=old.id,
                    new_version_id=new.id,
                    needs_check=method != "text",
                    **change,
                )
                for change in changes
            ]
            session.add_all(rows)
            session.flush()
            alert = record_alert(
                session,
                instrument=instrument,
                version=new,
                change_rows=rows,
                flags=flags,
                channels=self.channels if channels is None else channels,
                source_id=source_id,
                baseline=baseline,
                now=now,
                positions=self.positions,
            )
            session.commit()
            return alert.id if alert is not None else None

    def get_alert(self, alert_id: int) -> Alert:
        with self.factory() as session:
            alert = session.get(Alert, alert_id)
            assert alert is not None
            return alert


@pytest.fixture
def engine(migrated_database_url: str) -> Iterator[Engine]:
    engine = open_engine(migrated_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> Callable[[], Session]:
    return lambda: open_session(engine)


@pytest.fixture
def world(session_factory: Callable[[], Session]) -> World:
    return World(session_factory)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port (not started: call .start())."""
    server = SmtpServer(port=free_port(), inbox=Inbox())
    yield server
    server.stop()


# --- a webhook receiver that keeps idempotency keys ------------------------------------


@dataclass
class Hook:
    """One POST the webhook saw: its idempotency key, JSON body and how it was answered."""

    key: str
    payload: dict[str, Any]
    redelivery: bool
    answer: int = 0


class Webhook(MockServer):
    """A real HTTP endpoint on 127.0.0.1 for Apprise ``json://`` deliveries.

    ``refuse`` makes it answer 503 (nothing accepted); ``hold_at`` holds the n-th request
    (1-based) until ``release`` is set, after setting ``held``. Like a receiver that
    honours idempotency keys, it keeps the first payload of each key in ``accepted`` and
    counts a repeat of a key it already has in ``repeats``.
    """

    def __init__(self) -> None:
        self.refuse = False
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.held_done = threading.Event()
        self.hooks: list[Hook] = []
        self.accepted: dict[str, dict[str, Any]] = {}
        self.repeats = 0
        self.lock = threading.Lock()
        super().__init__(_WebhookHandler)

    @property
    def hook_url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def refs(self) -> list[str]:
        """Every alert or notice ref the receiver accepted, once per accepted message."""
        return sorted(ref for p in self.accepted.values() for ref in p["sptracker"]["refs"])


class _WebhookHandler(QuietHandler):
    server: Webhook

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length", "0")), 1 << 20)
        payload = json.loads(self.rfile.read(length))
        hook = Hook(
            key=self.headers.get("X-Idempotency-Key", ""),
            payload=payload,
            redelivery=self.headers.get("X-SPTracker-Redelivery") == "1",
        )
        with self.server.lock:
            self.server.hooks.append(hook)
            number = len(self.server.hooks)
        held = number == self.server.hold_at
        if held:
            self.server.held.set()
            self.server.release.wait(timeout=120)
        if self.server.refuse:
            hook.answer = 503
        else:
            hook.answer = 200
            with self.server.lock:
                if hook.key in self.server.accepted:
                    self.server.repeats += 1
                else:
                    self.server.accepted[hook.key] = payload
        try:
            self.send_response(hook.answer)
            self.end_headers()
        except OSError:  # the sender is gone (killed while we held its request)
            pass
        finally:
            if held:
                self.server.held_done.set()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    with serving(Webhook()) as server:
        yield server


# --- the console script ----------------------------------------------------------------


def write_config(folder: Path, database_url: str, channels: Sequence[Channel]) -> Path:
    """A config.toml for the test database and these channels, in ``folder``."""
    (folder / "positions.toml").write_bytes((REPO / "positions.toml").read_bytes())
    lines = [
        "[database]",
        f"url = {json.dumps(database_url)}",
        "",
        "[web]",
        f'base_url = "{BASE_URL}"',
    ]
    for channel in channels:
        lines += [
            "",
            "[[channels]]",
            f'name = "{channel.name}"',
            f'url = "{channel.url}"',
            f'mode = "{channel.mode}"',
            f'language = "{channel.language}"',
            f"positions = {json.dumps(list(channel.positions))}",
        ]
    config = folder / "config.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


@dataclass(frozen=True)
class Cli:
    """`sptrack` for tests: ``run`` it (in this process), or ``command`` and ``env`` to
    start the console script yourself."""

    folder: Path
    database_url: str

    def command(self, *args: str) -> list[str]:
        return [str(SPTRACK), *args]

    env = staticmethod(console_env)
    run = staticmethod(sptrack)

    def config(self, channels: Sequence[Channel]) -> Path:
        return write_config(self.folder, self.database_url, channels)


@pytest.fixture
def cli(tmp_path: Path, migrated_database_url: str) -> Cli:
    """Runs `sptrack` against the test's database (the one ``engine`` and ``world`` use)."""
    return Cli(tmp_path, migrated_database_url)
