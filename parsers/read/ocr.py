"""OCR of page images with tesseract (``--psm 6``: one block, the measured best for
single-column legal texts; the default ``--psm 3`` drops and duplicates segments).

A scanned page is taken at its own resolution (the embedded image, not a re-rendering,
which smears specks into blobs) and upscaled to :data:`OCR_DPI`; it is cleaned
(:func:`parsers.read.image.clean_page`: despeckle, deskew, ruling lines removed) and read; when
tesseract is unsure of the cleaned page, the plain image is read too and the reading with
the higher confidence wins, so clean-up is kept only where it raises tesseract's confidence.
Tesseract runs as a subprocess with a timeout; its TSV output gives both the text and the
word confidences, and words made only of punctuation that are tiny or unsure (specks read
as ``. , ; ‘``) are dropped. Khmer signs tesseract drops or misreads are put back where the
Khmer vocabulary says so (:func:`complete_khmer_words`; counted, so the reader can warn).
Failures come back as an :class:`OcrResult` with ``error`` set, so one bad page never stops
a document.

Language: ``khm``, ``eng`` or ``khm+eng`` when the caller knows it; ``khm+eng`` (or ``''``)
from a caller that does not is decided per page by :func:`choose_language`.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2.raw as pdfium_c
from PIL import Image

from parsers.khmer import khmer_share, normalize
from parsers.read.image import clean_page, grey, rescale
from parsers.read.quality import khmer_vocabulary
from parsers.read.words import icu_words

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
#: Words without a letter or digit below this confidence (0..100) are specks, not text.
MIN_MARK_CONFIDENCE = 60
#: ... and so are such words smaller than this share of the page's median word height.
MIN_MARK_HEIGHT = 0.3
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
    #: Khmer words completed from the vocabulary (:func:`complete_khmer_words`).
    corrected: int = 0


def tesseract_available() -> bool:
    """True when the ``tesseract`` binary is on PATH."""
    return shutil.which("tesseract") is not None


def ocr_image(
    image: Path, *, lang: str, timeout_s: float, psm: int = 6, whole_page: bool = True
) -> OcrResult:
    """OCR one image file with ``tesseract IMAGE stdout -l LANG --psm PSM tsv``; a
    ``whole_page`` loses its page numbers (:func:`parse_tsv`)."""
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


#: A line of tesseract's TSV: (page, block, paragraph, line) numbers.
LineKey = tuple[str, str, str, str]


@dataclass
class _Word:
    key: LineKey
    text: str
    confidence: float
    top: int
    height: int
    width: int


#: A line in the outer share of the page's height ...
MARGIN_SHARE = 0.1
#: ... with at most this many characters ...
MARGIN_MARK_CHARS = 6
#: ... set apart from the body by this many typical line heights is a page number or a
#: folio, however tesseract read it ("- 1 -" comes out as "wale", "=2" or a stray letter).
MARGIN_GAP_LINES = 1.5


def parse_tsv(tsv: str, *, whole_page: bool = True) -> tuple[str, float | None]:
    """Lines of words (grouped by block, paragraph and line) and the mean word confidence.

    Words with no letter or digit are dropped when tesseract is unsure of them or they are
    tiny beside the page's text: on a scan those are specks read as punctuation. On a
    ``whole_page``, a short first or last line standing apart in the margin is dropped
    too (:func:`_margin_marks`): a page number, whatever tesseract made of it.
    """
    words: list[_Word] = []
    page_height = 0
    for row in csv.DictReader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "1":
            page_height = max(page_height, _int(row.get("top")) + _int(row.get("height")))
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        if not text:
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        words.append(
            _Word(
                key,
                text,
                _number(row.get("conf")),
                _int(row.get("top")),
                _int(row.get("height")),
                _int(row.get("width")),
            )
        )
    heights = [w.height for w in words if _has_letter(w.text) and w.height > 0]
    typical = statistics.median(heights) if heights else 0
    lines: dict[LineKey, list[_Word]] = {}
    for word in words:
        if not _has_letter(word.text) and (
            word.confidence < MIN_MARK_CONFIDENCE
            or max(word.height, word.width) < MIN_MARK_HEIGHT * typical
        ):
            continue
        lines.setdefault(word.key, []).append(word)
    if whole_page:
        for key in _margin_marks(lines, page_height, typical):
            del lines[key]
    kept = [w for line in lines.values() for w in line]
    text = "\n".join(" ".join(w.text for w in line) for line in lines.values())
    confidences = [w.confidence for w in kept if w.confidence >= 0]
    confidence = sum(confidences) / len(confidences) / 100 if confidences else None
    return repair_khmer_marks(text), confidence


def _margin_marks(
    lines: dict[LineKey, list[_Word]], page_height: int, typical: float
) -> list[LineKey]:
    """Keys of the first and last lines that are page furniture: short, in the outer
    :data:`MARGIN_SHARE` of the page, and :data:`MARGIN_GAP_LINES` line heights away from
    the next line."""
    if page_height <= 0 or typical <= 0 or len(lines) < 2:
        return []
    spans = sorted(
        (min(w.top for w in ws), max(w.top + w.height for w in ws), key)
        for key, ws in lines.items()
    )
    marks = []
    gap = MARGIN_GAP_LINES * typical
    first, second = spans[0], spans[1]
    if first[1] <= MARGIN_SHARE * page_height and second[0] - first[1] >= gap:
        marks.append(first[2])
    last, before = spans[-1], spans[-2]
    if last[0] >= (1 - MARGIN_SHARE) * page_height and last[0] - before[1] >= gap:
        marks.append(last[2])
    return [key for key in marks if sum(len(w.text) for w in lines[key]) <= MARGIN_MARK_CHARS]


#: Khmer signs written above the letter that tesseract's ``khm`` model reads as a quote
#: mark: after a vowel sign it is the nikahit (``ឆ្នា'`` is ``ឆ្នាំ``), after a consonant
#: the bantoc (``បង'`` is ``បង់``). A quote mark glued to a Khmer letter is never Khmer
#: punctuation, so the repair cannot damage a correct reading.
_QUOTE_MARKS = "'‘’`´"
_KHMER_AFTER_VOWEL = "\u17c6"  # ំ
_KHMER_AFTER_CONSONANT = "\u17cb"  # ់


def repair_khmer_marks(text: str) -> str:
    """Quote marks read in place of a Khmer sign above the line, put back as that sign.

    Only a mark that ends a Khmer letter run and does not close a quotation opened in the
    same word (``'សោធន'`` stays as it is)."""
    if not any(q in text for q in _QUOTE_MARKS):
        return text
    out: list[str] = []
    word_start = 0
    for i, char in enumerate(text):
        if char.isspace():
            word_start = len(out) + 1
        previous = out[-1] if out else ""
        following = text[i + 1] if i + 1 < len(text) else ""
        opened = any(c in _QUOTE_MARKS for c in out[word_start:])
        if char in _QUOTE_MARKS and not opened and not _is_khmer_letter(following):
            if "\u17b6" <= previous <= "\u17c5":  # a dependent vowel sign
                out.append(_KHMER_AFTER_VOWEL)
                continue
            if "\u1780" <= previous <= "\u17a2":  # a consonant
                out.append(_KHMER_AFTER_CONSONANT)
                continue
        out.append(char)
    return "".join(out)


def _is_khmer_letter(char: str) -> bool:
    return "\u1780" <= char <= "\u17d3"


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


# Tesseract's Khmer model drops a vowel sign written below or above a letter, mostly under
# a subscript (ត្រូវ read as ត្រវ, ក្នុង as ក្នង, ឈ្នួល as ឈ្នល, ជំងឺ as ជំង), reads ឺ as ័ and
# the subscript ្ត as ្រ; which occurrences it misses changes with the size and the page.
_KHMER_RUN_RE = re.compile("[\u1780-\u17d3\u17dd]+")
_CONSONANTS = frozenset(chr(c) for c in range(0x1780, 0x17A3))
_DROPPED_SIGNS = "\u17bb\u17bc\u17bd\u17ba\u17b8"  # ុ ូ ួ ឺ ី
_MISREAD = {"\u17d0": "\u17ba", "\u179a": "\u178f"}  # ័ for ឺ; រ for ត, after a coeng
#: A correction must make the run read as this many fewer words (a word not in the
#: vocabulary counting three): one clear gain, never a matter of taste.
WORD_GAIN = 2
#: At most this many corrections in one run of Khmer letters.
MAX_RUN_CORRECTIONS = 8
#: Runs longer than this are left as they are (the search is quadratic in the run).
MAX_RUN_CHARS = 400


def complete_khmer_words(text: str) -> tuple[str, int]:
    """OCR'd Khmer with the signs tesseract dropped or misread put back where the
    vocabulary says so, and how many were.

    A run of Khmer letters is cut into ICU words; a misread word falls apart into short
    pieces or pieces not in the vocabulary (ត្រវ: ត្រ + វ). Each way of adding one dropped
    sign after a letter, or of undoing one known misreading, is tried; the one that makes
    the run read as clearly fewer words (:data:`WORD_GAIN`) is kept when no other does as
    well, and the search goes on from it. Text that reads as words is never changed.
    """
    corrected = 0

    def complete(match: re.Match[str]) -> str:
        nonlocal corrected
        run = normalize(match.group())
        best, done = _complete_run(run)
        corrected += done
        return best if done else match.group()

    return _KHMER_RUN_RE.sub(complete, text), corrected


def _complete_run(run: str) -> tuple[str, int]:
    if len(run) > MAX_RUN_CHARS:
        return run, 0
    cost = _reading_cost(run)
    done = 0
    while done < MAX_RUN_CORRECTIONS:
        scored = sorted((_reading_cost(c), c) for c in set(_corrections(run)))
        if not scored or scored[0][0] > cost - WORD_GAIN:
            break
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            break  # two corrections read as well: nothing to choose by
        cost, run = scored[0]
        done += 1
    return run, done


def _reading_cost(run: str) -> int:
    vocabulary = khmer_vocabulary()
    words = [w for w in icu_words(run) if w.strip()]
    return len(words) + sum(2 for w in words if w not in vocabulary)


def _corrections(run: str) -> Iterator[str]:
    for i, char in enumerate(run):
        after = run[i + 1] if i + 1 < len(run) else ""
        if char in _CONSONANTS and after != "\u17d2" and not "\u17b6" <= after <= "\u17c5":
            for sign in _DROPPED_SIGNS:
                yield run[: i + 1] + sign + run[i + 1 :]
        right = _MISREAD.get(char)
        if right and (char != "\u179a" or run[i - 1 : i] == "\u17d2"):
            yield run[:i] + right + run[i + 1 :]


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


def _has_letter(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _number(value: str | None) -> float:
    try:
        return float(value or -1)
    except ValueError:
        return -1.0


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
