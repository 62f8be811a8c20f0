"""A period between repeats (``every year`` -> ``every two years``) is a frequency: a longer
period means fewer adjustments, a cut for indexation, whatever the language (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.deliver.message_words import DIRECTION_WORDS
from alerts.deliver.number_views import NumberView
from alerts.match.matcher import Matcher
from alerts.positions import load_positions
from parsers.compare.diff import compare
from parsers.compare.quantities import find_quantities
from parsers.read.reader import read

ROOT = Path(__file__).resolve().parents[2]
EN = "Sub-decree on Pensions\n\nArticle 8. Indexation\n{text}\n"
KM = "អនុក្រឹត្យស្តីពីសោធននិវត្តន៍\n\nមាត្រា ៨.- និយ័តកម្ម\n{text}\n"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_positions(ROOT / "positions.toml"))


@pytest.mark.parametrize(
    ("text", "value", "recurring"),
    [
        ("Pensions are adjusted every two years.", 2.0, True),
        ("Pensions are adjusted annually.", 1.0, True),
        ("សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ពីរឆ្នាំម្តង។", 2.0, True),
        ("សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ឆ្នាំ។", 1.0, True),
        ("Maternity leave lasts two years.", 2.0, False),
        ("ការឈប់សម្រាក ២ឆ្នាំ។", 2.0, False),
    ],
)
def test_a_period_between_repeats_is_marked_recurring(
    text: str, value: float, recurring: bool
) -> None:
    [q] = [q for q in find_quantities(text) if q.unit == "year"]
    assert (q.value, q.recurring) == (value, recurring)


@pytest.mark.parametrize(
    ("template", "old", "new", "direction", "words"),
    [
        (
            EN,
            "Pensions are adjusted every year to the consumer price index.",
            "Pensions are adjusted every two years to the consumer price index.",
            "adverse",
            "less_often",
        ),
        (
            EN,
            "Pensions are adjusted every two years to the consumer price index.",
            "Pensions are adjusted annually to the consumer price index.",
            "favourable",
            "more_often",
        ),
        (
            KM,
            "សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ឆ្នាំ ដោយផ្អែកលើសន្ទស្សន៍ថ្លៃទំនិញប្រើប្រាស់។",
            "សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ពីរឆ្នាំម្តង ដោយផ្អែកលើសន្ទស្សន៍ថ្លៃទំនិញប្រើប្រាស់។",
            "adverse",
            "less_often",
        ),
        (
            KM,
            "សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ពីរឆ្នាំម្តង ដោយផ្អែកលើសន្ទស្សន៍ថ្លៃទំនិញប្រើប្រាស់។",
            "សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ឆ្នាំ ដោយផ្អែកលើសន្ទស្សន៍ថ្លៃទំនិញប្រើប្រាស់។",
            "favourable",
            "more_often",
        ),
    ],
)
def test_a_longer_adjustment_period_is_a_cut_for_indexation(
    matcher: Matcher, template: str, old: str, new: str, direction: str, words: str
) -> None:
    [change] = compare(
        read(template.format(text=old).encode()), read(template.format(text=new).encode())
    )
    [number] = change.numbers
    assert number.recurring and number.to_json()["recurring"] is True
    flags = {f.position: f for f in matcher.flag(change)}
    assert flags["indexation"].direction == direction
    # the numbers table and the messages say "less often", not "up", in both languages
    assert NumberView.from_json(number.to_json()).direction == words
    assert DIRECTION_WORDS["en"][words] == words.replace("_", " ")
    assert DIRECTION_WORDS["km"][words] in ("តិចដងជាងមុន", "ញឹកញាប់ជាងមុន")


def test_a_length_of_benefit_is_not_read_as_a_frequency(matcher: Matcher) -> None:
    """A recurring period never takes a ``duration`` rule: maternity leave that is longer
    is better, a benefit paid less often is not read as a longer benefit."""
    template = "Prakas on Maternity\n\nArticle 2. Maternity leave\n{text}\n"
    [change] = compare(
        read(template.format(text="Maternity leave lasts 90 days.").encode()),
        read(template.format(text="Maternity leave lasts 98 days.").encode()),
    )
    assert not change.numbers[0].recurring
    assert "recurring" not in change.numbers[0].to_json()
    assert NumberView.from_json(change.numbers[0].to_json()).direction == "up"
    flags = {f.position: f for f in matcher.flag(change)}
    assert flags["maternity"].direction == "favourable"
