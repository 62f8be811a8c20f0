"""OCR of page images with tesseract (``--psm 6``: one block, the measured best for
single-column legal texts; the default ``--psm 3`` drops and duplicates segments).

A scanned page is taken at its own resolution (the embedded image, not a re-rendering,
which smears specks into blobs) and upscaled to :data:`OCR_DPI`; it is cleaned
(:func:`parsers.read.image.clean_page`: despeckle, deskew, ruling lines removed) and read; when
tesseract is unsure of the cleaned page, the plain image is read too and the reading with
the higher confidence wins, so clean-up is kept only where it raises tesseract's confidence.
Tesseract runs as a subprocess with a timeout; its TSV output gives both the text and the
word confidences, and words made only of punctuation that are tiny or unsure (specks read
as ``. , ; ‘``) are dropped (:mod:`parsers.read.ocr_tsv`). Khmer signs tesseract drops or
misreads are put back where the Khmer vocabulary says so (:mod:`parsers.read.ocr_khmer`;
counted, so the reader can warn).
Failures come back as an :class:`OcrResult` with ``error`` set, so one bad page never stops
a document.

Language: ``khm``, ``eng`` or ``khm+eng`` when the caller knows it; ``khm+eng`` (or ``''``)
from a caller that does not is decided per page by :func:`choose_language`.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2.raw as pdfium_c
from PIL import Image

from parsers.khmer import khmer_share
from parsers.read.image import clean_page, grey, rescale
from parsers.read.ocr_khmer import complete_khmer_words
from parsers.read.ocr_tsv import parse_tsv

if TYPE_CHECKING:
    import pypdfium2 as pdfium

logger = logging.getLogger(__name__)

#: Largest rendered side in pixels: a poster-sized page is scaled down to this.
MAX_SIDE_PX = 7000
#: Scans below this resolution are upscaled to it. Measured on degraded 200 dpi scans
#: (bench/extraction_eval.py): upscaling to 300 or 400 dpi gained nothing over the native
#: 200 dpi once specks were gone, and cost 10-90% more time.
OCR_DPI = 200
#: An image covering this share of the page makes the page a scan.
SCAN_COVER = 0.5
#: Mean word confidence (0..1) per language above which the cleaned page's reading is
#: taken without also reading the plain image (typical clean pages: English 0.92-0.96,
#: Khmer 0.82-0.86).
SURE = {"eng": 0.9, "khm": 0.8, "khm+eng": 0.8}
#: One OpenMP thread: tesseract's default thread pool spins, and measured 4-5x slower in
#: wall time per page (4.3 s against 0.9 s on 2 cores), worse still beside other workers.
_ONE_THREAD = {"OMP_THREAD_LIMIT": "1"}
KHMER = "khm"
ENGLISH = "eng"
BOTH = "khm+eng"


@dataclass(frozen=True)
class OcrResult:
    """Text of one image; ``confidence`` is tesseract's mean word confidence (0..1)."""

    text: str
    confidence: float | None
    lang: str
    error: str = ""
    #: Whether the page image was cleaned before tesseract read it (None: not decided).
    preprocessed: bool | None = None
    #: Khmer words completed from the vocabulary
    #: (:func:`parsers.read.ocr_khmer.complete_khmer_words`).
    corrected: int = 0


def tesseract_available() -> bool:
    """True when the ``tesseract`` binary is on PATH."""
    return shutil.which("tesseract") is not None


def ocr_image(
    image: Path, *, lang: str, timeout_s: float, psm: int = 6, whole_page: bool = True
) -> OcrResult:
    """OCR one image file with ``tesseract IMAGE stdout -l LANG --psm PSM tsv``; a
    ``whole_page`` loses its page numbers (:func:`parsers.read.ocr_tsv.parse_tsv`)."""
    command = ["tesseract", str(image), "stdout", "-l", lang, "--psm", str(psm), "tsv"]
    if timeout_s <= 0:
        return OcrResult("", None, lang, "no time left for tesseract")
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env={**os.environ, **_ONE_THREAD},
        )
    except subprocess.TimeoutExpired:
        return OcrResult("", None, lang, f"tesseract timed out after {timeout_s:g} s")
    except OSError as exc:
        return OcrResult("", None, lang, f"tesseract could not run: {exc}")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return OcrResult("", None, lang, f"tesseract failed: {message[-1] if message else '?'}")
    text, confidence = parse_tsv(done.stdout.decode("utf-8", "replace"), whole_page=whole_page)
    return OcrResult(text, confidence, lang)


