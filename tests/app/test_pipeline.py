"""The whole path: crawl a local copy of a ministry site, store, compare, match, alert."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from sqlmodel import select

from app.config_file import load_settings
from app.crawling import source_spec
from app.demo import SITE, demo_config, run_demo
from app.jobs import crawl
from app.runtime import Runtime
from crawler.run import run_crawl
from tests.support.cli import FIXTURES, sptrack
from tests.support.mockserver import SiteServer, WebhookServer, serving
from tracker.models import Alert, Change, CrawlRun, Delivery, Flag, Instrument, Version

KM_PDF = "wp-content/uploads/2024/03/sub-decree-38-pension-km.pdf"
# The English sub-decree does not follow the changed Khmer one: the numbers of three of its
# provisions disagree (rates, maternity days, indexation), one drift notice each.
DRIFT_NOTICES = 3
KM_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
# state2 has one alert per new or changed document (app/demo_site/README.md), ranked by the
# rule of docs/alerts.md#severity: the maternity prakas and the Khmer sub-decree high, the
# new circular medium, the registration prakas' reporting article low.
ALERTS = 4
LEVELS = {"high": 2, "medium": 1, "low": 1}


OpenRuntime = Callable[[SiteServer], Runtime]


@pytest.fixture
def open_runtime(
    tmp_path: Path, webhook: WebhookServer, database_url: str
) -> Iterator[OpenRuntime]:
    """The demo configuration for ``site`` in tmp_path/config.toml, as a Runtime (closed
    after the test); called again, it reads the configuration file again."""
    made: list[Runtime] = []

    def open_for(site: SiteServer) -> Runtime:
        config = tmp_path / "config.toml"
        if not config.exists():
            (tmp_path / "positions.toml").write_bytes(
                (Path(__file__).parents[2] / "positions.toml").read_bytes()
            )
            config.write_text(demo_config(site.url, webhook.port, database_url), encoding="utf-8")
        made.append(Runtime(load_settings(config), environ={}))
        return made[-1]

    yield open_for
    for rt in made:
        rt.close()


def test_baseline_then_changes_alert_once_and_recrawl_downloads_nothing(
    site: SiteServer, webhook: WebhookServer, open_runtime: OpenRuntime
) -> None:
    rt = open_runtime(site)

    [first] = crawl(rt)
    counts = first.counts
    assert (counts.status, counts.baseline, counts.new, counts.alerts) == ("ok", True, 3, 0)
    with rt.session() as s:
        assert s.exec(select(Alert)).all() == []
        assert len(s.exec(select(Version)).all()) == 3
        assert s.exec(select(Flag)).all(), "the baseline is matched too, only not alerted"
    assert webhook.received == []

    site.root = SITE / "state2"
    [second] = crawl(rt)
    assert (second.counts.status, second.counts.baseline) == ("ok", False)
    assert (second.counts.new, second.counts.changed, second.counts.not_modified) == (2, 2, 1)
    assert second.counts.alerts == ALERTS
    with rt.session() as s:
        alerts = s.exec(select(Alert)).all()
        assert len(alerts) == ALERTS
        severities = [a.severity for a in alerts]
        assert {level: severities.count(level) for level in LEVELS} == LEVELS
        assert {d.status for d in s.exec(select(Delivery)).all()} == {"sent"}
        changed = s.exec(select(Instrument).where(Instrument.url.endswith(KM_PDF))).one()  # type: ignore[union-attr]
        changes = s.exec(select(Change).where(Change.instrument_id == changed.id)).all()
        rates = [n for c in changes for n in c.numbers if n["unit"] == "%"]
        assert {(n["old"], n["new"]) for n in rates} >= {(4.0, 6.0), (2.0, 3.0)}
        kinds = {c.kind for c in changes}
        assert {"added", "removed", "modified", "renumbered"} <= kinds
        flagged = {
            f.position
            for f in s.exec(select(Flag).join(Change).where(Change.instrument_id == changed.id))
        }
        assert {"contribution_rate", "maternity", "indexation"} <= flagged
    assert len(webhook.received) == ALERTS + DRIFT_NOTICES
    assert any(
        "4%" in json.dumps(m, ensure_ascii=False) or "៤%" in json.dumps(m, ensure_ascii=False)
        for m in webhook.received
    )

    requests_before = site.requests
    [third] = crawl(rt)
    assert (third.counts.new, third.counts.changed, third.counts.alerts) == (0, 0, 0)
    assert third.counts.not_modified == 5, "validators make every document answer 304"
    assert site.requests - requests_before == third.counts.requests
    assert len(webhook.received) == ALERTS + DRIFT_NOTICES, "nothing is sent twice"
    with rt.session() as s:
        assert len(s.exec(select(Alert)).all()) == ALERTS
        runs = s.exec(select(CrawlRun)).all()
        assert [r.status for r in runs] == ["ok", "ok", "ok"]
    assert not any(rt.spool.rglob("manifest.jsonl")), "ingested spool folders are removed"


def test_cosmetic_re_export_stores_a_version_but_alerts_nothing(
    tmp_path: Path, webhook: WebhookServer, open_runtime: OpenRuntime
) -> None:
    root = tmp_path / "site"
    shutil.copytree(SITE / "state1", root)
    site = SiteServer(root)
    with serving(site):
        rt = open_runtime(site)
        crawl(rt)
        shutil.copyfile(FIXTURES / "subdecree_km_v1_reexport.pdf", root / KM_PDF)
        [outcome] = crawl(rt)
    assert (outcome.counts.changed, outcome.counts.alerts) == (1, 0)
    with rt.session() as s:
        instrument = s.exec(select(Instrument).where(Instrument.url.endswith(KM_PDF))).one()  # type: ignore[union-attr]
        versions = s.exec(select(Version).where(Version.instrument_id == instrument.id)).all()
        assert len(versions) == 2, "the new bytes are kept"
        second = max(versions, key=lambda v: v.id or 0)
        assert s.exec(select(Change).where(Change.new_version_id == second.id)).all() == []
    assert webhook.received == []


def test_a_dead_source_fails_alone(
    tmp_path: Path, site: SiteServer, open_runtime: OpenRuntime
) -> None:
    rt = open_runtime(site)
    config = tmp_path / "config.toml"
    dead = WebhookServer()  # bind a port, then close it: nothing listens there
    port = dead.port
    dead.server_close()
    text = config.read_text(encoding="utf-8").replace(
        "[[channels]]",
        f"""[[sources]]
