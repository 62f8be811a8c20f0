"""Plain text: decode bytes (UTF-8, or UTF-16/UTF-8 with a BOM) and refuse binary data."""

from __future__ import annotations

import codecs
import re

from parsers.errors import UnsupportedFormat

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: Magic numbers of common binary formats, to say what was found instead of text.
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office (OLE2, e.g. .doc/.xls) file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "an executable"),
)


def describe_binary(data: bytes) -> str:
    """A short human description of bytes that are not a supported document."""
    if not data:
        return "empty input (0 bytes)"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"{what} (starting with {data[:8]!r})"
    return f"binary data starting with {data[:8]!r}"


def decode_text(data: bytes, *, name: str = "") -> str:
    """Decode text bytes; raise :class:`UnsupportedFormat` for anything binary."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), data, name)
            except UnicodeDecodeError:
                break
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsupportedFormat(describe_binary(data), name=name) from exc
    return _checked(text, data, name)


def _checked(text: str, data: bytes, name: str) -> str:
    if not text.strip():
        raise UnsupportedFormat("empty text", name=name)
    sample = text[:20000]
    if len(_CONTROL_RE.findall(sample)) > max(2, len(sample) // 100):
        raise UnsupportedFormat(describe_binary(data), name=name)
    return text.replace("\r\n", "\n").replace("\r", "\n")
