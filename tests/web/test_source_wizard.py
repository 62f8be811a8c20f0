"""The source wizard on the web: add a source, see each field's error, dry-run it against a
publisher's site, save it, crawl it now and watch the progress until its documents appear.

One publisher's site on 127.0.0.1 (tests/support/publisher_site.py) lists documents with
English, Khmer and hostile titles and one file robots.txt refuses; the tracker runs over a
config.toml of its own with the real wiring (app.wizard.SourceWizard).
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlmodel import select
from starlette.exceptions import StarletteDeprecationWarning

from tests.support.publisher_site import Doc, FixtureSite, serve_site

with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore",
        message=r"Using `httpx` with `starlette.testclient` is deprecated",
        category=StarletteDeprecationWarning,
    )
    from fastapi.testclient import TestClient

from app.config_file import load_settings
from app.runtime import Runtime
from app.sources import all_sources
from app.wizard import SourceWizard
from tracker.models import AuditEntry, Instrument, SourceDefinition
from tracker.users import add_user
from web.app import create_app
from web.settings import WebSettings

PASSWORD = "correct horse battery"
SECRET = "test-secret-key-0123456789abcdef"
KM_NAME = "ក្រសួងសង្គមកិច្ច អតីតយុទ្ធជន និងយុវនីតិសម្បទា"
KM_TITLE = "អនុក្រឹត្យ ស្ដីពី ប្រាក់សោធននិវត្តន៍"
KM_SLUG = "/docs/អនុក្រឹត្យ-១០.html"
EN_TITLE = "Prakas on maternity benefits"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
HOSTILE_SLUG = "/docs/<b>bold</b>.html"


def _page(text: str) -> Doc:
    body = f"<html><body><main><h1>{text}</h1><p>{text}.</p></main></body></html>"
    return Doc(body.encode(), content_type="text/html; charset=utf-8")


def build_site(site: FixtureSite) -> None:
    site.pages["/laws/"] = f"""<html><body><h1>ច្បាប់ និងបទប្បញ្ញត្តិ</h1>
<table class="laws">
  <tr><td><a href="{quote(KM_SLUG)}">{KM_TITLE}</a></td><td class="date">២៧ មិថុនា ២០២៤</td></tr>
  <tr><td><a href="/docs/maternity.html">{EN_TITLE}</a></td><td class="date">2024-06-28</td></tr>
  <tr><td><a href="{quote(HOSTILE_SLUG)}">{HOSTILE.replace("<", "&lt;")}</a></td><td></td></tr>
  <tr><td><a href="/private/draft.html">Internal draft</a></td><td></td></tr>
