"""A section's numbers read by its document's decimal mark: ``1,250`` is 1.25 in a German,
French or Khmer document that writes decimal commas elsewhere, 1250 in an English one that
writes decimal points; the same whether the section is amended, added or removed."""

from __future__ import annotations

import pytest

from parsers.compare.diff import compare
from parsers.document import Document, Language, Section
from parsers.khmer import normalize

Triple = tuple[float | None, float | None, str]

# (language, a section that shows the document's decimal mark, the amended section's text
# with {amount}, old amount, new amount, old value, new value, unit)
CASES = [
    ("de", "Der Beitragssatz beträgt 2,5 Prozent.", "Die Gebühr beträgt {amount} EUR.",
     "1,250", "1,500", 1.25, 1.5, "EUR"),
    ("fr", "Le taux de cotisation est de 5,5 pour cent.", "Le droit est fixé à {amount} euros.",
     "1,250", "1,500", 1.25, 1.5, "EUR"),
    ("km", "អត្រាភាគទានគឺ ២,៥%។", "អត្រាការប្រាក់គឺ {amount}%។", "១,២៥០", "១,៥០០", 1.25, 1.5, "%"),
    ("en", "The contribution rate is 2.5%.", "The fee is USD {amount}.",
     "1,250", "1,500", 1250, 1500, "USD"),
]  # fmt: skip


def _doc(bodies: list[str], language: str) -> Document:
    sections = tuple(
        Section(f"Article {k}", "", normalize(body), "article", str(k))
        for k, body in enumerate(bodies, 1)
    )
    text = "\n".join(s.text for s in sections)
    lang: Language = "km" if language == "km" else "en"
    return Document(text, text, lang, 1, "text", sections, "", "text/plain")


def _numbers(old: Document, new: Document) -> list[Triple]:
    return [(n.old, n.new, n.unit) for c in compare(old, new) for n in c.numbers]


@pytest.mark.parametrize(
    ("language", "marker", "amended", "old", "new", "old_value", "new_value", "unit"), CASES
)
def test_amended_section_reads_numbers_by_its_document(
    language: str, marker: str, amended: str, old: str, new: str,
    old_value: float, new_value: float, unit: str,
) -> None:  # fmt: skip
    before = _doc([marker, amended.format(amount=old)], language)
    after = _doc([marker, amended.format(amount=new)], language)
    assert _numbers(before, after) == [(old_value, new_value, unit)]


@pytest.mark.parametrize(
    ("language", "marker", "amended", "old", "new", "old_value", "new_value", "unit"), CASES
)
def test_added_and_removed_sections_read_numbers_by_their_document(
    language: str, marker: str, amended: str, old: str, new: str,
    old_value: float, new_value: float, unit: str,
) -> None:  # fmt: skip
    short = _doc([marker], language)
    longer = _doc([marker, amended.format(amount=old)], language)
    assert _numbers(short, longer) == [(None, old_value, unit)]
    assert _numbers(longer, short) == [(old_value, None, unit)]
