"""A draft rapid-response note for the task team, as DOCX (python-docx) or Markdown.

The note already holds what the team would otherwise copy by hand: what changed article by
article as a redline (a word diff of the old and new text of each changed article: deleted
words struck through, inserted words underlined, as tracked changes look), the numbers,
the positions touched and why, the coalition's stance and key messages, the task team the
alert was assigned to, deadlines and owners, and the sources with their fetch time and
sha256. Headings are bilingual (English / Khmer); "Analysis" and
"Recommendation" are left empty for the team to write.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_UNDERLINE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from sqlmodel import Session

from alerts.deliver.channels import LOCAL_TZ
from alerts.deliver.view import AlertView, ChangeView, VersionView, plain
from alerts.errors import AlertError
from parsers.compare.change import DiffOp
from parsers.compare.redline import text_ops, tidy
from tracker.models import AlertHandling

logger = logging.getLogger(__name__)

KHMER_FONT = "Khmer OS"
LATIN_FONT = "Calibri"
TEXT_LIMIT = 5000
MAX_CHANGES = 60
BLANK_LINES = 6
DELETED_INK = RGBColor(0xB0, 0x1E, 0x1E)
INSERTED_INK = RGBColor(0x1A, 0x5F, 0xB4)


class NoteFormatError(AlertError):
    """A note was asked for in a format there is no writer for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: expected a .docx or .md file name, got suffix {path.suffix!r}")


@dataclass(frozen=True)
class Heading:
    en: str
    km: str

    def __str__(self) -> str:
        return f"{self.en} / {self.km}"


TITLE = Heading("Rapid-response note", "កំណត់ត្រាឆ្លើយតបរហ័ស")
CHANGED = Heading("What changed", "ការផ្លាស់ប្តូរ")
NUMBERS = Heading("Numbers", "តួលេខ")
POSITIONS = Heading("Why it matters", "ហេតុអ្វីសំខាន់")
STANCE = Heading("The coalition's stance and key messages", "ជំហរ និងសារគន្លឹះរបស់សម្ព័ន្ធ")
DEADLINES = Heading("Deadlines and owners", "កាលកំណត់ និងអ្នកទទួលខុសត្រូវ")
SOURCES = Heading("Sources", "ប្រភព")
ANALYSIS = Heading("Analysis", "ការវិភាគ")
RECOMMENDATION = Heading("Recommendation", "អនុសាសន៍")
TEAM = Heading("Task team", "ក្រុមការងារ")
LEGEND = Heading(
    "Redline: deleted words struck through, inserted words underlined",
    "ពាក្យដែលលុបត្រូវគូសឆូត ពាក្យដែលបន្ថែមត្រូវគូសបន្ទាត់ពីក្រោម",
)
TO_BE_SET = "(to be set) / (មិនទាន់កំណត់)"
CHECK = "NEEDS HUMAN CHECK (read by OCR) / ត្រូវការការពិនិត្យដោយមនុស្ស (អានដោយ OCR)"


