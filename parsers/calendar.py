"""The calendar as documents in Cambodia write it: one list of month names for every stage.

* :data:`KHMER_MONTHS`, the solar months (``មករា`` ... ``ធ្នូ``), with
  :data:`KHMER_MONTH_VARIANTS`, the misspellings found in print;
* :data:`KHMER_LUNAR_MONTHS`, the lunar months of dates such as ``ខែផល្គុន``;
* :data:`ENGLISH_MONTHS` and :data:`ENGLISH_MONTH_RE` (full and short names);
* :func:`date_in` reads the first date of a text (``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥``,
  ``15 June 2025``, ``June 15, 2025``), :func:`khmer_date` writes one in Khmer.
"""

from __future__ import annotations

import re
from datetime import date

from parsers.khmer import to_ascii_digits, to_khmer_digits

KHMER_MONTHS = (
    "មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា",
    "វិច្ឆិកា", "ធ្នូ",
)  # fmt: skip
#: Misspellings of solar month names found in print, and the month each means.
KHMER_MONTH_VARIANTS = {"កុម្ភះ": "កុម្ភៈ", "កុម្ភ": "កុម្ភៈ", "វិច្ជិកា": "វិច្ឆិកា"}
KHMER_LUNAR_MONTHS = (
    "មិគសិរ", "បុស្ស", "មាឃ", "ផល្គុន", "ចេត្រ", "ពិសាខ", "ជេស្ឋ", "អាសាឍ", "ស្រាពណ៍",
    "ភទ្របទ", "អស្សុជ", "កត្តិក",
)  # fmt: skip
ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
#: An English month name, full or short (``sept`` too), as a regular-expression source.
ENGLISH_MONTH_RE = "|".join([*ENGLISH_MONTHS, *(m[:3] for m in ENGLISH_MONTHS), "sept"])

_D = r"[0-9០-៩]"
_KHMER_MONTH_RE = "|".join([*KHMER_MONTHS, *KHMER_MONTH_VARIANTS])
_DATE_KM_RE = re.compile(
    rf"ថ្ងៃ(?:ទី)?\s*(?P<d>{_D}{{1,2}})\s*ខែ\s*(?P<m>{_KHMER_MONTH_RE})\s*ឆ្នាំ\s*(?P<y>{_D}{{4}})"
)
_DATE_EN_RE = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{ENGLISH_MONTH_RE})\.?\s*,?\s+"
    rf"(?P<y>\d{{4}})\b"
    rf"|\b(?P<m2>{ENGLISH_MONTH_RE})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(?P<y2>\d{{4}})\b",
    re.I,
)


def date_in(text: str) -> str:
    """The first date written in ``text`` (Khmer or English), ISO, or ''."""
    km = _DATE_KM_RE.search(text)
    if km:
        name = KHMER_MONTH_VARIANTS.get(km.group("m"), km.group("m"))
        month = KHMER_MONTHS.index(name) + 1
        day, year = to_ascii_digits(km.group("d")), to_ascii_digits(km.group("y"))
        return _iso(int(year), month, int(day))
    en = _DATE_EN_RE.search(text)
    if en:
        name = (en.group("m") or en.group("m2")).lower()[:3]
        month = [m[:3] for m in ENGLISH_MONTHS].index(name) + 1
        day, year = en.group("d") or en.group("d2"), en.group("y") or en.group("y2")
        return _iso(int(year), month, int(day))
    return ""


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else ""


def khmer_date(day: date) -> str:
    """``2025-06-15`` -> ``ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥`` (Khmer digits, solar month name)."""
    return (
        f"ថ្ងៃទី{to_khmer_digits(str(day.day))} ខែ{KHMER_MONTHS[day.month - 1]} "
        f"ឆ្នាំ{to_khmer_digits(str(day.year))}"
    )