id = "dead-site"
start_urls = ["http://127.0.0.1:{port}/legal-documents/"]
documents = "ul.docs a::attr(href)"
allow_private_network = true

[[channels]]""",
    )
    config.write_text(text, encoding="utf-8")
    rt = open_runtime(site)
    outcomes = {o.source_id: o for o in crawl(rt)}
    assert outcomes["demo-ministry"].counts.status == "ok"
    assert outcomes["dead-site"].counts.status == "failed"
    assert outcomes["dead-site"].counts.errors
    only_dead = sptrack("crawl", "dead-site", "--config", str(config))
    assert only_dead.returncode == 1
    assert "dead-site: failed" in only_dead.stdout
    with rt.session() as s:
        from tracker.models import Source

        source = s.get(Source, "dead-site")
        assert source is not None and source.consecutive_failures == 2 and source.last_error


def test_demo_prints_alerts_in_words_then_cli_lists_them_and_writes_notes(tmp_path: Path) -> None:
    import re

    from alerts.positions import POSITION_IDS

    lines: list[str] = []
    assert run_demo(tmp_path, echo=lines.append) == ALERTS
    output = "\n".join(lines)
    # the story in words: the two visits, then each alert with what, where and why
    assert "1. Today: the tracker reads the site for the first time." in output
    assert "It finds 3 documents and keeps a copy of each" in output
    assert "Of 5 documents: 2 new, 2 changed, 1 unchanged." in output
    assert "become alerts: 4 alerts." in output
    # every level shows, by the documented rule
    assert "How urgent they are for the coalition: 2 HIGH, 1 MEDIUM, 1 LOW." in output
    # one alert per new or changed document, in the order they were read: the level of each
    assert re.search(r"\(\d\) HIGH: អនុក្រឹត្យលេខ ៣៨ អនក្រ\.បក", output)
    assert re.search(r"\(\d\) HIGH: ប្រកាសលេខ ០៩៥/២៥ .* \(a new document\)", output)
    assert re.search(
        r"\(\d\) MEDIUM: Circular No\. 021/25 on the Voluntary Enrolment of Self-Employed "
        r"Workers \(a new document\)\n\s+Why it matters: .*Coverage of informal workers \(MEDIUM\)",
        output,
    )
    assert re.search(
        r"\(\d\) LOW: Prakas No\. 112/24 on the Registration of Domestic Workers\n"
        r"\s+Why it matters: Governance and transparency \(LOW\)\.\n"
        r"\s+- Article 3: new text - Governance and transparency\n",
        output,
    )
    assert (
        "- មាត្រា ៣: អត្រាភាគទានសោធននិវត្តន៍ ៤% (បួនភាគរយ) -> ៦% (ប្រាំមួយភាគរយ); "
        "និយោជក ២% (ពីរភាគរយ) -> ៣% (បីភាគរយ)"
    ) in output
    assert (
        "- មាត្រា ៧ (was មាត្រា ៦): ៩០ (កៅសិប) ថ្ងៃ -> ៩៨ (កៅសិបប្រាំបី) ថ្ងៃ - Maternity protection"
        in output
    )
    assert "- the title: new text - Maternity protection" in output
    assert "Why it matters: Contribution rates and wage base (HIGH)" in output
    # no raw position ids, no "Title added: wording", no "(high)" beside an id
    ids = [p for p in POSITION_IDS if "_" in p]
    assert not re.findall(r"\b(" + "|".join(ids) + r")\b", output)
    assert "Title added" not in output and "wording |" not in output
    # One alert for the one changed sub-decree, its English beside each changed provision;
    # the English lags: numbers that disagree now, and the lag once the days have passed.
    assert (
        'In the English version (Article 3): "The pension contribution rate is set at 4%'
    ) in output
    assert (
        "- MEDIUM: numbers disagree between the Khmer and English versions of Article 3 "
        "(មាត្រា ៣): 3%, 6% vs 2%, 4%"
    ) in output
    assert "the English translation has not followed after 30 days" in output
    # the message the channel received, read back from its webhook: the first in full
    assert f"What the English channel received ({ALERTS + DRIFT_NOTICES} messages" in output
    start = lines.index(next(line for line in lines if line.startswith("     | [HIGH]")))
    received = lines[start:]
    assert received[0].startswith("     | [HIGH] Benefit adequacy: ប្រកាសលេខ ០៩៥/២៥")
    assert "     | WHAT CHANGED" in received[:4], "the subject once, then the text"
    assert "     | WHY IT MATTERS" in received and "     | SOURCE" in received
    assert any(
        line.startswith("     |   Our stance: Maternity protection must") for line in received
    )
    # and the Khmer channel got the same, in Khmer
    assert f"The Khmer channel received the same {ALERTS + DRIFT_NOTICES} messages" in output
    assert "     | [ខ្ពស់] ភាពគ្រប់គ្រាន់នៃអត្ថប្រយោជន៍: ប្រកាសលេខ ០៩៥/២៥" in output  # name_km

    # the note of the amended sub-decree, drafted with its redline
    assert f"is drafted: {tmp_path / 'rapid-response-note.docx'}" in output
    drafted = docx.Document(str(tmp_path / "rapid-response-note.docx"))
    struck = [r.text for p in drafted.paragraphs for r in p.runs if r.font.strike]
    underlined = [r.text for p in drafted.paragraphs for r in p.runs if r.font.underline]
    assert "៤" in struck and "៦" in underlined and "៩០" in struck and "៩៨" in underlined

    config = str(tmp_path / "config.toml")
    _the_story_in_khmer(Path(config))
    listed = sptrack("alerts", "list", "--config", config, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    alerts = json.loads(listed.stdout)
    assert len(alerts) == ALERTS
    assert sorted(a["severity"] for a in alerts) == sorted(
        level for level, count in LEVELS.items() for _ in range(count)
    )
    for alert in alerts:
        assert {"id", "positions", "instrument", "summary", "status", "url"} <= set(alert)
        assert alert["status"] == "sent"
    subdecree = next(a for a in alerts if "contribution_rate" in a["positions"])

    note_docx = tmp_path / "note.docx"
    made = sptrack("note", str(subdecree["id"]), "--config", config, "--out", str(note_docx))
    assert made.returncode == 0, made.stderr
    text = "\n".join(p.text for p in docx.Document(str(note_docx)).paragraphs)
    tables = "\n".join(
        c.text for t in docx.Document(str(note_docx)).tables for r in t.rows for c in r.cells
    )
    assert "៦%" in tables and "៤%" in tables
    assert "Contribution" in text
    note_md = tmp_path / "note.md"
    assert (
        sptrack("note", str(subdecree["id"]), "--config", config, "--out", str(note_md)).returncode
        == 0
    )
    assert "៦%" in note_md.read_text(encoding="utf-8")
    missing = sptrack("note", "999", "--config", config, "--out", str(note_md))
    assert missing.returncode == 1 and "999" in missing.stderr

    sent = sptrack("alerts", "send", "--config", config)
    assert sent.returncode == 0 and "0 sent" in sent.stdout


def _the_story_in_khmer(config: Path) -> None:
    """The demo's alerts told in Khmer, from the same database: Khmer words and digits."""
    from sqlmodel import col

    from alerts.deliver.alert_loader import load_alert_view
    from app.demo import alert_story, severity_counts, story

    words = story("km")
    rt = Runtime(load_settings(config))
    with rt.session() as s:
        stored = {a.id: a.summary for a in s.exec(select(Alert))}
        ids = [a.id for a in s.exec(select(Alert).order_by(col(Alert.id)))]
        views = [
            load_alert_view(s, i, rt.positions_by_id, rt.settings.web.base_url)
            for i in ids
            if i is not None
        ]
    levels = str(words.levels(severity_counts([v.severity for v in views], "km")))
    assert "កម្រិតបន្ទាន់សម្រាប់សម្ព័ន្ធ៖ ខ្ពស់ ២ មធ្យម ១ ទាប ១។" in levels
    assert "HIGH" not in levels and "docs/alerts.md#severity" in levels
    by_level = {v.severity: number for number, v in enumerate(views, start=1)}
    for level, word in (("medium", "មធ្យម"), ("low", "ទាប")):
        number = by_level[level]
        told_level = str(words.alert(alert_story(views[number - 1], number, "km", words)))
        assert told_level.startswith(f"   ({str(number).translate(KM_DIGITS)}) {word}៖ "), (
            told_level
        )
    number, view = next((n, v) for n, v in enumerate(views, start=1) if "៣៨" in v.instrument.label)
    told = str(words.alert(alert_story(view, number, "km", words)))
    assert f"   ({str(number).translate(KM_DIGITS)}) ខ្ពស់៖ អនុក្រឹត្យលេខ ៣៨ អនក្រ.បក" in told
    assert "- មាត្រា ៧ (ពីមុន មាត្រា ៦)៖ ៩០ (កៅសិប) ថ្ងៃ -> ៩៨ (កៅសិបប្រាំបី) ថ្ងៃ" in told
    assert 'ក្នុងកំណែភាសាអង់គ្លេស (Article 3)៖ "The pension contribution rate' in told
    assert "ហេតុអ្វីសំខាន់៖ អត្រាភាគទាន និងប្រាក់ឈ្នួលសន្មត់ (ខ្ពស់)" in told
    assert "HIGH" not in told and "Article 3)៖" in told
    assert "ការជូនដំណឹង ៤" in str(words.second_visit(_Outcome()))
    # each alert told in Khmer words, never by its stored (English) summary line
    for number, (alert_id, view) in enumerate(zip(ids, views, strict=True), start=1):
        told = str(words.alert(alert_story(view, number, "km", words)))
        assert stored[alert_id] and stored[alert_id] not in told, told
    rt.close()


