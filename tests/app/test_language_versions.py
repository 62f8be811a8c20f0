"""Language versions through the real ingest: documents read from PDF, DOCX and HTML are
attached to their instrument in the other language, one legal change alerts once, a change
in the translation only is a translation change, and drift is notified exactly once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

import evaluation
from alerts.deliver import drift
from alerts.deliver.alert_loader import load_alert_view
from alerts.deliver.channels import Channel
from alerts.deliver.messages import render_alert, render_notices
from alerts.deliver.notices import load_notice_views
from app.config_file import load_settings
from app.demo import demo_config
from app.ingest import SourceOutcome, ingest_document
from app.jobs import check_translation_lag
from app.runtime import Runtime
from crawler.manifest import FetchedDocument
from parsers.khmer import to_khmer_digits
from tracker import history, languages
from tracker.counterparts import counterparts
from tracker.models import Alert, Change, ChangeCounterpart, Instrument, SourceNotice
from tracker.runs import RunCounts

FIXTURES = evaluation.DATA  # documents/ and crosscheck/
SOURCE = "demo-ministry"
T0 = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def rt(tmp_path: Path, database_url: str) -> Iterator[Runtime]:
    (tmp_path / "positions.toml").write_bytes(
        (Path(__file__).parents[2] / "positions.toml").read_bytes()
    )
    config = tmp_path / "config.toml"
    config.write_text(demo_config("http://127.0.0.1:9", 9, database_url), encoding="utf-8")
    runtime = Runtime(load_settings(config), environ={})
    with runtime.session() as s:
        history.ensure_source(s, SOURCE, "Demo ministry")
        s.commit()
    yield runtime
    runtime.close()


def ingest(rt: Runtime, fixture: str, url: str, when: datetime) -> Instrument:
    """One fetched document through ingest (read in its own process, compared, matched)."""
    path = FIXTURES / fixture
    data = path.read_bytes()
    fetched = FetchedDocument(
        source_id=SOURCE,
        url=url,
        final_url=url,
        status="fetched",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type=None,
        etag=None,
        last_modified=None,
        fetched_at=when.isoformat(),
        listing_url=None,
        title=None,
        blob_path=str(path),
    )
    outcome = SourceOutcome(SOURCE, RunCounts(status="running", baseline=False))
    ingest_document(rt, SOURCE, fetched, outcome)
    assert outcome.counts.failed == 0, outcome.counts.errors
    with rt.session() as s:
        return s.exec(select(Instrument).where(Instrument.url == url)).one()


def alerts(rt: Runtime) -> list[Alert]:
    with rt.session() as s:
        return list(s.exec(select(Alert).order_by(col(Alert.id))))


def notices(rt: Runtime, kind: str) -> list[SourceNotice]:
    with rt.session() as s:
        rows = s.exec(select(SourceNotice).where(SourceNotice.kind == kind))
        return sorted(rows, key=lambda n: n.id or 0)


def test_khmer_first_one_alert_per_legal_change_and_drift_notified_once(rt: Runtime) -> None:
    km = ingest(rt, "documents/subdecree_km_v1.pdf", "http://x/km.pdf", T0)
    en = ingest(rt, "documents/subdecree_en_v1.docx", "http://x/en.docx", T0 + timedelta(days=20))
    with rt.session() as s:
        versions = languages.expressions(s, km.id or 0)
    assert [(e.instrument_id, e.language, e.role) for e in versions] == [
        (km.id, "km", "official"),
        (en.id, "en", "unofficial_translation"),
    ]
    first_alerts = alerts(rt)
    assert [a.kind for a in first_alerts] == ["legal", "language_version"]
    assert first_alerts[1].severity == "low"
    assert notices(rt, drift.NUMBERS) == [], "the two versions agree"

    # The Khmer text changes: one alert, a legal one, with the English of each provision.
    changed_at = T0 + timedelta(days=40)
    ingest(rt, "documents/subdecree_km_v2.pdf", "http://x/km.pdf", changed_at)
    [legal] = alerts(rt)[2:]
    assert (legal.kind, legal.instrument_id, legal.severity) == ("legal", km.id, "high")
    with rt.session() as s:
        rate = s.exec(
            select(Change).where(
                Change.new_version_id == legal.version_id, Change.new_ref == "មាត្រា ៣"
            )
        ).one()
        [english] = counterparts(s, rate.id or 0)
        assert (english.language, english.ref, english.instrument_id) == ("en", "Article 3", en.id)
        assert "4%" in english.text and "Contribution rate" in english.text
        assert len(s.exec(select(ChangeCounterpart)).all()) >= 3, "one per changed provision"
        view = load_alert_view(s, legal.id or 0, rt.positions_by_id, "http://t")
    # The message shows both languages of each changed provision.
    english_text = render_alert(view, "en").text
    assert 'English (Article 3): "Article 3.- Contribution rate' in english_text
    khmer = render_alert(view, "km")
    assert "ភាសាអង់គ្លេស (Article 3):" in khmer.text and "4% (four percent)" in khmer.html

    # Numbers that now disagree, each once, in both languages' refs and values.
    summaries = [n.summary for n in notices(rt, drift.NUMBERS)]
    assert (
        "numbers disagree between the Khmer and English versions of Article 3 (មាត្រា ៣): "
        "3%, 6% vs 2%, 4%"
    ) in summaries
    assert any("98 days vs 90 days" in line for line in summaries)
    with rt.session() as s:
        again = drift.check_numbers(s, en.id or 0, channels=rt.delivery_channels(s), now=T0)
        s.commit()
    assert len(notices(rt, drift.NUMBERS)) == len(summaries) == len(set(again))

    # The English has not followed: not yet at 29 days, once at 30 and after.
    lag = rt.settings.languages.translation_lag_days
    assert check_translation_lag(rt, changed_at + timedelta(days=lag - 1)) == 0
    assert notices(rt, drift.LAG) == []
    check_translation_lag(rt, changed_at + timedelta(days=lag))
    check_translation_lag(rt, changed_at + timedelta(days=lag + 5))
    [late] = notices(rt, drift.LAG)
    assert late.summary == (
        f"the Khmer version changed on {changed_at.day} {changed_at:%b %Y}; "  # one format
        f"the English translation has not followed after {lag} days"
    )
    # A Khmer channel reads it in Khmer: Khmer date and digits.
    khmer_channel = Channel("km", "json://127.0.0.1:9/k", language="km")
    with rt.session() as s:
        [view] = load_notice_views(s, [late.id or 0])
    worded = render_notices([view], khmer_channel).text
    assert "បានផ្លាស់ប្តូរនៅថ្ងៃទី១០ ខែមេសា ឆ្នាំ២០២៦" in worded
    assert f"ក្រោយរយៈពេល {to_khmer_digits(str(lag))} ថ្ងៃ" in worded

    # The translation follows: a translation change (low), no second legal alert.
    followed = changed_at + timedelta(days=lag + 6)
    ingest(rt, "documents/subdecree_en_v2.docx", "http://x/en.docx", followed)
    [translation] = alerts(rt)[3:]
    assert (translation.kind, translation.severity) == ("translation", "low")
    assert translation.summary.startswith("Translation only: ")
    assert [a.kind for a in alerts(rt)].count("legal") == 2
    check_translation_lag(rt, followed + timedelta(days=lag * 3))
    assert len(notices(rt, drift.LAG)) == 1


def test_english_first_html_a_change_only_in_the_translation(rt: Runtime) -> None:
    en = ingest(rt, "documents/subdecree_en_v1.html", "http://x/en.html", T0)
    km = ingest(rt, "documents/subdecree_km_v1.html", "http://x/km.html", T0 + timedelta(days=1))
    with rt.session() as s:
        assert languages.work_id_of(s, km.id or 0) == en.id, "the first known names the work"
        official = languages.official_of(s, en.id or 0)
        assert official is not None and official.instrument_id == km.id
        assert languages.is_translation(s, en.id or 0)
    assert [a.kind for a in alerts(rt)] == ["legal", "language_version"]

    ingest(rt, "documents/subdecree_en_v2.html", "http://x/en.html", T0 + timedelta(days=5))
    [translation] = alerts(rt)[2:]
    assert (translation.kind, translation.severity, translation.instrument_id) == (
        "translation",
        "low",
        en.id,
    )
    with rt.session() as s:
        rate = s.exec(
            select(Change).where(
                Change.new_version_id == translation.version_id, Change.new_ref == "Article 3"
            )
        ).one()
        [khmer] = counterparts(s, rate.id or 0)
        assert (khmer.language, khmer.ref) == ("km", "មាត្រា ៣") and "៤%" in khmer.text
    summaries = [n.summary for n in notices(rt, drift.NUMBERS)]
    assert any("Article 3 (មាត្រា ៣): 2%, 4% vs 3%, 6%" in line for line in summaries)
    # The official text never changed: no lag, whatever the date.
    assert check_translation_lag(rt, T0 + timedelta(days=400)) == 0


@pytest.mark.parametrize(
    ("km_file", "en_file", "expected"),
    [
        (
            "documents/subdecree_km_v1.docx",
            "crosscheck/subdecree_en_75.docx",
            "Article 6 (មាត្រា ៦): 70% vs 75%",
        ),
        (
            "documents/subdecree_km_v1.pdf",
            "crosscheck/subdecree_en_riel.html",
            "Article 4 (មាត្រា ៤): KHR 400,000 vs KHR 500,000",
        ),
        (
            "documents/subdecree_km_v1.pdf",
            "crosscheck/subdecree_en_98_words.pdf",
            "Article 6 (មាត្រា ៦): 90 days vs 98 days",
        ),
    ],
    ids=["percent-docx", "riel-scale-html", "duration-words-pdf"],
)
def test_a_translation_that_disagrees_on_a_number(
    rt: Runtime, km_file: str, en_file: str, expected: str
) -> None:
    ingest(rt, km_file, "http://x/km", T0)
    ingest(rt, en_file, "http://x/en", T0 + timedelta(days=3))
    [notice] = notices(rt, drift.NUMBERS)
    assert expected in notice.summary, notice.summary
    assert notice.severity == "medium"


@pytest.fixture
def cli_runtimes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The commands' runtimes, closed after the test (a process would simply exit)."""
    from app.commands import languages as language_commands

    made: list[Runtime] = []
    real = language_commands.runtime

    def tracked(config: str | None) -> Runtime:
        made.append(real(config))
        return made[-1]

    monkeypatch.setattr(language_commands, "runtime", tracked)
    yield
    for runtime in made:
        runtime.close()


