"""Alert and digest messages: English and Khmer templates, escaping, OCR warning."""

from __future__ import annotations

import pytest

from alerts.deliver.alert_loader import AlertNotFound, load_alert_view
from alerts.deliver.channels import Channel
from alerts.deliver.messages import render_alert, render_digest
from alerts.deliver.plain_text import plain
from alerts.errors import AlertError

HOSTILE = {
    "kind": "modified",
    "old_ref": "Article 7",
    "new_ref": "Article 7",
    "heading": "Maternity <b>leave</b>",
    "old_text": "Maternity leave is 90 days.",
    "new_text": (
        "Maternity leave is 60 days.<script>alert('x')</script> \x1b[31mRED\x1b[0m "
        "\u202eevil\u202c [click](javascript:alert(1))\r\nSubject: injected"
    ),
    "numbers": [
        {"old": 90.0, "new": 60.0, "unit": "day", "old_text": "90 days", "new_text": "60 days"}
    ],
    "ops": [{"tag": "replace", "old": "90 days", "new": "60 days"}],
}


def view_of(world, alert_id):
    with world.factory() as session:
        return load_alert_view(session, alert_id, world.positions, world.base_url)


def test_english_alert_says_what_changed_why_and_where(world) -> None:
    alert_id = world.alert()
    view = view_of(world, alert_id)
    message = render_alert(view)

    assert message.subject == (
        "[HIGH] Contribution rate: Sub-decree 32 on pensions, Article 4: 4% -> 6% "
        "(employer 2% -> 3%)"
    )
    for body in (message.text, message.html):
        assert "4% -> 6%" in body.replace("-&gt;", "->") or "<td>4%</td>" in body
        assert "The contribution rate is 6% of the assumed wage" in body
        assert f"{world.base_url}/changes/{view.changes[0].id}" in body
        assert "Rates should rise gradually, agreed in the tripartite board" in body
        assert "Adequate pensions need adequate, predictable contributions." in body
        assert "https://www.nssf.gov.kh/doc/1" in body
        assert "0" * 63 + "1" in body  # sha256
        # the one date format, in Phnom Penh time and saying so (web/dates, issue 16)
        assert "2 Mar 2026 10:00 (Phnom Penh time)" in body
        assert "NEEDS HUMAN CHECK" not in body
    assert "WHAT CHANGED" in message.text and "WHY IT MATTERS" in message.text
    assert "employer 2% -> 3%" in message.text


def test_khmer_alert_has_khmer_headings_and_the_same_data(world) -> None:
    alert_id = world.alert(changes=[world.khmer], title="អនុក្រឹត្យលេខ ៣២")
    message = render_alert(view_of(world, alert_id), "km")

    assert message.subject == "[ខ្ពស់] Contribution rate: អនុក្រឹត្យលេខ ៣២, មាត្រា ៤: ៤% -> ៦%"
    for body in (message.text, message.html):
        for heading in ("ការផ្លាស់ប្តូរ", "ហេតុអ្វីសំខាន់", "ប្រភព", "សារគន្លឹះ"):
            assert heading in body
        assert "អត្រាភាគទានស្មើនឹង ៦% នៃប្រាក់ឈ្នួលប្រចាំខែ។" in body
        assert "ប្រាក់សោធននិវត្តន៍គ្រប់គ្រាន់ ត្រូវការការរួមចំណែកគ្រប់គ្រាន់។" in body
        assert "0" * 63 + "1" in body
        assert "ថ្ងៃទី២ ខែមីនា ឆ្នាំ២០២៦ ម៉ោង ១០:០០ (ម៉ោងភ្នំពេញ)" in body
        assert "2026-03-02" not in body and "Phnom Penh" not in body
    assert "៤% -> ៦%" in message.text
    assert 'lang="km"' in message.html


def test_document_text_cannot_inject_html_or_control_sequences(world) -> None:
    alert_id = world.alert(changes=[HOSTILE], flags=[[world.flag("maternity")]])
    message = render_alert(view_of(world, alert_id))

    assert "<script>" not in message.html
    assert "&lt;script&gt;" in message.html
    assert "<b>leave</b>" not in message.html
    assert "javascript:" not in message.html.split("[click]")[0]  # only as escaped text
    assert 'href="javascript' not in message.html
    for body in (message.text, message.html, message.subject):
        assert "\x1b" not in body and "\u202e" not in body and "\r" not in body
    assert "\n" not in message.subject
    # In text the markup is inert characters on one line: no new header-like line appears.
    assert not any(line.startswith("Subject:") for line in message.text.splitlines())
    assert "Maternity leave is 60 days.<script>" in message.text


def test_ocr_alert_carries_the_human_check_line(world) -> None:
    alert_id = world.alert(method="ocr")
    for language in ("en", "km"):
        message = render_alert(view_of(world, alert_id), language)
        assert "NEEDS HUMAN CHECK (read by OCR)" in message.text
        assert "NEEDS HUMAN CHECK (read by OCR)" in message.html
    assert "ត្រូវការការពិនិត្យដោយមនុស្ស" in render_alert(view_of(world, alert_id), "km").text