class _Outcome:
    documents, new, changed, unchanged, not_modified, failed, alerts, requests = (
        5,
        2,
        2,
        0,
        1,
        0,
        4,
        8,
    )


def test_users_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[database]\nurl = "sqlite:///data/t.db"\n', encoding="utf-8")
    added = sptrack(
        "users",
        "add",
        "dara",
        "--role",
        "officer",
        "--config",
        str(config),
        stdin="correct horse battery\n",
    )
    assert added.returncode == 0, added.stderr
    assert "dara (officer)" in added.stdout
    again = sptrack(
        "users",
        "add",
        "dara",
        "--role",
        "officer",
        "--config",
        str(config),
        stdin="another password\n",
    )
    assert again.returncode == 1 and "dara" in again.stderr and "Traceback" not in again.stderr
    bad_role = sptrack(
        "users", "add", "sok", "--role", "king", "--config", str(config), stdin="long enough pw\n"
    )
    assert bad_role.returncode == 1 and "role" in bad_role.stderr


def test_a_crawl_whose_ingest_was_killed_is_ingested_by_the_next_run(
    tmp_path: Path, site: SiteServer, open_runtime: OpenRuntime
) -> None:
    rt = open_runtime(site)
    source = rt.settings.source("demo-ministry")
    leftover = rt.spool / source.id / "20261101T000000000000Z"
    report = run_crawl(source_spec(source), leftover, {}, user_agent="test")
    assert report.documents == 3  # fetched, then the process "died" before ingesting

    [outcome] = crawl(rt)
    assert outcome.counts.new == 3, "the leftover crawl is ingested first"
    assert outcome.counts.not_modified == 3, "and its validators make the new crawl conditional"
    assert not leftover.exists()
    with rt.session() as s:
        assert len(s.exec(select(Version)).all()) == 3


