from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from parsers import (
    CorruptDocument,
    ParseError,
    ReadLimits,
    TooLarge,
    UnsupportedFormat,
    char_error_rate,
    language_of,
    sniff,
)
from parsers.khmer import match_key
from parsers.read.office import read_docx
from parsers.read.reader import DOCX, HTML, PDF, TEXT, read

Load = Callable[[str], bytes]
Truth = Callable[[str], str]

BORN_DIGITAL = [
    (f"subdecree_{lang}_{version}.{ext}", lang, ctype)
    for lang in ("km", "en")
    for version in ("v1", "v2")
    for ext, ctype in (("pdf", PDF), ("docx", DOCX), ("html", HTML), ("txt", TEXT))
] + [
    ("prakas_maternity_km.pdf", "km", PDF),
    ("prakas_maternity_en.pdf", "en", PDF),
    ("prakas_registration_en.docx", "en", DOCX),
]


@pytest.mark.parametrize(("name", "language", "content_type"), BORN_DIGITAL)
def test_born_digital_fixture_reads_close_to_truth(
    name: str, language: str, content_type: str, load: Load, truth: Truth
) -> None:
    data = load(name)
    document = read(data, name=name)
    assert document.content_type == content_type
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.language == language
    assert document.method == "text"
    assert document.pages == (None if content_type != PDF else document.pages)
    assert char_error_rate(document.text, truth(name.rsplit(".", 1)[0])) < 0.02
    payload = json.loads(json.dumps(document.to_json(), ensure_ascii=False))
    assert {"text", "language", "pages", "method", "sections"} <= payload.keys()
    assert all({"ref", "heading", "text"} <= s.keys() for s in payload["sections"])
    refs = [s["ref"] for s in payload["sections"]]
    expected = (
        ("មាត្រា ៣" if "subdecree" in name else "ប្រការ ១")
        if language == "km"
        else ("Article 3" if "subdecree" in name else "Article 1")
    )
    assert expected in refs
    if "subdecree" in name:
        assert refs[:2] == ["Title", "Preamble"] and refs[-1] == "Closing"


def test_pdf_pages_and_furniture_removed(load: Load) -> None:
    document = read(load("subdecree_en_v2.pdf"))
    assert document.pages == 2
    assert "Sub-Decree No. 38 ANK.BK on the Social Security Scheme" not in document.text
    assert "Page 1 of 2" not in document.text
    km = read(load("subdecree_km_v1.pdf"))
    assert "អនុក្រឹត្យលេខ ៣៨ អនក្រ.បក ស្តីពីរបបសន្តិសុខសង្គម" not in km.text
    assert "- 1 -" not in km.text


@pytest.mark.parametrize(
    "other", ["subdecree_km_v1_reexport.pdf", "subdecree_km_v1.docx", "subdecree_km_v1.html"]
)
def test_same_words_in_another_layout_give_the_same_match_key(other: str, load: Load) -> None:
    base = read(load("subdecree_km_v1.pdf"))
    again = read(load(other))
    assert match_key(base.text).replace(" ", "") == match_key(again.text).replace(" ", "")
    assert [s.ref for s in base.sections] == [s.ref for s in again.sections]


def test_v2_cosmetic_noise_is_gone_after_normalisation(load: Load) -> None:
    v2 = read(load("subdecree_km_v2.pdf"))
    assert "\u200b" not in v2.text
    assert "ស្ដីពី" not in v2.text and "ស្តីពី" in v2.text  # coeng-DA -> coeng-TA
    assert "ស្រ្តី" not in v2.text and "ស្ត្រី" in v2.text  # coeng-Ro order
    assert "\u200b" in v2.raw_text or "ស្ដ" in v2.raw_text


def test_html_menus_and_ticker_do_not_change_the_text(load: Load) -> None:
    page = load("subdecree_en_v1.html").decode()
    changed = (
        page.replace("NSSF opens a new service office in Siem Reap", "Flood relief reaches Kratie")
        .replace("About us", "Who we are")
        .replace("<li>Exchange rate", "<li>New: e-registration portal</li><li>Exchange rate")
    )
    assert changed != page
    first, second = read(page.encode()), read(changed.encode())
    assert first.text == second.text
    assert "Siem Reap" not in first.text and "About us" not in first.text
    assert first.title.startswith("SUB-DECREE") or "Sub-Decree" in first.title


def test_html_title_and_fallback_without_main_text() -> None:
    page = (
        b"<html><head><title>Notice | MLVT</title></head>"
        b"<body><nav>Home</nav><p>Hi</p></body></html>"
    )
    document = read(page)
    assert document.content_type == HTML
    assert document.text == "Hi"
    assert document.title == "Hi" or document.title == "Notice"