def _when(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") + " (Phnom Penh)"


def _changes(view: AlertView) -> tuple[ChangeView, ...]:
    return view.changes[:MAX_CHANGES]


def redline_steps(change: ChangeView) -> tuple[DiffOp, ...]:
    """The word diff of the change's old and new text: its stored steps when they give
    both texts back, else diffed here the way the comparison keys words."""
    old, new = change.old_text, change.new_text
    stored = change.ops
    if (
        stored
        and "".join(op.old for op in stored) == old
        and "".join(op.new for op in stored) == new
    ):
        return tidy(stored)  # spacing after a changed word is not marked
    return text_ops(old, new)


def _spacing(text: str) -> str:
    return "".join(c if c in " \n\t" else " " for c in text)


def _piece(text: str) -> str:
    """A redline piece made plain (no control or bidi characters), its spacing kept."""
    if not text.strip():
        return _spacing(text)
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return _spacing(lead) + plain(text) + _spacing(tail)


def _capped(steps: Sequence[DiffOp], limit: int = 2 * TEXT_LIMIT) -> list[tuple[str, str]]:
    """``(kind, text)`` pieces (``equal``, ``del``, ``ins``) made plain, at most ``limit``
    characters in all (the last cut with an ellipsis)."""
    pieces: list[tuple[str, str]] = []
    left = limit
    for op in steps:
        parts = [("equal", op.new or op.old)] if op.tag == "equal" else []
        parts = parts or [("del", op.old), ("ins", op.new)]
        for kind, text in parts:
            shown = _piece(text)
            if not shown or left <= 0:
                continue
            if len(shown) > left:
                shown = shown[: left - 1] + "…"
            pieces.append((kind, shown))
            left -= len(shown)
    return pieces


def task_team_of(session: Session, alert_id: int) -> str:
    """The task team an officer assigned the alert to (triage), or empty."""
    triage = session.get(AlertHandling, alert_id)
    return plain(triage.task_team, 120, single_line=True) if triage else ""


def _figure(words: str, value: str) -> str:
    """The figure as printed, and in Western digits when that reads otherwise (Khmer
    digits, amounts in words): ``៧០% (70%)``."""
    return words if value in ("(none)", words) or value in words else f"{words} ({value})"


def _number_rows(view: AlertView) -> list[tuple[str, str, str, str]]:
    return [
        (
            change.ref,
            number.what,
            _figure(number.old_words, number.old_value),
            _figure(number.new_words, number.new_value),
        )
        for change in _changes(view)
        for number in change.numbers
    ]


def _sources(view: AlertView) -> list[tuple[str, VersionView]]:
    rows = [("New version / កំណែថ្មី", view.version)]
    if view.previous is not None:
        rows.append(("Previous version / កំណែមុន", view.previous))
    return rows


def tracker_deadlines(view: AlertView, extra: Sequence[str] = (), team: str = "") -> list[str]:
    """Deadlines and owners as the tracker knows them, then ``extra`` lines. The owner is
    the task team the alert was assigned to, else the instrument's owner team."""
    inst = view.instrument
    owner = team or inst.owner or TO_BE_SET
    lines = [f"Owner / អ្នកទទួលខុសត្រូវ: {owner}"]
    if team and inst.owner and inst.owner != team:
        lines.append(f"Instrument owner / ម្ចាស់លិខិតបទដ្ឋាន: {inst.owner}")
    if inst.deadline:
        lines.append(f"Consultation deadline / ផុតកំណត់ផ្តល់យោបល់: {inst.deadline}")
    if inst.effective_date:
        lines.append(f"In force from / ចូលជាធរមាន: {inst.effective_date}")
    if inst.signed_date:
        lines.append(f"Signed / ចុះហត្ថលេខា: {inst.signed_date}")
    if inst.status:
        lines.append(f"Stage / ដំណាក់កាល: {inst.status}")
    if not inst.deadline:
        lines.append(f"Response deadline / ផុតកំណត់ឆ្លើយតប: {TO_BE_SET}")
    return lines + [plain(item, 300, single_line=True) for item in extra]


def _positions_line(view: AlertView, change: ChangeView) -> str:
    names = {p.id: p.name for p in view.positions}
    return ", ".join(f"{names.get(f.position, f.position)} ({f.severity})" for f in change.flags)


def note_bytes(view: AlertView, kind: str, deadlines: Sequence[str] = (), team: str = "") -> bytes:
    """The note for ``view`` as ``docx`` or ``md`` bytes (the web tracker's download);
    ``team``: the task team the alert was assigned to (:func:`task_team_of`)."""
    team = plain(team, 120, single_line=True)
    if kind == "docx":
        buffer = BytesIO()
        _write_docx(view, buffer, deadlines, team)
        return buffer.getvalue()
    if kind == "md":
        return _markdown(view, deadlines, team).encode("utf-8")
    raise NoteFormatError(Path(f"note.{kind}"))


def write_note(view: AlertView, out: Path, deadlines: Sequence[str] = (), team: str = "") -> Path:
    """Write the note for ``view`` to ``out`` (``.docx`` or ``.md``) and return the path.

    The file appears whole or not at all (written beside it, then renamed)."""
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".md"):
        raise NoteFormatError(out)
    data = note_bytes(view, suffix[1:], deadlines, team)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(data)
    partial.replace(out)
    logger.info("wrote note for alert %s to %s", view.id, out)
    return out


# --- Markdown -------------------------------------------------------------------------


