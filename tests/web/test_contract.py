"""The issue's contract, end to end through the console script and a served tracker:
`sptrack users add` (password on stdin), `sptrack users token` (last line of stdout),
the login form, bearer-token API reads, PATCH by role, exports refused to anonymous."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.cli import SPTRACK, sptrack_process
from tests.support.ports import free_port
from tracker.database import migrate, open_engine, session
from tracker.models import Instrument, Source

KM_TITLE = "អនុក្រឹត្យស្តីពីប្រាក់ឧបត្ថម្ភមាតុភាព"


def _sptrack(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return sptrack_process(*args, stdin=stdin, env={"PATH": "/usr/bin:/bin", "COLUMNS": "300"})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, int]]:
    root = tmp_path_factory.mktemp("served")
    port = free_port()
    config = root / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{root}/t.db"\n[storage]\npath = "{root}/blobs"\n'
        f"[web]\nport = {port}\n",
        encoding="utf-8",
    )
    engine = open_engine(f"sqlite:///{root}/t.db")
    migrate(engine)
    with session(engine) as s:
        s.add(Source(id="nssf", name="NSSF"))
        s.flush()
        instrument = Instrument(
            source_id="nssf", url="https://nssf.example/a.pdf", title=KM_TITLE, type="sub-decree"
        )
        s.add(instrument)
        s.commit()
        assert instrument.id is not None
        instrument_id = instrument.id
    engine.dispose()
    with subprocess.Popen(
        # two worker processes: each builds the app from the config file
        [str(SPTRACK), "serve", "--config", str(config), "--host", "127.0.0.1", "--workers", "2"],
        stderr=subprocess.PIPE,
        text=True,
        env={"SPTRACK_SECRET_KEY": "s" * 32, "PATH": "/usr/bin:/bin", "COLUMNS": "300"},
    ) as child:
        try:
            assert child.stderr is not None
            for line in child.stderr:  # blocks until the server listens (or dies)
                if "Started parent process" in line:  # logged once the socket listens
                    break
            yield f"http://127.0.0.1:{port}", config, instrument_id
        finally:
            child.terminate()
            child.wait(timeout=30)


def _add(config: Path, name: str, role: str) -> str:
    added = _sptrack(
        "users", "add", name, "--role", role, "--config", str(config), stdin="long password\n"
    )
    assert added.returncode == 0, added.stderr
    issued = _sptrack("users", "token", name, "--config", str(config))
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_contract_through_the_console_script(served: tuple[str, Path, int]) -> None:
    base, config, instrument_id = served
    viewer = {"Authorization": f"Bearer {_add(config, 'dara', 'viewer')}"}
    secretariat = {"Authorization": f"Bearer {_add(config, 'sophea', 'secretariat')}"}
    unknown = _sptrack("users", "token", "nobody", "--config", str(config))
    assert unknown.returncode == 1 and "nobody" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    with httpx.Client(base_url=base, timeout=30) as http:
        listing = http.get("/api/instruments", headers=viewer)
        assert listing.status_code == 200
        [item] = listing.json()
        assert {"id", "title", "type", "status"} <= set(item)
        assert item["title"] == KM_TITLE
        assert http.get(f"/api/instruments/{instrument_id}", headers=viewer).status_code == 200
        assert http.get("/api/changes", headers=viewer).json() == []
        assert http.get("/api/alerts", headers=viewer).json() == []
        patch = {"status": "adopted"}
        path = f"/api/instruments/{instrument_id}"
        assert http.patch(path, json=patch, headers=viewer).status_code == 403
        changed = http.patch(path, json=patch, headers=secretariat)
        assert changed.status_code == 200 and changed.json()["status"] == "adopted"
        page = http.get(f"/instruments/{instrument_id}", headers=viewer)
        assert page.status_code == 200 and KM_TITLE in page.text
        for export in ("/export/tracker.csv", "/export/tracker.xlsx"):
            assert http.get(export, headers=viewer).status_code == 200
            anonymous = http.get(export, follow_redirects=False)
            assert anonymous.status_code in (401, 403) or anonymous.headers["location"].startswith(
                "/login"
            )
        for path in ("/api/instruments", f"/api/instruments/{instrument_id}", "/api/alerts"):
            assert http.get(path).status_code == 401

    with httpx.Client(base_url=base, timeout=30) as browser:
        form = browser.get("/login").text
        for field in ("username", "password"):
            assert f'name="{field}"' in form
        token = re.search(r'type="hidden" name="csrf_token" value="([^"]+)"', form)
        assert token
        forged = browser.post(
            "/login",
            data={"username": "dara", "password": "long password", "csrf_token": "x"},
            follow_redirects=False,
        )
        assert forged.status_code == 403
        assert browser.get("/", follow_redirects=False).status_code == 303
        signed = browser.post(
            "/login",
            data={"username": "dara", "password": "long password", "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert signed.status_code == 303 and "sptrack_session" in signed.headers["set-cookie"]
        assert browser.get("/", follow_redirects=False).status_code == 200