def test_type_is_sniffed_from_content_not_name(load: Load) -> None:
    pdf = load("subdecree_en_v1.pdf")
    assert read(pdf, name="notes.txt").content_type == PDF
    junk = b"\r\n\x00garbage before header\n" + pdf
    assert sniff(junk) == PDF
    assert read(junk).text == read(pdf).text
    assert read(load("subdecree_en_v1.html"), name="x.pdf").content_type == HTML
    assert read(load("subdecree_km_v1.docx"), name="a.pdf").content_type == DOCX


def test_utf16_text_with_bom() -> None:
    text = "មាត្រា ៥.-\nអត្រាភាគទាន ៤%\n"
    document = read(text.encode("utf-16"))
    assert document.content_type == TEXT
    assert document.language == "km"
    assert [s.ref for s in document.sections] == ["មាត្រា ៥"]


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"", UnsupportedFormat, "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, UnsupportedFormat, "PNG"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, UnsupportedFormat, "OLE2"),
        (bytes(range(256)) * 8, UnsupportedFormat, "binary data"),
        (b"   \n\t  ", UnsupportedFormat, "empty"),
        (b"%PDF-1.7\n1 0 obj garbage", CorruptDocument, "PDF"),
    ],
)
def test_bad_inputs_raise_the_right_parse_error(
    data: bytes, error: type[ParseError], words: str
) -> None:
    with pytest.raises(error) as caught:
        read(data, name="input.bin")
    message = str(caught.value)
    assert words in message and "\n" not in message
    assert message.startswith("input.bin: ")


def test_zip_that_is_not_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedFormat, match="ZIP"):
        read(buf.getvalue())


def test_truncated_and_encrypted_pdfs_are_corrupt(load: Load) -> None:
    with pytest.raises(CorruptDocument, match="cannot read PDF"):
        read(load("corrupt_truncated.pdf"))
    with pytest.raises(CorruptDocument, match="encrypted") as caught:
        read(load("encrypted.pdf"))
    assert caught.value.expected == "a readable PDF"


def test_limits(load: Load) -> None:
    data = load("subdecree_en_v1.pdf")
    with pytest.raises(TooLarge, match="bytes") as caught:
        read(data, limits=ReadLimits(max_bytes=1000))
    assert caught.value.size == len(data)
    with pytest.raises(TooLarge, match="pages"):
        read(data, limits=ReadLimits(max_pages=1))
    with pytest.raises(ValueError, match="ocr_dpi"):
        ReadLimits(ocr_dpi=0)


def test_scan_without_ocr_gives_a_warning_not_text(load: Load) -> None:
    document = read(load("subdecree_km_scan.pdf"), limits=ReadLimits(ocr=False))
    assert document.text == ""
    assert document.method == "text"
    assert any("OCR is off" in w for w in document.warnings)


@pytest.mark.slow
def test_scanned_khmer_page_is_ocrd(load: Load, truth: Truth) -> None:
    document = read(load("subdecree_km_scan.pdf"))
    assert document.method == "ocr"
    assert document.language == "km"
    assert 0.3 < document.quality <= 1
    assert char_error_rate(document.text, truth("subdecree_km_scan")) < 0.05
    assert "Preamble" in [s.ref for s in document.sections]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("អត្រាភាគទាន ៤%", "km"),
        ("The contribution rate is 4%", "en"),
        ("អត្រាភាគទាន contribution rate", "mixed"),
        ("123 456", "mixed"),
    ],
)
def test_language_of(text: str, language: str) -> None:
    assert language_of(text) == language


WILD = [
    "000_ag-energy-round-up-2017-02-24.pdf",
    "010_issue-33-lorem-ipsum.pdf",
    "020_password-example.pdf",
    "028_Pages-tree-refs.pdf",
    "035_auth-event-ef-open.pdf",
    "037_bug1020226.pdf",
    "062_issue13343.pdf",
    "088_issue9105_other.pdf",
    "095_poppler-742-0-fuzzed.pdf",
    "123_zen_of_python_corrupted.pdf",
    "129_r2-user-password.pdf",
    "138_toy.pdf",
    "143_multicolumn.pdf",
]


@pytest.mark.parametrize("name", WILD)
def test_wild_pdfs_read_or_raise_parse_error(name: str, pdf_wild: Path) -> None:
    path = pdf_wild / name
    try:
        document = read(path.read_bytes(), name=name, limits=ReadLimits(ocr=False))
    except ParseError as exc:
        assert str(exc).startswith(name)
        return
    assert document.content_type == PDF
    assert document.pages is not None and document.pages >= 1


@pytest.mark.parametrize(
    ("lang", "furniture"),
    [
        (
            "en",
            ["We use cookies", "cookie policy", "Kandal", "Kratie", "Last updated", "generated"],
        ),
        ("km", ["ខូឃី", "កណ្តាល", "ក្រចេះ", "ធ្វើបច្ចុប្បន្នភាព", "ព័ត៌មានថ្មីៗ", "ព័ត៌មានពាក់ព័ន្ធ"]),
    ],
)
def test_html_renderings_differing_in_furniture_read_the_same(
    lang: str, furniture: list[str], load: Load, truth: Truth
) -> None:
    first = read(load(f"notice_{lang}.html"))
    second = read(load(f"notice_{lang}_rerender.html"))
    assert first.text == second.text
    assert char_error_rate(first.text, truth(f"notice_{lang}")) == 0
    assert first.text.split("\n")[0] == truth(f"notice_{lang}").split("\n")[0]  # the headline
    for word in furniture:
        assert word not in first.text
    assert first.language == lang


