"""HTML: headings and headers are structure, deep nesting never loses the text."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import trafilatura

from parsers.read.structure import split_sections
from parsers.read.webpage import read_html

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


@pytest.mark.parametrize("depth", [300, 1000, 2047, 2048, 5000])
def test_deeply_nested_html_keeps_its_text(depth: int, caplog: pytest.LogCaptureFixture) -> None:
    """Past libxml2's own limit too (about 2,048 levels, even with huge_tree): the text
    after the deep part is kept as well, entities and attributes as written."""
    inner = "<p>មាត្រា ១</p><p>" + _KM.format(d="១") + "</p><p>Article 2</p><p>" + _EN + "</p>"
    wrapper = '<div class="w"><span>'
    page = (
        "<html><body>"
        + wrapper * (depth // 2)
        + inner
        + "</span></div>" * (depth // 2)
        + "<p>Article 3</p><p>Fees &amp; rates: 4%.</p></body></html>"
    )
    with caplog.at_level(logging.WARNING):
        text, _ = read_html(page)
    articles = [s.ref for s in split_sections(text) if s.kind == "article"]
    assert articles == ["មាត្រា ១", "Article 2", "Article 3"]
    assert "Fees & rates: 4%." in text
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


@pytest.mark.parametrize(
    ("keyword", "digits", "body", "title", "preamble"),
    [
        (
            "មាត្រា",
            "១២៣",
            _KM,
            ["ព្រះរាជាណាចក្រកម្ពុជា", "អនុក្រឹត្យ"],
            ["រាជរដ្ឋាភិបាល", "- បានឃើញរដ្ឋធម្មនុញ្ញនៃព្រះរាជាណាចក្រកម្ពុជា", "សម្រេច"],
        ),
        (
            "Article",
            "123",
            _EN,
            ["KINGDOM OF CAMBODIA", "SUB-DECREE"],
            ["The Royal Government", "- Having seen the Constitution", "HEREBY DECIDES"],
        ),
    ],
)
def test_a_header_beside_the_named_content_container_is_kept(
    keyword: str, digits: str, body: str, title: list[str], preamble: list[str]
) -> None:
    """A CMS article: title block and preamble in the article's <header>, the articles in a
    <div class="entry-content"> that the extractor would otherwise narrow the page to."""
    arts = "".join(f"<h2>{keyword} {d}</h2><p>{body.format(d=d)}</p>" for d in digits)
    head = "".join(f"<p class='doc-title'>{line}</p>" for line in title)
    head += "<h1>Sub-decree on contributions</h1>"
    head += "".join(f"<p class='preamble'>{line}</p>" for line in preamble)
    page = (
        "<html><head><title>x</title></head><body><header class='site-header'>"
        "<nav><a href='/'>Home</a></nav></header><main id='primary'>"
        "<nav class='breadcrumbs'>Home / Legal</nav><article class='legal-document'>"
        f"<header class='entry-header'>{head}</header><div class='entry-content'>{arts}</div>"
        "<footer class='entry-footer'><a href='#'>Share this page</a></footer></article></main>"
        "<footer class='site-footer'><p>© 2026</p></footer></body></html>"
    )
    text, _ = read_html(page)
    lines = text.splitlines()
    assert lines[: len(title) + 1] == [*title, "Sub-decree on contributions"]
    assert lines.count("Sub-decree on contributions") == 1
    assert lines[len(title) + 1 : len(title) + 1 + len(preamble)] == preamble
    sections = split_sections(text)
    assert [s.ref for s in sections if s.kind == "article"] == [f"{keyword} {d}" for d in digits]
    assert not any(word in text for word in ("Home", "Share", "©"))


@pytest.mark.parametrize(
    ("lead", "items"),
    [
        ("The fee for a data medium is:", [("per CD", "7.00 EUR"), ("per DVD", "12.00 EUR")]),
        ("កម្រៃសម្រាប់ឧបករណ៍ផ្ទុកទិន្នន័យគឺ៖", [("ក្នុងមួយស៊ីឌី", "៧ ០០០ រៀល"), ("ក្នុងមួយឌីវីឌី", "១២ ០០០ រៀល")]),
    ],
)
@pytest.mark.parametrize("kind", ["ul", "ol"])
def test_a_list_nested_after_a_paragraph_in_an_item_keeps_its_text(
    lead: str, items: list[tuple[str, str]], kind: str
) -> None:
    nested = "".join(f"<li><p>{what}</p><ul><li>{fee}</li></ul></li>" for what, fee in items)
    for wrap in ("<article>{}</article>", "{}"):
        page = wrap.format(f"<h2>Article 1</h2><p>{lead}</p><{kind}>{nested}</{kind}>")
        text, _ = read_html(f"<html><body>{page}</body></html>")
        words = " ".join(text.split())
        for what, fee in items:
            assert what in words and fee in words
            assert words.index(what) < words.index(fee)


@pytest.mark.parametrize(
    ("value", "first"), [("²", "1."), ("9" * 5000, "1."), ("៣", "3."), ("3", "3.")]
)
def test_an_ordered_list_item_value_that_is_no_plain_number_is_counted(
    value: str, first: str
) -> None:
    page = (
        "<html><body><article><h1>Prakas</h1><ol>"
        f'<li value="{value}">the employer pays the contribution</li><li>ប្រាក់ឧបត្ថម្ភមាតុភាព</li>'
        "</ol></article></body></html>"
    )
    text, _ = read_html(page)
    assert f"{first} the employer pays the contribution" in text
    assert "ប្រាក់ឧបត្ថម្ភមាតុភាព" in text


_SECTION_PAGE = """<!doctype html><html lang="{lang}"><head><title>{num} {title}</title></head>
<body><a href="#main">Skip</a><header><a href="/">Statutes</a></header>
<main id="main"><div class="section">
<div class="sechead"><div class="secnum">{num}</div><h1 class="seccatch">{title}</h1></div>
<div class="body">{body}</div>
</div></main><footer><a href="/about">About</a></footer></body></html>"""


@pytest.mark.parametrize(
    ("lang", "num", "title", "body"),
    [
        ("en", "§88-21", "Definitions.", "The following words shall have these meanings. " * 8),
        ("km", "មាត្រា ២១", "និយមន័យ", "ពាក្យខាងក្រោមមានអត្ថន័យដូចតទៅ។ " * 8),
    ],
)
@pytest.mark.parametrize("dropped", [(), (0,), (0, 1)])
def test_the_heading_block_reads_the_same_whatever_the_extractor_keeps_of_it(
    lang: str,
    num: str,
    title: str,
    body: str,
    dropped: tuple[int, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A heading block (a section number beside the <h1>): the extractor keeps all of it, the
    # <h1> alone, or none of it, as the rest of a page's markup sways it (seen on two
    # renders of one statute page). The reading starts with the whole block every time.
    extract = trafilatura.extract

    def swayed(*args: Any, **kwargs: Any) -> str:
        lines = extract(*args, **kwargs).splitlines()
        assert lines[:2] == [num, title]
        return "\n".join(line for i, line in enumerate(lines) if i not in dropped)

    monkeypatch.setattr(trafilatura, "extract", swayed)
    text, _ = read_html(_SECTION_PAGE.format(lang=lang, num=num, title=title, body=body))
    lines = text.splitlines()
    assert lines[:2] == [num, title]
    assert lines.count(title) == 1 and lines.count(num) == 1
