"""Counts read right where they are built: "1 document", "1 year", "2 years"."""

from __future__ import annotations

from alerts.deliver.number_views import NumberView
from app.ingest import SourceOutcome
from tracker.runs import RunCounts


def test_a_crawl_line_counts_in_the_singular_and_the_plural() -> None:
    one = SourceOutcome("demo", RunCounts(status="ok", documents=1, alerts=1, requests=1, bytes=1))
    assert "; 1 document: " in one.line() and "; 1 alert; 1 request, 1 byte" in one.line()
    many = SourceOutcome(
        "demo", RunCounts(status="ok", documents=3, alerts=0, requests=7, bytes=900)
    )
    assert "; 3 documents: " in many.line() and "; 0 alerts; 7 requests, 900 bytes" in many.line()


def test_a_duration_of_one_is_singular() -> None:
    number = NumberView(old=1.0, new=2.0, unit="year", old_text="", new_text="")
    assert (number.old_value, number.new_value) == ("1 year", "2 years")
    assert number.in_words == "1 year -> 2 years"
    days = NumberView(old=1.0, new=98.0, unit="day", old_text="", new_text="")
    assert days.in_words == "1 day -> 98 days"
    assert NumberView(old=1.0, new=3.0, unit="%", old_text="", new_text="").in_words == "1% -> 3%"