def ocr_picture(
    image: Image.Image,
    *,
    lang: str,
    timeout_s: float,
    dpi: int = OCR_DPI,
    psm: int = 6,
    whole_page: bool = True,
) -> OcrResult:
    """OCR a PIL image (saved as a temporary PNG that says its ``dpi``); ``whole_page``
    False for a crop, whose first and last lines are not page furniture."""
    with tempfile.TemporaryDirectory(prefix="sptrack-ocr-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path, format="PNG", dpi=(dpi, dpi))
        return ocr_image(path, lang=lang, timeout_s=timeout_s, psm=psm, whole_page=whole_page)


def page_image(page: pdfium.PdfPage, *, dpi: int) -> tuple[Image.Image, float, bool]:
    """The page as a grey image: (image, its resolution in dpi, the page is a scan).

    A page that is one image covering the page (a scanner's PDF) gives that image at its
    own resolution; any other page is rendered at ``dpi`` (capped at :data:`MAX_SIDE_PX`).
    A page is a scan when images cover at least :data:`SCAN_COVER` of it.
    """
    width, height = page.get_size()
    images = [o for o in page.get_objects(max_depth=2) if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    covered = 0.0
    for obj in images:
        left, bottom, right, top = obj.get_bounds()
        covered += max(0.0, min(right, width) - max(left, 0.0)) * max(
            0.0, min(top, height) - max(bottom, 0.0)
        )
    scan = bool(images) and covered >= SCAN_COVER * width * height
    if scan and len(images) == 1 and covered >= 0.9 * width * height:
        native = _native_image(images[0])
        if native is not None:
            return native[0], native[1], True
    scale = dpi / 72
    longest = max(width, height) * scale
    if longest > MAX_SIDE_PX:
        scale *= MAX_SIDE_PX / longest
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return grey(bitmap.to_pil()), scale * 72, scan
    finally:
        bitmap.close()


def ocr_pdf_page(
    page: pdfium.PdfPage,
    *,
    dpi: int,
    lang: str,
    timeout_s: float,
    preprocess: bool | None = None,
) -> OcrResult:
    """OCR one PDF page: take its image (:func:`page_image`), bring it to ``dpi`` (at least
    :data:`OCR_DPI` for scans), clean it where that helps, and read it. ``lang`` ``khm+eng``
    or ``''`` means "not known": :func:`choose_language` decides for this page.
    ``preprocess``: read the cleaned image (True) or the image as it is (False); None: the
    cleaned image, and also the plain one when tesseract is less sure of it than
    :data:`SURE`, the surer reading winning (the result says which). ``timeout_s`` bounds
    the whole page."""
    started = time.monotonic()
    image, source_dpi, scan = page_image(page, dpi=dpi)
    target = max(source_dpi, OCR_DPI) if scan else source_dpi
    factor = min(target / source_dpi, MAX_SIDE_PX / max(image.size))
    cleaned = clean_page(image, dpi=source_dpi, scale=factor, despeckle_page=scan)
    resolution = round(source_dpi * factor)
    if lang in ("", BOTH):
        remaining = timeout_s - (time.monotonic() - started)
        lang = choose_language(cleaned, timeout_s=remaining / 3, dpi=resolution)
        logger.debug("OCR language chosen for the page: %s", lang)
    remaining = timeout_s - (time.monotonic() - started)
    if preprocess is False:
        picture = rescale(grey(image), factor)
        result = ocr_picture(picture, lang=lang, timeout_s=remaining, dpi=resolution)
        return _completed(replace(result, preprocessed=False))
    result = replace(
        ocr_picture(cleaned, lang=lang, timeout_s=remaining, dpi=resolution), preprocessed=True
    )
    sure = SURE.get(lang, min(SURE.values()))
    remaining = timeout_s - (time.monotonic() - started)
    if preprocess is None and (result.confidence or 0.0) < sure and remaining > 0:
        # Not sure of the cleaned page: tesseract may read the plain image better (the
        # median filter thins the strokes of a clean rendering). The surer reading wins.
        picture = rescale(grey(image), factor)
        plain = ocr_picture(picture, lang=lang, timeout_s=remaining, dpi=resolution)
        logger.debug("OCR confidence cleaned %s, plain %s", result.confidence, plain.confidence)
        if not plain.error and (plain.confidence or 0.0) > (result.confidence or 0.0):
            result = replace(plain, preprocessed=False)
    return _completed(result)


def _completed(result: OcrResult) -> OcrResult:
    if result.error or result.lang == ENGLISH:
        return result
    text, corrected = complete_khmer_words(result.text)
    return replace(result, text=text, corrected=corrected) if corrected else result


def choose_language(image: Image.Image, *, timeout_s: float, dpi: int = OCR_DPI) -> str:
    """``khm``, ``eng`` or ``khm+eng`` for a page whose language is not known, from a
    ``khm+eng`` reading of a band across the middle of the page (a quarter of its height,
    where body text is): over 80% Khmer letters gives ``khm``, under 5% ``eng``."""
    top, bottom = round(image.height * 0.35), round(image.height * 0.6)
    band = image.crop((0, top, image.width, bottom))
    probe = ocr_picture(band, lang=BOTH, timeout_s=timeout_s, dpi=dpi, whole_page=False)
    letters = sum(1 for c in probe.text if c.isalpha())
    if probe.error or letters < 20:
        return BOTH
    share = khmer_share(probe.text)
    return KHMER if share > 0.8 else ENGLISH if share < 0.05 else BOTH


def _native_image(obj: pdfium.PdfImage) -> tuple[Image.Image, float] | None:
    """The image object at its own resolution (masks, decode arrays and placement applied
    by pdfium) in grey, and that resolution; None when pdfium cannot decode it."""
    left, _, right, _ = obj.get_bounds()
    try:
        bitmap = obj.get_bitmap(render=True)
    except Exception as exc:  # pdfium raises several kinds on odd image streams
        logger.debug("embedded image not decoded (%s): rendering instead", exc)
        return None
    image = grey(bitmap.to_pil()).copy()  # the bitmap is pdfium's: copy, never close it
    if image.width < 16 or image.height < 16 or right - left <= 0:
        return None
    dpi = image.width / ((right - left) / 72)
    if max(image.size) > MAX_SIDE_PX:
        factor = MAX_SIDE_PX / max(image.size)
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        image = image.resize(size, resample=Image.Resampling.LANCZOS)
        dpi *= factor
    return image, dpi
