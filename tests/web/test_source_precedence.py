"""A source saved on the web wins over config.toml's source of the same id; reverting it
brings config.toml's back. The crawl, the schedule and the dry run read the merged list."""

from __future__ import annotations

import re
from pathlib import Path

from test_source_wizard import PASSWORD, SECRET, TestClient, _csrf, _sign_in

from app.config_file import load_settings
from app.runtime import Runtime
from app.service import build_scheduler
from app.sources import all_sources, find_source
from app.wizard import SourceWizard
from tracker.users import add_user
from web.app import create_app
from web.settings import WebSettings

KM_NAME = "មូលនិធិជាតិរបបសន្តិសុខសង្គម"


def test_web_definition_over_config_and_back(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{tmp_path}/t.db"\n\n'
        '[[sources]]\nid = "nssf-legal"\nname = "NSSF"\n'
        'start_urls = ["https://www.nssf.gov.kh/laws/"]\ndocuments = "ul.docs a"\n',
        encoding="utf-8",
    )
    rt = Runtime(load_settings(config))
    with rt.session() as s:
        add_user(s, "sec1", "secretariat", PASSWORD)
        s.commit()
    app = create_app(
        WebSettings(
            database_url=rt.settings.database_url,
            storage_path=Path(rt.blobs.root),
            secret_key=SECRET,
            sources=SourceWizard(rt),
        )
    )
    with TestClient(app) as sec:
        _sign_in(sec, "sec1")
        listing = sec.get("/sources").text
        assert "nssf-legal" in listing and ">config.toml</dd>" in listing, "never crawled: shown"
        edit = sec.get("/sources/nssf-legal/edit").text
        assert 'value="ul.docs a"' in edit and "readonly" in edit
        form = dict(
            re.findall(r'<input type="text" id="f-[a-z_]+" name="([a-z_]+)" value="([^"]*)"', edit)
        )
        form |= {
            "start_urls": "https://www.nssf.gov.kh/km/legal-documents/",
            "documents": "table.laws td a",
            "name": KM_NAME,
            "spider": "listing",
            "respect_robots": "on",
            "enabled": "on",
            "mode": "edit",
            "action": "save",
            "csrf_token": _csrf(listing),
        }
        assert sec.post("/sources/wizard", data=form, follow_redirects=False).status_code == 303
        [source] = all_sources(rt)
        assert source.documents == "table.laws td a" and source.name == KM_NAME
        assert find_source(rt, "nssf-legal").start_urls == (
            "https://www.nssf.gov.kh/km/legal-documents/",
        )
        scheduler = build_scheduler(rt)
        try:
            assert [j.id for j in scheduler.get_jobs() if j.id.startswith("crawl:")] == [
                "crawl:nssf-legal"
            ]
        finally:
            scheduler.shutdown(wait=False)
        listing = sec.get("/sources").text
        assert "web, over config.toml" in listing and KM_NAME in listing
        token = _csrf(listing)
        answer = sec.post(
            "/sources/nssf-legal/revert", data={"csrf_token": token}, follow_redirects=False
        )
        assert answer.status_code == 303
        assert find_source(rt, "nssf-legal").documents == "ul.docs a"
        assert ">config.toml</dd>" in sec.get("/sources").text
    rt.close()
