"""Dates as people in Cambodia write them: the Gregorian ``15 Jun 2025`` and the Khmer
``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥`` (Khmer digits and month names of the solar calendar).

Stored dates are ISO ``YYYY-MM-DD`` strings or datetimes; text that is not an ISO date
(a date as printed in a document) is shown as it is.
"""

from __future__ import annotations

from datetime import date, datetime

from parsers import calendar


def as_date(value: str | date | datetime | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
    except ValueError:
        return None


def khmer_date(value: str | date | datetime | None) -> str:
    """``2025-06-15`` -> ``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥``; other text unchanged."""
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return calendar.khmer_date(day)


def gregorian_date(value: str | date | datetime | None) -> str:
    """``2025-06-15`` -> ``15 Jun 2025``; other text unchanged."""
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return f"{day.day} {day:%b} {day.year}"