def test_long_clause_is_capped_around_the_change(world) -> None:
    long_change = dict(world.contribution)
    long_change["new_text"] = "Preamble words. " * 80 + "The rate becomes 6% from 2027. " * 5
    long_change["ops"] = [{"tag": "replace", "old": "4%", "new": "The rate becomes 6%"}]
    alert_id = world.alert(changes=[long_change])
    view = view_of(world, alert_id)
    clause = view.changes[0].clause
    assert len(clause) <= 500
    assert "The rate becomes 6%" in clause
    assert clause.startswith("…")


def test_digest_groups_by_position_then_instrument(world) -> None:
    first = world.alert(title="Sub-decree 32 on pensions")
    second = world.alert(
        title="Prakas 109 on maternity",
        changes=[world.khmer],
        flags=[[world.flag("maternity", "medium", 0.6), world.flag("contribution_rate", "low")]],
    )
    third = world.alert(title="Sub-decree 32 on pensions")
    views = [view_of(world, i) for i in (first, second, third)]

    message = render_digest(views, Channel("d", "json://x", mode="daily"))
    assert message.subject == "[HIGH] Daily digest: 3 alerts"
    text = message.text
    assert text.index("== Contribution rate (HIGH) ==") < text.index("== Maternity (MEDIUM) ==")
    assert text.count("Sub-decree 32 on pensions (NSSF") == 2  # two instruments, same title
    assert "(also: Contribution rate)" in text
    assert "មាត្រា ៤: ៤% -> ៦%" in text

    maternity_desk = Channel("m", "json://x", mode="weekly", positions=("maternity",))
    khmer = render_digest([views[1]], Channel("k", "json://x", mode="weekly", language="km"))
    assert khmer.subject == "[មធ្យម] សេចក្តីសង្ខេបប្រចាំសប្តាហ៍: ១ ការជូនដំណឹង"  # Khmer digits
    assert "ការជូនដំណឹង ១ ដែលបានដាក់ជាក្រុម" in khmer.text
    assert "មាត្រា ៤" in khmer.html and "សារគន្លឹះ" in khmer.text
    assert "== Maternity" in render_digest([views[1]], maternity_desk).text


def test_unknown_language_and_alert_are_errors(world) -> None:
    alert_id = world.alert()
    with pytest.raises(AlertError, match="got 'fr'"):
        render_alert(view_of(world, alert_id), "fr")
    with world.factory() as session, pytest.raises(AlertNotFound) as caught:
        load_alert_view(session, 999, world.positions, world.base_url)
    assert caught.value.alert_id == 999


def test_plain_strips_controls_and_caps() -> None:
    assert plain("a\x00b\x07c\u202ed\u2066e") == "abcde"
    assert plain("line one\r\nline two", single_line=True) == "line one line two"
    assert plain("one\u2028two", single_line=True) == "one two"
    assert plain("ស្វាគមន៍ " * 50, 40).endswith("…")
    assert len(plain("word " * 200, 100)) <= 100
    # Khmer combining marks and zero-width joiners used in Khmer survive.
    assert plain("ក្ស\u200cត្រ") == "ក្ស\u200cត្រ"


def test_why_it_matters_says_which_way_each_change_goes(world) -> None:
    cut = dict(HOSTILE)  # maternity leave 90 days -> 60 days, with hostile text
    added = {
        "kind": "added",
        "old_ref": None,
        "new_ref": "Article 12",
        "heading": "",
        "old_text": "",
        "new_text": "Employers shall report every birth within 30 days.",
        "numbers": [],
        "ops": [],
    }
    alert_id = world.alert(
        changes=[world.contribution, cut, added],
        flags=[
            [world.flag("contribution_rate")],
            [world.flag("maternity")],
            [world.flag("maternity", "medium", 0.5)],
        ],
    )
    view = view_of(world, alert_id)
    english = render_alert(view)
    assert "  Direction: Article 4: 4% -> 6% (up); employer 2% -> 3% (up)" in english.text
    assert "  Direction: Article 7: 90 days -> 60 days (down)" in english.text
    assert "  Direction: Article 12: added" in english.text
    assert "<br>Direction: Article 7: 90 days -&gt; 60 days (down)" in english.html
    # Each direction line sits under its own position.
    why = english.text.split("WHY IT MATTERS")[1]
    assert why.index("Maternity") < why.index("Article 7: 90 days") < why.index("Article 12")
    khmer = render_alert(view, "km")
    assert "  ទិសដៅ៖ Article 7: 90 days -> 60 days (ថយចុះ)" in khmer.text
    assert "  ទិសដៅ៖ Article 12: បានបន្ថែម" in khmer.text
