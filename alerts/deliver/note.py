"""A draft rapid-response note for the task team, as DOCX (python-docx) or Markdown.

The note already holds what the team would otherwise copy by hand: what changed article by
article as a redline (a word diff of the old and new text of each changed article: deleted
words struck through, inserted words underlined, as tracked changes look), the numbers,
the positions touched and why, the coalition's stance and key messages, the task team the
alert was assigned to, deadlines and owners, and the sources with their fetch time and
sha256. Headings are bilingual (English / Khmer); "Analysis" and
"Recommendation" are left empty for the team to write.

What the note says is :mod:`alerts.deliver.note_content`'s; the DOCX writer is
:mod:`alerts.deliver.note_docx`; the Markdown writer is here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from io import BytesIO
from pathlib import Path

from sqlmodel import Session

from alerts.deliver import note_content as content
from alerts.deliver.channels import LANGUAGES
from alerts.deliver.note_docx import write_docx
from alerts.deliver.plain_text import plain
from alerts.deliver.view import AlertView
from alerts.errors import AlertError
from tracker.models import AlertHandling

logger = logging.getLogger(__name__)


class NoteFormatError(AlertError):
    """A note was asked for in a format there is no writer for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: expected a .docx or .md file name, got suffix {path.suffix!r}")


def task_team_of(session: Session, alert_id: int) -> str:
    """The task team an officer assigned the alert to (triage), or empty."""
    triage = session.get(AlertHandling, alert_id)
    return plain(triage.task_team, 120, single_line=True) if triage else ""


class NoteLanguageError(AlertError):
    """A note was asked for in a language it is not written in."""

    def __init__(self, language: str) -> None:
        self.language = language
        super().__init__(f"note language must be {' or '.join(LANGUAGES)}, got {language!r}")


def note_bytes(
    view: AlertView,
    kind: str,
    deadlines: Sequence[str] = (),
    team: str = "",
    *,
    language: str = "en",
    summary: str = "",
) -> bytes:
    """The note for ``view`` as ``docx`` or ``md`` bytes (the web tracker's download);
    ``team``: the task team the alert was assigned to (:func:`task_team_of`); ``language``:
    its dates, times and position names (headings are bilingual); ``summary``: the alert's
    line in that language (:func:`alerts.deliver.summary.alert_summaries`), else the stored
    one."""
    if language not in LANGUAGES:
        raise NoteLanguageError(language)
    team = plain(team, 120, single_line=True)
    if summary:
        view = replace(view, summary=plain(summary, 300, single_line=True))
    if kind == "docx":
        buffer = BytesIO()
        write_docx(view, buffer, deadlines, team, language)
        return buffer.getvalue()
    if kind == "md":
        return _markdown(view, deadlines, team, language).encode("utf-8")
    raise NoteFormatError(Path(f"note.{kind}"))


def write_note(
    view: AlertView, out: Path, deadlines: Sequence[str] = (), team: str = "", **words: str
) -> Path:
    """Write the note for ``view`` to ``out`` (``.docx`` or ``.md``) and return the path;
    ``words``: its ``language`` and ``summary``, as :func:`note_bytes` takes them.

    The file appears whole or not at all (written beside it, then renamed)."""
    suffix = out.suffix.lower()
    if suffix not in (".docx", ".md"):
        raise NoteFormatError(out)
    data = note_bytes(view, suffix[1:], deadlines, team, **words)
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


def _markdown(view: AlertView, deadlines: Sequence[str], team: str, language: str) -> str:
    lines = [
        f"# {content.TITLE}: {_md(view.instrument.label)}",
        "",
        content.header_line(view, _md(team), language),
        "",
        f"**{_md(view.summary)}**",
        "",
    ]
    if view.needs_check:
        lines += [f"> **{content.CHECK}**", ""]
    lines += [f"## {content.CHANGED}", "", f"*{content.LEGEND}*", ""]
    for change in content.shown_changes(view):
        lines.append(f"### {_md(change.ref or change.kind)} ({change.kind})")
        if change.heading:
            lines.append(f"*{_md(change.heading)}*")
        if change.flags:
            lines.append(f"Positions: {_md(content.positions_line(view, change, language))}")
        redline = "".join(_md_piece(k, t) for k, t in content.capped(content.redline_steps(change)))
        lines += ["", f"> {redline}", "", f"Redline: <{change.redline_url}>", ""]
    if len(view.changes) > content.MAX_CHANGES:
        lines += [f"… {len(view.changes) - content.MAX_CHANGES} more changes in the redline.", ""]
    numbers = content.number_rows(view)
    lines += [f"## {content.NUMBERS}", ""]
    if numbers:
        lines += ["| Article / មាត្រា | What | Old / ចាស់ | New / ថ្មី |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in numbers]
    else:
        lines.append("No number changed.")
    lines += ["", f"## {content.POSITIONS}", ""]
    for position in view.positions:
        lines.append(
            f"- **{_md(position.name_in(language))}** ({position.severity}): "
            f"{_md(position.description)}"
        )
    lines += ["", f"## {content.STANCE}", ""]
    for position in view.positions:
        name = _md(position.name_in(language))
        label, stance = content.stance_line(position, language)
        lines += [f"### {name}", "", f"{label}: {_md(stance)}", ""]
        lines += [f"- {_md(message)}" for message in content.key_messages(position, language)]
        lines.append("")
    lines += [f"## {content.DEADLINES}", ""]
    lines += [f"- {_md(item)}" for item in content.tracker_deadlines(view, deadlines, team)]
    lines += ["", f"## {content.SOURCES}", ""]
    lines.append(f"- Instrument: {_md(view.instrument.label)} ({_md(view.instrument.source)})")
    for label, version in content.source_rows(view):
        lines.append(
            f"- {label}: <{version.url}> fetched {content.when(version.fetched_at, language)}, "
            f"read by {version.method or 'unknown'}, sha256 `{version.sha256}`"
        )
    lines += ["", f"## {content.ANALYSIS}", "", "", "", f"## {content.RECOMMENDATION}", "", "", ""]
    return "\n".join(lines)
