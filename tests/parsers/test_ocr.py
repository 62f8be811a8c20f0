from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw

from parsers.read.image import (
    clean_page,
    deskew,
    despeckle,
    estimate_skew,
    otsu_threshold,
    remove_rules,
    remove_specks,
)
from parsers.read.ocr import ENGLISH, KHMER, ocr_image, ocr_pdf_page, page_image
from parsers.read.ocr_khmer import repair_khmer_marks
from parsers.read.ocr_tsv import parse_tsv
from parsers.read.quality import char_error_rate
from parsers.read.reader import read

Load = Callable[[str], bytes]
Truth = Callable[[str], str]


@contextmanager
def _page(data: bytes, index: int = 0) -> Iterator[pdfium.PdfPage]:
    document = pdfium.PdfDocument(data)
    page = document[index]
    try:
        yield page
    finally:
        page.close()
        document.close()


def _render(data: bytes, dpi: int = 100) -> Image.Image:
    with _page(data) as page:
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image: Image.Image = bitmap.to_pil().convert("L")
        bitmap.close()
    return image


def _ink(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    pixels = np.asarray(image.crop(box) if box else image)
    return int((pixels < 128).sum())


# -- image clean-up (fast) ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["subdecree_en_v1.pdf", "subdecree_km_v1.pdf"])
@pytest.mark.parametrize("angle", [-2.0, -0.7, 1.3, 3.0])
def test_skew_of_a_rotated_page_is_found(load: Load, name: str, angle: float) -> None:
    page = _render(load(name))
    rotated = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert estimate_skew(rotated) == pytest.approx(-angle, abs=0.1)
    straight, applied = deskew(rotated)
    assert applied == pytest.approx(-angle, abs=0.1)
    assert abs(estimate_skew(straight)) <= 0.1


def test_a_straight_page_and_a_blank_page_are_left_alone(load: Load) -> None:
    page = _render(load("prakas_maternity_km.pdf"))
    assert deskew(page)[1] == 0.0
    blank = Image.new("L", (600, 800), 255)
    assert estimate_skew(blank) == 0.0
    assert deskew(blank) == (blank, 0.0)


def _speckled(page: Image.Image, seed: int = 3) -> Image.Image:
    """``page`` with salt-and-pepper noise and 3x3 dust specks down its blank left margin."""
    rng = np.random.default_rng(seed)
    pixels = np.asarray(page, dtype=np.uint8).copy()
    noise = rng.random(pixels.shape)
    pixels[noise < 0.002] = 0
    pixels[noise > 0.998] = 255
    for y in range(20, page.height - 20, 50):
        x = int(rng.integers(20, 60))
        pixels[y : y + 3, x : x + 3] = 20
    return Image.fromarray(pixels, mode="L")


@pytest.mark.parametrize("name", ["subdecree_en_v1.pdf", "prakas_maternity_km.pdf"])
def test_despeckling_removes_dust_and_keeps_the_letters(load: Load, name: str) -> None:
    page = _render(load(name), dpi=200)
    margin = (0, 0, 110, page.height)
    assert _ink(page, margin) == 0  # the fixtures' left margins are blank
    speckled = _speckled(page)
    assert _ink(speckled, margin) > 300
    cleaned = remove_specks(despeckle(speckled))
    assert _ink(cleaned, margin) == 0
    # Letters survive: dots of i, full stops, Khmer signs above and below the line.
    text = (110, 0, page.width, page.height)
    assert _ink(cleaned, text) == pytest.approx(_ink(despeckle(page), text), rel=0.03)
    assert _ink(remove_specks(page), text) == pytest.approx(_ink(page, text), rel=0.0005)


def test_ruling_lines_are_erased_and_cell_text_kept() -> None:
    image = Image.new("L", (800, 400), 255)
    draw = ImageDraw.Draw(image)
    for y in (50, 150, 250):
        draw.line((40, y, 760, y), fill=0, width=3)
    for x in (40, 400, 760):
        draw.line((x, 50, x, 250), fill=0, width=3)
    draw.text((60, 90), "Employer 2%", fill=0, font_size=40)
    text_ink = _ink(image, (60, 80, 380, 140))
    cleaned = remove_rules(image)
    assert _ink(cleaned, (0, 45, 800, 56)) == 0  # the top rule
    assert _ink(cleaned, (395, 45, 406, 255)) == 0  # the middle column rule
    assert _ink(cleaned, (60, 80, 380, 140)) == pytest.approx(text_ink, rel=0.05)


def test_otsu_threshold_separates_ink_from_paper() -> None:
    pixels = np.full((100, 100), 230, dtype=np.uint8)
    pixels[40:60, :] = 40
    assert 40 <= otsu_threshold(Image.fromarray(pixels, mode="L")) < 230


def test_clean_page_straightens_a_skewed_speckled_scan(load: Load) -> None:
    page = _render(load("prakas_maternity_en.pdf"), dpi=200)
    speckled = _speckled(page.rotate(1.5, resample=Image.Resampling.BICUBIC, fillcolor=255))
    cleaned = clean_page(speckled, dpi=200, scale=1.5)
    assert abs(estimate_skew(cleaned)) <= 0.1
    assert cleaned.width > 1.5 * page.width  # deskew expands, then the scale applies


# -- tesseract output and page images (fast) ----------------------------------------------

TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)


def _tsv(*words: tuple[int, str, float, int, int]) -> str:
    rows = [TSV_HEADER]
    for i, (line, text, conf, width, height) in enumerate(words):
        rows.append(f"5\t1\t1\t1\t{line}\t{i}\t0\t0\t{width}\t{height}\t{conf}\t{text}")
    return "\n".join(rows)


