"""The reader's language beyond the templates' words: positions by their Khmer names, the
alert's summary built in Khmer, notes with Khmer dates and times, all in Phnom Penh time."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from sqlalchemy import event
from sqlmodel import select

from alerts.deliver.alert_loader import load_alert_view
from alerts.deliver.channels import Channel
from alerts.deliver.dates import format_date, format_when, today
from alerts.deliver.messages import render_alert, render_digest
from alerts.deliver.note import note_bytes, write_note
from alerts.deliver.summary import alert_summaries
from alerts.errors import AlertError
from tracker.models import Alert

RATE_KM = "អត្រាភាគទាន និងប្រាក់ឈ្នួលសន្មត់"
MATERNITY_KM = "ការគាំពារមាតុភាព"
# The world's alerts are raised and fetched Monday 2 March 2026, 10:00 in Phnom Penh.
KM_TIME = "ថ្ងៃទី២ ខែមីនា ឆ្នាំ២០២៦ ម៉ោង ១០:០០ (ម៉ោងភ្នំពេញ)"
EN_TIME = "2 Mar 2026 10:00 (Phnom Penh time)"


@pytest.fixture
def positions(world):
    """The world's positions with Khmer names, as positions.toml gives them."""
    known = dict(world.positions)
    known["contribution_rate"] = replace(known["contribution_rate"], name_km=RATE_KM)
    known["maternity"] = replace(known["maternity"], name_km=MATERNITY_KM)
    return known


def view_of(world, alert_id, positions):
    with world.factory() as session:
        return load_alert_view(session, alert_id, positions, world.base_url)


def test_one_time_format_per_language_says_whose_time_it_is() -> None:
    late = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)  # 1 January in Phnom Penh
    assert format_when(late) == "1 Jan 2026 00:30"  # the web's form, unchanged
    assert format_when(late, zone=True) == "1 Jan 2026 00:30 (Phnom Penh time)"
    assert format_when(late, "km", zone=True) == ("ថ្ងៃទី១ ខែមករា ឆ្នាំ២០២៦ ម៉ោង ០០:៣០ (ម៉ោងភ្នំពេញ)")


def test_khmer_messages_name_positions_in_khmer(world, positions) -> None:
    alert_id = world.alert(
        changes=[world.khmer], title="អនុក្រឹត្យលេខ ៣២",
        flags=[[world.flag("contribution_rate"), world.flag("maternity", "medium", 0.5)]],
    )  # fmt: skip
    view = view_of(world, alert_id, positions)
    khmer = render_alert(view, "km")
    assert khmer.subject == f"[ខ្ពស់] {RATE_KM}: អនុក្រឹត្យលេខ ៣២, មាត្រា ៤: ៤% -> ៦%"
    assert f"* {RATE_KM} (ខ្ពស់)" in khmer.text and f"* {MATERNITY_KM} (មធ្យម)" in khmer.text
    assert f"<strong>{RATE_KM}</strong>" in khmer.html
    for body in (khmer.text, khmer.html):
        assert KM_TIME in body
        assert "Contribution rate (" not in body and "Maternity</strong>" not in body
    english = render_alert(view, "en")
    assert english.subject.startswith("[HIGH] Contribution rate: ")
    assert RATE_KM not in english.text and EN_TIME in english.text

    digest = render_digest([view], Channel("k", "json://x", mode="daily", language="km"))
    assert f"== {RATE_KM} (ខ្ពស់) ==" in digest.text
    assert f"(ផងដែរ៖ {MATERNITY_KM})" in digest.text
    assert KM_TIME in digest.html and "Phnom Penh" not in digest.html


def test_the_summary_in_khmer_is_built_from_the_stored_flags(world, positions) -> None:
    alert_id = world.alert(
        changes=[world.khmer, world.contribution, world.contribution, world.contribution],
        flags=[
            [world.flag("maternity", "low", 0.3)],
            [world.flag("contribution_rate", "high", 0.8), world.flag("maternity", "medium")],
            [world.flag("contribution_rate", "medium", 0.5)],
            [world.flag("contribution_rate", "medium", 0.4)],
        ],
    )
    with world.factory() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        stored = alert.summary
        english = alert_summaries(session, [alert], positions, "en")
        khmer = alert_summaries(session, [alert], positions, "km")
    assert english == {alert_id: stored}  # English: the stored line, as the JSON gives it
    assert stored.startswith("Contribution rate: Sub-decree 32 on pensions, Article 4: 4% -> 6%")
    assert stored.endswith(" and 2 more changes")
    assert khmer[alert_id] == (
        f"{RATE_KM}: Sub-decree 32 on pensions, Article 4: 4% -> 6% (employer 2% -> 3%); "
        "Article 4: 4% -> 6% (employer 2% -> 3%) និងការផ្លាស់ប្តូរ ២ ទៀត"
    )


