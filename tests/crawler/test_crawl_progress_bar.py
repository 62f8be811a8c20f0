"""`sptrack crawl` on a terminal: a progress bar per source (documents fetched of found,
listing pages read, then documents read); elsewhere no progress output at all."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from app.commands import progress
from app.crawling import progress_counts

MESSAGES = [
    "mosvy-laws: starting",
    "mosvy-laws: fetching, 0 of 0 documents found on 0 listing pages",
    "mosvy-laws: fetching, 3 of 7 documents found on 2 listing pages",
    "mosvy-laws: fetching, 7 of 7 documents found on 3 listing pages",
    "mosvy-laws: reading 2/7 https://mosvy.gov.kh/wp-content/uploads/អនុក្រឹត្យ.pdf",
    "nssf-legal: starting",
    "nssf-legal: fetching, 1 of 4 documents found on 1 listing pages",
]


def test_progress_messages_carry_their_counts() -> None:
    assert progress_counts(MESSAGES[2]) == {"fetched": 3, "found": 7, "pages": 2}
    assert progress_counts(MESSAGES[4]) == {"read": 2, "to_read": 7}
    assert progress_counts(MESSAGES[0]) == {}


def test_a_terminal_gets_a_bar_per_source(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140, color_system=None)
    monkeypatch.setattr(progress, "stderr_console", lambda: console)
    with progress.crawl_progress() as update:
        assert update is not None
        for message in MESSAGES[:3]:
            update(message)
        shown = out.getvalue()
        assert "mosvy-laws fetching" in shown and "3/7" in shown
        assert "documents fetched of 7 found on 2 listing pages" in shown
        for message in MESSAGES[3:]:
            update(message)
    shown = out.getvalue()
    assert "mosvy-laws reading" in shown and "2/7" in shown and "documents read" in shown
    assert "nssf-legal fetching" in shown and "1/4" in shown
    assert "done" in shown


def test_elsewhere_no_progress_output(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(progress, "stderr_console", lambda: Console(file=out))
    with progress.crawl_progress() as update:
        assert update is None
    assert out.getvalue() == ""