@pytest.mark.usefixtures("cli_runtimes")
def test_attach_by_hand_from_the_command_line(rt: Runtime) -> None:
    from typer.testing import CliRunner

    from app.cli import app

    km = ingest(rt, "documents/subdecree_km_v1.html", "http://x/km.html", T0)
    prakas = ingest(rt, "documents/prakas_maternity_en.pdf", "http://x/p.pdf", T0)
    with rt.session() as s:
        assert languages.siblings(s, km.id or 0) == [], "type and number differ"
    runner = CliRunner()
    config = ["--config", rt.settings.config_file]

    def run(*args: str) -> Any:
        return runner.invoke(app, ["languages", *args, *config])

    attached = run("attach", str(prakas.id), "--to", str(km.id), "--role", "official_translation")
    assert attached.exit_code == 0, attached.output
    listed = run("list", "--format", "json")
    assert json.loads(listed.output) == [
        {
            "work": km.id,
            "texts": [
                {
                    "instrument": km.id,
                    "language": "km",
                    "role": "official",
                    "publisher": "Demo ministry",
                    "date": "2024-03-04",
                    "attached_by": "cli",
                    "title": km.title,
                    "url": "http://x/km.html",
                },
                {
                    "instrument": prakas.id,
                    "language": "en",
                    "role": "official_translation",
                    "publisher": "Demo ministry",
                    "date": "2025-09-10",
                    "attached_by": "cli",
                    "title": prakas.title,
                    "url": "http://x/p.pdf",
                },
            ],
        }
    ]
    again = run("attach", str(prakas.id), "--to", str(km.id))
    assert isinstance(again.exception, languages.LanguageVersionError)
    checked = run("check")
    assert checked.exit_code == 0 and "number disagreements" in checked.output
    assert run("detach", str(prakas.id)).exit_code == 0
    assert json.loads(run("list", "--format", "json").output) == []
