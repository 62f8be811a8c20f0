"""Hostile input: mutated documents, bombs, random text. No crash, no hang, bounded memory.

Every document read here goes through :func:`parsers.read.isolation.read_isolated`, as ingest
does: the answer must be a Document or a ParseError (TimedOut, OutOfMemory and
ReaderCrashed included), never another exception, and never later than the time limit.
Text paths (structure, numbers, normalisation, compare) take arbitrary English and Khmer
text in-process. Hypothesis runs derandomised so CI sees the same cases every run.
"""

from __future__ import annotations

import io
import math
import time
import zipfile
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evaluation
from parsers.compare.diff import compare
from parsers.compare.quantities import find_quantities
from parsers.document import Document
from parsers.errors import ParseError
from parsers.khmer import match_key, normalize
from parsers.read.isolation import read_isolated
from parsers.read.layout import unwrap
from parsers.read.reader import ReadLimits, read
from parsers.read.structure import split_sections

DOCUMENTS = evaluation.DOCUMENTS
LIMITS = ReadLimits(ocr=False, max_pages=50)
TIMEOUT_S = 30.0
MEMORY_MB = 768
FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _read_hostile(data: bytes) -> Document | ParseError:
    started = time.monotonic()
    try:
        document = read_isolated(data, limits=LIMITS, timeout_s=TIMEOUT_S, memory_mb=MEMORY_MB)
    except ParseError as exc:
        assert str(exc), "an error says what went wrong"
        outcome: Document | ParseError = exc
    else:
        assert isinstance(document.text, str)
        outcome = document
    assert time.monotonic() - started < TIMEOUT_S + 10, "the time limit holds"
    return outcome


# -- mutated documents ----------------------------------------------------------------------

SAMPLES = [
    "subdecree_km_v1.pdf",
    "budget_en.pdf",
    "subdecree_en_v1.docx",
    "budget_km.docx",
    "notice_km.html",
]


@st.composite
def _mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """Truncate, flip bytes, duplicate or delete a chunk, or a mix of these."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "duplicate", "delete", "zero"]))
        at = draw(st.integers(0, max(0, len(out) - 1)))
        size = draw(st.integers(1, 4096))
        if kind == "truncate":
            del out[at:]
        elif kind == "flip":
            for offset in range(at, min(len(out), at + size), 97):
                out[offset] ^= draw(st.integers(1, 255))
        elif kind == "duplicate":
            out[at:at] = out[at : at + size]
        elif kind == "delete":
            del out[at : at + size]
        else:
            out[at : at + size] = bytes(len(out[at : at + size]))
    return bytes(out)


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLES)
def test_mutated_documents_give_a_document_or_a_clear_error(name: str) -> None:
    original = (DOCUMENTS / name).read_bytes()

    @FUZZ
    @given(_mutations(original))
    def check(mutated: bytes) -> None:
        _read_hostile(mutated)

    check()


def _docx_with(document_xml: bytes) -> bytes:
    """A DOCX whose ``word/document.xml`` is ``document_xml`` (deflated)."""
    source = zipfile.ZipFile(DOCUMENTS / "subdecree_en_v1.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, body)
    return out.getvalue()


def test_a_docx_zip_bomb_is_refused_or_contained() -> None:
    paragraph = b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>"
    body = paragraph * 400_000  # 400 MB of XML, about 1 MB deflated
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + body + b"</w:body></w:document>"
    )
    bomb = _docx_with(xml)
    assert len(bomb) < 5_000_000
    outcome = _read_hostile(bomb)
    assert isinstance(outcome, ParseError), "400 MB of text is past every limit"


def _pdf_with_content(stream: bytes) -> bytes:
    """A one-page PDF whose content stream is ``stream``, Flate-compressed."""
    packed = zlib.compress(stream, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_pdf_decompression_bomb_is_contained() -> None:
    bomb = _pdf_with_content(b" " * 1_500_000_000)  # 1.5 GB of nothing, 1.5 MB packed
    assert len(bomb) < 3_000_000
    _read_hostile(bomb)  # a Document (no text) or a clear error: either way it ends


def test_deeply_nested_html_and_a_huge_page_end() -> None:
    nested = "<html><body>" + "<div>" * 200_000 + "សោធន pension" + "</div>" * 200_000
    outcome = _read_hostile(nested.encode())
    if isinstance(outcome, Document):
        assert "pension" in outcome.text or outcome.text == ""
    wide = "<html><body><p>" + "ប្រាក់ឧបត្ថម្ភមាតុភាព maternity " * 300_000 + "</p>"
    _read_hostile(wide.encode())


def test_more_than_the_byte_limit_is_refused_before_reading() -> None:
    with pytest.raises(ParseError, match="bytes"):
        read(b"%PDF-1.7\n" + b"0" * 2048, limits=ReadLimits(max_bytes=1024))


# -- random text through the text paths ------------------------------------------------------

KHMER = [chr(c) for c in range(0x1780, 0x17FA)] + ["\u200b", "\u200c", "\u17d4", "\u17d5"]
PIECES = st.sampled_from(
    [
        "Article ",
        "មាត្រា ",
        "ជំពូក ",
        "CHAPTER ",
        "1",
        "២",
        "4%",
        "៤%",
        "KHR ",
        "រៀល",
        "riels",
        "400,000",
        "៤០០.០០០",
        " (four hundred thousand) ",
        "ភាគរយ",
        "days",
        "ឆ្នាំ",
        "ខែ",
        "every two years",
        "\n",
        "\n\n",
        ".- ",
        "bis",
        "ស្ទួន",
        "-",
        " ",
        "\t",
        "\x00",
        "\ufffd",
        "ﬁ",
        "<script>",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.sampled_from(KHMER), st.text(max_size=8)), max_size=300).map(
    "".join
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXT)
def test_text_paths_take_any_text(text: str) -> None:
    normal = normalize(text)
    assert normalize(normal) == normal, "normalising twice changes nothing"
    match_key(text)
    unwrap(text)
    for section in split_sections(normal):
        assert isinstance(section.ref, str) and isinstance(section.text, str)
    for quantity in find_quantities(normal):
        assert 0 <= quantity.start < quantity.end <= len(normal)
        assert math.isfinite(quantity.value)


def _document(text: str) -> Document:
    return read(text.encode("utf-8"), name="fuzz.txt", limits=LIMITS)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(TEXT, TEXT)
def test_compare_takes_any_two_texts(old: str, new: str) -> None:
    try:
        a, b = _document(old or "x"), _document(new or "x")
    except ParseError:
        return  # not text at all (e.g. NUL bytes sniffed as binary): refused, fine
    assert compare(a, a) == ()
    for change in compare(a, b):
        for number in change.numbers:
            assert number.old is None or math.isfinite(number.old)
            assert number.new is None or math.isfinite(number.new)
