"""A site the tracker has never seen, configured only through the generic [[sources]] keys,
crawled three times with `sptrack crawl` (baseline, changes, no changes).

The site is a table-based registry (not the demo's list): rows of ``table.laws``, title in
``td.name``, date in ``td.published``, pagination under ``ul.pager``; Khmer slugs and titles;
one file served at two URLs. Between crawls one English sub-decree gets substantive changes,
the Khmer one is re-exported with the same words, a notice disappears and a maternity prakas
appears. Alerts go to an Apprise ``json://`` webhook on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlmodel import select

import evaluation
from app.config_file import load_settings
from app.runtime import Runtime
from tests.support.cli import SPTRACK, Ran, console_env, sptrack
from tests.support.mockserver import WebhookServer, serving
from tests.support.publisher_site import Doc, FixtureSite, serve_site
from tracker.models import Alert, CrawlRun, DocumentUrl, Instrument, Source, Version

REPO = Path(__file__).resolve().parents[2]
DOCS = evaluation.DOCUMENTS
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EN = "/files/2024/sub-decree-pension-en.pdf"
KM = "/files/2024/អនុក្រឹត្យ-សោធននិវត្តន៍.pdf"
MIRROR = "/mirror/sd-pension-en.pdf"
DOCX_PATH = "/files/2024/prakas-registration.docx"
NOTICE = "/files/2024/notice-km.html"
MATERNITY = "/files/2025/ប្រកាស-មាតុភាព.pdf"


def _row(href: str, title: str, date: str) -> str:
    return (
        f'<tr><td class="name"><a href="{href}">{title}</a></td>'
        f'<td class="published">{date}</td><td><a href="/about">ℹ</a></td></tr>'
    )


def _page(rows: list[str], next_href: str | None) -> str:
    pager = f'<ul class="pager"><li class="next"><a href="{next_href}">›</a></li></ul>'
    return (
        "<html><body><nav><a href='/'>ទំព័រដើម</a></nav><table class='laws'><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + (pager if next_href else "")
        + "</body></html>"
    )


def _read(name: str) -> bytes:
    return (DOCS / name).read_bytes()


def state1(site: FixtureSite) -> None:
    site.robots = "User-agent: *\nDisallow: /admin/\n"
    site.pages["/registry"] = _page(
        [
            _row(EN, "Sub-decree No. 38 on the pension scheme", "2024-03-06"),
            _row(KM, "អនុក្រឹត្យលេខ ៣៨ ស្តីពីរបបសោធននិវត្តន៍", "០៤ មីនា ២០២៤"),
            _row(NOTICE, "សេចក្តីជូនដំណឹង", "2024-04-01"),
        ],
        "/registry?p=2",
    )
    site.pages["/registry?p=2"] = _page(
        [
            _row(DOCX_PATH, "Prakas No. 112 on registration", "2024-05-02"),
            _row(MIRROR, "Sub-decree No. 38 (mirror)", "2024-03-06"),
        ],
        None,
    )
    site.docs[EN] = Doc(_read("subdecree_en_v1.pdf"))
    site.docs[MIRROR] = Doc(_read("subdecree_en_v1.pdf"))
    site.docs[KM] = Doc(_read("subdecree_km_v1.pdf"))
    site.docs[DOCX_PATH] = Doc(_read("prakas_registration_en.docx"), content_type=DOCX)
    site.docs[NOTICE] = Doc(_read("notice_km.html"), content_type="text/html; charset=utf-8")


def state2(site: FixtureSite) -> None:
    later = Doc(b"").modified.replace(month=9)
    site.docs[EN] = Doc(_read("subdecree_en_v2.pdf"), modified=later)
    site.docs[KM] = Doc(_read("subdecree_km_v1_reexport.pdf"), modified=later)
    del site.docs[NOTICE]
    site.docs[MATERNITY] = Doc(_read("prakas_maternity_km.pdf"), modified=later)
    site.pages["/registry"] = site.pages["/registry"].replace(
        _row(NOTICE, "សេចក្តីជូនដំណឹង", "2024-04-01"),
        _row(MATERNITY, "ប្រកាសលេខ ០៩៥ ស្តីពីប្រាក់មាតុភាព", "១២ កញ្ញា ២០២៥"),
    )


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer()
    with serving(server):
        yield server


def _config(tmp_path: Path, site: FixtureSite, webhook: WebhookServer) -> Path:
    (tmp_path / "positions.toml").write_bytes((REPO / "positions.toml").read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(
        f"""[database]
url = "sqlite:///data/t.db"

[crawler]
delay_s = 0

[[sources]]
id = "never-seen"
name = "A registry never seen before"
start_urls = ["{site.url("/registry")}"]
documents = "table.laws td.name a::attr(href)"
next_page = "ul.pager li.next a::attr(href)"
date = "td.published::text"
allow_private_network = true

