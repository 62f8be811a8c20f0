"""Number pairs in a fee list read item by item (an HTML list or table: the service on one
line, its amount on the next), English and Khmer: an item inserted, removed or replaced
anywhere pairs no amount across items; an amount changed pairs with its own item's amount."""

from __future__ import annotations

import pytest

from parsers.compare.change import NumberChange
from parsers.compare.clauses import clauses
from parsers.compare.diff import compare
from parsers.compare.quantities import find_quantities, pair_numbers
from parsers.document import Document, Language, Section
from parsers.khmer import normalize

Item = tuple[str, str]

FEES_EN = [
    ("Registration of an enterprise", "KHR 50,000"),
    ("Renewal of registration", "KHR 30,000"),
    ("Replacement of a membership card", "KHR 10,000"),
    ("Certificate of contribution", "KHR 20,000"),
]
OTHER_EN = ("Change of address", "KHR 15,000")  # shares words with others: of, change
FEES_KM = [
    ("ការចុះបញ្ជីសហគ្រាស", "៥០.០០០ រៀល"),
    ("ការបន្តសុពលភាពការចុះបញ្ជី", "៣០.០០០ រៀល"),
    ("ការប្តូរប័ណ្ណសមាជិក", "១០.០០០ រៀល"),
    ("វិញ្ញាបនបត្របង់ភាគទាន", "២០.០០០ រៀល"),
]
OTHER_KM = ("ការប្តូរអាសយដ្ឋាន", "១៥.០០០ រៀល")
RAISED = {"en": "KHR 25,000", "km": "២៥.០០០ រៀល"}
LISTS = [(FEES_EN, OTHER_EN, "en"), (FEES_KM, OTHER_KM, "km")]
Triple = tuple[float | None, float | None, str]


def _listed(items: list[Item]) -> str:
    """The list as the HTML reader gives it: a line per cell."""
    return "\n".join(normalize(f"- {service}\n- {fee}") for service, fee in items)


def _value(fee: str) -> float:
    return find_quantities(normalize(fee))[0].value


def _numbers(old: list[Item], new: list[Item]) -> list[Triple]:
    """Every amount of both versions offered to pairing (not only the changed ones)."""
    a, b = _listed(old), _listed(new)
    found = pair_numbers(find_quantities(a), find_quantities(b), old_text=a, new_text=b)
    return [(n.old, n.new, n.label) for n in found]


def _doc(items: list[Item], language: Language) -> Document:
    body = _listed(items)
    section = Section("Annex", "", body, "annex", "")
    return Document(body, body, language, 1, "text", (section,), "", "text/plain")


def _compared(old: list[Item], new: list[Item], language: Language) -> list[NumberChange]:
    changes = compare(_doc(old, language), _doc(new, language))
    return [n for c in changes for n in c.numbers]


def _raise_last(items: list[Item], language: str) -> list[Item]:
    return [*items[:-1], (items[-1][0], RAISED[language])]


def test_an_amount_alone_on_its_line_belongs_to_its_item() -> None:
    text = _listed(FEES_EN[:2])
    spans = [text[c.start : c.end].strip() for c in clauses(text)]
    assert spans == ["- Registration of an enterprise\n- KHR 50,000",
                     "- Renewal of registration\n- KHR 30,000"]  # fmt: skip


@pytest.mark.parametrize(("items", "other", "language"), LISTS)
def test_amount_changed_pairs_with_its_own_item(
    items: list[Item], other: Item, language: str
) -> None:
    for at in range(len(items)):
        new = [*items]
        new[at] = (items[at][0], RAISED[language])
        old_value = _value(items[at][1])
        assert _numbers(items, new) == [(old_value, 25000, normalize(items[at][0]))]


@pytest.mark.parametrize(("items", "other", "language"), LISTS)
def test_item_inserted_anywhere_pairs_no_amount_across_items(
    items: list[Item], other: Item, language: str
) -> None:
    """Insert an item at every place, with the last fee raised: the new item's amount is
    added, the last item's amount is the one pair."""
    raised = _raise_last(items, language)
    last = (_value(items[-1][1]), 25000, normalize(items[-1][0]))
    for at in range(len(items)):
        new = [*raised[:at], other, *raised[at:]]
        numbers = _numbers(items, new)
        assert sorted(numbers, key=str) == sorted(
            [(None, _value(other[1]), normalize(other[0])), last], key=str
        )
        compared = _compared(items, new, language)
        assert {(n.old, n.new) for n in compared} == {(None, _value(other[1])), last[:2]}


@pytest.mark.parametrize(("items", "other", "language"), LISTS)
def test_item_removed_anywhere_pairs_no_amount_across_items(
    items: list[Item], other: Item, language: str
) -> None:
    """Remove each item but the last, with the last fee raised: the removed item's amount
    has no new value; the next item's amount is not paired with it."""
    raised = _raise_last(items, language)
    last = (_value(items[-1][1]), 25000, normalize(items[-1][0]))
    for at in range(len(items) - 1):
        new = [*raised[:at], *raised[at + 1 :]]
        gone = (_value(items[at][1]), None, normalize(items[at][0]))
        assert sorted(_numbers(items, new), key=str) == sorted([gone, last], key=str)
        compared = _compared(items, new, language)
        assert {(n.old, n.new) for n in compared} == {gone[:2], last[:2]}


@pytest.mark.parametrize(("items", "other", "language"), LISTS)
def test_item_replaced_by_another_service_is_no_pair(
    items: list[Item], other: Item, language: str
) -> None:
    """A service and its fee replaced by another service with another fee: one amount
    removed, one added, never old fee -> new fee."""
    for at in range(len(items)):
        new = [*items[:at], other, *items[at + 1 :]]
        compared = [(n.old, n.new, n.label) for n in _compared(items, new, language)]
        for numbers in (_numbers(items, new), compared):
            assert sorted(numbers, key=str) == sorted(
                [(_value(items[at][1]), None, normalize(items[at][0])),
                 (None, _value(other[1]), normalize(other[0]))], key=str
            )  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "pair"),
    [
        ("The allowance may be paid for up to 90 days in a year.",
         "The allowance may be paid for no more than 120 days in a year.", (90, 120, "day")),
        ("ប្រាក់ឧបត្ថម្ភត្រូវបានផ្តល់ក្នុងរយៈពេលរហូតដល់ ៩០ ថ្ងៃ ក្នុងមួយឆ្នាំ។",
         "ប្រាក់ឧបត្ថម្ភត្រូវបានផ្តល់ក្នុងរយៈពេលមិនលើសពី ១២០ ថ្ងៃ ក្នុងមួយឆ្នាំ។", (90, 120, "day")),
    ],
)  # fmt: skip
def test_sentence_amended_around_its_only_number_keeps_the_pair(
    old: str, new: str, pair: tuple[float, float, str]
) -> None:
    """Unlike two items of a list, one sentence reworded around its number is one parameter."""
    a, b = normalize(old), normalize(new)
    found = pair_numbers(find_quantities(a), find_quantities(b), old_text=a, new_text=b)
    assert [(n.old, n.new, n.unit) for n in found] == [pair]