def _md(text: str) -> str:
    """Document text made inert in Markdown: no HTML, no links, no table breaks."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|#":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def _md_cell(text: str) -> str:
    return _md(text).replace("\n", "<br>")


def _md_piece(kind: str, text: str) -> str:
    """One redline piece in Markdown: ``~~deleted~~``, ``<ins>inserted</ins>``; the marks
    hug the words (spacing stays outside, where Markdown wants it)."""
    core = text.strip()
    if kind == "equal" or not core:
        return _md(text).replace("\n", "<br>")
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    body = _md(core).replace("\n", "<br>")
    marked = f"~~{body}~~" if kind == "del" else f"<ins>{body}</ins>"
    return _md(lead).replace("\n", "<br>") + marked + _md(tail).replace("\n", "<br>")


def _markdown(view: AlertView, deadlines: Sequence[str], team: str = "") -> str:
    lines = [
        f"# {TITLE}: {_md(view.instrument.label)}",
        "",
        f"Date / កាលបរិច្ឆេទ: {datetime.now(LOCAL_TZ):%Y-%m-%d} · Alert #{view.id} of "
        f"{_when(view.created_at)} · Severity: {view.severity} · {TEAM}: "
        f"{_md(team) if team else TO_BE_SET}",
        "",
        f"**{_md(view.summary)}**",
        "",
    ]
    if view.needs_check:
        lines += [f"> **{CHECK}**", ""]
    lines += [f"## {CHANGED}", "", f"*{LEGEND}*", ""]
    for change in _changes(view):
        lines.append(f"### {_md(change.ref or change.kind)} ({change.kind})")
        if change.heading:
            lines.append(f"*{_md(change.heading)}*")
        if change.flags:
            lines.append(f"Positions: {_md(_positions_line(view, change))}")
        redline = "".join(_md_piece(k, t) for k, t in _capped(redline_steps(change)))
        lines += ["", f"> {redline}", "", f"Redline: <{change.redline_url}>", ""]
    if len(view.changes) > MAX_CHANGES:
        lines += [f"… {len(view.changes) - MAX_CHANGES} more changes in the redline.", ""]
    numbers = _number_rows(view)
    lines += [f"## {NUMBERS}", ""]
    if numbers:
        lines += ["| Article / មាត្រា | What | Old / ចាស់ | New / ថ្មី |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in numbers]
    else:
        lines.append("No number changed.")
    lines += ["", f"## {POSITIONS}", ""]
    for position in view.positions:
        lines.append(
            f"- **{_md(position.name)}** ({position.severity}): {_md(position.description)}"
        )
    lines += ["", f"## {STANCE}", ""]
    for position in view.positions:
        lines += [f"### {_md(position.name)}", "", f"Stance: {_md(position.stance)}", ""]
        lines += [f"- {_md(message)}" for message in position.key_messages]
        lines.append("")
    lines += [f"## {DEADLINES}", ""]
    lines += [f"- {_md(item)}" for item in tracker_deadlines(view, deadlines, team)]
    lines += ["", f"## {SOURCES}", ""]
    lines.append(f"- Instrument: {_md(view.instrument.label)} ({_md(view.instrument.source)})")
    for label, version in _sources(view):
        lines.append(
            f"- {label}: <{version.url}> fetched {_when(version.fetched_at)}, "
            f"read by {version.method or 'unknown'}, sha256 `{version.sha256}`"
        )
    lines += ["", f"## {ANALYSIS}", "", "", "", f"## {RECOMMENDATION}", "", "", ""]
    return "\n".join(lines)


# --- DOCX -----------------------------------------------------------------------------


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
    for kind, text in _capped(redline_steps(change)):
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


def _write_docx(view: AlertView, out: BinaryIO, deadlines: Sequence[str], team: str) -> None:
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
        f"{_when(view.created_at)} · Severity: {view.severity} · {TEAM}: {team or TO_BE_SET}",
    )
    _para(doc, view.summary).runs[0].bold = True
    if view.needs_check:
        _para(doc, CHECK).runs[0].bold = True

    _heading(doc, str(CHANGED), 1)
    _para(doc, str(LEGEND)).runs[0].italic = True
    for change in _changes(view):
        _heading(doc, f"{change.ref or change.kind} ({change.kind})", 2)
        if change.heading:
            _para(doc, change.heading).runs[0].italic = True
        if change.flags:
            _para(doc, f"Positions: {_positions_line(view, change)}")
        _redline(doc, change)
        _para(doc, f"Redline: {change.redline_url}")
    if len(view.changes) > MAX_CHANGES:
        _para(doc, f"… {len(view.changes) - MAX_CHANGES} more changes in the redline.")

    _heading(doc, str(NUMBERS), 1)
    numbers = _number_rows(view)
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
    for label, version in _sources(view):
        _para(
            doc,
            f"{label}: {version.url} fetched {_when(version.fetched_at)}, "
            f"read by {version.method or 'unknown'}, sha256 {version.sha256}",
        )

    for heading in (ANALYSIS, RECOMMENDATION):
        _heading(doc, str(heading), 1)
        for _ in range(BLANK_LINES):
            doc.add_paragraph()
    doc.save(out)
