"""The rapid-response note as DOCX (python-docx): bilingual fonts, a redline in tracked-change
colours, tables for the numbers and the sources, space left for the team's analysis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_UNDERLINE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from alerts.deliver import note_content as content
from alerts.deliver.plain_text import plain
from alerts.deliver.view import AlertView, ChangeView

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
    for kind, text in content.capped(content.redline_steps(change)):
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


def write_docx(
    view: AlertView, out: BinaryIO, deadlines: Sequence[str], team: str, language: str = "en"
) -> None:
    """The note as DOCX: its dates and times in ``language`` (headings bilingual)."""
    doc = new_docx()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        _set_fonts(doc.styles[name].element)
    doc.styles["Normal"].font.size = Pt(11)
    # Core properties are capped at 255 characters by the OOXML schema (python-docx checks).
    title = f"{content.TITLE.en}: {view.instrument.label}"
    doc.core_properties.title = plain(title, 255, single_line=True)
    doc.core_properties.subject = plain(view.summary, 255, single_line=True)

    _heading(doc, f"{content.TITLE}: {view.instrument.label}", 0)
    _para(doc, content.header_line(view, team, language))
    _para(doc, view.summary).runs[0].bold = True
    if view.needs_check:
        _para(doc, content.CHECK).runs[0].bold = True

    _heading(doc, str(content.CHANGED), 1)
    _para(doc, str(content.LEGEND)).runs[0].italic = True
    for change in content.shown_changes(view):
        _heading(doc, f"{change.ref or change.kind} ({change.kind})", 2)
        if change.heading:
            _para(doc, change.heading).runs[0].italic = True
        if change.flags:
            _para(doc, f"Positions: {content.positions_line(view, change, language)}")
        _redline(doc, change)
        _para(doc, f"Redline: {change.redline_url}")
    if len(view.changes) > content.MAX_CHANGES:
        _para(doc, f"… {len(view.changes) - content.MAX_CHANGES} more changes in the redline.")

    _heading(doc, str(content.NUMBERS), 1)
    numbers = content.number_rows(view)
    if numbers:
        _grid(doc, ["Article / មាត្រា", "What", "Old / ចាស់", "New / ថ្មី"], numbers)
    else:
        _para(doc, "No number changed.")

    _heading(doc, str(content.POSITIONS), 1)
    for position in view.positions:
        name = position.name_in(language)
        _para(doc, f"{name} ({position.severity}): {position.description}", "List Bullet")

    _heading(doc, str(content.STANCE), 1)
    for position in view.positions:
        _heading(doc, position.name_in(language), 2)
        label, stance = content.stance_line(position, language)
        _para(doc, f"{label}: {stance}")
        for message in content.key_messages(position, language):
            _para(doc, message, "List Bullet")

    _heading(doc, str(content.DEADLINES), 1)
    for item in content.tracker_deadlines(view, deadlines, team):
        _para(doc, item, "List Bullet")

    _heading(doc, str(content.SOURCES), 1)
    _para(doc, f"Instrument: {view.instrument.label} ({view.instrument.source})")
    for label, version in content.source_rows(view):
        _para(
            doc,
            f"{label}: {version.url} fetched {content.when(version.fetched_at, language)}, "
            f"read by {version.method or 'unknown'}, sha256 {version.sha256}",
        )

    for heading in (content.ANALYSIS, content.RECOMMENDATION):
        _heading(doc, str(heading), 1)
        for _ in range(BLANK_LINES):
            doc.add_paragraph()
    doc.save(out)
