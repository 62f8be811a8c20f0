"""PDF text, page by page, from the best of several extractors, with OCR where needed.

Candidates per page: pypdfium2 (fast, first), ``pdftotext -raw`` (poppler; only when the
page has Khmer or looks damaged) and pdfplumber with ``/ActualText`` honoured (only when the
others look damaged). Each candidate is scored with :func:`parsers.read.quality.damage_score`
and the least damaged wins. A page with no usable text layer is rendered and OCR'd; a page
whose text layer scores low (wrong characters from a broken ToUnicode map score low: the
words are no words) is OCR'd too, and the better-scoring reading wins. Khmer stored in
visual order (pre-base vowels and coeng-RO before their consonant) is put in reading order
before it is scored.

pdfplumber reads with ``/ActualText`` honoured (:mod:`parsers.read.pdf_actual_text`);
footers, Khmer fonts and line-break hyphens are read from pdfium's page
(:mod:`parsers.read.pdf_page`).
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium

from parsers.document import Table
from parsers.errors import CorruptDocument, TooLarge
from parsers.khmer import KHMER_RE, is_visual_order, khmer_share, normalize, to_logical_order
from parsers.read.ocr import ocr_pdf_page, tesseract_available
from parsers.read.pdf_actual_text import honour_actual_text
from parsers.read.pdf_page import line_break_hyphens, margin_footer, uses_khmer_font
from parsers.read.pdf_tables import page_drawing, plumber_tables, ruled_tables
from parsers.read.quality import damage_score, reads_as_words
from parsers.read.table_pieces import join_continued
from parsers.read.words import join_split_words

logger = logging.getLogger(__name__)

#: A page whose best text layer scores above this is OCR'd (when OCR is on).
OCR_DAMAGE = 0.3
#: Scores closer than this are a tie, broken by the extractor's rank.
TIE = 0.01
#: Quality given to an OCR'd page when tesseract reports no confidence.
OCR_DEFAULT_QUALITY = 0.6
#: Pages per document searched for ruled tables (pdfplumber is slow: ~0.5-1.5 s a page).
MAX_TABLE_PAGES = 20
#: The only damage a page without Khmer (nor a Khmer font) can show, as counted by
#: parsers.read.quality.damage_score: glyph placeholders, private-use and control characters.
_DAMAGE_RE = re.compile(
    "\\(cid:\\d+\\)|[\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]"
)
#: Fewer visible characters than this on a page with images: treat as a scan.
MIN_TEXT_CHARS = 20


@dataclass(frozen=True)
class PdfText:
    """What the PDF reader found: raw text per page and how each page was read."""

    pages: tuple[str, ...]
    methods: tuple[str, ...]  # per page: pdfium | pdftotext | pdfplumber | ocr | none
    qualities: tuple[float, ...]
    tables: tuple[Table, ...] = ()
    warnings: tuple[str, ...] = ()
    ocr_lang: str = ""
    #: Per page: the footer lines set apart in the bottom margin
    #: (see :func:`parsers.read.pdf_page.margin_footer`).
    footers: tuple[tuple[str, ...], ...] = ()


def open_pdf(data: bytes, *, name: str = "") -> pdfium.PdfDocument:
    """Open with pypdfium2; unreadable or encrypted files raise :class:`CorruptDocument`."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise CorruptDocument(
                "PDF", "it is encrypted (a password is needed)", name=name
            ) from exc
        detail = reason.split("PDFium:", 1)[1] if "PDFium:" in reason else reason
        detail = detail.strip(" ().").lower()
        if detail in ("", "success", "unknown error"):
            detail = "no detail from pdfium"
        raise CorruptDocument("PDF", f"damaged file ({detail})", name=name) from exc


def read_pdf(
    data: bytes,
    *,
    name: str = "",
    max_pages: int = 500,
    ocr: bool = True,
    ocr_dpi: int = 300,
    ocr_timeout_s: float = 60,
) -> PdfText:
    """Read every page of a PDF (see the module doc for the choice of extractor)."""
    document = open_pdf(data, name=name)
    try:
        return _Reader(data, document, name, ocr, ocr_dpi, ocr_timeout_s, max_pages).run()
    finally:
        document.close()


@dataclass(frozen=True)
class _Layer:
    """One page's chosen text layer and what else was seen on the page."""

    text: str
    method: str
    quality: float
    has_images: bool = False
    #: Ruled tables found from pdfium; None: tables were seen but need pdfplumber's text.
    tables: list[Table] | None = None


