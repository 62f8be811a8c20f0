"""Drift notices worded in each reader's language: the facts a notice carries become an
English line or a Khmer one (Khmer digits, Khmer dates), document text made plain and
escaped, sent once per channel through the source-notice outbox."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlmodel import select

from alerts.deliver import drift
from alerts.deliver.channels import SOURCE_HEALTH, Channel
from alerts.deliver.delivery import deliver_due
from alerts.deliver.messages import notice_summary, quantity_words, render_notices
from alerts.deliver.notices import load_notice_views
from alerts.deliver.outbox import enqueue_source_alert
from parsers.compare.crosscheck import Provision, Value
from tracker.languages import Expression
from tracker.models import Source, SourceNotice

KM = Expression(1, 1, "km", "official", "NSSF", "2026-01-10", "auto")
EN = Expression(2, 1, "en", "unofficial_translation", "ODC", "2026-02-01", "auto")
SOURCE = "demo-ministry"


@pytest.mark.parametrize(
    ("value", "unit", "english", "khmer"),
    [
        (70, "%", "70%", "៧០%"),
        (2.5, "%", "2.5%", "២,៥%"),
        (1_200_000, "KHR", "KHR 1,200,000", "១.២០០.០០០ រៀល"),
        (10, "USD", "USD 10", "១០ ដុល្លារ"),
        (90, "day", "90 days", "៩០ ថ្ងៃ"),
        (1, "day", "1 day", "១ ថ្ងៃ"),
        (12, "month", "12 months", "១២ ខែ"),
        (3, "year", "3 years", "៣ ឆ្នាំ"),
    ],
)
def test_quantities_as_each_language_writes_them(
    value: float, unit: str, english: str, khmer: str
) -> None:
    assert quantity_words(value, unit, "en") == english
    assert quantity_words(value, unit, "km") == khmer


def numbers_facts(a_ref: str = "មាត្រា ៥", b_ref: str = "Article 5") -> dict[str, Any]:
    provision = Provision(
        a_ref,
        b_ref,
        "differ",
        (Value(70, "%"), Value(1_200_000, "KHR")),
        (Value(75, "%"), Value(1_500_000, "KHR")),
    )
    return drift.numbers_facts(KM, EN, provision)


def test_numbers_notice_in_english_and_khmer_names_each_sides_provision() -> None:
    facts = numbers_facts()
    assert notice_summary(drift.NUMBERS, facts, "en") == (
        "numbers disagree between the Khmer and English versions of Article 5 (មាត្រា ៥): "
        "70%, KHR 1,200,000 vs 75%, KHR 1,500,000"
    )
    assert notice_summary(drift.NUMBERS, facts, "km") == (
        "តួលេខមិនស៊ីគ្នារវាងកំណែភាសាខ្មែរ និងកំណែភាសាអង់គ្លេស នៃមាត្រា ៥ (Article 5)៖ "
        "៧០%, ១.២០០.០០០ រៀល ទល់នឹង ៧៥%, ១.៥០០.០០០ រៀល"
    )
    # An English official text with a Khmer translation: each reader still reads its own ref first.
    reverse = drift.numbers_facts(
        Expression(2, 2, "en", "official", "", "", "auto"),
        Expression(1, 2, "km", "official_translation", "", "", "auto"),
        Provision("Article 5", "មាត្រា ៥", "differ", (Value(90, "day"),), ()),
    )
    assert notice_summary(drift.NUMBERS, reverse, "en") == (
        "numbers disagree between the English and Khmer versions of Article 5 (មាត្រា ៥): "
        "90 days vs none"
    )
    assert notice_summary(drift.NUMBERS, reverse, "km").endswith(  # type: ignore[union-attr]
        "នៃមាត្រា ៥ (Article 5)៖ ៩០ ថ្ងៃ ទល់នឹង គ្មាន"
    )


def test_lag_notice_with_khmer_digits_and_a_khmer_date() -> None:
    facts = {"official": "km", "translation": "en", "changed_on": "2026-04-10", "days": 30}
    assert notice_summary(drift.LAG, facts, "en") == (
        "the Khmer version changed on 10 Apr 2026; "
        "the English translation has not followed after 30 days"
    )
    assert notice_summary(drift.LAG, facts, "km") == (
        "កំណែភាសាខ្មែរបានផ្លាស់ប្តូរនៅថ្ងៃទី១០ ខែមេសា ឆ្នាំ២០២៦។ "
        "ការបកប្រែជាភាសាអង់គ្លេសមិនទាន់បានធ្វើតាមទេ ក្រោយរយៈពេល ៣០ ថ្ងៃ"
    )


def queue(
    world, channels: list[Channel], kind: str, facts: dict[str, Any], key: str, summary: str = ""
) -> int:
    with world.factory() as session:
        if session.get(Source, SOURCE) is None:
            session.add(Source(id=SOURCE, name="Demo ministry"))
        summary = summary or notice_summary(kind, facts, "en") or ""
        notice_id = enqueue_source_alert(
            session,
            key=key,
            source_id=SOURCE,
            kind=kind,
            severity="medium",
            summary=summary,
            detail="Sub-decree 32 <script>alert(1)</script>",
            url="http://x/en.docx",
            channels=channels,
            now=world.now,
            facts=facts,
        )
        session.commit()
        return notice_id


def test_sent_once_per_channel_in_its_language_with_document_text_escaped(
    world, smtp_server
) -> None:
    smtp_server.start()
    english = Channel("ops", smtp_server.url, positions=(SOURCE_HEALTH,))
    khmer = Channel("ops-km", smtp_server.url, positions=(SOURCE_HEALTH,), language="km")
    hostile = numbers_facts("មាត្រា ៥ <img src=x onerror=alert(1)>", "Article\u202e 5\x00")
    queue(world, [english, khmer], drift.NUMBERS, hostile, "n:1")

    report = deliver_due(world.factory, [english, khmer], world.positions, world.base_url)
    assert (report.sent, report.failed) == (2, 0)
    by_subject = {m["Subject"]: m for m in smtp_server.inbox.messages}
    english_subject = (
        "[MEDIUM] Source health: Demo ministry: numbers disagree between the Khmer and "
        "English versions of Article 5 (មាត្រា ៥ <img src=x onerror=alert(1)>): "
        "70%, KHR 1,200,000 vs 75%, KHR 1,500,000"
    )
    assert english_subject in by_subject
    [khmer_subject] = set(by_subject) - {english_subject}
    assert khmer_subject.startswith("[មធ្យម] សុខភាពប្រភព: Demo ministry: តួលេខមិនស៊ីគ្នា")
    # A long Khmer subject is cut to one SMTP line (the server refused it whole); the body
    # holds the whole line.
    assert khmer_subject.endswith("…") and "(Article 5)៖ ៧០%" in khmer_subject
    for message in smtp_server.inbox.messages:
        html = message.get_body(preferencelist=("html",)).get_content()
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert "<img" not in html and "&lt;img src=x" in html
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "\u202e" not in html + text and "\x00" not in html + text
    khmer_text = by_subject[khmer_subject].get_body(preferencelist=("plain",)).get_content()
    assert "៧០%, ១.២០០.០០០ រៀល ទល់នឹង ៧៥%, ១.៥០០.០០០ រៀល" in khmer_text
    assert " vs " not in khmer_text

    again = deliver_due(world.factory, [english, khmer], world.positions, world.base_url)
    assert again.sent == 0 and len(smtp_server.inbox.messages) == 2


def test_notices_without_templates_or_with_facts_of_another_shape_keep_their_summary(
    world, caplog: pytest.LogCaptureFixture
) -> None:
    khmer = Channel("ops-km", "json://127.0.0.1:9/k", positions=(SOURCE_HEALTH,), language="km")
    queue(world, [khmer], drift.LAG, {"official": "km"}, "lag:old", "stored line")  # no days
    with world.factory() as session:
        row = session.exec(select(SourceNotice).where(SourceNotice.key == "lag:old")).one()
        failing = SourceNotice(
            key="f:1", source_id=SOURCE, kind="failing", summary="HTTP 503", facts={"a": 1}
        )
        session.add(failing)
        session.commit()
        views = load_notice_views(session, [row.id or 0, failing.id or 0])
    with caplog.at_level(logging.WARNING, logger="alerts.deliver.messages"):
        message = render_notices(views, khmer)
    assert "stored line" in message.text and "HTTP 503" in message.text
    assert "do not fit" in caplog.text