def test_a_khmer_summary_says_what_a_translation_alert_is(world, positions) -> None:
    plain_id = world.alert(changes=[world.khmer], title="អនុក្រឹត្យលេខ ៣២")
    other_id = world.alert(changes=[world.khmer], title="ប្រកាសលេខ ១០៩")
    with world.factory() as session:
        alerts = list(session.exec(select(Alert).where(Alert.id.in_([plain_id, other_id]))))  # type: ignore[union-attr]
        by_id = {a.id: a for a in alerts}
        by_id[other_id].kind = "translation"  # as ingest records one (not committed)
        khmer = alert_summaries(session, alerts, positions, "km")
    assert khmer[plain_id] == f"{RATE_KM}: អនុក្រឹត្យលេខ ៣២, មាត្រា ៤: ៤% -> ៦%"
    assert khmer[other_id] == f"តែការបកប្រែប៉ុណ្ណោះ: {RATE_KM}: ប្រកាសលេខ ១០៩, មាត្រា ៤: ៤% -> ៦%"


def test_a_khmer_note_has_khmer_dates_names_and_summary(world, positions, tmp_path: Path) -> None:
    alert_id = world.alert(changes=[world.contribution, world.khmer])
    view = view_of(world, alert_id, positions)
    with world.factory() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        summary = alert_summaries(session, [alert], positions, "km")[alert_id]
    assert summary.startswith(RATE_KM)

    markdown = write_note(view, tmp_path / "n.md", language="km", summary=summary)
    document = docx.Document(str(write_note(view, tmp_path / "n.docx", language="km")))
    docx_text = "\n".join(p.text for p in document.paragraphs)
    text = markdown.read_text(encoding="utf-8")
    for body in (text, docx_text):
        assert (
            f"Date / កាលបរិច្ឆេទ: {format_date(today(), 'km')} · Alert #{alert_id} of {KM_TIME}"
            in body
        )
        assert f"fetched {KM_TIME}" in body  # the sources, when each version was fetched
        assert RATE_KM in body and "What changed / ការផ្លាស់ប្តូរ" in body  # headings bilingual
        assert "Phnom Penh)" not in body and "2026-03-02" not in body
    assert f"**{summary.replace('>', '&gt;')}**" in text  # Markdown-escaped

    english = note_bytes(view, "md").decode("utf-8")
    assert f"Alert #{alert_id} of {EN_TIME}" in english and RATE_KM not in english
    assert f"Date / កាលបរិច្ឆេទ: {format_date(today())} ·" in english
    with pytest.raises(AlertError, match="note language must be en or km, got 'fr'"):
        note_bytes(view, "md", language="fr")


def test_a_page_of_khmer_summaries_costs_three_queries(world, positions) -> None:
    ids = [world.alert(title=f"Sub-decree {n}") for n in range(6)]
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    with world.factory() as session:
        alerts = list(session.exec(select(Alert).where(Alert.id.in_(ids))))  # type: ignore[union-attr]
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            khmer = alert_summaries(session, alerts, positions, "km")
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 3, statements  # changes, flags, instruments
    assert [khmer[i].split(", ")[0] for i in ids] == [
        f"{RATE_KM}: Sub-decree {n}" for n in range(6)
    ]


def test_counts_in_a_khmer_message_are_in_khmer_digits(world, positions) -> None:
    alert_id = world.alert(changes=[world.khmer] * 7, title="អនុក្រឹត្យលេខ ៣២")
    view = view_of(world, alert_id, positions)
    khmer = render_alert(view, "km")
    assert "និងការផ្លាស់ប្តូរ ២ ទៀត" in khmer.text and "និងការផ្លាស់ប្តូរ ២ ទៀត" in khmer.html
    assert "... and 2 more changes" in render_alert(view, "en").text
    second = view_of(world, world.alert(), positions)
    digest = render_digest([view, second], Channel("k", "json://x", mode="daily", language="km"))
    assert digest.subject.endswith(": ២ ការជូនដំណឹង") and "ការជូនដំណឹង ២ ដែល" in digest.text


