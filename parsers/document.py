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
class Cell:
    """One body cell of a table with its context, so a change reads "row, column: old -> new".

    ``row_label`` is the first cell of the row with a letter in it (a leading "No." column of
    ``1``, ``២``... is skipped), else its first non-empty cell; ``column_header`` the text of the
    header rows in that column (several header rows joined with " / "); ``row`` and
    ``column`` are 0-based positions in :attr:`Table.rows`.
    """

    row_label: str
    column_header: str
    text: str
    row: int
    column: int


@dataclass(frozen=True)
class Table:
    """A table as rows of cell strings; the first ``header_rows`` rows are the header.

    Rows keep the grid: a cell merged across columns is given once, in its first column, and
    the columns it also covers are empty strings (see :meth:`cells` for how headers spread).
    """

    rows: tuple[tuple[str, ...], ...]
    page: int | None = None
    header_rows: int = 1

    def __post_init__(self) -> None:
        if self.header_rows < 0:
            raise ValueError(f"Table.header_rows must be >= 0, got {self.header_rows!r}")

    @property
    def header(self) -> tuple[tuple[str, ...], ...]:
        """The header rows."""
        return self.rows[: self.header_rows]

    def column_headers(self) -> tuple[str, ...]:
        """One header per column: the header rows' texts joined with " / ".

        In every header row but the last, an empty cell takes the text on its left (a group
        header merged over several columns: ``2024`` over ``Budget`` and ``Actual``); the
        last header row is taken as printed.
        """
        width = max((len(row) for row in self.rows), default=0)
        columns: list[list[str]] = [[] for _ in range(width)]
        header = self.header
        for h, row in enumerate(header):
            spread = h < len(header) - 1
            carry = ""
            for c in range(width):
                text = _squeeze(row[c]) if c < len(row) else ""
                if text:
                    carry = text
                elif spread and c > 0:
                    text = carry
                if text and (not columns[c] or columns[c][-1] != text):
                    columns[c].append(text)
        return tuple(" / ".join(parts) for parts in columns)

    def cells(self) -> tuple[Cell, ...]:
        """The body cells (header rows excluded) with their row label and column header;
        empty cells are left out."""
        headers = self.column_headers()
        found: list[Cell] = []
        for r in range(self.header_rows, len(self.rows)):
            row = self.rows[r]
            label = next((_squeeze(c) for c in row if any(ch.isalpha() for ch in c)), "")
            label = label or next((_squeeze(c) for c in row if c.strip()), "")
            for c, text in enumerate(row):
                if text.strip():
                    header = headers[c] if c < len(headers) else ""
                    found.append(Cell(label, header, text.strip(), r, c))
        return tuple(found)

    def to_json(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "header_rows": self.header_rows,
            "rows": [list(r) for r in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        rows = tuple(tuple(str(c) for c in row) for row in data.get("rows", []))
        return cls(rows=rows, page=data.get("page"), header_rows=int(data.get("header_rows", 1)))


def _squeeze(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Document:
    """A read document.

    ``text`` is normalised (Khmer canonical order, no invisibles, page furniture removed);
    ``raw_text`` is what the extractor gave before normalisation. Compare and match use
    ``text`` only. ``quality`` is 0..1 (1 = clean text layer). ``furniture`` holds what was
    set apart from the text as page furniture where the format says so (DOCX headers and
    footers), one entry per distinct line.
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
    furniture: tuple[str, ...] = field(default=())

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
            "furniture": list(self.furniture),
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
            furniture=tuple(str(f) for f in data.get("furniture", [])),
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
