"""READ and COMPARE stages: bytes -> Document -> Changes. Pure: imports nothing of ours."""

from __future__ import annotations

from parsers.document import Document, Section, Table
from parsers.errors import CorruptDocument, ParseError, TooLarge, UnsupportedFormat
from parsers.read.metadata import instrument_metadata
from parsers.read.quality import char_error_rate, damage_score
from parsers.read.reader import ReadLimits, language_of, sniff
from parsers.read.structure import split_sections

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
    "sniff",
    "split_sections",
]
