"""Typesetting that must not change the text read: a running header on a page of its own,
a header cut short at a fixed width, pdfium's line-break hyphens."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from parsers.read.layout import remove_furniture, unwrap
from parsers.read.pdf import read_pdf
from parsers.read.pdf_page import line_break_hyphens
from parsers.read.reader import read
from parsers.read.structure import split_sections

_TITLE = {
    "en": [
        "KINGDOM OF CAMBODIA",
        "NATION RELIGION KING",
        "Ministry of Labour and Vocational Training",
        "PRAKAS",
        "on the Registration of Domestic Workers with the National",
        "Social Security Fund",
    ],
    "km": [
        "ព្រះរាជាណាចក្រកម្ពុជា",
        "ជាតិ សាសនា ព្រះមហាក្សត្រ",
        "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ",
        "ប្រកាស",
        "ស្តីពីការផ្តល់ប្រាក់ឧបត្ថម្ភមាតុភាព និងការការពារកម្មករនិយោជិ",
        "តជាស្ត្រីមានផ្ទៃពោះ",
    ],
}
_BODY = {
    "en": ["- Having seen the Labour Law;", "HEREBY DECIDES", "Article 1.- Scope",
           "This Prakas applies to every employer.", "Done at Phnom Penh, 10 May 2025"],
    "km": ["- បានឃើញច្បាប់ស្តីពីការងារ", "សម្រេច", "ប្រការ ១.-",
           "ប្រកាសនេះអនុវត្តចំពោះនិយោជកទាំងអស់។", "ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី១០ ខែឧសភា ឆ្នាំ២០២៥"],
}  # fmt: skip


def _whole(lang: str) -> str:
    """The title line as a header repeats it (a Khmer title wraps without a space)."""
    glue = "" if lang == "km" else " "
    return _TITLE[lang][4] + glue + _TITLE[lang][5]


@pytest.mark.parametrize("lang", ["en", "km"])
@pytest.mark.parametrize("cut", [0, 60])
def test_a_header_that_repeats_the_title_on_a_single_page_goes(lang: str, cut: int) -> None:
    header = _whole(lang)[:cut] if cut else _whole(lang)
    page = "\n".join([header, *_TITLE[lang], *_BODY[lang]])
    assert remove_furniture([page]) == ["\n".join([*_TITLE[lang], *_BODY[lang]])]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_title_line_the_text_repeats_stays(lang: str) -> None:
    # The first title line printed again further down (a cut-off start of a longer line,
    # the issuer before the preamble) is the document's text, not a running header.
    issuer = "Royal Government of Cambodia" if lang == "en" else "រាជរដ្ឋាភិបាល"
    title = [_TITLE[lang][0], issuer, *_TITLE[lang][1:]]
    page = "\n".join([*title, _TITLE[lang][0] + (" " if lang == "en" else "") + issuer,
                      issuer, *_BODY[lang]])  # fmt: skip
    assert remove_furniture([page]) == [page]
    page = "\n".join([issuer, *title[2:], issuer + " shall decide", *_BODY[lang]])
    assert remove_furniture([page]) == [page]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_on_many_pages_the_title_under_the_running_header_stays(lang: str) -> None:
    header = _whole(lang)
    # A short title block: the title itself sits in the top lines of the first page.
    first = "\n".join([header, _TITLE[lang][3], _whole(lang), *_BODY[lang][:2]])
    pages = [first] + [f"{header}\n{line}\n{n + 2}" for n, line in enumerate(_BODY[lang][2:])]
    cleaned = remove_furniture(pages)
    assert cleaned[0].splitlines() == [_TITLE[lang][3], _whole(lang), *_BODY[lang][:2]]
    assert cleaned[1:] == _BODY[lang][2:]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_text_file_of_one_page_loses_header_and_page_number(lang: str) -> None:
    word = "ទំព័រ ១" if lang == "km" else "Page 1"
    plain = "\n".join([_whole(lang)[:60], "", *_TITLE[lang], *_BODY[lang], "", word])
    text = read(plain.encode(), name="one.txt").text
    assert text.splitlines() == [*_TITLE[lang], *_BODY[lang]]


def test_line_break_hyphens() -> None:
    pages = [
        "This Sub\ufffeDecree applies. A lump\ufffesum is paid. The contri\ufffebutions are due.",
        "Contributions are monthly. Article 9 of the Sub-Decree. Re\ufffe",
        "លេខ ៣៨\ufffe២០២៤ ប្រាក់\ufffeឧបត្ថម្ភ",
    ]
    assert line_break_hyphens(pages) == [
        "This Sub-Decree applies. A lump-sum is paid. The contributions are due.",
        "Contributions are monthly. Article 9 of the Sub-Decree. Re-",
        "លេខ ៣៨-២០២៤ ប្រាក់-ឧបត្ថម្ភ",
    ]


@pytest.mark.parametrize(
    ("lines", "reference"),
    [
        (
            ["Article 5.- Rate", "The contribution rate is two percent of the wage of a worker.",
             "Article 6.- Review", "The Ministry shall review the rates of this Prakas every",
             "three years, taking into account the rate set in", "Article 5.",
             "Article 7.- Entry into force", "This Prakas shall take effect from its signature."],
            "taking into account the rate set in Article 5.",
        ),
        (
            ["មាត្រា ៥.-", "អត្រាភាគទានត្រូវបានកំណត់ត្រឹមពីរភាគរយនៃប្រាក់ឈ្នួលរបស់កម្មករនិយោជិតគ្រប់រូប។",
             "មាត្រា ៦.-",
             "ក្រសួងត្រូវពិនិត្យអត្រានៃប្រកាសនេះឡើងវិញរៀងរាល់បីឆ្នាំម្តង ដោយគិតពីអត្រាដែលមានចែងក្នុង",
             "មាត្រា ៥", "មាត្រា ៧.-", "ប្រកាសនេះមានប្រសិទ្ធភាពចាប់ពីថ្ងៃចុះហត្ថលេខាតទៅ។"],
            "ដោយគិតពីអត្រាដែលមានចែងក្នុងមាត្រា ៥",
        ),
    ],
)  # fmt: skip
def test_a_reference_wrapped_to_a_line_start_is_no_heading(
    lines: list[str], reference: str
) -> None:
    # Two columns cut the sentence before the reference: the heading sequence (5, 6, 7)
    # shows "Article 5" after "Article 6" is the sentence going on.
    text = unwrap("\n".join(lines))
    assert reference in text
    refs = [s.ref for s in split_sections(text) if s.kind == "article"]
    assert refs == [_ref(lines[0]), _ref(lines[2]), _ref(lines[-2])]


def _ref(head: str) -> str:
    word, number = head.split()[:2]
    return f"{word} {number.rstrip('.-')}"


KHMER_FONT = Path("/usr/share/fonts/truetype/khmeros/KhmerOS.ttf")


def _pdf(lines: list[tuple[float, str, float]], lang: str) -> bytes:
    """A one-page A4 PDF with each text at (72, y), written by pdfium itself."""
    return _pdf_pages([[(72, y, text, size) for y, text, size in lines]], [[]], lang)


def _pdf_pages(
    texts: list[list[tuple[float, float, str, float]]],
    rules: list[list[tuple[float, float, float, float]]],
    lang: str,
) -> bytes:
    """A4 pages with texts at (x, y) and ruling lines (x0, y0, x1, y1), written by pdfium."""
    document = pdfium.PdfDocument.new()
    font = None
    if lang == "km":
        if not KHMER_FONT.exists():
            pytest.skip("fonts-khmeros is not installed")
        data = KHMER_FONT.read_bytes()
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        font = pdfium_c.FPDFText_LoadFont(
            document.raw, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True
        )
    for page_texts, page_rules in zip(texts, rules, strict=True):
        page = document.new_page(595, 842)
        for x, y, text, size in page_texts:
            if font is None:
                obj = pdfium_c.FPDFPageObj_NewTextObj(document.raw, b"Helvetica", size)
            else:
                obj = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, size)
            wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        for x0, y0, x1, y1 in page_rules:
            path = pdfium_c.FPDFPageObj_CreateNewPath(x0, y0)
            pdfium_c.FPDFPath_LineTo(path, x1, y1)
            pdfium_c.FPDFPageObj_SetStrokeColor(path, 0, 0, 0, 255)
            pdfium_c.FPDFPageObj_SetStrokeWidth(path, 1)
            pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_NONE, True)
            pdfium_c.FPDFPage_InsertObject(page.raw, path)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _grid(rows: list[tuple[str, str]], top: float) -> tuple[list[Any], list[Any]]:
    """Texts and rules of a two-column ruled table whose first row's top is at ``top``."""
    texts, rules, height = [], [], 24
    for k, (left, right) in enumerate(rows):
        y = top - height * (k + 1) + 7
        texts += [(78, y, left, 11), (304, y, right, 11)]
    bottom = top - height * len(rows)
    rules += [(70, top - height * k, 525, top - height * k) for k in range(len(rows) + 1)]
    rules += [(x, top, x, bottom) for x in (70, 298, 525)]
    return texts, rules