[[channels]]
name = "hook"
url = "json://127.0.0.1:{webhook.port}/alerts"
positions = ["*"]
min_severity = "low"
mode = "instant"
""",
        encoding="utf-8",
    )
    return config


def _crawl(config: Path) -> Ran:
    done = sptrack("crawl", "--config", str(config), cwd=config.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.slow
def test_never_seen_site_three_crawls_alert_only_real_changes(
    tmp_path: Path, webhook: WebhookServer
) -> None:
    with serve_site() as site:
        state1(site)
        config = _config(tmp_path, site, webhook)

        first = _crawl(config)
        assert "never-seen: ok (baseline)" in first.stdout
        assert webhook.received == [], "the baseline sends nothing"
        rt = Runtime(load_settings(config), environ={})
        with rt.session() as s:
            instruments = s.exec(select(Instrument)).all()
            assert len(instruments) == 4, "the mirror is the same file: one instrument"
            titles = {i.title for i in instruments}
            assert "អនុក្រឹត្យលេខ ៣៨ ស្តីពីរបបសោធននិវត្តន៍" in titles
            km = next(i for i in instruments if "សោធន" in i.title)
            assert km.listing_date == "០៤ មីនា ២០២៤"
            en = next(i for i in instruments if i.title.startswith("Sub-decree No. 38"))
            assert km.edition_key == en.edition_key == "never-seen:sub-decree:38", "editions"
            assert (km.language, en.language) == ("km", "en")

        state2(site)
        site.hits.clear()
        second = _crawl(config)
        assert "never-seen: ok;" in second.stdout
        # The English changed and the Khmer did not (a re-export): a translation change,
        # and three provisions whose numbers now disagree between them, one notice each.
        drift_notices = 3
        assert len(webhook.received) == 2 + drift_notices, webhook.received
        sent = json.dumps(webhook.received, ensure_ascii=False)
        assert "Sub-decree No. 38" in sent or "38" in sent
        assert "មាតុភាព" in sent or "Maternity" in sent
        with rt.session() as s:
            alerts = s.exec(select(Alert)).all()
            assert len(alerts) == 2
            urls = {
                a.instrument_id: {
                    u.url
                    for u in s.exec(
                        select(DocumentUrl).where(DocumentUrl.instrument_id == a.instrument_id)
                    )
                }
                for a in alerts
            }
            en = next(i for i, found in urls.items() if site.url(EN) in found)
            assert {a.instrument_id: a.kind for a in alerts}[en] == "translation"
            assert site.url(MIRROR) in urls[en], "the mirror is the same instrument"
            assert any(quote(MATERNITY) in u for found in urls.values() for u in found)

        site.hits.clear()
        third = _crawl(config)
        assert "0 new, 0 changed" in third.stdout
        bodies = [
            h for h in site.hits if h.path.startswith(("/files/", "/mirror/")) and h.status == 200
        ]
        assert bodies == [], "nothing changed: every document answers 304"
        assert len(webhook.received) == 2 + drift_notices, "nothing else is sent"
        with rt.session() as s:
            runs = s.exec(select(CrawlRun)).all()
            assert [r.status for r in runs] == ["ok", "ok", "ok"]
            source = s.get(Source, "never-seen")
            assert source is not None and source.consecutive_failures == 0
            versions = s.exec(select(Version)).all()
            assert len({v.sha256 for v in versions}) == len(versions)


@pytest.mark.slow
def test_crawl_on_a_terminal_shows_progress_then_the_run_report(
    tmp_path: Path, webhook: WebhookServer
) -> None:
    import pty

    with serve_site() as site:
        site.pages["/registry"] = _page(
            [_row(NOTICE, "សេចក្តីជូនដំណឹង", "2024-04-01"), _row(EN, "Notice", "2024-04-02")], None
        )
        site.docs[NOTICE] = Doc(_read("notice_km.html"), content_type="text/html; charset=utf-8")
        site.docs[EN] = Doc(_read("notice_en.html"), content_type="text/html; charset=utf-8")
        config = _config(tmp_path, site, webhook)
        primary, secondary = pty.openpty()
        env = {**console_env(), "COLUMNS": "200", "TERM": "xterm"}
        with subprocess.Popen(
            [str(SPTRACK), "crawl", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=secondary,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
            text=True,
        ) as child:
            os.close(secondary)
            screen = b""
            while True:
                try:
                    chunk = os.read(primary, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk
            stdout = child.stdout.read() if child.stdout else ""
            assert child.wait(timeout=120) == 0
        os.close(primary)
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.decode("utf-8", "replace"))
    # the source's bar: its documents read of those fetched, kept when the crawl ends
    assert "never-seen" in shown and "2/2" in shown and "documents read" in shown
    assert stdout.startswith("run report:")
    assert "never-seen: ok (baseline); 2 documents" in stdout
