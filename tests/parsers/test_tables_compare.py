"""Table comparison: cell changes with their row label and column header, scaled numbers,
inserted and removed rows and columns as single changes, re-rendered tables silent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest

from parsers.compare.change import Change
from parsers.compare.diff import compare
from parsers.document import Document, Language, Table

Rows = Sequence[tuple[str, ...]]


def _doc(rows: Rows, header_rows: int = 1, language: Language = "en") -> Document:
    table = Table(tuple(rows), 1, header_rows)
    return Document("", "", language, 1, "text", (), "", "", tables=(table,))


def _kinds(changes: tuple[Change, ...]) -> Counter[str]:
    return Counter(c.kind for c in changes)


def _rebuilt(change: Change) -> tuple[str, str]:
    return "".join(op.old for op in change.ops), "".join(op.new for op in change.ops)


MULTI_HEADER: Rows = [
    ("Programme (KHR billion)", "2024", "", "2025", ""),
    ("", "Budget", "Actual", "Budget", "Actual"),
    ("Social protection", "1,200.0", "1,150.0", "1,400.0", ""),
    ("Health", "800.0", "790.5", "850.0", ""),
]


def test_one_cell_change_names_row_and_multi_row_column_header() -> None:
    new = [list(r) for r in MULTI_HEADER]
    new[2][3] = "1,500.0"
    (change,) = compare(_doc(MULTI_HEADER, 2), _doc([tuple(r) for r in new], 2))
    ref = 'Table 1, row "Social protection", column "2025 / Budget"'
    assert (change.kind, change.old_ref, change.new_ref) == ("modified", ref, ref)
    # The unit sits in the corner cell: the year columns are read in KHR billion.
    assert [(n.old, n.new, n.unit, n.label) for n in change.numbers] == [
        (1.4e12, 1.5e12, "KHR", "Social protection")
    ]
    assert change.new_text == (
        "Social protection | 2024 / Budget: 1,200.0 | 2024 / Actual: 1,150.0"
        " | 2025 / Budget: 1,500.0"
    )
    assert [(op.old, op.new) for op in change.ops if op.tag != "equal"] == [("1,400.0", "1,500.0")]
    assert _rebuilt(change) == (change.old_text, change.new_text)


def test_filled_in_cell_is_an_insertion_in_its_column() -> None:
    new = [list(r) for r in MULTI_HEADER]
    new[3][4] = "845.2"
    (change,) = compare(_doc(MULTI_HEADER, 2), _doc([tuple(r) for r in new], 2))
    assert change.new_ref == 'Table 1, row "Health", column "2025 / Actual"'
    assert [(n.old, n.new, n.unit) for n in change.numbers] == [(None, 845.2e9, "KHR")]
    assert ("insert", "", "845.2") in [(op.tag, op.old, op.new) for op in change.ops]


def test_khmer_cell_change_with_scale_in_header() -> None:
    header = ("ល.រ", "កម្មវិធី", "ថវិកា (ប៊ីលានរៀល)", "អត្រា (ភាគរយ)")
    old = [header, ("១", "គាំពារសង្គម", "១.២០០,០", "២,១"), ("២", "សុខាភិបាល", "៨០០,០", "១,៤")]
    new = [header, ("១", "គាំពារសង្គម", "១.៥០០,០", "២,១"), ("២", "សុខាភិបាល", "៨០០,០", "១,៤")]
    (change,) = compare(_doc(old, language="km"), _doc(new, language="km"))
    assert change.new_ref == 'Table 1, row "គាំពារសង្គម", column "ថវិកា (ប៊ីលានរៀល)"'
    assert [(n.old, n.new, n.unit, n.label) for n in change.numbers] == [
        (1.2e12, 1.5e12, "KHR", "គាំពារសង្គម")
    ]
    assert "ថវិកា (ប៊ីលានរៀល): ១.៥០០,០" in change.new_text
    assert _rebuilt(change) == (change.old_text, change.new_text)


@pytest.mark.parametrize(
    ("header", "rows", "inserted"),
    [
        (
            ("Programme", "2025 (KHR billion)"),
            [
                ("Pensions", "10"),
                ("Health", "800"),
                ("Cash transfers", "1,400"),
                ("Total", "2,210"),
            ],
            ("Disability allowance", "55"),
        ),
        (
            ("កម្មវិធី", "ថវិកា (ប៊ីលានរៀល)"),
            [("សោធន", "១០"), ("សុខាភិបាល", "៨០០"), ("ការផ្ទេរសាច់ប្រាក់", "១.៤០០"), ("សរុប", "២.២១០")],
            ("ប្រាក់ឧបត្ថម្ភជនពិការ", "៥៥"),
        ),
    ],
)
def test_inserted_and_removed_rows_are_single_changes(
    header: tuple[str, ...], rows: Rows, inserted: tuple[str, ...]
) -> None:
    old = [header, *rows]
    new = [header, *rows[:1], inserted, *rows[1:]]
    (added,) = compare(_doc(old), _doc(new))
    assert (added.kind, added.new_ref) == ("added", f'Table 1, row "{inserted[0]}"')
    assert [(n.old, n.new, n.unit, n.label) for n in added.numbers] == [
        (None, 55e9, "KHR", inserted[0])
    ]
    fewer = [header, *rows[:1], *rows[2:]]
    (removed,) = compare(_doc(old), _doc(fewer))
    assert (removed.kind, removed.old_ref) == ("removed", f'Table 1, row "{rows[1][0]}"')
    assert removed.numbers[0].old == 800e9


def test_inserted_column_is_one_change_not_one_per_row() -> None:
    old = [("Programme", "2024 (KHR billion)"), ("Pensions", "10"), ("Health", "800")]
    new = [
        ("Programme", "2024 (KHR billion)", "2025 (KHR billion)"),
        ("Pensions", "10", "12"),
        ("Health", "800", "850"),
    ]
    (change,) = compare(_doc(old), _doc(new))
    assert (change.kind, change.new_ref) == ("added", 'Table 1, column "2025 (KHR billion)"')
    assert [(n.new, n.label) for n in change.numbers] == [(12e9, "Pensions"), (850e9, "Health")]
    (removed,) = compare(_doc(new), _doc(old))
    assert (removed.kind, removed.old_ref) == ("removed", 'Table 1, column "2025 (KHR billion)"')


def test_several_cells_in_a_row_give_one_row_change() -> None:
    header = ("Programme", "2024 (KHR billion)", "Share (%)")
    old = [header, ("Social protection", "1,200", "2.1%"), ("Health", "800", "1.4%")]
    new = [header, ("Social protection", "1,500", "2.5%"), ("Health", "800", "1.4%")]
    (change,) = compare(_doc(old), _doc(new))
    assert change.new_ref == 'Table 1, row "Social protection"'
    assert [(n.old, n.new, n.unit) for n in change.numbers] == [
        (1.2e12, 1.5e12, "KHR"),
        (2.1, 2.5, "%"),
    ]


def test_text_cell_is_diffed_word_by_word() -> None:
    header = ("Benefit", "Who is eligible")
    old = [header, ("Cash transfer", "households holding an IDPoor card")]
    new = [header, ("Cash transfer", "all households with a child under two")]
    (change,) = compare(_doc(old), _doc(new))
    assert change.new_ref == 'Table 1, row "Cash transfer", column "Who is eligible"'
    assert [(op.old, op.new) for op in change.ops if op.tag != "equal"] == [
        ("", "all "),
        ("holding an IDPoor card", "with a child under two"),
    ]
    assert _rebuilt(change) == (change.old_text, change.new_text)


def test_relabelled_row_and_moved_row() -> None:
    header = ("Programme", "KHR billion")
    old = [header, ("Pensions", "10"), ("Health", "800"), ("Cash transfers", "1,400")]
    relabelled = [header, ("Pensions", "10"), ("Health care", "800"), ("Cash transfers", "1,400")]
    (change,) = compare(_doc(old), _doc(relabelled))
    assert change.kind == "modified"
    assert (change.old_ref, change.new_ref) == (
        'Table 1, row "Health", column "Programme"',
        'Table 1, row "Health care", column "Programme"',
    )
    moved = [header, ("Health", "800"), ("Pensions", "10"), ("Cash transfers", "1,400")]
    changes = compare(_doc(old), _doc(moved))
    assert _kinds(changes) == {"moved": 1}


def test_renamed_header_is_one_change() -> None:
    old = [("Programme", "2024 (KHR billion)"), ("Pensions", "10"), ("Health", "800")]
    new = [("Programme", "2025 (KHR billion)"), ("Pensions", "10"), ("Health", "800")]
    (change,) = compare(_doc(old), _doc(new))
    assert (change.kind, change.new_ref) == ("modified", "Table 1, header")
    (edit,) = [op for op in change.ops if op.tag != "equal"]
    assert (edit.old.startswith("2024"), edit.new.startswith("2025")) == (True, True)


def test_rescaled_header_with_rescaled_values_changes_only_the_header() -> None:
    old = [("Programme", "KHR million"), ("Pensions", "10,000"), ("Health", "800,000")]
    new = [("Programme", "KHR billion"), ("Pensions", "10"), ("Health", "800")]
    changes = compare(_doc(old), _doc(new))
    assert [c.new_ref for c in changes] == ["Table 1, header"]


@pytest.mark.parametrize("language", ["en", "km"])
def test_rerendered_table_is_silent(language: Language) -> None:
    if language == "en":
        old = [("Programme", "Budget (KHR billion)"), ("Social protection", "1,200")]
        new = [("Programme", "Budget", "(KHR billion)"), ("Social  protection", "", "1,200")]
    else:
        old = [("កម្មវិធី", "ថវិកា (ប៊ីលានរៀល)"), ("គាំពារសង្គម", "១.២០០")]
        new = [("កម្មវិធី", "ថវិកា", "(ប៊ីលានរៀល)"), ("គាំពារ សង្គម", "", "១.២០០")]
    assert compare(_doc(old, language=language), _doc(new, language=language)) == ()
    assert compare(_doc(old, 1, language), _doc(old, 0, language)) == ()


def test_headerless_grids_that_differ_are_compared_row_by_row() -> None:
    old = [("Pensions", "10", "12"), ("Health", "800", "850")]
    new = [("Pensions", "10", "", "13"), ("Health", "800", "", "850")]
    (change,) = compare(_doc(old, 0), _doc(new, 0))
    assert change.new_ref == 'Table 1, row "Pensions"'
    assert [(op.old.strip(), op.new.strip()) for op in change.ops if op.tag != "equal"] == [
        ("12", "13")
    ]


def test_row_without_letters_is_named_by_position() -> None:
    header = ("No.", "2025")
    old = [header, ("1", "10"), ("2", "20")]
    new = [header, ("1", "10"), ("2", "25")]
    (change,) = compare(_doc(old), _doc(new))
    assert change.new_ref == 'Table 1, row "2", column "2025"'


def test_table_printed_as_text_is_reported_once_but_other_edits_stay() -> None:
    from parsers.compare.diff import compare
    from parsers.document import Document, Section, Table

    def doc(budget: str, note: str) -> Document:
        rows = (("Programme", "2025 (KHR billion)"), ("Social pension", budget))
        text = f"Programme 2025 (KHR billion)\nSocial pension {budget}\n{note}"
        sections = (
            Section("¶1", "", f"Programme 2025 (KHR billion) Social pension {budget}", "paragraph"),
            Section("¶2", "", note, "paragraph"),
        )
        return Document(
            text=text, raw_text=text, language="en", pages=1, method="text",
            sections=sections, sha256=budget, content_type="application/pdf",
            tables=(Table(rows, 1),),
        )  # fmt: skip

    changes = compare(
        doc("120", "Payments are made every month."),
        doc("130", "Payments are made every quarter."),
    )
    refs = [c.new_ref for c in changes]
    assert any(r and r.startswith("Table 1") for r in refs)
    assert "¶1" not in refs, "the table's own paragraph is not a second change"
    assert "¶2" in refs, "an edit outside the table is still a change"
