"""OCR of page images with tesseract (``--psm 6``: one block, the measured best for
single-column legal texts; the default ``--psm 3`` drops and duplicates segments).

Tesseract runs as a subprocess with a timeout; its TSV output gives both the text and the
word confidences. Failures come back as an :class:`OcrResult` with ``error`` set, so one bad
page never stops a document.
"""

from __future__ import annotations

import csv
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pypdfium2 as pdfium

logger = logging.getLogger(__name__)

#: Largest rendered side in pixels: a poster-sized page is scaled down to this.
MAX_SIDE_PX = 7000


@dataclass(frozen=True)
class OcrResult:
    """Text of one image; ``confidence`` is tesseract's mean word confidence (0..1)."""

    text: str
    confidence: float | None
    lang: str
    error: str = ""


def tesseract_available() -> bool:
    """True when the ``tesseract`` binary is on PATH."""
    return shutil.which("tesseract") is not None


def ocr_image(image: Path, *, lang: str, timeout_s: float, psm: int = 6) -> OcrResult:
    """OCR one image file with ``tesseract IMAGE stdout -l LANG --psm PSM tsv``."""
    command = ["tesseract", str(image), "stdout", "-l", lang, "--psm", str(psm), "tsv"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return OcrResult("", None, lang, f"tesseract timed out after {timeout_s:g} s")
    except OSError as exc:
        return OcrResult("", None, lang, f"tesseract could not run: {exc}")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return OcrResult("", None, lang, f"tesseract failed: {message[-1] if message else '?'}")
    text, confidence = parse_tsv(done.stdout.decode("utf-8", "replace"))
    return OcrResult(text, confidence, lang)


def parse_tsv(tsv: str) -> tuple[str, float | None]:
    """Lines of words (grouped by block, paragraph and line) and the mean word confidence."""
    lines: dict[tuple[str, str, str, str], list[str]] = {}
    confidences: list[float] = []
    for row in csv.DictReader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        if not word:
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append(word)
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            conf = -1
        if conf >= 0:
            confidences.append(conf)
    text = "\n".join(" ".join(words) for words in lines.values())
    confidence = sum(confidences) / len(confidences) / 100 if confidences else None
    return text, confidence


def ocr_pdf_page(page: pdfium.PdfPage, *, dpi: int, lang: str, timeout_s: float) -> OcrResult:
    """Render one PDF page in grey at ``dpi`` and OCR it."""
    width, height = page.get_size()
    scale = dpi / 72
    longest = max(width, height) * scale
    if longest > MAX_SIDE_PX:
        scale *= MAX_SIDE_PX / longest
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        image = bitmap.to_pil()
        with tempfile.TemporaryDirectory(prefix="sptrack-ocr-") as tmp:
            path = Path(tmp) / "page.png"
            image.save(path, format="PNG")
            return ocr_image(path, lang=lang, timeout_s=timeout_s)
    finally:
        bitmap.close()