def test_specks_read_as_punctuation_are_dropped_and_real_marks_kept() -> None:
    text, confidence = parse_tsv(
        _tsv(
            (1, "-", 91.0, 14, 6),  # a list dash: confident, dash-sized
            (1, "Having", 95.0, 120, 30),
            (1, "seen;", 93.0, 90, 30),
            (1, ";", 12.0, 6, 7),  # a speck read as punctuation
            (2, "បានឃើញ", 90.0, 140, 40),
            (2, ".", 85.0, 4, 4),  # confident but tiny beside the text
            (2, "៖", 88.0, 8, 22),
        )
    )
    assert text == "- Having seen;\nបានឃើញ ៖"
    assert confidence == pytest.approx((91 + 95 + 93 + 90 + 88) / 5 / 100)


def test_a_scanners_page_is_taken_at_its_own_resolution(load: Load) -> None:
    with _page(load("scan_prakas_maternity_km.pdf")) as page:
        image, dpi, scan = page_image(page, dpi=300)
    assert scan
    assert dpi == pytest.approx(200, abs=1)
    assert image.size == (1654, 2339) and image.mode == "L"
    with _page(load("prakas_maternity_km.pdf")) as page:
        image, dpi, scan = page_image(page, dpi=150)
    assert not scan
    assert dpi == pytest.approx(150)


def test_no_time_left_is_an_error_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    Image.new("L", (10, 10), 255).save(path)
    result = ocr_image(path, lang="eng", timeout_s=0)
    assert result.error == "no time left for tesseract"
    assert result.text == ""
    result = ocr_image(path, lang="eng", timeout_s=0.001)
    assert "timed out" in result.error


# -- OCR of degraded scans (slow: tesseract) ----------------------------------------------


@pytest.mark.slow
def test_degraded_english_scan_is_read_in_english(load: Load, truth: Truth) -> None:
    with _page(load("scan_prakas_maternity_en.pdf")) as page:
        result = ocr_pdf_page(page, dpi=300, lang="", timeout_s=60)
    assert result.error == ""
    assert result.lang == ENGLISH
    assert 1 - char_error_rate(result.text, truth("scan_prakas_maternity_en")) >= 0.98
    assert result.confidence is not None and result.confidence > 0.8


@pytest.mark.slow
def test_degraded_khmer_scan_is_read_in_khmer(load: Load, truth: Truth) -> None:
    with _page(load("scan_prakas_maternity_km.pdf")) as page:
        result = ocr_pdf_page(page, dpi=300, lang="khm+eng", timeout_s=60)
    assert result.lang == KHMER
    document = read(load("scan_prakas_maternity_km.pdf"))
    assert document.method == "ocr"
    assert document.language == "km"
    assert 1 - char_error_rate(document.text, truth("scan_prakas_maternity_km")) >= 0.95


def _placed_tsv(page_height: int, *lines: tuple[int, str]) -> str:
    """A TSV page of ``page_height`` pixels holding one word per (top, text) line."""
    rows = [TSV_HEADER, f"1\t1\t0\t0\t0\t0\t0\t0\t1000\t{page_height}\t-1\t"]
    for i, (top, text) in enumerate(lines, start=1):
        rows.append(f"5\t1\t1\t1\t{i}\t1\t100\t{top}\t{20 * len(text)}\t30\t40.0\t{text}")
    return "\n".join(rows)


BODY = [(200, "Article 5.- Maternity"), (240, "The allowance is 70% of the wage."), (280, "ថ្ងៃ")]


@pytest.mark.parametrize("misread", ["- 1 -", "wale", "=2", "ន", "- ១ -", "iv"])
def test_a_page_number_misread_by_ocr_is_dropped_from_the_foot_and_head(misread: str) -> None:
    foot, _ = parse_tsv(_placed_tsv(1000, *BODY, (950, misread)))
    head, _ = parse_tsv(_placed_tsv(1000, (30, misread), *BODY))
    body = "\n".join(text for _, text in BODY)
    assert foot == body
    assert head == body


def test_margin_lines_that_are_text_or_close_to_the_body_are_kept() -> None:
    long_footer = "Done at Phnom Penh"
    assert long_footer in parse_tsv(_placed_tsv(1000, *BODY, (950, long_footer)))[0]
    close = (305, "២%")  # the body's last line, not set apart by a margin gap
    assert "២%" in parse_tsv(_placed_tsv(330, *BODY, close))[0]
    mid_page = (600, "=2")  # short but in the body of the page
    assert "=2" in parse_tsv(_placed_tsv(1000, *BODY, mid_page))[0]
    assert "wale" in parse_tsv(_placed_tsv(1000, *BODY, (950, "wale")), whole_page=False)[0]


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("ជារៀងរាល់ឆ្នា' ដោយ", "ជារៀងរាល់ឆ្នាំ ដោយ"),  # nikahit after a vowel sign
        ("និយោជកបង' ២%", "និយោជកបង់ ២%"),  # bantoc after a consonant
        ("ឆ្នា’", "ឆ្នាំ"),
    ],
)
def test_quote_marks_read_for_khmer_signs_are_put_back(read: str, meant: str) -> None:
    assert repair_khmer_marks(read) == meant


@pytest.mark.parametrize(
    "text", ["ពាក្យ 'សោធន' គឺ", "the worker's wage", "'quoted'", "ក'ខ", "Article 5'"]
)
def test_real_quote_marks_are_left_alone(text: str) -> None:
    assert repair_khmer_marks(text) == text
