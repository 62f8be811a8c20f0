"""Typesetting that must not change the text read: a running header on a page of its own,
a header cut short at a fixed width, pdfium's line-break hyphens."""

from __future__ import annotations

import pytest

from parsers.pdf import line_break_hyphens
from parsers.reader import read
from parsers.structure import remove_furniture

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