# A Khmer instrument whose maternity allowance is new (no old value) and whose leave went
# from 90 to 98 days, with no figure written as the text wrote it: the values in our words.
NEW_ALLOWANCE: dict[str, object] = {
    "kind": "modified",
    "old_ref": "មាត្រា ៧",
    "new_ref": "មាត្រា ៧",
    "heading": "ការគាំពារមាតុភាព",
    "old_text": "កម្មករនារីទទួលបានការឈប់សម្រាកលំហែមាតុភាព ៩០ ថ្ងៃ។",
    "new_text": "កម្មករនារីទទួលបានការឈប់សម្រាកលំហែមាតុភាព ៩៨ ថ្ងៃ និងប្រាក់ឧបត្ថម្ភ ៨០០.០០០ រៀល។",
    "numbers": [
        {"old": None, "new": 800000.0, "unit": "KHR", "old_text": "", "new_text": "",
         "label": "ប្រាក់ឧបត្ថម្ភពេលសម្រាលកូន"},
        {"old": 90.0, "new": 98.0, "unit": "day", "old_text": "", "new_text": "", "label": ""},
    ],
    "ops": [{"tag": "replace", "old": "៩០", "new": "៩៨"}],
}  # fmt: skip
# What a Khmer message may still write in Latin letters: names, hashes and links, not words.
# (the source's name is the admin's, as positions' words are the coalition's; URL and OCR
# as the Khmer catalogue writes them).
NOT_WORDS = re.compile(
    r"https?://\S+|SHA-256|SP Tracker|OCR|URL|NSSF legal documents|[0-9a-f]{16,64}"
)


def latin_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>|&[a-z]+;", " ", text)  # markup is not words
    return re.findall(r"[A-Za-z]{2,}", NOT_WORDS.sub(" ", text))


def test_khmer_messages_and_summaries_have_no_english_words_of_ours(world, positions) -> None:
    alert_id = world.alert(
        changes=[NEW_ALLOWANCE], title="អនុក្រឹត្យលេខ ៣២",
        flags=[[world.flag("maternity")]],
    )  # fmt: skip
    said = ("គ្មានម្តាយណាម្នាក់គ្មានប្រាក់ចំណូលពេលសម្រាលកូនឡើយ។",)
    stance = "ប្រាក់ឧបត្ថម្ភមាតុភាពត្រូវគ្របដណ្តប់ ៩០ ថ្ងៃ ដោយប្រាក់ឈ្នួលពេញ។"
    maternity = replace(positions["maternity"], key_messages_km=said, stance_km=stance)
    positions = {**positions, "maternity": maternity}
    view = view_of(world, alert_id, positions)
    khmer = render_alert(view, "km")
    arrow = "ប្រាក់ឧបត្ថម្ភពេលសម្រាលកូន (គ្មាន) -> ៨០០.០០០ រៀល"
    assert (
        khmer.subject == f"[ខ្ពស់] {MATERNITY_KM}: អនុក្រឹត្យលេខ ៣២, មាត្រា ៧: {arrow} (៩០ ថ្ងៃ -> ៩៨ ថ្ងៃ)"
    )
    assert f"- {arrow}" in khmer.text and "- ៩០ ថ្ងៃ -> ៩៨ ថ្ងៃ" in khmer.text
    assert f"ទិសដៅ៖ មាត្រា ៧: {arrow} (ថ្មី); ៩០ ថ្ងៃ -> ៩៨ ថ្ងៃ (កើនឡើង)" in khmer.text
    assert "<td>ថ្ងៃ</td><td>៩០ ថ្ងៃ</td><td><strong>៩៨ ថ្ងៃ</strong>" in khmer.html
    assert "<td>(គ្មាន)</td>" in khmer.html and "(ស្រទាប់អត្ថបទ)" in khmer.text
    digest = render_digest([view], Channel("k", "json://x", mode="daily", language="km"))
    with world.factory() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        summary = alert_summaries(session, [alert], positions, "km")[alert_id]
    assert summary == f"{MATERNITY_KM}: អនុក្រឹត្យលេខ ៣២, មាត្រា ៧: {arrow} (៩០ ថ្ងៃ -> ៩៨ ថ្ងៃ)"
    assert arrow in digest.text and arrow.replace(">", "&gt;") in digest.html
    for text in (khmer.subject, khmer.text, khmer.html, digest.subject, digest.text, digest.html):
        assert latin_words(text) == [], text
    assert latin_words(summary) == []

    english = render_alert(view, "en")  # the English words, as before
    assert "ប្រាក់ឧបត្ថម្ភពេលសម្រាលកូន (none) -> KHR 800,000 (90 days -> 98 days)" in english.subject
    assert "read by text" in english.text and "(none)" in english.html
