"""OCR preprocessing is kept only where it raises tesseract's confidence: when tesseract is
unsure of the cleaned page, the plain image is read too and the surer reading wins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image

from parsers.read import ocr
from parsers.read.ocr import SURE, OcrResult, ocr_pdf_page

Load = Callable[[str], bytes]


def _fake_tesseract(monkeypatch: pytest.MonkeyPatch, cleaned: float, plain: float) -> list[str]:
    """tesseract replaced by a reader that is ``cleaned`` sure of the cleaned image and
    ``plain`` sure of the untouched one; returns which images it was given."""
    seen: list[str] = []

    def clean(image: Image.Image, **_: Any) -> Image.Image:
        out = image.copy()
        out.info["cleaned"] = True
        return out

    def read(image: Image.Image, *, lang: str, **_: Any) -> OcrResult:
        kind = "cleaned" if image.info.get("cleaned") else "plain"
        seen.append(kind)
        return OcrResult(kind, cleaned if kind == "cleaned" else plain, lang)

    monkeypatch.setattr(ocr, "clean_page", clean)
    monkeypatch.setattr(ocr, "ocr_picture", read)
    return seen


@pytest.mark.parametrize(("name", "lang"), [("budget_en.pdf", "eng"), ("budget_km.pdf", "khm")])
@pytest.mark.parametrize(
    ("cleaned", "plain", "winner", "reads"),
    [
        (0.97, 0.99, "cleaned", 1),  # sure of the cleaned page: read once
        (0.70, 0.78, "plain", 2),  # unsure: the plain image read better
        (0.78, 0.70, "cleaned", 2),  # unsure, and clean-up helped
    ],
)
def test_the_surer_reading_wins(
    monkeypatch: pytest.MonkeyPatch,
    load: Load,
    name: str,
    lang: str,
    cleaned: float,
    plain: float,
    winner: str,
    reads: int,
) -> None:
    seen = _fake_tesseract(monkeypatch, cleaned, plain)
    document = pdfium.PdfDocument(load(name))
    try:
        page = document[0]
        result = ocr_pdf_page(page, dpi=100, lang=lang, timeout_s=60)
        page.close()
    finally:
        document.close()
    assert result.text == winner
    assert result.preprocessed is (winner == "cleaned")
    assert len(seen) == reads
    assert cleaned >= SURE[lang] or reads == 2
