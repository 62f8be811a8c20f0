"""Parameters a document states: labelled from the clause, keyed so that renumbering and a
changed value keep the parameter; English and Khmer."""

from __future__ import annotations

import dataclasses

import pytest

from parsers.document import Document, Section
from parsers.parameters import ParameterName, readings

KM_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

EN = [
    "An insured woman is entitled to a maternity benefit equal to {rate}% of her wage for 90 days.",
    "The minimum monthly old-age pension is KHR {floor}.",
    "The Fund shall publish 3 reports.",  # a count: no unit, no parameter
]
KM = [
    "ស្ត្រីមានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង {rate}% នៃប្រាក់ឈ្នួល។",
    "ការឈប់សម្រាកមាតុភាពមានរយៈពេល ៩០ ថ្ងៃ។",
]


def _document(bodies: list[str], keyword: str, first: int, khmer: bool) -> Document:
    sections = []
    for n, body in enumerate(bodies, start=first):
        number = str(n).translate(KM_DIGITS) if khmer else str(n)
        sections.append(Section(f"{keyword} {number}", "", body, "article", number))
    return dataclasses.replace(Document.empty(), sections=tuple(sections), text="\n".join(bodies))


@pytest.mark.parametrize(
    ("bodies", "keyword", "khmer", "expected"),
    [
        (EN, "Article", False, {("maternity benefit", "%"), ("maternity benefit", "day"),
                                ("minimum monthly old-age pension", "KHR")}),
        (KM, "មាត្រា", True, {("ប្រាក់ឧបត្ថម្ភមាតុភាព", "%"), ("ការឈប់សម្រាកមាតុភាព", "day")}),
    ],
)  # fmt: skip
def test_labels_keys_survive_renumbering_and_new_values(
    bodies: list[str], keyword: str, khmer: bool, expected: set[tuple[str, str]]
) -> None:
    def digits(text: str) -> str:
        return text.translate(KM_DIGITS) if khmer else text

    old = _document([digits(b.format(rate=70, floor="400,000")) for b in bodies], keyword, 1, khmer)
    # a new article first renumbers every other one; two values change
    new = _document(
        [digits("This text applies to every enterprise.")]
        + [digits(b.format(rate=100, floor="500,000")) for b in bodies],
        keyword,
        1,
        khmer,
    )
    before, after = readings(old), readings(new)
    assert {(r.label, r.unit) for r in before} == expected
    assert [r.key for r in before] == [r.key for r in after]
    assert [r.ref for r in before] != [r.ref for r in after]
    rates = [(a.value, b.value) for a, b in zip(before, after, strict=True) if a.unit == "%"]
    assert rates == [(70.0, 100.0)]
    assert all(r.clause and r.text for r in before)


def test_a_name_from_the_positions_file_makes_two_wordings_one_parameter() -> None:
    names = (
        ParameterName("maternity benefit, % of wage", ("maternity allowance", "maternity benefit")),
        ParameterName("maternity benefit, % of wage", ("ប្រាក់ឧបត្ថម្ភមាតុភាព",), unit="%"),
    )
    old = _document(["A maternity allowance of 70% of the wage is paid."], "Article", 1, False)
    new = _document(["A maternity benefit of 100% of the wage is paid."], "Article", 1, False)
    assert readings(old)[0].key != readings(new)[0].key  # two wordings, two parameters
    [a], [b] = readings(old, names), readings(new, names)
    assert a.key == b.key and a.label == "maternity benefit, % of wage"
    km = _document([KM[0].format(rate=70).translate(KM_DIGITS)], "មាត្រា", 1, True)
    assert readings(km, names)[0].label == "maternity benefit, % of wage"
    # a term names whole English words only, and the unit must agree when one is given
    other = _document(["The non-maternity allowances are 5% of the wage."], "Article", 1, False)
    assert readings(other, names)[0].label != "maternity benefit, % of wage"
    days = _document([KM[1]], "មាត្រា", 1, True)
    assert readings(days, names)[0].label == "ការឈប់សម្រាកមាតុភាព"


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        (
            "The maternity benefit is 100% of the wage with effect from 1 January 2027.",
            "2027-01-01",
        ),
        ("From 1 July 2026, the contribution rate is 3%.", "2026-07-01"),
        ("ចាប់ពីថ្ងៃទី១ ខែមករា ឆ្នាំ២០២៧ អត្រាភាគទានគឺ ៣%។", "2027-01-01"),
        ("The contribution rate is 3% of wages from the employer.", ""),
        ("Pensions are paid from the month after 1 January 2027 at 60%.", ""),
    ],
)
def test_the_date_a_value_applies_from_is_read_from_its_clause(clause: str, expected: str) -> None:
    [reading] = [r for r in readings(_document([clause], "Article", 1, False)) if r.unit == "%"]
    assert reading.effective_date == expected
