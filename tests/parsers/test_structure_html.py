"""HTML: headings and headers are structure, deep nesting never loses the text."""

from __future__ import annotations

import logging

import pytest

from parsers.structure import split_sections
from parsers.webpage import read_html

_KM = "និយោជកត្រូវបង់ភាគទានចំនួន {d} ភាគរយនៃប្រាក់ឈ្នួលរបស់កម្មករជារៀងរាល់ខែ។"
_EN = "The employer shall pay a contribution of {d} percent of the wage of each worker monthly."


@pytest.mark.parametrize(
    ("keyword", "digits", "body", "preamble"),
    [
        ("មាត្រា", "១២៣៤", _KM, ["រាជរដ្ឋាភិបាល", "- បានឃើញរដ្ឋធម្មនុញ្ញនៃព្រះរាជាណាចក្រកម្ពុជា"]),
        ("Article", "1234", _EN, ["The Royal Government", "- Having seen the Constitution"]),
    ],
)
def test_headings_in_h2_and_a_preamble_in_header_are_kept(
    keyword: str, digits: str, body: str, preamble: list[str]
) -> None:
    arts = "".join(f"<h2>{keyword} {d}</h2><p>{body.format(d=d)}</p>" for d in digits)
    head = "".join(f"<p>{line}</p>" for line in preamble)
    page = (
        "<html><head><title>x</title></head><body><header><a href='/'>Home</a></header>"
        f"<nav><a href='/'>Home</a></nav><article><header><h1>Sub-decree</h1>{head}</header>"
        f"{arts}</article><footer>© 2026</footer></body></html>"
    )
    text, _ = read_html(page)
    sections = split_sections(text)
    assert [s.ref for s in sections if s.kind == "article"] == [f"{keyword} {d}" for d in digits]
    assert next(s for s in sections if s.kind == "preamble").text.splitlines() == preamble
    assert "Home" not in text


@pytest.mark.parametrize("depth", [300, 1000])
def test_deeply_nested_html_keeps_its_text(depth: int, caplog: pytest.LogCaptureFixture) -> None:
    inner = "<p>មាត្រា ១</p><p>" + _KM.format(d="១") + "</p><p>Article 2</p><p>" + _EN + "</p>"
    page = "<html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>"
    with caplog.at_level(logging.WARNING):
        text, _ = read_html(page)
    assert [s.ref for s in split_sections(text) if s.kind == "article"] == ["មាត្រា ១", "Article 2"]
    assert "nested" in caplog.text


@pytest.mark.parametrize(
    ("heading", "body", "items"),
    [
        ("§ {d} Beitrag", _EN, ["first point of the list,", "second point of the list."]),
        ("មាត្រា {d}", _KM, ["ចំណុចទីមួយនៃបញ្ជី", "ចំណុចទីពីរនៃបញ្ជី"]),
    ],
)
def test_a_page_without_main_column_keeps_its_headings_and_list_numbers(
    heading: str, body: str, items: list[str]
) -> None:
    """A law rendered from Markdown: <h1>, <h2> headings and loose <ol> lists straight in
    <body>, no <main> or <article>."""
    digits = "1234" if heading.startswith("§") else "១២៣៤"
    lists = "<ol>" + "".join(f"<li><p>{item}</p></li>" for item in items) + "</ol>"
    arts = "".join(
        f"<h2>{heading.format(d=d)}</h2><p>{body.format(d=d)}</p>{lists}" for d in digits
    )
    page = f"<html><head><title>x</title></head><body><h1>Law</h1>{arts}</body></html>"
    text, _ = read_html(page)
    sections = [s for s in split_sections(text) if s.kind in ("article", "section")]
    assert [s.ref for s in sections] == [heading.format(d=d).split(" B")[0] for d in digits]
    for section in sections:
        assert section.text.splitlines()[-2:] == [f"{n}. {item}" for n, item in enumerate(items, 1)]
