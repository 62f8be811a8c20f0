"""The READ stage's entry point: bytes in, :class:`~parsers.document.Document` out.

The input type is decided by content, never by the file name: ``%PDF-`` (possibly after
junk bytes), a ZIP holding ``word/document.xml`` (DOCX), markup (HTML), or decodable text.
Every text goes through :func:`parsers.khmer.normalize`; ``raw_text`` keeps what the
extractor gave.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from parsers.document import Document, Language, Method, Table
from parsers.errors import TooLarge, UnsupportedFormat
from parsers.khmer import KHMER_CHARS, normalize
from parsers.read.heading_numbers import repair_heading_numbers
from parsers.read.layout import remove_furniture, unwrap
from parsers.read.metadata import instrument_metadata
from parsers.read.office import is_docx, read_docx
from parsers.read.pdf import read_pdf
from parsers.read.plaintext import decode_text, describe_binary
from parsers.read.structure import split_sections
from parsers.read.webpage import looks_like_html, read_html

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"

#: Khmer characters that count as letters (Khmer digits do not), and letters of any other
#: script.
_KHMER_LETTER_RE = re.compile("[\u1780-\u17df\u19e0-\u19ff]")
_OTHER_LETTER_RE = re.compile(f"[^\\W\\d_{KHMER_CHARS}]")

#: How far into the input a ``%PDF-`` header is looked for (junk before it is tolerated).
PDF_HEADER_WINDOW = 1024


@dataclass(frozen=True)
class ReadLimits:
    """Limits and switches for :func:`read`."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500
    ocr: bool = True
    ocr_timeout_s: float = 60
    ocr_dpi: int = 300

    def __post_init__(self) -> None:
        for key in ("max_bytes", "max_pages", "ocr_timeout_s", "ocr_dpi"):
            if getattr(self, key) <= 0:
                raise ValueError(f"ReadLimits.{key} must be > 0, got {getattr(self, key)!r}")


def sniff(data: bytes) -> str:
    """The content type of ``data`` decided by its content, or '' when none fits."""
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return DOCX if is_docx(data) else ""
    try:
        text = decode_text(data)
    except UnsupportedFormat:
        return ""
    return HTML if looks_like_html(text) else TEXT


def read(data: bytes, *, name: str = "", limits: ReadLimits | None = None) -> Document:
    """Read a PDF, DOCX, HTML page or text file into a :class:`Document`.

    Raises :class:`~parsers.errors.UnsupportedFormat`, :class:`~parsers.errors.CorruptDocument`
    or :class:`~parsers.errors.TooLarge`, all :class:`~parsers.errors.ParseError`.
    """
    limits = limits or ReadLimits()
    if len(data) > limits.max_bytes:
        raise TooLarge("bytes", limits.max_bytes, len(data), name=name)
    sha256 = hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    title = ""
    tables: tuple[Table, ...] = ()
    warnings: tuple[str, ...] = ()
    furniture: tuple[str, ...] = ()
    pages: int | None = None
    method: Method = "text"
    quality = 1.0
    if kind == PDF:
        start = data.find(b"%PDF-", 0, PDF_HEADER_WINDOW)
        result = read_pdf(
            data[start:],
            name=name,
            max_pages=limits.max_pages,
            ocr=limits.ocr,
            ocr_dpi=limits.ocr_dpi,
            ocr_timeout_s=limits.ocr_timeout_s,
        )
        raw = "\n\f".join(result.pages)
        clean = remove_furniture([normalize(page) for page in result.pages])
        clean = _drop_footers(clean, result.footers)
        text = unwrap("\n".join(page for page in clean if page))
        pages = len(result.pages)
        tables, warnings = result.tables, result.warnings
        method = _method(result.methods)
        quality = sum(result.qualities) / len(result.qualities) if result.qualities else 0.0
    elif kind == DOCX:
        docx_text = read_docx(data, name=name)
        raw, title, tables = docx_text.text, docx_text.title, docx_text.tables
        furniture = docx_text.furniture
        text = normalize(raw)
    elif kind == HTML:
        raw, title = read_html(decode_text(data, name=name))
        text = normalize(raw)
    elif kind == TEXT:
        raw = decode_text(data, name=name)
        # Pages cut by form feeds (or one page): their running lines and numbers go.
        sheets = [normalize(sheet) for sheet in raw.split("\f")]
        text = "\n".join(page for page in remove_furniture(sheets) if page)
    else:
        if not data.startswith(b"PK\x03\x04"):
            decode_text(data, name=name)  # raises its own, more precise UnsupportedFormat
        raise UnsupportedFormat(describe_binary(data), name=name)
    text = "\n".join(line for line in text.splitlines() if line)
    text, repairs = repair_heading_numbers(text, ocr=method != "text")
    warnings = (*warnings, *repairs)
    if not text:
        warnings = (*warnings, "no text found")
    metadata = instrument_metadata(text)
    document = Document(
        text=text,
        raw_text=raw,
        language=language_of(text),
        pages=pages,
        method=method,
        sections=split_sections(text),
        sha256=sha256,
        content_type=kind,
        quality=quality,
        title=metadata.get("title") or normalize(title) or _first_line(text),
        tables=tables,
        warnings=warnings,
        furniture=furniture,
    )
    logger.info(
        "read %s: %s, %s pages, method %s, language %s, %d sections, quality %.2f",
        name or sha256[:12],
        kind,
        pages,
        method,
        document.language,
        len(document.sections),
        quality,
    )
    return document


def language_of(text: str) -> Language:
    """``km`` when over 80% of the letters are Khmer, ``en`` under 20%, else ``mixed``."""
    khmer = len(_KHMER_LETTER_RE.findall(text))
    other = len(_OTHER_LETTER_RE.findall(text))
    if khmer + other == 0:
        return "mixed"
    share = khmer / (khmer + other)
    return "km" if share > 0.8 else "en" if share < 0.2 else "mixed"


def _method(methods: tuple[str, ...]) -> Method:
    ocr = sum(1 for m in methods if m == "ocr")
    text = sum(1 for m in methods if m not in ("ocr", "none"))
    if ocr and text:
        return "mixed"
    return "ocr" if ocr else "text"


def _drop_footers(pages: list[str], footers: tuple[tuple[str, ...], ...]) -> list[str]:
    """Each page without the footer lines the PDF reader saw set apart in its bottom
    margin, when the page's text ends with them."""
    out = []
    for page, footer in zip(pages, footers or [()] * len(pages), strict=True):
        lines = page.rstrip().splitlines()
        keys = ["".join(normalize(line).split()) for line in footer]
        if keys and [_key(line) for line in lines[-len(keys) :]] == keys:
            page = "\n".join(lines[: -len(keys)])
        out.append(page)
    return out


def _key(line: str) -> str:
    return "".join(line.split())


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0][:200] if text else ""
