"""The one calendar every stage uses: Khmer and English month names, dates read and written."""

from __future__ import annotations

from datetime import date

import pytest

from parsers.calendar import (
    ENGLISH_MONTHS,
    KHMER_LUNAR_MONTHS,
    KHMER_MONTH_VARIANTS,
    KHMER_MONTHS,
    date_in,
    khmer_date,
)
from parsers.khmer import KHMER_RE, normalize


def test_twelve_distinct_months_of_each_calendar() -> None:
    for months in (KHMER_MONTHS, KHMER_LUNAR_MONTHS, ENGLISH_MONTHS):
        assert len(months) == len(set(months)) == 12
    assert set(KHMER_MONTH_VARIANTS.values()) <= set(KHMER_MONTHS)
    # spelled as the normaliser spells them, so a normalised text finds them
    assert all(normalize(m) == m for m in (*KHMER_MONTHS, *KHMER_LUNAR_MONTHS))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥", "2025-06-15"),
        ("ថ្ងៃ ៤ ខែ មីនា ឆ្នាំ ២០២១", "2021-03-04"),
        ("ថ្ងៃទី២ ខែវិច្ជិកា ឆ្នាំ២០១៩", "2019-11-02"),  # a misspelling found in print
        ("ថ្ងៃទី1 ខែមករា ឆ្នាំ2027", "2027-01-01"),  # Arabic digits in a Khmer date
        ("Done at Phnom Penh, 4 March 2021", "2021-03-04"),
        ("signed on the 2nd of Sept. 2019", "2019-09-02"),
        ("effective June 15, 2025", "2025-06-15"),
        ("no date here, only Article 5", ""),
        ("ថ្ងៃទី៤៥ ខែមីនា ឆ្នាំ២០២១", ""),  # no such day
    ],
)
def test_the_first_date_of_a_text(text: str, iso: str) -> None:
    assert date_in(text) == iso


def test_a_khmer_date_written_reads_back() -> None:
    day = date(2025, 6, 15)
    assert khmer_date(day) == "ថ្ងៃទី១៥ ខែមិថុនា ឆ្នាំ២០២៥"
    for month in range(1, 13):
        day = date(2026, month, 28)
        assert date_in(khmer_date(day)) == day.isoformat()


def test_the_khmer_script_includes_the_lunar_date_symbols() -> None:
    assert KHMER_RE.search("ក") and KHMER_RE.search("\u19e0") and KHMER_RE.search("៥")
    assert not KHMER_RE.search("Article 5")
