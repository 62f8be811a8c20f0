"""The READ stage's output: a document as text, sections and tables.

Every type here is a frozen dataclass; operations return new objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Language = Literal["km", "en", "mixed"]
Method = Literal["text", "ocr", "mixed"]


@dataclass(frozen=True)
class Section:
    """One structural unit: title, preamble, chapter, article, closing, annex or paragraph.

    ``ref`` is stable and human readable (``Article 7``, ``មាត្រា ៥``, ``Preamble``);
    ``number`` is the ASCII form of the unit's number (``7``, ``5bis``) or empty;
    ``text`` is the normalised body, heading line included.
    """

    ref: str
    heading: str
    text: str
    kind: str = "article"
    number: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "heading": self.heading,
            "text": self.text,
            "kind": self.kind,
            "number": self.number,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Section:
        return cls(
            ref=str(data["ref"]),
            heading=str(data.get("heading", "")),
            text=str(data.get("text", "")),
            kind=str(data.get("kind", "article")),
            number=str(data.get("number", "")),
        )


@dataclass(frozen=True)
class Table:
    """A table as rows of cell strings; the first row is usually the header."""

    rows: tuple[tuple[str, ...], ...]
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"page": self.page, "rows": [list(r) for r in self.rows]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        rows = tuple(tuple(str(c) for c in row) for row in data.get("rows", []))
        return cls(rows=rows, page=data.get("page"))


@dataclass(frozen=True)
class Document:
    """A read document.

    ``text`` is normalised (Khmer canonical order, no invisibles, page furniture removed);
    ``raw_text`` is what the extractor gave before normalisation. Compare and match use
    ``text`` only. ``quality`` is 0..1 (1 = clean text layer).
    """

    text: str
    raw_text: str
    language: Language
    pages: int | None
    method: Method
    sections: tuple[Section, ...]
    sha256: str
    content_type: str
    quality: float = 1.0
    title: str = ""
    tables: tuple[Table, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "content_type": self.content_type,
            "title": self.title,
            "language": self.language,
            "pages": self.pages,
            "method": self.method,
            "quality": round(self.quality, 3),
            "text": self.text,
            "sections": [s.to_json() for s in self.sections],
            "tables": [t.to_json() for t in self.tables],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], raw_text: str = "") -> Document:
        """Rebuild a document from :meth:`to_json` output (``raw_text`` is not in it)."""
        return cls(
            text=str(data.get("text", "")),
            raw_text=raw_text,
            language=data.get("language", "en"),
            pages=data.get("pages"),
            method=data.get("method", "text"),
            sections=tuple(Section.from_json(s) for s in data.get("sections", [])),
            sha256=str(data.get("sha256", "")),
            content_type=str(data.get("content_type", "")),
            quality=float(data.get("quality", 1.0)),
            title=str(data.get("title", "")),
            tables=tuple(Table.from_json(t) for t in data.get("tables", [])),
            warnings=tuple(data.get("warnings", [])),
        )

    @classmethod
    def empty(cls) -> Document:
        """The document before the first version: comparing with it marks all as added."""
        return cls(
            text="",
            raw_text="",
            language="en",
            pages=0,
            method="text",
            sections=(),
            sha256="",
            content_type="",
        )
