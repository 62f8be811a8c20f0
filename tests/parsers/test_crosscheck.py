"""Two language versions of one instrument checked against each other."""

from __future__ import annotations

import pytest

from parsers.compare.crosscheck import AGREE, DIFFER, MISSING, Value, crosscheck
from parsers.document import Document
from parsers.read.reader import read

KM = (
    "មាត្រា ១.-\nអត្រាភាគទានគឺ ៤% (បួនភាគរយ) នៃប្រាក់ឈ្នួលប្រចាំខែ។\n"
    "មាត្រា ២.-\nប្រាក់ឈ្នួលអប្បបរមាគឺ ៤០០.០០០ (បួនសែន) រៀល ក្នុងមួយខែ។\n"
    "មាត្រា ៣.-\nស្ត្រីទទួលបានការឈប់សម្រាកលំហែមាតុភាពរយៈពេល ៩០ (កៅសិប) ថ្ងៃ។\n"
    "មាត្រា ៤.-\nនិយោជកត្រូវបង់ភាគទានត្រឹមថ្ងៃទី១៥ នៃខែបន្ទាប់។\n"
)
EN = (
    "Article 1.- Rate\nThe contribution rate is 4% (four percent) of the monthly wage.\n"
    "Article 2.- Minimum wage\nThe minimum wage is KHR 400 thousand per month.\n"
    "Article 3.- Maternity leave\nA woman is entitled to maternity leave of ninety days.\n"
    "Article 4.- Deadline\nThe employer pays by the 15th day of the following month.\n"
)


def doc(text: str) -> Document:
    return read(text.encode("utf-8"), name="version.txt")


def statuses(a: str, b: str) -> list[tuple[str | None, str | None, str]]:
    return [(p.a_ref, p.b_ref, p.status) for p in crosscheck(doc(a), doc(b)).provisions]


@pytest.mark.parametrize("first", ["km", "en"])
def test_a_faithful_translation_agrees_either_way(first: str) -> None:
    a, b = (KM, EN) if first == "km" else (EN, KM)
    result = crosscheck(doc(a), doc(b))
    assert [p.status for p in result.provisions] == [AGREE] * 4
    assert result.disagreements == ()
    assert {p.a_ref for p in result.provisions} == (
        {"មាត្រា ១", "មាត្រា ២", "មាត្រា ៣", "មាត្រា ៤"}
        if first == "km"
        else {"Article 1", "Article 2", "Article 3", "Article 4"}
    )


@pytest.mark.parametrize(
    ("old", "new", "ref", "km_value", "en_value"),
    [
        ("4% (four percent)", "5% (five percent)", "1", Value(4, "%"), Value(5, "%")),
        ("KHR 400 thousand", "KHR 0.5 million", "2", Value(400000, "KHR"), Value(500000, "KHR")),
        ("ninety days", "ninety-eight days", "3", Value(90, "day"), Value(98, "day")),
    ],
)
def test_a_number_that_differs_is_reported_with_its_unit(
    old: str, new: str, ref: str, km_value: Value, en_value: Value
) -> None:
    result = crosscheck(doc(KM), doc(EN.replace(old, new)))
    [differ] = result.disagreements
    assert differ.a_ref.endswith("១២៣"[int(ref) - 1])
    assert differ.b_ref == f"Article {ref}"
    assert differ.a_only == (km_value,)
    assert differ.b_only == (en_value,)
    # English first: the same disagreement, sides swapped.
    [swapped] = crosscheck(doc(EN.replace(old, new)), doc(KM)).disagreements
    assert (swapped.a_only, swapped.b_only) == ((en_value,), (km_value,))


def test_a_provision_missing_on_one_side_has_a_null_ref() -> None:
    shorter = EN.split("Article 3.-")[0] + "Article 4.-" + EN.split("Article 4.-")[1]
    assert ("មាត្រា ៣", None, MISSING) in statuses(KM, shorter) and (
        None,
        "មាត្រា ៣",
        MISSING,
    ) in statuses(shorter, KM)
    assert ("មាត្រា ៤", "Article 4", AGREE) in statuses(KM, shorter)


def test_a_translation_that_lags_a_renumbering_pairs_provisions_by_their_numbers() -> None:
    """Khmer gained a new Article 2 (the others renumbered); the English has not followed.
    Each English article pairs with its Khmer counterpart, not with the same number."""
    new_km = KM.replace("មាត្រា ៤.-", "មាត្រា ៥.-").replace("មាត្រា ៣.-", "មាត្រា ៤.-")
    new_km = new_km.replace("មាត្រា ២.-", "មាត្រា ៣.-")
    new_km = new_km.replace("មាត្រា ៣.-", "មាត្រា ២.-\nអាយុចូលនិវត្តន៍គឺ ៦០ ឆ្នាំ។\nមាត្រា ៣.-", 1)
    found = statuses(new_km, EN)
    assert ("មាត្រា ២", None, MISSING) in found
    assert ("មាត្រា ៣", "Article 2", AGREE) in found
    assert ("មាត្រា ៤", "Article 3", AGREE) in found
    assert [s for s in found if s[2] == DIFFER] == []


def test_points_are_compared_one_by_one() -> None:
    km = "មាត្រា ១.-\nស្ត្រីទទួលបាន៖\nក. ប្រាក់ឧបត្ថម្ភ ៧០%\nខ. ការឈប់សម្រាក ៩០ ថ្ងៃ\n"
    en = "Article 1.- Benefits\nA woman receives:\na) an allowance of 70%;\nb) leave of 98 days.\n"
    result = crosscheck(doc(km), doc(en))
    assert [(p.a_ref, p.b_ref, p.status) for p in result.provisions] == [
        ("មាត្រា ១ ចំណុច ក", "Article 1(a)", AGREE),
        ("មាត្រា ១ ចំណុច ខ", "Article 1(b)", DIFFER),
    ]


def test_repeated_numbers_and_per_unit_phrases_are_not_disagreements() -> None:
    """English repeats the rate in a table and says "per month"; Khmer says "ក្នុងមួយខែ"."""
    en = EN.replace("of the monthly wage.", "of the monthly wage.\nEmployer 4%\nTotal 4%")
    assert crosscheck(doc(KM), doc(en)).disagreements == ()


def test_empty_versions_give_missing_provisions_not_errors() -> None:
    empty = Document.empty()
    assert crosscheck(empty, empty).provisions == ()
    assert {p.status for p in crosscheck(doc(KM), empty).provisions} == {MISSING}
