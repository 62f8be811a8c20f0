"""An iCalendar (RFC 5545) feed of the tracker's deadlines: consultation deadlines and
dates instruments take effect, one all-day event each.

Text values are escaped (backslash, semicolon, comma, newlines) and lines folded at 75
octets without splitting a UTF-8 character, so Khmer titles arrive whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, or_, select

from tracker.models import Instrument
from web.translations import N_

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
FOLD_OCTETS = 75
KINDS = {
    "consultation_deadline": N_("Consultation deadline"),
    "effective_date": N_("Takes effect"),
}


@dataclass(frozen=True)
class Deadline:
    instrument_id: int
    kind: str  # a key of KINDS
    day: date
    title: str
    owner_team: str

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def _day(value: str) -> date | None:
    if not _ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def deadlines(
    session: Session, start: date | None = None, end: date | None = None
) -> list[Deadline]:
    """Every dated deadline, soonest first; only those in [start, end] when given."""
    statement = select(Instrument).where(
        or_(col(Instrument.consultation_deadline) != "", col(Instrument.effective_date) != "")
    )
    found = []
    for instrument in session.exec(statement):
        assert instrument.id is not None
        for kind in KINDS:
            day = _day(getattr(instrument, kind))
            if day is None or (start and day < start) or (end and day > end):
                continue
            found.append(
                Deadline(
                    instrument.id,
                    kind,
                    day,
                    instrument.title or f"Instrument #{instrument.id}",
                    instrument.owner_team,
                )
            )
    return sorted(found, key=lambda d: (d.day, d.instrument_id, d.kind))


def escape_text(value: str) -> str:
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into CRLF + space continued pieces of at most 75 octets."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, FOLD_OCTETS - 1  # continuation lines start with a space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def to_ical(
    items: Iterable[Deadline], instrument_url: Callable[[int], str], calendar_name: str
) -> bytes:
    """The calendar; ``instrument_url(id)`` is the address of an instrument's page."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SP4ALL//SP Tracker//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    for item in items:
        url = instrument_url(item.instrument_id)
        description = f"{item.label}: {item.title}"
        if item.owner_team:
            description += f"\nOwner: {item.owner_team}"
        description += f"\n{url}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:instrument-{item.instrument_id}-{item.kind}@sptrack",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(f'{item.label}: {item.title}')}",
            f"DESCRIPTION:{escape_text(description)}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
