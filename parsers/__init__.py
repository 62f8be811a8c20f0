"""READ and COMPARE stages: bytes -> Document -> Changes. Pure: imports nothing of ours."""

from __future__ import annotations

from parsers.document import Document, Section, Table
from parsers.errors import CorruptDocument, ParseError, TooLarge, UnsupportedFormat
from parsers.metadata import instrument_metadata
from parsers.quality import char_error_rate, damage_score
from parsers.reader import ReadLimits, language_of, read, sniff
from parsers.structure import split_sections

__all__ = [
    "CorruptDocument",
    "Document",
    "ParseError",
    "ReadLimits",
    "Section",
    "Table",
    "TooLarge",
    "UnsupportedFormat",
    "char_error_rate",
    "damage_score",
    "instrument_metadata",
    "language_of",
    "read",
    "sniff",
    "split_sections",
]
