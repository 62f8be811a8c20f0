"""A migrated SQLite tracker with a Khmer and an English instrument, and apps over it."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its TestClient; the project pins httpx, which works.
    warnings.filterwarnings(
        "ignore",
        message=r"Using `httpx` with `starlette.testclient` is deprecated",
        category=StarletteDeprecationWarning,
    )
    from fastapi.testclient import TestClient

from alerts.positions import load_positions
from tracker.blobs import BlobStore
from tracker.database import migrate, open_engine, session
from tracker.models import (
    Alert,
    Change,
    CrawlRun,
    Delivery,
    Flag,
    Instrument,
    Source,
    Version,
)
from tracker.users import ROLES, add_user
from web.app import create_app
from web.settings import WebSettings

XSS = "<script>alert(1)</script>"
#: The coalition's positions as shipped: the pages quote their names, stances and messages.
POSITIONS = load_positions(Path(__file__).resolve().parents[2] / "positions.toml")
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PASSWORD = "correct horse battery"
SECRET = "test-secret-key-0123456789abcdef"

USERS = {"viewer": "viewer1", "officer": "officer1", "secretariat": "sec1", "admin": "admin1"}

KM_TITLE = "ប្រកាសស្តីពីប្រាក់សោធននិវត្តន៍"
KM_OLD = "ប្រាក់សោធនប្រចាំខែ ៥០០.០០០ រៀល"
KM_NEW = "ប្រាក់សោធនប្រចាំខែ ៦០០.០០០ រៀល"
KM_PDF = b"%PDF-1.4\n% Khmer prakas, version 2\n" + KM_NEW.encode() + b"\n%%EOF\n"
EN_HTML = b"<html><body><p>Maternity leave is 98 days.</p></body></html>"


@dataclass(frozen=True)
class Ids:
    km_instrument: int
    en_instrument: int
    km_old_version: int
    km_new_version: int
    en_old_version: int
    en_new_version: int
    km_change: int
    en_change: int
    en_alert: int
    km_alert: int


@dataclass(frozen=True)
class Tracker:
    url: str
    storage: Path
    ids: Ids


def when(month: int, day: int = 1) -> datetime:
    return datetime(2025, month, day, 6, 0, tzinfo=UTC)


def _populate(url: str, storage: Path) -> Ids:
    blobs = BlobStore(storage)
    km_sha = blobs.put(KM_PDF)
    en_sha = blobs.put(EN_HTML)
    missing_sha = "0" * 64  # a version whose bytes never reached the store
    engine = open_engine(url)
    migrate(engine)
    with session(engine) as s:
        s.add(
            Source(
                id="nssf-legal",
                name="NSSF legal documents",
                spider="nssf",
                baseline_done=True,
                last_crawl_at=when(6),
                last_success_at=when(6),
            )
        )
        s.add(
            Source(
                id="mef-budget",
                name="MEF budget",
                last_crawl_at=when(6),
                last_success_at=when(3),
                consecutive_failures=3,
                last_error=f"HTTP 503 from listing {XSS}",
            )
        )
        s.flush()
        km = Instrument(
            source_id="nssf-legal",
            url="https://www.nssf.gov.kh/docs/prakas-216.pdf",
            title=KM_TITLE,
            type="prakas",
            number="លេខ២១៦/២៥",
            language="km",
        )
        en = Instrument(
            source_id="mef-budget",
            url="javascript:alert(2)",
            title=f"Sub-decree on maternity benefits {XSS}",
            type="sub-decree",
            language="en",
            status="draft",
        )
        s.add_all([km, en])
        s.flush()
        assert km.id is not None and en.id is not None
        km_v1 = Version(
            instrument_id=km.id,
            url=km.url,
            fetched_at=when(1),
            sha256=missing_sha,
            content_type="application/pdf",
            language="km",
            method="text",
            quality=0.97,
            text=KM_OLD,
        )
        km_v2 = Version(
            instrument_id=km.id,
            url=km.url,
            fetched_at=when(6),
            sha256=km_sha,
            size=len(KM_PDF),
            content_type="application/pdf",
            language="km",
            method="text",
            quality=0.98,
            pages=1,
            text=KM_NEW,
            document={"sections": [{"ref": "មាត្រា ៥", "heading": "", "text": KM_NEW}]},
        )
        en_v1 = Version(
            instrument_id=en.id,
            url="https://mef.gov.kh/maternity",
            fetched_at=when(2),
            sha256=missing_sha,
            content_type="text/html; charset=utf-8",
            language="en",
            method="ocr",
            text=f"Maternity leave is 90 days {XSS}",
        )
        en_v2 = Version(
            instrument_id=en.id,
            url="https://mef.gov.kh/maternity",
            fetched_at=when(5),
            sha256=en_sha,
            size=len(EN_HTML),
            content_type="text/html; charset=utf-8",
            language="en",
            method="ocr",
            quality=0.8,
            text=f"Maternity leave is 98 days {XSS}",
        )
        s.add_all([km_v1, km_v2, en_v1, en_v2])
        s.flush()
        assert km_v1.id and km_v2.id and en_v1.id and en_v2.id
        km_change = Change(
            instrument_id=km.id,
            old_version_id=km_v1.id,
            new_version_id=km_v2.id,
            kind="modified",
            old_ref="មាត្រា ៥",
            new_ref="មាត្រា ៥",
            heading="ប្រាក់សោធន",
            old_text=KM_OLD,
            new_text=KM_NEW,
            numbers=[
                {
                    "old": 500000.0,
                    "new": 600000.0,
                    "unit": "KHR",
                    "old_text": "៥០០.០០០ រៀល",
                    "new_text": "៦០០.០០០ រៀល",
                    "label": "",
                }
            ],
            ops=[
                {"tag": "equal", "old": "ប្រាក់សោធនប្រចាំខែ ", "new": "ប្រាក់សោធនប្រចាំខែ "},
                {"tag": "replace", "old": "៥០០.០០០", "new": "៦០០.០០០"},
                {"tag": "equal", "old": " រៀល", "new": " រៀល"},
            ],
        )
        en_change = Change(
            instrument_id=en.id,
            old_version_id=en_v1.id,
            new_version_id=en_v2.id,
            kind="modified",
            old_ref="Article 7",
            new_ref="Article 7",
            heading=f"Maternity {XSS}",
            old_text=en_v1.text,
            new_text=en_v2.text,
            numbers=[
                {
                    "old": 90.0,
                    "new": 98.0,
                    "unit": "day",
                    "old_text": "90 days",
                    "new_text": "98 days",
                    "label": f"leave {XSS}",
                }
            ],
            ops=[
                {"tag": "equal", "old": "Maternity leave is ", "new": "Maternity leave is "},
                {"tag": "replace", "old": "90", "new": "98"},
                {"tag": "equal", "old": f" days {XSS}", "new": f" days {XSS}"},
            ],
            needs_check=True,
        )
        s.add_all([km_change, en_change])
        s.flush()
        assert km_change.id and en_change.id
        s.add_all(
            [
                Flag(
                    change_id=km_change.id,
                    position="benefit_adequacy",
                    score=0.91,
                    severity="high",
                    evidence=[{"text": "ប្រាក់សោធន", "term": "ប្រាក់សោធន"}],
                ),
                Flag(
                    change_id=en_change.id,
                    position="maternity",
                    score=0.75,
                    severity="medium",
                    evidence=[{"text": f"maternity leave {XSS}", "side": "new"}],
                ),
            ]
        )
        en_alert = Alert(
            instrument_id=en.id,
            version_id=en_v2.id,
            created_at=when(5, 2),
            positions=["maternity"],
            severity="medium",
            summary=f"Maternity leave 90 -> 98 days {XSS}",
            needs_check=True,
        )
        km_alert = Alert(
            instrument_id=km.id,
            version_id=km_v2.id,
            created_at=when(6, 2),
            positions=["benefit_adequacy"],
            severity="high",
            summary="ប្រាក់សោធនប្រចាំខែ ៥០០.០០០ → ៦០០.០០០ រៀល",
        )
        s.add_all([en_alert, km_alert])
        s.flush()
        assert en_alert.id and km_alert.id
        s.add_all(
            [
                Delivery(alert_id=en_alert.id, channel="secretariat", status="sent", attempts=1),
                Delivery(
                    alert_id=en_alert.id,
                    channel="telegram-officers",
                    status="failed",
                    attempts=3,
                    last_error="connection refused",
                ),
                Delivery(alert_id=km_alert.id, channel="secretariat", status="pending"),
            ]
        )
        s.add_all(
            [
                CrawlRun(
                    source_id="nssf-legal",
                    started_at=when(6),
                    finished_at=when(6, 1),
                    status="ok",
                    requests=17,
                    bytes=123456,
                    documents=12,
                    new=1,
                    changed=1,
                    unchanged=10,
                    alerts=1,
                ),
                CrawlRun(
                    source_id="mef-budget",
                    started_at=when(6),
                    status="failed",
                    requests=1,
                    failed=1,
                    errors=[{"url": "https://mef.gov.kh/", "error": f"HTTP 503 {XSS}"}],
                ),
            ]
        )
        for role in ROLES:
            add_user(s, USERS[role], role, PASSWORD)
        s.commit()
        ids = Ids(
            km_instrument=km.id,
            en_instrument=en.id,
            km_old_version=km_v1.id,
            km_new_version=km_v2.id,
            en_old_version=en_v1.id,
            en_new_version=en_v2.id,
            km_change=km_change.id,
            en_change=en_change.id,
            en_alert=en_alert.id,
            km_alert=km_alert.id,
        )
    engine.dispose()
    return ids


@pytest.fixture(scope="session")
def tracker_db(
    tmp_path_factory: pytest.TempPathFactory, new_database: Callable[[Path], str]
) -> Tracker:
    root = tmp_path_factory.mktemp("web")
    url = new_database(root)
    storage = root / "blobs"
    return Tracker(url=url, storage=storage, ids=_populate(url, storage))


@pytest.fixture
def ids(tracker_db: Tracker) -> Ids:
    return tracker_db.ids


def make_tracker(root: Path) -> Tracker:
    url = f"sqlite:///{root / 'sptrack.db'}"
    storage = root / "blobs"
    return Tracker(url=url, storage=storage, ids=_populate(url, storage))


@pytest.fixture(scope="session")
def tracker_template(tmp_path_factory: pytest.TempPathFactory) -> Tracker:
    """One tracker made once per test process (a migration, an argon2 hash per role) for
    ``fresh_tracker`` and ``module_tracker`` to copy."""
    return make_tracker(tmp_path_factory.mktemp("tracker-template"))


def copy_tracker(template: Tracker, root: Path) -> Tracker:
    """A tracker of its own in ``root``: a copy of ``template``'s database file and blobs."""
    database = root / "sptrack.db"
    shutil.copyfile(template.url.removeprefix("sqlite:///"), database)
    shutil.copytree(template.storage, root / "blobs")
    return Tracker(url=f"sqlite:///{database}", storage=root / "blobs", ids=template.ids)


