"""The tracker as a table: rows of instruments, written as CSV (UTF-8 with BOM, so
spreadsheet programs read Khmer) or XLSX (openpyxl): in XLSX the header row is frozen,
has filters, and each column is as wide as what it holds (within bounds). Times are Phnom
Penh time (the tracker's one time): "Last seen" is a time cell in XLSX, shown in the one
format (``15 Jun 2025 14:30``), and ``2025-06-15 14:30`` in CSV.

Document text is untrusted. A cell that begins like a formula (= + - @, also after
spaces, tabs or line breaks) is written as text: in CSV with a leading apostrophe, in XLSX
as a string cell, never as a formula. Every CSV cell is quoted; and since a spreadsheet
that splits on ``;`` or tabs (the list separator of many locales) starts a cell after each
one whatever the quotes, a formula character after a ``;``, a tab or a line break inside a
cell gets an apostrophe too.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlmodel import Session, col, select

from alerts.deliver.dates import local_time
from tracker.models import Instrument, InstrumentLink
from web.lifecycle import STATUS_LABELS

COLUMNS = (
    ("id", "ID"),
    ("title", "Title"),
    ("type", "Type"),
    ("number", "Number"),
    ("issuer", "Issuer"),
    ("status", "Status"),
    ("language", "Language"),
    ("source_id", "Source"),
    ("signed_date", "Signed"),
    ("listing_date", "Listed"),
    ("consultation_deadline", "Consultation deadline"),
    ("effective_date", "Effective date"),
    ("owner_team", "Owner task team"),
    ("links", "Links"),
    ("notes", "Notes"),
    ("url", "Address"),
    ("last_seen_at", "Last seen (Phnom Penh time)"),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


#: How XLSX shows "Last seen": the tracker's one format (``15 Jun 2025 14:30``).
XLSX_TIME_FORMAT = "d mmm yyyy hh:mm"
#: How CSV writes it: sortable, and read as a time by spreadsheets.
CSV_TIME_FORMAT = "%Y-%m-%d %H:%M"
SEEN = next(index for index, (name, _) in enumerate(COLUMNS) if name == "last_seen_at")


@dataclass(frozen=True)
class TrackerRow:
    """One instrument: its cells as text (CSV), and when it was last seen in Phnom Penh
    time (XLSX writes that cell as a time, not text)."""

    values: tuple[str, ...]
    seen: datetime | None = None


def _links_text(session: Session) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    statement = select(InstrumentLink).order_by(col(InstrumentLink.id))
    for link in session.exec(statement):
        found[link.source_id].append(f"{link.kind} #{link.target_id}")
    return {key: "; ".join(values) for key, values in found.items()}


def tracker_rows(session: Session) -> list[TrackerRow]:
    """Every instrument, by id, with the columns of :data:`COLUMNS`."""
    links = _links_text(session)
    rows = []
    for instrument in session.exec(select(Instrument).order_by(col(Instrument.id))):
        assert instrument.id is not None
        values: list[str] = []
        for name, _ in COLUMNS:
            if name == "links":
                values.append(links.get(instrument.id, ""))
            elif name == "status":
                values.append(STATUS_LABELS.get(instrument.status, instrument.status))
            elif name == "last_seen_at":
                values.append(f"{local_time(instrument.last_seen_at):{CSV_TIME_FORMAT}}")
            else:
                values.append(str(getattr(instrument, name)))
        seen = local_time(instrument.last_seen_at).replace(tzinfo=None, microsecond=0)
        rows.append(TrackerRow(tuple(values), seen))
    return rows


#: What a spreadsheet may skip before it reads a cell as a formula.
LEADING_BLANKS = " \t\r\n\u00a0\u3000"
#: A formula character where another locale's separator (or a new line) starts a cell.
INNER_FORMULA = re.compile(r'([;\t\r\n][ \t\r\n\u00a0\u3000"]*)(?=[=+\-@])')


def inert(value: str) -> str:
    """A CSV cell value no spreadsheet reads as a formula."""
    value = INNER_FORMULA.sub(r"\1'", value)
    looks_like_formula = value.lstrip(LEADING_BLANKS).startswith(FORMULA_STARTS)
    return "'" + value if looks_like_formula or value.startswith(FORMULA_STARTS) else value


def to_csv(rows: list[TrackerRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([label for _, label in COLUMNS])
    for row in rows:
        writer.writerow([inert(value) for value in row.values])
    return buffer.getvalue().encode("utf-8-sig")


def display_width(text: str) -> int:
    """How many characters wide ``text`` shows on its widest line: Khmer vowel signs and
    subscripts (combining marks) take no width of their own, wide CJK letters two."""
    widest = 0
    for line in text.splitlines() or [""]:
        width = 0
        for char in line:
            if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Mc", "Cf"):
                continue
            width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        widest = max(widest, width)
    return widest


def column_widths(rows: list[TrackerRow]) -> list[float]:
    """Each column as wide as its header and widest value, within MIN_WIDTH..MAX_WIDTH."""
    widths = [display_width(label) for _, label in COLUMNS]
    for row in rows:
        for index, value in enumerate(row.values):
            widths[index] = max(widths[index], display_width(value[:500]))
    return [float(min(MAX_WIDTH, max(MIN_WIDTH, width + 2))) for width in widths]


def to_xlsx(rows: list[TrackerRow], title: str = "Tracker") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    # set before the rows are written (a write-only sheet writes them as they come)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for index, width in enumerate(column_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for _, label in COLUMNS:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for index, value in enumerate(row.values):
            if index == SEEN and row.seen is not None:
                cell = WriteOnlyCell(sheet, value=row.seen)
                cell.number_format = XLSX_TIME_FORMAT
            else:
                text = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
