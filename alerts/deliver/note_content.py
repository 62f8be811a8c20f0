"""What a rapid-response note says, whatever its format: bilingual headings, the redline of
each changed article, the numbers, the sources, the deadlines and owners. The writers
(:mod:`alerts.deliver.note` for Markdown, :mod:`alerts.deliver.note_docx`) read it as
``content.<name>``.

A note has a language (``en`` or ``km``): its headings stay bilingual; its dates and times
are in that language's one format, in Phnom Penh time (:mod:`alerts.deliver.dates`), and the
positions go by their names in it; a Khmer note quotes the coalition's stance and key
messages in Khmer where positions.toml gives them (``stance_km``, ``key_messages_km``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from alerts.deliver.dates import format_date, format_when, today
from alerts.deliver.flag_views import PositionView
from alerts.deliver.plain_text import plain
from alerts.deliver.view import AlertView, ChangeView, VersionView
from parsers.compare.change import DiffOp
from parsers.compare.redline import text_ops, tidy

TEXT_LIMIT = 5000
MAX_CHANGES = 60


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
STANCE_LABEL = {"en": "Stance", "km": "Stance / ជំហរ"}
TO_BE_SET = "(to be set) / (មិនទាន់កំណត់)"
CHECK = "NEEDS HUMAN CHECK (read by OCR) / ត្រូវការការពិនិត្យដោយមនុស្ស (អានដោយ OCR)"


def when(moment: datetime, language: str = "en") -> str:
    """``2 Mar 2026 10:00 (Phnom Penh time)`` / ``ថ្ងៃទី២ ខែមីនា ឆ្នាំ២០២៦ ម៉ោង ១០:០០
    (ម៉ោងភ្នំពេញ)``."""
    return format_when(moment, language, zone=True)


def header_line(view: AlertView, team: str, language: str = "en") -> str:
    """The line under the title: today's date, the alert and when it was raised, its
    severity and the task team (``team`` already made safe for the format)."""
    return (
        f"Date / កាលបរិច្ឆេទ: {format_date(today(), language)} · Alert #{view.id} of "
        f"{when(view.created_at, language)} · Severity: {view.severity} · {TEAM}: "
        f"{team or TO_BE_SET}"
    )


def shown_changes(view: AlertView) -> tuple[ChangeView, ...]:
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


def capped(steps: Sequence[DiffOp], limit: int = 2 * TEXT_LIMIT) -> list[tuple[str, str]]:
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


def _figure(words: str, value: str) -> str:
    """The figure as printed, and in Western digits when that reads otherwise (Khmer
    digits, amounts in words): ``៧០% (70%)``."""
    return words if value in ("(none)", words) or value in words else f"{words} ({value})"


def number_rows(view: AlertView) -> list[tuple[str, str, str, str]]:
    return [
        (
            change.ref,
            number.what,
            _figure(number.old_words, number.old_value),
            _figure(number.new_words, number.new_value),
        )
        for change in shown_changes(view)
        for number in change.numbers
    ]


def source_rows(view: AlertView) -> list[tuple[str, VersionView]]:
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


def positions_line(view: AlertView, change: ChangeView, language: str = "en") -> str:
    names = {p.id: p.name_in(language) for p in view.positions}
    return ", ".join(f"{names.get(f.position, f.position)} ({f.severity})" for f in change.flags)


def stance_line(position: PositionView, language: str = "en") -> tuple[str, str]:
    """``("Stance", the stance)`` in the note's language: for ``km`` the Khmer stance where
    positions.toml gives one (else the English), under a bilingual label."""
    return STANCE_LABEL.get(language, "Stance"), position.stance_in(language).text


def key_messages(position: PositionView, language: str = "en") -> tuple[str, ...]:
    """The key messages in the note's language (``km``: in Khmer where given)."""
    return tuple(message.text for message in position.key_messages_in(language))