</table></body></html>"""
    site.docs[KM_SLUG] = _page("មាត្រា ១ ប្រាក់សោធននិវត្តន៍ប្រចាំខែ")
    site.docs["/docs/maternity.html"] = _page("Article 1 Maternity leave is 98 days")
    site.docs[HOSTILE_SLUG] = _page("Article 1 Hostile listing")
    site.docs["/private/draft.html"] = _page("Article 1 Draft")


@dataclass
class Tracker:
    rt: Runtime
    site: FixtureSite
    clients: dict[str, TestClient]

    def form(self, **changes: str) -> dict[str, str]:
        values = {
            "id": "mosvy-laws",
            "name": KM_NAME,
            "spider": "listing",
            "start_urls": self.site.url("/laws/"),
            "documents": "table.laws a",
            "date": "td.date",
            "schedule": "0 6 * * *",
            "max_pages": "50",
            "max_documents": "500",
            "page_size": "20",
            "respect_robots": "on",
            "enabled": "on",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None}


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _sign_in(client: TestClient, name: str) -> None:
    token = _csrf(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": name, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tracker]:
    root = tmp_path_factory.mktemp("wizard")
    config = root / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite:///{root}/t.db"\n\n[crawler]\ndelay_s = 0\n',
        encoding="utf-8",
    )
    rt = Runtime(load_settings(config))
    with rt.session() as s:
        for name, role in (("viewer1", "viewer"), ("sec1", "secretariat"), ("admin1", "admin")):
            add_user(s, name, role, PASSWORD)
        s.commit()
    settings = WebSettings(
        database_url=rt.settings.database_url,
        storage_path=Path(rt.blobs.root),
        secret_key=SECRET,
        sources=SourceWizard(rt),
    )
    app = create_app(settings)
    with serve_site() as site:
        build_site(site)
        clients: dict[str, TestClient] = {}
        for name in ("viewer1", "sec1", "admin1"):
            client = TestClient(app)
            client.__enter__()
            _sign_in(client, name)
            clients[name] = client
        yield Tracker(rt, site, clients)
        for client in clients.values():
            client.__exit__(None, None, None)
    rt.close()


def _post(client: TestClient, path: str, data: dict[str, str]) -> object:
    token = _csrf(client.get("/sources").text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def _wait(client: TestClient, path: str, running: str, timeout_s: float = 90) -> str:
    """The page at ``path`` once it stops refreshing itself (``running`` not on it)."""
    deadline = time.monotonic() + timeout_s
    while True:
        page = client.get(path)
        assert page.status_code == 200, page.text
        if running not in page.text:
            assert "refresh" not in page.headers
            return page.text
        assert page.headers["refresh"] == "2", "a page of work in progress refreshes itself"
        assert time.monotonic() < deadline, f"{path} still running"
        time.sleep(0.2)


def test_a_viewer_may_not_add_edit_or_crawl(tracker: Tracker) -> None:
    viewer = tracker.clients["viewer1"]
    assert viewer.get("/sources/new").status_code == 403
    assert "Add a source" not in viewer.get("/sources").text
    assert _post(viewer, "/sources/wizard", tracker.form(action="check")).status_code == 403
    assert _post(viewer, "/sources/mosvy-laws/crawl", {}).status_code == 403
    anonymous = TestClient(viewer.app)
    assert anonymous.get("/sources/new", follow_redirects=False).headers["location"] == (
        "/login?next=%2Fsources%2Fnew"
    )


def test_the_form_says_what_is_wrong_with_each_field(tracker: Tracker) -> None:
    sec = tracker.clients["sec1"]
    page = sec.get("/sources/new")
    assert page.status_code == 200
    assert "CSS selector of document links" in page.text, "each field has its help"
    bad = tracker.form(
        id="MoSVY Laws",
        start_urls="ftp://mosvy.gov.kh/laws",
        schedule="every morning",
        max_pages="many",
        json_fields="pdfUrl",
        allow_private_network="on",
        action="save",
    )
    answer = _post(sec, "/sources/wizard", bad)
    assert answer.status_code == 422
    html = answer.text
    errors = dict(re.findall(r'<p class="field-error" id="err-([a-z_]+)">([^<]*)</p>', html))
    assert set(errors) == {
        "id",
        "start_urls",
        "schedule",
        "max_pages",
        "json_fields",
        "allow_private_network",
    }
    assert "lowercase letters" in errors["id"]
    assert "http(s) URL" in errors["start_urls"]
    assert "cron expression" in errors["schedule"]
    assert "integer" in errors["max_pages"]
    assert "name = path" in errors["json_fields"]
    assert "only an admin" in errors["allow_private_network"]
    # An English reader's errors are the English words the CLI says, unmarked.
    assert errors["json_fields"] == "expected one `name = path` a line, got &#39;pdfUrl&#39;"
    assert errors["max_pages"].startswith("Input should be a valid integer")
    assert '<span lang="en">' not in html and "រំពឹងថា" not in html
    assert KM_NAME in html, "what was typed comes back, Khmer included"
    # The whole source's rule goes to the field it names.
    answer = _post(sec, "/sources/wizard", tracker.form(documents="", action="save"))
    assert answer.status_code == 422
    assert re.search(r'id="err-documents">the generic listing spider needs', answer.text)
    # No CSRF token, no change; nothing was stored.
    form = tracker.form(action="save")
    assert sec.post("/sources/wizard", data=form).status_code == 403
    with tracker.rt.session() as s:
        assert s.exec(select(SourceDefinition)).all() == []


def test_too_long_fields_are_refused(tracker: Tracker) -> None:
    sec = tracker.clients["sec1"]
    lines = "\n".join(f"https://example.org/{i}" for i in range(51))
    answer = _post(
        sec, "/sources/wizard", tracker.form(name="ក" * 2001, start_urls=lines, action="save")
    )
    assert answer.status_code == 422
    assert "at most 2000 characters" in answer.text
    assert "at most 50 lines" in answer.text


def test_dry_run_save_crawl_now_and_the_documents_appear(tracker: Tracker) -> None:
    admin = tracker.clients["admin1"]
    form = tracker.form(allow_private_network="on", action="check")
    answer = _post(admin, "/sources/wizard", form)
    assert answer.status_code == 303
    check_page = answer.headers["location"]
    assert check_page.startswith("/sources/checks/")
    html = _wait(admin, check_page, "The dry run is reading the listing")
    assert 'id="check-failed"' not in html, html
    planned = re.findall(r'<td class="url"><a href="([^"]+)"', html)
    assert len(planned) == 3
    assert KM_TITLE in html and EN_TITLE in html
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html, "titles escaped"
    assert "<b>bold</b>" not in html
    assert "អនុក្រឹត្យ-១០.html" in html, "Khmer addresses shown readable"
    assert 'id="robots-refused"' in html and "Disallow: /private/" in html
    assert KM_NAME in html, "the form is still there, filled in, to fix or save"
    with tracker.rt.session() as s:
        assert s.exec(select(SourceDefinition)).all() == [], "a dry run stores nothing"

    answer = _post(admin, "/sources/wizard", {**form, "action": "save"})
    assert answer.status_code == 303 and answer.headers["location"] == "/sources#source-mosvy-laws"
    listing = admin.get("/sources").text
    assert KM_NAME in listing and ">web</dd>" in listing
    [source] = all_sources(tracker.rt)
    assert source.id == "mosvy-laws" and source.allow_private_network and source.date == "td.date"
    # A second "add" of the same id is refused; an edit by the secretariat keeps the
    # admin's permission it may not change.
    again = _post(admin, "/sources/wizard", {**form, "action": "save"})
    assert again.status_code == 422 and "a source with this id exists" in again.text
    sec = tracker.clients["sec1"]
    edit = sec.get("/sources/mosvy-laws/edit").text
    assert 'name="allow_private_network" value="on"' in edit
    edited = tracker.form(allow_private_network="on", mode="edit", name="MoSVY laws", action="save")
    assert _post(sec, "/sources/wizard", edited).status_code == 303
    with tracker.rt.session() as s:
        row = s.get(SourceDefinition, "mosvy-laws")
        assert row is not None and row.definition["name"] == "MoSVY laws"
        assert row.definition["allow_private_network"] is True and row.updated_by == "sec1"
        actions = [
            e.action for e in s.exec(select(AuditEntry).where(AuditEntry.entity == "source"))
        ]
        assert actions == ["add", "edit"]

    answer = _post(sec, "/sources/mosvy-laws/crawl", {})
    assert answer.status_code == 303 and answer.headers["location"] == "/sources/mosvy-laws/crawl"
    again = _post(sec, "/sources/mosvy-laws/crawl", {})  # while it runs: its page, no second
    assert again.status_code == 303 and again.headers["location"] == "/sources/mosvy-laws/crawl"
    html = _wait(sec, "/sources/mosvy-laws/crawl", "This page refreshes every")
    with tracker.rt.session() as s:
        audit = s.exec(select(AuditEntry).where(AuditEntry.action == "crawl")).all()
        assert [e.user_name for e in audit] == ["sec1"]
    assert 'id="report"' in html and "3 documents: 3 new" in html, html
    # Four links found on one listing page, three fetched: robots.txt refuses the fourth.
    assert '<dd id="pages">1</dd>' in html and '<dd id="found">4</dd>' in html
    assert re.search(r'<dd id="fetched">3\s*<progress max="4" value="3">', html)
    assert KM_TITLE in html and EN_TITLE in html, "the documents appear"
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html
    with tracker.rt.session() as s:
        fetched = {i.url for i in s.exec(select(Instrument))}
    assert fetched == set(planned), "the dry run listed exactly what the crawl fetched"
    instruments = tracker.clients["viewer1"].get("/instruments?source=mosvy-laws").text
    assert KM_TITLE in instruments and "&lt;script&gt;alert(" in instruments


def test_revert_brings_back_config_and_unknown_sources_are_404(tracker: Tracker) -> None:
    sec = tracker.clients["sec1"]
    assert sec.get("/sources/nowhere/edit").status_code == 404
    assert _post(sec, "/sources/nowhere/crawl", {}).status_code == 404
    assert sec.get("/sources/checks/..%2F..%2Fetc").status_code == 404
    assert sec.get("/sources/checks/not-a-check").status_code == 404