@dataclass
class _Reader:
    data: bytes
    document: pdfium.PdfDocument
    name: str
    ocr: bool
    ocr_dpi: int
    ocr_timeout_s: float
    max_pages: int
    warnings: list[str] = field(default_factory=list)
    _poppler: list[str] | None = None
    _plumber: Any = None
    footers: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def run(self) -> PdfText:
        count = len(self.document)
        if count > self.max_pages:
            raise TooLarge("pages", self.max_pages, count, name=self.name)
        pages: list[str] = []
        methods: list[str] = []
        qualities: list[float] = []
        tables: list[Table] = []
        scans: list[int] = []
        table_pages = 0
        try:
            for index in range(count):
                layer = self._text_layer(index)
                text, method, quality = layer.text, layer.method, layer.quality
                if _has_khmer(text):
                    # Justified lines cut Khmer words with gaps the extractor read as spaces.
                    text = join_split_words(text)
                if quality < 1 - OCR_DAMAGE or (
                    layer.has_images and _visible(text) < MIN_TEXT_CHARS
                ):
                    scans.append(index)
                elif layer.tables is not None:
                    tables.extend(layer.tables)
                elif table_pages < MAX_TABLE_PAGES:
                    table_pages += 1
                    tables.extend(self._tables(index))
                pages.append(text)
                methods.append(method)
                qualities.append(quality)
            if all(m == "none" for m in methods) and any(
                "not be loaded" in w for w in self.warnings
            ):
                raise CorruptDocument("PDF", "no page could be loaded", name=self.name)
            ocr_lang = ""
            if scans and self.ocr:
                ocr_lang = self._ocr_pages(scans, pages, methods, qualities)
            elif scans:
                self.warnings.append(
                    f"{len(scans)} page(s) without a usable text layer; OCR is off"
                )
        finally:
            if self._plumber is not None:
                self._plumber.close()
        return PdfText(
            tuple(line_break_hyphens(pages)),
            tuple(methods),
            tuple(qualities),
            tuple(join_continued(tables)),
            tuple(self.warnings),
            ocr_lang,
            tuple(self.footers.get(i, ()) for i in range(count)),
        )

    # -- text layer -------------------------------------------------------------------------

    def _text_layer(self, index: int) -> _Layer:
        try:
            page = self.document[index]
        except pdfium.PdfiumError as exc:
            self.warnings.append(f"page {index + 1} could not be loaded: {exc}")
            return _Layer("", "none", 0.0, tables=[])
        try:
            textpage = page.get_textpage()
            try:
                first = textpage.get_text_range()
                self.footers[index] = margin_footer(page, textpage, first)
                khmer_font = uses_khmer_font(textpage)
                drawing = page_drawing(page)
                # Ruled tables from pdfium's paths and text (see parsers.read.pdf_tables).
                tables: list[Table] | None = ruled_tables(
                    drawing, textpage, index + 1, page.get_height()
                )
            finally:
                textpage.close()
        finally:
            page.close()
        first = self._logical(first.replace("\r\n", "\n").replace("\r", "\n"), index)
        has_images = drawing.has_images
        khmer = _has_khmer(first)
        if tables and khmer:
            tables = None  # pdfium's cell text may duplicate Khmer clusters: use pdfplumber
        if not _visible(first):
            return _Layer("", "none", 0.0, has_images, tables)
        # Latin-1 letters are Limon "soup" only where a Khmer font is at work; elsewhere
        # they are French or German and the page is fine as it is.
        expected = None if khmer or khmer_font else False
        if expected is False and not _DAMAGE_RE.search(first) and reads_as_words(first):
            score = 0.0  # what damage_score would say, without its per-character passes
        else:
            score = damage_score(normalize(first), khmer_expected=expected)
        if not khmer and (score <= TIE or not khmer_font):
            # No Khmer on the page nor in its fonts: poppler and pdfplumber would read the
            # same font tables as pdfium. Its text stands (a damaged page goes to OCR).
            return _Layer(first, "pdfium", 1 - score, has_images, tables)
        candidates = [("pdfium", first, score)]
        poppler = self._poppler_page(index)
        if poppler is not None:
            poppler = self._logical(poppler, index, warn=False)
            poppler_score = damage_score(normalize(poppler), khmer_expected=expected)
            candidates.append(("pdftotext", poppler, poppler_score))
            khmer = khmer or _has_khmer(poppler)
        if khmer and min(c[2] for c in candidates) > TIE:
            # pdfplumber (slow) only helps where /ActualText spans carry Khmer clusters.
            plumber = self._plumber_page(index)
            if plumber is not None:
                plumber = self._logical(plumber, index, warn=False)
                plumber_score = damage_score(normalize(plumber), khmer_expected=expected)
                candidates.append(("pdfplumber", plumber, plumber_score))
        rank = ["pdftotext", "pdfium", "pdfplumber"] if khmer else ["pdfium", "pdftotext"]
        rank.append("pdfplumber")
        best = min(s for _, _, s in candidates)
        method, text, score = min(
            (c for c in candidates if c[2] <= best + TIE), key=lambda c: rank.index(c[0])
        )
        return _Layer(text, method, 1 - score, has_images, tables)

    def _logical(self, text: str, index: int, *, warn: bool = True) -> str:
        """``text`` in reading order: Khmer stored in drawing order (pre-base vowels and
        coeng-RO before their consonant) is reordered before anything normalises it."""
        if not _has_khmer(text) or not is_visual_order(text):
            return text
        if warn:
            self.warnings.append(
                f"page {index + 1}: Khmer stored in visual order, put back in reading order"
            )
        return to_logical_order(text)

    def _poppler_page(self, index: int) -> str | None:
        if self._poppler is None:
            self._poppler = self._run_pdftotext()
        if index < len(self._poppler):
            return self._poppler[index]
        return None

    def _run_pdftotext(self) -> list[str]:
        with tempfile.TemporaryDirectory(prefix="sptrack-pdf-") as tmp:
            path = Path(tmp) / "in.pdf"
            path.write_bytes(self.data)
            command = ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"]
            try:
                done = subprocess.run(command, capture_output=True, timeout=120, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                self.warnings.append(f"pdftotext failed: {exc}")
                return []
        if done.returncode != 0:
            self.warnings.append(f"pdftotext exited with {done.returncode}")
            return []
        return done.stdout.decode("utf-8", "replace").split("\f")

    def _plumber_doc(self) -> Any:
        if self._plumber is None:
            import io

            self._plumber = pdfplumber.open(io.BytesIO(self.data))
        return self._plumber

    def _plumber_page(self, index: int) -> str | None:
        try:
            page = honour_actual_text(self._plumber_doc().pages[index])
            text: str = page.extract_text(use_text_flow=True, y_tolerance=5)
        except Exception as exc:  # pdfminer raises many kinds on odd files
            logger.debug("pdfplumber failed on page %d: %s", index + 1, exc)
            return None
        return text

    def _tables(self, index: int) -> list[Table]:
        try:
            page = self._plumber_doc().pages[index]
            if not hasattr(page, "_layout"):
                honour_actual_text(page)
            return plumber_tables(page, index + 1)
        except Exception as exc:  # pdfminer raises many kinds on odd files
            self.warnings.append(f"tables on page {index + 1} not read: {exc}")
            return []

    # -- OCR --------------------------------------------------------------------------------

    def _ocr_pages(
        self, scans: list[int], pages: list[str], methods: list[str], qualities: list[float]
    ) -> str:
        if not tesseract_available():
            self.warnings.append("tesseract is not installed: scanned pages left unread")
            return ""
        lang = _ocr_language(p for i, p in enumerate(pages) if i not in scans)
        for index in scans:
            try:
                page = self.document[index]
            except pdfium.PdfiumError as exc:  # the page could not be loaded for text either
                self.warnings.append(f"OCR of page {index + 1}: page not loaded ({exc})")
                continue
            try:
                result = ocr_pdf_page(
                    page,
                    dpi=self.ocr_dpi,
                    lang=lang or "khm+eng",
                    timeout_s=self.ocr_timeout_s,
                )
            finally:
                page.close()
            if result.error or not _visible(result.text):
                self.warnings.append(f"OCR of page {index + 1}: {result.error or 'no text'}")
                continue
            if not lang:
                share = khmer_share(result.text)
                lang = "khm" if share > 0.8 else "eng" if share < 0.2 else "khm+eng"
            conf = result.confidence
            quality = conf if conf is not None else OCR_DEFAULT_QUALITY
            if _visible(pages[index]) and qualities[index] < 1 - OCR_DAMAGE:
                # A text layer that scored low: OCR's reading wins only when it scores better
                # (a scan with a few characters of text layer, a stamp, takes OCR as it is).
                read = 1 - damage_score(normalize(result.text))
                if read <= qualities[index] + TIE:
                    self.warnings.append(
                        f"page {index + 1}: text layer scores {qualities[index]:.2f}, "
                        f"OCR no better ({read:.2f}): text layer kept"
                    )
                    continue
                self.warnings.append(
                    f"page {index + 1}: text layer scores {qualities[index]:.2f}, "
                    f"OCR {read:.2f}: OCR reading taken"
                )
                quality = min(quality, read)
            pages[index] = result.text
            methods[index] = "ocr"
            if result.corrected:
                self.warnings.append(
                    f"OCR of page {index + 1}: {result.corrected} Khmer words completed from "
                    "the vocabulary (signs the OCR dropped; needs check)"
                )
            qualities[index] = quality
        return lang or ""


def _has_khmer(text: str) -> bool:
    return KHMER_RE.search(text) is not None


def _visible(text: str) -> int:
    return len("".join(text.split()))


def _ocr_language(texts: Any) -> str:
    """tesseract language from the pages that have text: '' when there is nothing to go on."""
    joined = "".join(texts)
    letters = [c for c in joined if c.isalpha() or "\u1780" <= c <= "\u17ff"]
    if len(letters) < 50:
        return ""
    share = khmer_share(joined)
    return "khm" if share > 0.8 else "eng" if share < 0.1 else "khm+eng"
