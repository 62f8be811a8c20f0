"""Every change names its smallest unit: the points read from the provision's markers."""

from __future__ import annotations

import json

import pytest

from parsers.compare.diff import compare
from parsers.compare.points import format_unit, read_points
from parsers.read.reader import read

EN = """Law on the Fund
§ 38-2903. Reserve.
(a) The fund keeps a reserve.
(1) The reserve is five per cent of the contributions.
(2) The reserve is invested by the board.
(A) in bonds of the State;
(B) in deposits.
(b) The board reports every year.
§ 38-2904. Audit.
The fund is audited."""

KM = """ច្បាប់ស្តីពីមូលនិធិ
មាត្រា ៥ ៖ ភាគទាន
និយោជកត្រូវ៖
ក. ចុះបញ្ជីកម្មករនិយោជិតក្នុងរយៈពេលសាមសិបថ្ងៃ
ខ. បង់ភាគទានជារៀងរាល់ខែ
គ. រក្សាទុកបញ្ជីប្រាក់ឈ្នួល
មាត្រា ៦ ៖ អត្ថប្រយោជន៍
អត្ថប្រយោជន៍ត្រូវបង់ជារៀងរាល់ខែ។"""


def _units(old: str, new: str) -> list[tuple[str, str]]:
    changes = compare(read(old.encode(), name="a.txt"), read(new.encode(), name="b.txt"))
    return [(c.kind, c.unit) for c in changes]


@pytest.mark.parametrize(
    ("old", "new", "unit"),
    [
        ("five per cent", "six per cent", "§ 38-2903(a)(1)"),
        ("in deposits.", "in deposits of banks.", "§ 38-2903(a)(2)(B)"),
        ("every year.", "every quarter.", "§ 38-2903(b)"),
        ("keeps a reserve.", "keeps a large reserve.", "§ 38-2903(a)"),
        ("The fund is audited.", "The fund is audited twice.", "§ 38-2904"),
        ("បង់ភាគទានជារៀងរាល់ខែ", "បង់ភាគទានជារៀងរាល់ត្រីមាស", "មាត្រា ៥ ចំណុច ខ"),
        ("ចុះបញ្ជីកម្មករនិយោជិតក្នុងរយៈពេលសាមសិបថ្ងៃ", "ចុះបញ្ជីកម្មករក្នុងរយៈពេលដប់ថ្ងៃ", "មាត្រា ៥ ចំណុច ក"),
        ("អត្ថប្រយោជន៍ត្រូវបង់ជារៀងរាល់ខែ។", "អត្ថប្រយោជន៍ត្រូវបង់ជារៀងរាល់សប្តាហ៍។", "មាត្រា ៦"),
    ],
)  # fmt: skip
def test_a_change_names_the_innermost_point_that_holds_it(old: str, new: str, unit: str) -> None:
    text = KM if old in KM else EN
    assert _units(text, text.replace(old, new)) == [("modified", unit)]


@pytest.mark.parametrize(
    ("text", "edits", "unit"),
    [
        (EN, [("five per cent", "six per cent"), ("every year", "every month")], "§ 38-2903"),
        (EN, [("five per cent", "six per cent"), ("in deposits", "in gold")], "§ 38-2903(a)"),
        (KM, [("សាមសិប", "ដប់"), ("ប្រាក់ឈ្នួល", "វត្តមាន")], "មាត្រា ៥"),
    ],
)
def test_edits_in_two_points_name_the_unit_above_both(
    text: str, edits: list[tuple[str, str]], unit: str
) -> None:
    new = text
    for old, replacement in edits:
        new = new.replace(old, replacement)
    assert _units(text, new) == [("modified", unit)]


@pytest.mark.parametrize(
    ("text", "point", "unit"),
    [
        (EN, "(B) in deposits.\n", "§ 38-2903(a)(2)(B)"),
        (KM, "គ. រក្សាទុកបញ្ជីប្រាក់ឈ្នួល\n", "មាត្រា ៥ ចំណុច គ"),
    ],
)
def test_a_removed_point_is_named_in_the_old_text(text: str, point: str, unit: str) -> None:
    assert _units(text, text.replace(point, "")) == [("modified", unit)]


def test_the_unit_is_in_the_json_of_every_change() -> None:
    changes = compare(
        read(EN.encode()),
        read(EN.replace("\n§ 38-2904. Audit.\nThe fund is audited.", "").encode()),
    )
    entries = [json.loads(json.dumps(c.to_json())) for c in changes]
    assert entries and all(e["unit"] == (e["new_ref"] or e["old_ref"]) for e in entries)


_ROMAN = ["(a)", "(b)", "(c)", "(i)", "(ii)", "(d)"]
_MIXED = ["(1)", "1.", "a)", "b)", "2.", "(2)"]
_KHMER = ["ក.", "ខ.", "ចំណុច គ", "១.", "ឃ."]
_KHMER_UNITS = ["ចំណុច ក", "ចំណុច ខ", "ចំណុច គ", "ចំណុច គ កថាខណ្ឌ ១", "ចំណុច ឃ"]


@pytest.mark.parametrize(
    ("markers", "units"),
    [
        # "(i)" after "(h)" is the letter i; after "(c)" it opens roman sub-points.
        (_ROMAN, ["(a)", "(b)", "(c)", "(c)(i)", "(c)(ii)", "(d)"]),
        (["(g)", "(h)", "(i)", "(j)"], ["(g)", "(h)", "(i)", "(j)"]),
        (_MIXED, ["(1)", "(1)(1)", "(1)(1)(a)", "(1)(1)(b)", "(1)(2)", "(2)"]),
        (_KHMER, [f" {u}" for u in _KHMER_UNITS]),
    ],
)
def test_levels_come_from_the_order_of_marker_styles(markers: list[str], units: list[str]) -> None:
    text = "\n".join(f"{m} text {k}" for k, m in enumerate(markers))
    points = read_points(text)
    ref = "មាត្រា ១" if units[0].startswith(" ") else "Article 1"
    got = [format_unit(ref, points.at(text.index(f"text {k}"))) for k in range(len(markers))]
    assert got == [ref + u for u in units]
