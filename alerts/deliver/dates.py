"""Dates and times as the tracker shows them, on its pages, in its messages, notes and
exports: in Phnom Penh time (Asia/Phnom_Penh, UTC+7), one format per reader's language.

- English: ``15 Jun 2025`` and ``15 Jun 2025 14:30``;
- Khmer: ``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥`` and ``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥ ម៉ោង ១៤:៣០`` (Khmer
  digits and the months of the solar calendar, as instruments print them).

Times are stored in UTC (SQLite hands them back naive: they are UTC too); they are shown,
and a day a reader types (``<input type="date">``) is read, in Phnom Penh time, the time
of the notes and e-mails. Where a time stands alone (a message, a note), it says whose
time it is: ``15 Jun 2025 14:30 (Phnom Penh time)`` / ``... ម៉ោង ១៤:៣០ (ម៉ោងភ្នំពេញ)``
(:func:`format_when` with ``zone=True``). Stored dates are ISO ``YYYY-MM-DD`` strings;
text that is not an ISO date (a date as printed in a document) is shown as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from alerts.deliver.channels import LOCAL_TZ
from parsers.calendar import KHMER_MONTHS
from parsers.calendar import khmer_date as khmer_day
from parsers.khmer import to_khmer_digits

__all__ = [
    "LOCAL_TZ",
    "ZONE_WORDS",
    "as_date",
    "format_date",
    "format_month",
    "format_short_date",
    "format_when",
    "gregorian_date",
    "khmer_date",
    "khmer_digits",
    "local_time",
    "start_of_day",
    "today",
]

#: How a time says it is Phnom Penh's, per language.
ZONE_WORDS = {"en": "Phnom Penh time", "km": "ម៉ោងភ្នំពេញ"}
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def local_time(value: datetime) -> datetime:
    """``value`` (UTC when naive) in Phnom Penh time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def today() -> date:
    """Today in Phnom Penh (a step "dated today" at 06:30 there is not yesterday's)."""
    return datetime.now(LOCAL_TZ).date()


def start_of_day(day: date) -> datetime:
    """Midnight of ``day`` in Phnom Penh, in UTC (how times are stored)."""
    if day == date.min:  # Phnom Penh's first midnight is before UTC's first day
        return datetime.min.replace(tzinfo=UTC)
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ).astimezone(UTC)


def as_date(value: str | date | datetime | None) -> date | None:
    """The calendar day of ``value``: a time's day in Phnom Penh; None for text that is
    not an ISO date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return local_time(value).date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
    except ValueError:
        return None


def khmer_digits(text: str) -> str:
    return to_khmer_digits(text)


def khmer_date(value: str | date | datetime | None) -> str:
    """``2025-06-15`` -> ``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥``; other text unchanged."""
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return khmer_day(day)


def gregorian_date(value: str | date | datetime | None) -> str:
    """``2025-06-15`` -> ``15 Jun 2025``; other text unchanged."""
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1][:3]} {day.year}"


def format_date(value: str | date | datetime | None, language: str = "en") -> str:
    """A day in the interface language's one format (Khmer for ``km``, else English)."""
    return khmer_date(value) if language == "km" else gregorian_date(value)


def format_short_date(value: str | date | datetime | None, language: str = "en") -> str:
    """The short form for tight places (a chart's axis): ``15 Jun 2025`` / ``១៥ មិថុនា ២០២៥``."""
    day = as_date(value)
    if day is None or language != "km":
        return gregorian_date(value)
    return to_khmer_digits(f"{day.day} {KHMER_MONTHS[day.month - 1]} {day.year}")


def format_month(value: date | datetime, language: str = "en") -> str:
    """``June 2025`` / ``ខែមិថុនា ឆ្នាំ២០២៥``."""
    day = as_date(value)
    assert day is not None
    if language == "km":
        return f"ខែ{KHMER_MONTHS[day.month - 1]} ឆ្នាំ{to_khmer_digits(str(day.year))}"
    return f"{ENGLISH_MONTHS[day.month - 1]} {day.year}"


def format_when(value: datetime, language: str = "en", *, zone: bool = False) -> str:
    """A stored time in Phnom Penh: ``15 Jun 2025 14:30`` / ``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥
    ម៉ោង ១៤:៣០``; with ``zone``, followed by ``(Phnom Penh time)`` / ``(ម៉ោងភ្នំពេញ)``."""
    moment = local_time(value)
    clock = f"{moment:%H:%M}"
    if language == "km":
        shown = f"{khmer_date(moment)} ម៉ោង {to_khmer_digits(clock)}"
    else:
        shown = f"{gregorian_date(moment)} {clock}"
    return f"{shown} ({ZONE_WORDS.get(language, ZONE_WORDS['en'])})" if zone else shown