@pytest.fixture
def fresh_tracker(tmp_path: Path, tracker_template: Tracker) -> Tracker:
    """A tracker of its own, for tests that edit it."""
    return copy_tracker(tracker_template, tmp_path)


@pytest.fixture(scope="module")
def module_tracker(tmp_path_factory: pytest.TempPathFactory, tracker_template: Tracker) -> Tracker:
    """A tracker shared by one module's tests, which may edit it."""
    return copy_tracker(tracker_template, tmp_path_factory.mktemp("edits"))


SignIn = Callable[..., TestClient]


@pytest.fixture(scope="module")
def sign_in() -> Iterator[SignIn]:
    """``sign_in(tracker, role, public_read=False)``: a client signed in with that role
    (``role=None``: anonymous), shared by a module's tests (signing in costs an argon2
    verification). Clients are closed after the module."""
    opened: dict[tuple[str, str | None, bool], TestClient] = {}

    def open_client(tracker: Tracker, role: str | None, public_read: bool = False) -> TestClient:
        key = (tracker.url, role, public_read)
        if key in opened:
            return opened[key]
        client = _make_client(tracker, public_read=public_read)
        client.__enter__()
        opened[key] = client
        if role is not None:
            _sign_in(client, USERS[role])
        else:
            client.get("/login")  # a session with a CSRF token, as a browser would have
        return client

    yield open_client
    for client in opened.values():
        client.__exit__(None, None, None)


