"""A Khmer word that a justified PDF's layout cut in two is found by the web search once
the PDF is read and stored as a version."""

from __future__ import annotations

from typing import Any

import evaluation
from parsers.read.reader import read
from tests.web.test_fulltext import KM_TITLE, _add_version, _titles

PDF = evaluation.DOCUMENTS / "subdecree_km_v1.pdf"


def test_search_finds_a_word_of_a_justified_khmer_pdf(sign_in: Any, fresh_tracker: Any) -> None:
    client = sign_in(fresh_tracker, "viewer")
    assert _titles(client, "រាជរដ្ឋាភិបាល") == []
    document = read(PDF.read_bytes(), name=PDF.name)
    _add_version(fresh_tracker, fresh_tracker.ids.km_instrument, document.text)
    assert _titles(client, "រាជរដ្ឋាភិបាល") == [KM_TITLE]
    assert _titles(client, "បណ្តុះបណ្តាលវិជ្ជាជីវៈ") == [KM_TITLE]