def test_a_crawl_that_may_still_be_running_is_left_alone(
    tmp_path: Path, site: SiteServer, open_runtime: OpenRuntime
) -> None:
    rt = open_runtime(site)
    running = rt.spool / "demo-ministry" / "20261101T000000000000Z"
    running.mkdir(parents=True)
    (running / "manifest.jsonl").write_text("", encoding="utf-8")
    [outcome] = crawl(rt)
    assert outcome.counts.new == 3
    assert running.exists(), "no report and younger than the crawl timeout: not touched"


def test_a_users_own_subscription_gets_the_alerts_it_asks_for(
    site: SiteServer, webhook: WebhookServer, open_runtime: OpenRuntime
) -> None:
    from tracker.models import Subscription, User

    rt = open_runtime(site)
    crawl(rt)  # baseline
    own = WebhookServer()
    with serving(own), rt.session() as s:
        user = User(name="dara", role="officer", password_hash="x")
        s.add(user)
        s.flush()
        assert user.id is not None
        s.add_all(
            [
                Subscription(user_id=user.id, url=f"json://127.0.0.1:{own.port}/mine"),
                # positions nobody's changes touch here: gets nothing
                Subscription(
                    user_id=user.id,
                    url=f"json://127.0.0.1:{own.port}/other",
                    positions=["employment_injury"],
                ),
            ]
        )
        s.commit()
        site.root = SITE / "state2"
        [second] = crawl(rt)
        assert second.counts.alerts == ALERTS
        assert len(own.received) == ALERTS + DRIFT_NOTICES == len(webhook.received), (
            "as the channel"
        )
        with rt.session() as s:
            channels = {d.channel for d in s.exec(select(Delivery)).all()}
        assert "subscription-1" in channels and "subscription-2" not in channels