_TABLE = {
    "en": [("Party", "Share of the wage"), ("Employer", "2%"), ("Worker", "2%"), ("Total", "4%")],
    "km": [("ភាគី", "ចំណែកនៃប្រាក់ឈ្នួល"), ("និយោជក", "២%"), ("កម្មករ", "២%"), ("សរុប", "៤%")],
}


@pytest.mark.parametrize("lang", ["en", "km"])
@pytest.mark.parametrize("cut", [1, 3])
def test_a_table_a_page_break_cuts_is_one_table(lang: str, cut: int) -> None:
    rows = _TABLE[lang]
    body = [(72, 780 - 24 * i, line, 12) for i, line in enumerate(_TITLE[lang])]
    first_texts, first_rules = _grid(rows[:cut], 24 * (cut + 1) + 60)
    # The typesetter repeats the heading row over the rest on the next page.
    second_texts, second_rules = _grid([rows[0], *rows[cut:]], 790)
    after = [(72, 790 - 24 * (len(rows) - cut + 2), _BODY[lang][-1], 12)]
    data = _pdf_pages([body + first_texts, second_texts + after], [first_rules, second_rules], lang)
    tables = read_pdf(data, ocr=False).tables
    assert [t.rows for t in tables] == [tuple(rows)]
    assert tables[0].page == 1
    # Two tables apart from the page edges are two tables, and one row alone is none.
    apart_texts, apart_rules = _grid(rows[:2], 500)
    alone_texts, alone_rules = _grid(rows[:1], 400)
    data = _pdf_pages(
        [body + first_texts, apart_texts + alone_texts],
        [first_rules, apart_rules + alone_rules],
        lang,
    )
    expected = [tuple(rows[:cut])] if cut > 1 else []
    assert [t.rows for t in read_pdf(data, ocr=False).tables] == [*expected, tuple(rows[:2])]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_footer_apart_in_the_bottom_margin_of_a_single_page_goes(lang: str) -> None:
    body = [*_TITLE[lang], *_BODY[lang]]
    lines = [(780 - 24 * i, line, 12) for i, line in enumerate(body)]
    footer = "NSSF" if lang == "en" else "បេឡាជាតិរបបសន្តិសុខសង្គម"
    document = read(_pdf([*lines, (40, footer, 10)], lang), name="one.pdf")
    assert footer not in document.text
    assert document.text.splitlines()[-1] == body[-1]
    # The text's own last line at the foot of a full page, one line pitch below the one
    # before it, is no footer.
    full = [(50 + 24 * (len(body) - 1 - i), line, 12) for i, line in enumerate(body)]
    assert read(_pdf(full, lang), name="full.pdf").text.splitlines()[-1] == body[-1]


def test_line_break_hyphens_in_a_pdf() -> None:
    lines = [
        (770, "Article 1.- Scope", 12),
        (750, "This Sub-", 12),
        (730, "Decree applies to the contri-", 12),
        (710, "butions. All contributions count.", 12),
    ]
    assert read_pdf(_pdf(lines, "en")).pages == (
        "Article 1.- Scope\nThis Sub-Decree applies to the contributions. All contributions count.",
    )
