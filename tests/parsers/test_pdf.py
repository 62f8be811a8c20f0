from __future__ import annotations

import io
from collections.abc import Callable

import pdfplumber
import pytest

from parsers.khmer import normalize
from parsers.read.layout import remove_furniture, unwrap
from parsers.read.pdf import read_pdf
from parsers.read.pdf_actual_text import honour_actual_text
from parsers.read.quality import char_error_rate, damage_score

Load = Callable[[str], bytes]
Truth = Callable[[str], str]


def _plumber_text(data: bytes, *, patched: bool) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = []
        for page in pdf.pages:
            if patched:
                honour_actual_text(page)
            pages.append(page.extract_text(use_text_flow=True, y_tolerance=5))
    return "\n".join(pages)


def test_stock_pdfplumber_breaks_libreoffice_khmer_and_the_patch_repairs_it(
    load: Load, truth: Truth
) -> None:
    data = load("prakas_maternity_km.pdf")  # one page, only a page number as furniture
    expected = truth("prakas_maternity_km")
    stock = _plumber_text(data, patched=False)
    patched = _plumber_text(data, patched=True)
    assert char_error_rate(stock, expected) > 0.2
    assert "(cid:" in stock or damage_score(normalize(stock)) > 0.5
    assert char_error_rate(patched, expected) < 0.01
    assert damage_score(normalize(patched)) == 0


def test_english_pages_take_the_fast_path(load: Load) -> None:
    result = read_pdf(load("subdecree_en_v1.pdf"))
    assert result.methods == ("pdfium", "pdfium")
    assert result.qualities == (1.0, 1.0)


def test_khmer_pages_use_an_undamaged_extractor(load: Load, truth: Truth) -> None:
    result = read_pdf(load("subdecree_km_v2.pdf"))
    assert "pdfium" not in result.methods  # pypdfium2 duplicates clusters on this file
    assert all(q == 1.0 for q in result.qualities)
    text = "\n".join(remove_furniture([normalize(p) for p in result.pages]))
    assert char_error_rate(text, truth("subdecree_km_v2")) < 0.005


def test_tables_from_ruled_pdf_table(load: Load) -> None:
    result = read_pdf(load("subdecree_en_v2.pdf"))
    assert len(result.tables) == 1
    table = result.tables[0]
    assert table.page == 1
    assert table.rows[0] == ("Party", "Share of the wage")
    assert ("Employer", "3%") in table.rows


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("អត្រាភាគទាន ៤% នៃប្រាក់ឈ្នួល", 0.0, 0.0),
        ("The contribution rate is 4%.", 0.0, 0.0),
        ("ព្រ(cid:2)ះរាជាណាចព្រ(cid:8)(cid:8)ម្ពជា", 0.9, 1.0),
        ("កម្ព ុជា ស្រ ្តី", 0.3, 1.0),  # marks after a space
        ("ការា្រ", 0.3, 1.0),  # coeng after a vowel
        ("abc\ufffd\ufffddef", 0.5, 1.0),
        ("\ue001\ue002\ue003ក", 1.0, 1.0),
        ("", 1.0, 1.0),
    ],
)
def test_damage_score(text: str, low: float, high: float) -> None:
    assert low <= damage_score(text) <= high


def test_limon_soup_is_damage_only_where_khmer_is_expected() -> None:
    limon = "RBHraCaNacRkkm<uCa Cati sasna RBHmhakSRt þ ß æ ¤ © ü"
    assert damage_score(limon, khmer_expected=True) > 0.5
    assert damage_score("Pension contributions are due monthly.", khmer_expected=False) == 0


def test_remove_furniture_page_numbers_and_running_lines() -> None:
    pages = [
        "Sub-Decree No. 38 on Pensions\nArticle 1.- Scope\nText one.\n- 1 -",
        "Sub-Decree No. 38 on Pensions\nText two.\nPage 2 of 3",
        "Sub-Decree No. 38 on Pensions\nText three.\nទំព័រ ៣",
    ]
    assert remove_furniture(pages) == ["Article 1.- Scope\nText one.", "Text two.", "Text three."]
    # A running footer whose digits change, and a line that appears only once, stays.
    pages = ["Body A\nNSSF 2024 report 1", "Body B\nNSSF 2024 report 2"]
    assert remove_furniture(pages) == ["Body A", "Body B"]
    assert remove_furniture(["Only page\n3 / 9"]) == ["Only page"]
    assert remove_furniture(["Heading\nBody"]) == ["Heading\nBody"]


def test_unwrap_joins_khmer_without_space_and_dehyphenates_english() -> None:
    khmer = "\n".join(
        [
            "មាត្រា ៣.-",
            "អត្រាភាគទានសោធននិវត្តន៍ត្រូវបានកំណត់ត្រឹម ៤% នៃប្រាក់ឈ្នួលប្រចាំខែ ក្នុងនោះនិយោជក",
            "បង់ ២% និងកម្មករនិយោជិតបង់ ២%។",
            "មាត្រា ៤.-",
            "ប្រាក់ឈ្នួលសន្មតសម្រាប់គណនាភាគទានមានកម្រិតទាបបំផុត ៤០០.០០០ រៀល និងកម្រិតខ្ពស់",
            "បំផុត ១.២០០.០០០ រៀល។",
        ]
    )
    assert unwrap(khmer).splitlines() == [
        "មាត្រា ៣.-",
        "អត្រាភាគទានសោធននិវត្តន៍ត្រូវបានកំណត់ត្រឹម ៤% នៃប្រាក់ឈ្នួលប្រចាំខែ ក្នុងនោះនិយោជកបង់ ២% និងកម្មករនិយោជិតបង់ ២%។",
        "មាត្រា ៤.-",
        "ប្រាក់ឈ្នួលសន្មតសម្រាប់គណនាភាគទានមានកម្រិតទាបបំផុត ៤០០.០០០ រៀល និងកម្រិតខ្ពស់បំផុត ១.២០០.០០០ រៀល។",
    ]
    english = "\n".join(
        [
            "Article 5.- Old-age pension",
            "A member who has reached the age of sixty years and has paid contri-",
            "butions for at least twelve months is entitled to an old-age pen-",
            "sion and to a lump-sum refund, as the lump-",
            "sum rules say.",
        ]
    )
    assert unwrap(english).splitlines() == [
        "Article 5.- Old-age pension",
        "A member who has reached the age of sixty years and has paid contributions for at least "
        "twelve months is entitled to an old-age pension and to a lump-sum refund, as the "
        "lump-sum rules say.",
    ]