FURNITURE_IN_MAIN = {
    "en": [
        "<h3>Latest news</h3><ul><li><a href='/a'>Flood relief reaches Kratie</a> 26 November"
        " 2026</li><li><a href='/b'>New office in Siem Reap</a> 25 November 2026</li></ul>",
        "<div role='dialog' aria-label='Cookie consent'><p>This website uses cookies to improve"
        " your experience while you navigate through the website.</p><button>OK</button></div>",
        "<div class='latest-news'><p>Relief goods were distributed to two thousand families in"
        " Kratie province this week.</p></div>",
        "<div class='breaking-ticker'><span>Breaking: Minister visits garment factories in"
        " Kandal province and meets the workers there</span></div>",
        "<p>Last updated: 26 Nov 2026 10:31</p>",
    ],
    "km": [
        "<h3>ព័ត៌មានថ្មីៗ</h3><ul><li><a href='/a'>ជំនួយសង្គ្រោះទឹកជំនន់ដល់ក្រចេះ</a>"
        " ២៦ វិច្ឆិកា ២០២៦</li><li><a href='/b'>ការិយាល័យថ្មីនៅសៀមរាប</a> ២៥ វិច្ឆិកា ២០២៦</li></ul>",
        "<div role='dialog' aria-label='Cookie consent'><p>គេហទំព័រនេះប្រើខូឃី"
        " ដើម្បីកែលម្អបទពិសោធន៍របស់អ្នកនៅពេលអ្នកចូលមើលគេហទំព័ររបស់យើង។</p></div>",
        "<div class='latest-news'><p>ជំនួយសង្គ្រោះទឹកជំនន់ត្រូវបានចែកជូនគ្រួសារចំនួនពីរពាន់"
        "នៅខេត្តក្រចេះក្នុងសប្តាហ៍នេះ។</p></div>",
        "<div class='breaking-ticker'><span>ព័ត៌មានបន្ទាន់៖ រដ្ឋមន្ត្រីចុះពិនិត្យរោងចក្រកាត់ដេរ"
        "នៅខេត្តកណ្តាល និងជួបសំណេះសំណាលជាមួយកម្មករ</span></div>",
        "<p>ធ្វើបច្ចុប្បន្នភាពចុងក្រោយ៖ ២៦ វិច្ឆិកា ២០២៦ ១០:៣១</p>",
    ],
}
MAIN_TEXT = {
    "en": [
        "Article 1.- Employers pay 2% of the wage to the fund every month.",
        "Article 2.- Workers pay 2% of the wage to the fund every month.",
        "Article 3.- The NSSF pays pensions every month to members who qualify.",
    ],
    "km": [
        "មាត្រា ១.- និយោជកបង់ ២% នៃប្រាក់ឈ្នួលទៅបេឡាជាតិរបបសន្តិសុខសង្គមរៀងរាល់ខែ។",
        "មាត្រា ២.- កម្មករនិយោជិតបង់ ២% នៃប្រាក់ឈ្នួលទៅបេឡាជាតិរៀងរាល់ខែ។",
        "មាត្រា ៣.- បេឡាជាតិបង់សោធននិវត្តន៍ជូនសមាជិករៀងរាល់ខែ។",
    ],
}


@pytest.mark.parametrize("lang", ["en", "km"])
@pytest.mark.parametrize("furniture", range(5))
def test_furniture_inside_the_main_column_is_dropped(lang: str, furniture: int) -> None:
    """Each of these is kept by trafilatura alone: the markup pass must remove it."""
    paras = "".join(f"<p>{line}</p>" for line in MAIN_TEXT[lang])
    page = (
        "<html><head><title>Notice</title></head><body><main><article>"
        f"<div class='entry-content'>{paras}{FURNITURE_IN_MAIN[lang][furniture]}</div>"
        "</article></main></body></html>"
    )
    assert read(page.encode()).text.split("\n") == MAIN_TEXT[lang]


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("subdecree_km_v1.docx", "ប.ស.ស."),
        ("subdecree_en_v2.docx", "NSSF"),
        ("budget_km.docx", "MEF"),
    ],
)
def test_docx_headers_and_footers_are_kept_apart(name: str, header: str, load: Load) -> None:
    result = read_docx(load(name))
    assert result.furniture[0] == header
    assert len(result.furniture) == 2
    document = read(load(name))
    for line in result.furniture:
        assert line not in document.text.split("\n")
    assert document.text.split("\n")[0] == result.text.split("\n")[0]
