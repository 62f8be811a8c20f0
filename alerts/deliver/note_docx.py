"""The rapid-response note as DOCX (python-docx): bilingual fonts, a redline in tracked-change
colours, tables for the numbers and the sources, space left for the team's analysis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, BinaryIO

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_UNDERLINE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from alerts.deliver.channels import LOCAL_TZ
from alerts.deliver.note_content import (
    ANALYSIS,
    CHANGED,
    CHECK,
    DEADLINES,
    LEGEND,
    MAX_CHANGES,
    NUMBERS,
    POSITIONS,
    RECOMMENDATION,
    SOURCES,
    STANCE,
    TEAM,
    TITLE,
    TO_BE_SET,
    capped,
    number_rows,
    positions_line,
    redline_steps,
    shown_changes,
    source_rows,
    tracker_deadlines,
    when,
)
from alerts.deliver.view import AlertView, ChangeView, plain

KHMER_FONT = "Khmer OS"
LATIN_FONT = "Calibri"
BLANK_LINES = 6
DELETED_INK = RGBColor(0xB0, 0x1E, 0x1E)
INSERTED_INK = RGBColor(0x1A, 0x5F, 0xB4)


def _set_fonts(element: Any) -> None:
    """Latin and complex-script (Khmer) fonts on a style's or a run's rPr."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:cs"), KHMER_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:bidi"), "km-KH")


def _para(doc: DocxDocument, text: str, style: str | None = None) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    _set_fonts(run._element)
    return paragraph


def _heading(doc: DocxDocument, text: str, level: int) -> None:
    paragraph = doc.add_heading(level=level)
    _set_fonts(paragraph.add_run(text)._element)


def _cell(table: Table, row: int, column: int, text: str, bold: bool = False) -> None:
    cell = table.cell(row, column)
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    _set_fonts(run._element)


def _grid(doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table: Table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for column, text in enumerate(header):
        _cell(table, 0, column, text, bold=True)
    for index, row in enumerate(rows, start=1):
        for column, text in enumerate(row):
            _cell(table, index, column, text)
    return table


def _redline(doc: DocxDocument, change: ChangeView) -> Paragraph:
    """The change as one paragraph of runs: kept words plain, deleted ones struck through
    (red), inserted ones underlined (blue), as Word shows tracked changes."""
    paragraph = doc.add_paragraph()
    for kind, text in capped(redline_steps(change)):
        run = paragraph.add_run(text)
        _set_fonts(run._element)
        if kind == "del":
            run.font.strike = True
            run.font.color.rgb = DELETED_INK
        elif kind == "ins":
            run.font.underline = WD_UNDERLINE.SINGLE
            run.font.color.rgb = INSERTED_INK
    if not paragraph.runs:
        _set_fonts(paragraph.add_run("—")._element)
    return paragraph


def write_docx(view: AlertView, out: BinaryIO, deadlines: Sequence[str], team: str) -> None:
    doc = new_docx()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        _set_fonts(doc.styles[name].element)
    doc.styles["Normal"].font.size = Pt(11)
    # Core properties are capped at 255 characters by the OOXML schema (python-docx checks).
    doc.core_properties.title = plain(f"{TITLE.en}: {view.instrument.label}", 255, single_line=True)
    doc.core_properties.subject = plain(view.summary, 255, single_line=True)

    _heading(doc, f"{TITLE}: {view.instrument.label}", 0)
    _para(
        doc,
        f"Date / កាលបរិច្ឆេទ: {datetime.now(LOCAL_TZ):%Y-%m-%d} · Alert #{view.id} of "
        f"{when(view.created_at)} · Severity: {view.severity} · {TEAM}: {team or TO_BE_SET}",
    )
    _para(doc, view.summary).runs[0].bold = True
    if view.needs_check:
        _para(doc, CHECK).runs[0].bold = True

    _heading(doc, str(CHANGED), 1)
    _para(doc, str(LEGEND)).runs[0].italic = True
    for change in shown_changes(view):
        _heading(doc, f"{change.ref or change.kind} ({change.kind})", 2)
        if change.heading:
            _para(doc, change.heading).runs[0].italic = True
        if change.flags:
            _para(doc, f"Positions: {positions_line(view, change)}")
        _redline(doc, change)
        _para(doc, f"Redline: {change.redline_url}")
    if len(view.changes) > MAX_CHANGES:
        _para(doc, f"… {len(view.changes) - MAX_CHANGES} more changes in the redline.")

    _heading(doc, str(NUMBERS), 1)
    numbers = number_rows(view)
    if numbers:
        _grid(doc, ["Article / មាត្រា", "What", "Old / ចាស់", "New / ថ្មី"], numbers)
    else:
        _para(doc, "No number changed.")

    _heading(doc, str(POSITIONS), 1)
    for position in view.positions:
        _para(doc, f"{position.name} ({position.severity}): {position.description}", "List Bullet")

    _heading(doc, str(STANCE), 1)
    for position in view.positions:
        _heading(doc, position.name, 2)
        _para(doc, f"Stance: {position.stance}")
        for message in position.key_messages:
            _para(doc, message, "List Bullet")

    _heading(doc, str(DEADLINES), 1)
    for item in tracker_deadlines(view, deadlines, team):
        _para(doc, item, "List Bullet")

    _heading(doc, str(SOURCES), 1)
    _para(doc, f"Instrument: {view.instrument.label} ({view.instrument.source})")
    for label, version in source_rows(view):
        _para(
            doc,
            f"{label}: {version.url} fetched {when(version.fetched_at)}, "
            f"read by {version.method or 'unknown'}, sha256 {version.sha256}",
        )

    for heading in (ANALYSIS, RECOMMENDATION):
        _heading(doc, str(heading), 1)
        for _ in range(BLANK_LINES):
            doc.add_paragraph()
    doc.save(out)