def _make_client(tracker: Tracker, public_read: bool = False) -> TestClient:
    settings = WebSettings(
        database_url=tracker.url,
        storage_path=tracker.storage,
        public_read=public_read,
        secret_key=SECRET,
        positions=POSITIONS,
    )
    return TestClient(create_app(settings))


def _csrf_from(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def _sign_in(client: TestClient, name: str = "officer1", password: str = PASSWORD) -> None:
    token = _csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def anon(tracker_db: Tracker) -> Iterator[TestClient]:
    with _make_client(tracker_db) as client:
        yield client


@pytest.fixture(scope="module")
def client(tracker_db: Tracker) -> Iterator[TestClient]:
    """Signed in as an officer; shared by a module's read-only tests."""
    with _make_client(tracker_db) as signed_in:
        _sign_in(signed_in)
        yield signed_in


@pytest.fixture
def public(tracker_db: Tracker) -> Iterator[TestClient]:
    with _make_client(tracker_db, public_read=True) as client:
        yield client


def _csrf_of(client: TestClient) -> str:
    return _csrf_from(client.get("/login").text)


@pytest.fixture
def csrf_of() -> Callable[[TestClient], str]:
    """The CSRF token of a client's session (read from the login form)."""
    return _csrf_of


@pytest.fixture
def csrf_from() -> Callable[[str], str]:
    """Reads the CSRF token out of a page's form."""
    return _csrf_from
