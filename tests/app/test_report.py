"""The `sptrack compare` views: the JSON contract, the terminal text and the HTML redline."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from alerts.match.matcher import Matcher
from alerts.positions import load_positions
from app.report import compare_report, render_compare_html, render_compare_text
from parsers.document import Document, Language, Section, Table

ROOT = Path(__file__).resolve().parents[2]

EN = {
    "old": "Article 3. Contribution rate\nThe contribution rate is 4% of the wage.",
    "new": "Article 3. Contribution rate\nThe contribution rate is 6% of the wage.",
    "ref": "Article 3",
    "hostile": 'Note <script>alert("x")</script> and <img src=x onerror="alert(1)"> here.',
}
KM = {
    "old": "មាត្រា ៣ អត្រាភាគទាន\nអត្រាភាគទានត្រូវបានកំណត់ត្រឹម ៤% នៃប្រាក់ឈ្នួល។",
    "new": "មាត្រា ៣ អត្រាភាគទាន\nអត្រាភាគទានត្រូវបានកំណត់ត្រឹម ៦% នៃប្រាក់ឈ្នួល។",
    "ref": "មាត្រា ៣",
    "hostile": 'កំណត់សម្គាល់ <script>alert("x")</script> និង <img src=x onerror="alert(1)"> ។',
}
TEXTS = {"en": EN, "km": KM}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_positions(ROOT / "positions.toml"))


def _doc(lang: Language, body: str, *extra: Section, tables: tuple[Table, ...] = ()) -> Document:
    sections = (Section(TEXTS[lang]["ref"], "", body, "article", "3"), *extra)
    text = "\n\n".join(s.text for s in sections)
    sha = "a" * 64 if "4" in body or "៤" in body else "b" * 64
    return Document(text, text, lang, 1, "text", sections, sha, "text/plain", tables=tables)


def _pair(lang: Language, hostile: bool = False) -> tuple[Document, Document]:
    t = TEXTS[lang]
    extra = (Section("Article 9", "", t["hostile"], "article", "9"),) if hostile else ()
    return _doc(lang, t["old"]), _doc(lang, t["new"], *extra)


@pytest.mark.parametrize("lang", ["en", "km"])
def test_json_contract_is_unchanged(lang: Language, matcher: Matcher) -> None:
    report = compare_report(*_pair(lang), matcher)
    json.dumps(report, ensure_ascii=False)
    assert {"sha256", "language", "method"} <= set(report["old"]) & set(report["new"])
    (change,) = report["changes"]
    assert {"kind", "old_ref", "new_ref", "old_text", "new_text", "numbers", "flags"} <= set(change)
    (number,) = change["numbers"]
    assert {k: number[k] for k in ("old", "new", "unit")} == {"old": 4.0, "new": 6.0, "unit": "%"}
    assert {"position", "score", "evidence", "severity"} <= set(change["flags"][0])


@pytest.mark.parametrize("lang", ["en", "km"])
def test_text_view_plain_marks_edits_like_word_diff(lang: Language, matcher: Matcher) -> None:
    report = compare_report(*_pair(lang), matcher)
    text = render_compare_text(report)
    assert "\x1b" not in text
    four, six = ("4", "6") if lang == "en" else ("៤", "៦")
    assert f"[-{four}-]{{+{six}+}}%" in text
    assert f"{four}% -> {six}%" in text
    assert text.splitlines()[0].startswith(f"MODIFIED   {TEXTS[lang]['ref']}")
    assert "contribution_rate (" in text
    assert text.splitlines()[-1] == "1 change (1 modified)"


@pytest.mark.parametrize("lang", ["en", "km"])
def test_text_view_colour_is_red_and_green(lang: Language, matcher: Matcher) -> None:
    report = compare_report(*_pair(lang), matcher)
    text = render_compare_text(report, colour=True)
    four, six = ("4", "6") if lang == "en" else ("៤", "៦")
    assert f"\x1b[31m\x1b[1m{four}\x1b[0m\x1b[32m\x1b[1m{six}\x1b[0m" in text
    assert "[-" not in text
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert f"{four}{six}%" in plain


def test_text_view_drops_terminal_control_sequences(matcher: Matcher) -> None:
    old, _ = _pair("en")
    body = EN["new"] + "\x1b]0;pwned\x07 \x1b[2J end"
    report = compare_report(old, _doc("en", body), matcher)
    text = render_compare_text(report)
    assert "\x1b" not in text and "\x07" not in text
    assert "0;pwned" in text and "[2J end" in text  # the printable rest stays, as text


def test_text_view_elides_long_unchanged_text(matcher: Matcher) -> None:
    filler = "The fund shall publish an annual report on its operations. " * 20
    old = _doc("en", EN["old"] + "\n" + filler + "Benefits are paid within 30 days.")
    new = _doc("en", EN["new"] + "\n" + filler + "Benefits are paid within 20 days.")
    text = render_compare_text(compare_report(old, new, matcher))
    (redline,) = [line for line in text.splitlines() if line.startswith("  redline")]
    assert "…" in redline and len(redline) < len(filler)
    assert "[-4-]{+6+}" in redline and "[-30-]{+20+}" in redline


@pytest.mark.parametrize("lang", ["en", "km"])
def test_html_is_side_by_side_and_escapes_document_markup(lang: Language, matcher: Matcher) -> None:
    report = compare_report(*_pair(lang, hostile=True), matcher)
    page = render_compare_html(report, "old <b>.pdf", "new.pdf")
    assert page.startswith("<!doctype html>")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page
    assert "old &lt;b&gt;.pdf" in page
    four, six = ("4", "6") if lang == "en" else ("៤", "៦")
    old_side = page.split('<div class="side old">')[1].split('<div class="side new">')[0]
    new_side = page.split('<div class="side new">')[1].split("</section>")[0]
    assert f"<del>{four}</del>" in old_side and "<ins>" not in old_side
    assert f"<ins>{six}</ins>" in new_side and "<del>" not in new_side
    added = page.split('<div class="side new">')[2]
    assert "<ins>" in added and html.escape(TEXTS[lang]["hostile"], quote=False)[:20] in added


def test_html_numbers_table_flags_and_ocr_badge(matcher: Matcher) -> None:
    header = ("Programme", "2025 (KHR billion)")
    table_old = Table((header, ("Social protection", "1,200")), 1)
    table_new = Table((header, ("Social protection", "1,500")), 1)
    old = _doc("en", EN["old"], tables=(table_old,))
    new = _doc("en", EN["new"], tables=(table_new,))
    new = Document(
        new.text, new.text, "en", 1, "ocr", new.sections, "c" * 64, "", tables=new.tables
    )
    report = compare_report(old, new, matcher)
    page = render_compare_html(report, "a", "b")
    assert page.count("Needs human check (OCR)") == 2
    assert 'row "Social protection", column "2025 (KHR billion)"' in html.unescape(page)
    assert "<td>Social protection</td>" in page and "1,500,000,000,000" in page
    assert 'class="flag flag-' in page
    text = render_compare_text(report)
    assert "Social protection: 1,200 -> 1,500 (KHR 1.2 trillion -> 1.5 trillion)" in text
    assert text.count("needs human check") == 2
