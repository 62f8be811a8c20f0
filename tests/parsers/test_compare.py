from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from parsers.compare.change import Change
from parsers.compare.diff import compare
from parsers.document import Document, Method, Section, Table
from parsers.khmer import to_khmer_digits

EN_BODIES = [
    "This Sub-decree applies to all workers defined by the provisions of the Labour Law.",
    "Employers shall register their workers with the Fund within 30 days of hiring.",
    "The contribution rate is 4% (employer 2%, worker 2%) of the assumed wage.",
    "Pensions shall be adjusted every year according to Article 3 of this Sub-decree.",
    "Maternity leave is 90 days with a cash benefit of 70% of the wage.",
    "The assumed wage floor is KHR 400,000 and the ceiling is KHR 1,200,000.",
    "Any provisions contrary to this Sub-decree shall be null and void.",
]
KM_BODIES = [
    "អនុក្រឹត្យនេះអនុវត្តចំពោះកម្មករនិយោជិតទាំងអស់ ជាពិសេសស្ត្រី ដែលកំណត់ដោយច្បាប់ស្តីពីការងារ។",
    "និយោជកត្រូវចុះបញ្ជីកម្មករនិយោជិតនៅបេឡាជាតិក្នុងរយៈពេល ៣០ (សាមសិប) ថ្ងៃ។",
    "អត្រាភាគទានគឺ ៤% (បួនភាគរយ) នៃប្រាក់ឈ្នួលប្រចាំខែ។",
    "ប្រាក់សោធនត្រូវកែសម្រួលជារៀងរាល់ឆ្នាំ ស្របតាមមាត្រា ៣ នៃអនុក្រឹត្យនេះ។",
    "ការឈប់សម្រាកលំហែមាតុភាពមានរយៈពេល ៩០ ថ្ងៃ។",
    "ប្រាក់ឈ្នួលអប្បបរមាសម្រាប់គណនាភាគទានគឺ ៤០០.០០០ (បួនសែន) រៀល។",
    "បទប្បញ្ញត្តិទាំងឡាយណាដែលផ្ទុយនឹងអនុក្រឹត្យនេះ ត្រូវទុកជានិរាករណ៍។",
]
LANGS = ["en", "km"]


def _ref(lang: str, n: int) -> str:
    return f"មាត្រា {to_khmer_digits(str(n))}" if lang == "km" else f"Article {n}"


def _article(lang: str, n: int, body: str) -> Section:
    text = f"{_ref(lang, n)} ៖ {body}" if lang == "km" else f"{_ref(lang, n)}. {body}"
    return Section(_ref(lang, n), "", text, "article", str(n))


def make_doc(lang: str, bodies: list[str], *, method: Method = "text") -> Document:
    sections = tuple(_article(lang, n, b) for n, b in enumerate(bodies, 1))
    text = "\n\n".join(s.text for s in sections)
    return Document(
        text, text, "km" if lang == "km" else "en", 2, method, sections, "0" * 64, "text/plain"
    )


def bodies(lang: str) -> list[str]:
    return list(KM_BODIES if lang == "km" else EN_BODIES)


def kinds(changes: tuple[Change, ...]) -> Counter[str]:
    return Counter(c.kind for c in changes)


@pytest.mark.parametrize("lang", LANGS)
def test_identical_documents_have_no_changes(lang: str) -> None:
    assert compare(make_doc(lang, bodies(lang)), make_doc(lang, bodies(lang))) == ()


@pytest.mark.parametrize("lang", LANGS)
def test_inserted_article_gives_one_added_and_renumbered_rest(lang: str) -> None:
    new = bodies(lang)
    inserted = "Domestic workers are covered." if lang == "en" else "ពលករក្នុងផ្ទះត្រូវបានគ្របដណ្តប់។"
    new.insert(2, inserted)
    changes = compare(make_doc(lang, bodies(lang)), make_doc(lang, new))
    assert kinds(changes) == {"added": 1, "renumbered": 5}
    added = changes[0]
    assert (added.kind, added.old_ref, added.new_ref) == ("added", None, _ref(lang, 3))
    assert added.old_text == "" and inserted in added.new_text
    assert [(c.old_ref, c.new_ref) for c in changes[1:]] == [
        (_ref(lang, n), _ref(lang, n + 1)) for n in range(3, 8)
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_removed_article(lang: str) -> None:
    new = bodies(lang)
    del new[1]
    changes = compare(make_doc(lang, bodies(lang)), make_doc(lang, new))
    assert kinds(changes) == {"removed": 1, "renumbered": 5}
    removed = changes[0]
    assert (removed.old_ref, removed.new_ref, removed.new_text) == (_ref(lang, 2), None, "")
    assert bodies(lang)[1] in removed.old_text


@pytest.mark.parametrize("lang", LANGS)
def test_moved_article(lang: str) -> None:
    old = bodies(lang)
    new = [old[0], old[2], old[3], old[4], old[5], old[1], old[6]]
    changes = compare(make_doc(lang, old), make_doc(lang, new))
    moved = [c for c in changes if c.kind == "moved"]
    assert [(c.old_ref, c.new_ref) for c in moved] == [(_ref(lang, 2), _ref(lang, 6))]
    # the others shifted up by one: explained by renumbering, not moves
    assert kinds(changes) == {"moved": 1, "renumbered": 4}


@pytest.mark.parametrize("lang", LANGS)
def test_cross_reference_following_renumbering_is_not_a_change(lang: str) -> None:
    old = bodies(lang)
    new = [old[0], "Inserted." if lang == "en" else "មាត្រាថ្មី។", *old[1:]]
    # Article 3 became Article 4, so "Article 3" in the indexation article became "Article 4"
    new[4] = new[4].replace("Article 3", "Article 4").replace("មាត្រា ៣", "មាត្រា ៤")
    assert new[4] != old[3]
    changes = compare(make_doc(lang, old), make_doc(lang, new))
    assert kinds(changes) == {"added": 1, "renumbered": 6}


@pytest.mark.parametrize("lang", LANGS)
def test_cross_reference_to_another_article_is_a_change(lang: str) -> None:
    new = bodies(lang)
    new[3] = new[3].replace("Article 3", "Article 5").replace("មាត្រា ៣", "មាត្រា ៥")
    (change,) = compare(make_doc(lang, bodies(lang)), make_doc(lang, new))
    assert (change.kind, change.old_ref, change.new_ref) == (
        "modified",
        _ref(lang, 4),
        _ref(lang, 4),
    )
    assert [(op.old.strip(), op.new.strip()) for op in change.ops if op.tag != "equal"] == [
        ("3", "5") if lang == "en" else ("៣", "៥")
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_renumbered_and_modified_is_modified_with_both_refs(lang: str) -> None:
    new = bodies(lang)
    new.insert(0, "New first article." if lang == "en" else "មាត្រាទីមួយថ្មី។")
    new[5] = new[5].replace("90", "98").replace("៩០", "៩៨")
    changes = compare(make_doc(lang, bodies(lang)), make_doc(lang, new))
    (modified,) = [c for c in changes if c.kind == "modified"]
    assert (modified.old_ref, modified.new_ref) == (_ref(lang, 5), _ref(lang, 6))
    assert [(n.old, n.new, n.unit) for n in modified.numbers] == [(90.0, 98.0, "day")]
    assert kinds(changes) == {"added": 1, "modified": 1, "renumbered": 6}


COSMETIC_EN: list[Callable[[str], str]] = [
    lambda t: t.replace(" ", "   "),
    lambda t: t.replace("workers ", "workers\n").replace("the ", "the\n  "),
    lambda t: t.replace("provisions", "pro-\nvisions").replace("contribution", "contri-\nbution"),
    lambda t: t.replace("Fund", "Fund\u200b").replace("wage", "wa\u00adge"),
    lambda t: t.replace(", worker", " worker").replace(".", " ."),
    lambda t: t.replace("Labour Law.", "Labour Law.\n12\n").replace(
        "hiring.", "hiring.\nPage 2 of 9\n"
    ),
]
COSMETIC_KM: list[Callable[[str], str]] = [
    lambda t: t.replace("ស្តី", "ស្ដី"),  # coeng-DA instead of coeng-TA
    lambda t: t.replace("ស្ត្រី", "ស្រ្តី"),  # coeng-Ro typed first
    lambda t: t.replace("កម្មករ", "កម្មករ\u200b").replace("ក្នុង", "\u200bក្នុង"),
    lambda t: t.replace("និយោជក", "និយោ\nជក").replace("បេឡាជាតិ", "បេឡា ជាតិ"),
    lambda t: t.replace("។", "").replace("ថ្ងៃ", "ថ្ងៃ ។"),
    lambda t: t.replace("ស្រប", "\u00a0ស្រប").replace(" ", "  "),
    lambda t: t.replace("ឆ្នាំ ស្រប", "ឆ្នាំ\n២\nស្រប"),  # a bare page number on its own line
]


@pytest.mark.parametrize("edit", range(len(COSMETIC_EN)))
def test_cosmetic_differences_are_not_changes_en(edit: int) -> None:
    new = [COSMETIC_EN[edit](b) for b in EN_BODIES]
    assert new != EN_BODIES
    assert compare(make_doc("en", EN_BODIES), make_doc("en", new)) == ()


@pytest.mark.parametrize("edit", range(len(COSMETIC_KM)))
def test_cosmetic_differences_are_not_changes_km(edit: int) -> None:
    new = [COSMETIC_KM[edit](b) for b in KM_BODIES]
    assert new != KM_BODIES
    assert compare(make_doc("km", KM_BODIES), make_doc("km", new)) == ()


def test_all_cosmetic_edits_together_are_not_changes() -> None:
    en, km = list(EN_BODIES), list(KM_BODIES)
    for edit in COSMETIC_EN:
        en = [edit(b) for b in en]
    for edit_km in COSMETIC_KM:
        km = [edit_km(b) for b in km]
    assert compare(make_doc("en", EN_BODIES), make_doc("en", en)) == ()
    assert compare(make_doc("km", KM_BODIES), make_doc("km", km)) == ()


def test_a_changed_bare_number_line_is_a_change() -> None:
    old = make_doc("en", ["Rates per year:\n12\nas listed."])
    new = make_doc("en", ["Rates per year:\n15\nas listed."])
    (change,) = compare(old, new)
    assert change.kind == "modified"


@pytest.mark.parametrize(
    ("lang", "old_text", "new_text", "expected"),
    [
        ("en", "4% (employer 2%, worker 2%)", "6% (employer 3%, worker 3%)",
         [(4.0, 6.0, "%"), (2.0, 3.0, "%"), (2.0, 3.0, "%")]),
        ("km", "៤% (បួនភាគរយ)", "៦% (ប្រាំមួយភាគរយ)", [(4.0, 6.0, "%")]),
        ("km", "បួនភាគរយ", "ប្រាំមួយភាគរយ", [(4.0, 6.0, "%")]),
        ("km", "៤% (និយោជក ២% និងកម្មករ ២%)", "៦% (និយោជក ៣% និងកម្មករ ៣%)",
         [(4.0, 6.0, "%"), (2.0, 3.0, "%"), (2.0, 3.0, "%")]),
    ],
)  # fmt: skip
def test_contribution_rate_numbers_are_paired(
    lang: str, old_text: str, new_text: str, expected: list[tuple[float, float, str]]
) -> None:
    old, new = bodies(lang), bodies(lang)
    target = "4% (employer 2%, worker 2%)" if lang == "en" else "៤% (បួនភាគរយ)"
    old[2] = old[2].replace(target, old_text)
    new[2] = new[2].replace(target, new_text)
    (change,) = compare(make_doc(lang, old), make_doc(lang, new))
    assert (change.kind, change.old_ref, change.new_ref) == (
        "modified",
        _ref(lang, 3),
        _ref(lang, 3),
    )
    assert [(n.old, n.new, n.unit) for n in change.numbers] == expected
    assert change.old_text == make_doc(lang, old).sections[2].text
    assert change.new_text == make_doc(lang, new).sections[2].text


@pytest.mark.parametrize("lang", LANGS)
def test_riel_amount_with_dot_grouping_and_duration(lang: str) -> None:
    new = bodies(lang)
    if lang == "km":
        new[5] = new[5].replace("៤០០.០០០ (បួនសែន)", "៥០០.០០០ (ប្រាំសែន)")
        new[4] = new[4].replace("៩០", "៩៨")
    else:
        new[5] = new[5].replace("KHR 400,000", "KHR 500,000")
        new[4] = new[4].replace("90 days", "98 days")
    changes = compare(make_doc(lang, bodies(lang)), make_doc(lang, new))
    assert [(c.ref, [(n.old, n.new, n.unit) for n in c.numbers]) for c in changes] == [
        (_ref(lang, 5), [(90.0, 98.0, "day")]),
        (_ref(lang, 6), [(400000.0, 500000.0, "KHR")]),
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_ops_rebuild_both_texts(lang: str) -> None:
    new = bodies(lang)
    new[2] = new[2].replace("4%", "6%").replace("៤%", "៦%") + (
        " New sentence." if lang == "en" else " ប្រយោគថ្មី។"
    )
    (change,) = compare(make_doc(lang, bodies(lang)), make_doc(lang, new))
    assert "".join(op.old for op in change.ops) == change.old_text
    assert "".join(op.new for op in change.ops) == change.new_text
    changed = [(op.tag, op.old.strip(), op.new.strip()) for op in change.ops if op.tag != "equal"]
    assert changed[0] == ("replace", "4", "6") if lang == "en" else ("replace", "៤", "៦")
    assert changed[-1][0] == "insert"


@pytest.mark.parametrize("method", ["ocr", "mixed"])
def test_ocr_side_needs_check(method: Method) -> None:
    new = bodies("km")
    new[4] = new[4].replace("៩០", "៩៨")
    (change,) = compare(make_doc("km", bodies("km")), make_doc("km", new, method=method))
    assert change.needs_check
    (plain,) = compare(make_doc("km", bodies("km")), make_doc("km", new))
    assert not plain.needs_check


@pytest.mark.parametrize("lang", LANGS)
def test_against_an_empty_document(lang: str) -> None:
    empty = Document("", "", "en", 0, "text", (), "", "text/plain")
    doc = make_doc(lang, bodies(lang))
    added = compare(empty, doc)
    assert [c.kind for c in added] == ["added"] * 7
    assert [c.new_ref for c in added] == [_ref(lang, n) for n in range(1, 8)]
    assert (90.0, "day") in [(n.new, n.unit) for c in added for n in c.numbers if n.old is None]
    removed = compare(doc, empty)
    assert [c.kind for c in removed] == ["removed"] * 7
    assert all(c.new_text == "" and c.old_text for c in removed)


def _plain(paragraphs: list[str]) -> Document:
    return Document("\n\n".join(paragraphs), "", "en", 1, "text", (), "", "text/plain")


@pytest.mark.parametrize("lang", LANGS)
def test_unstructured_paragraphs_align_by_content(lang: str) -> None:
    old = bodies(lang)
    new = [old[0], "A new paragraph." if lang == "en" else "កថាខណ្ឌថ្មី។", *old[1:]]
    new[5] = new[5].replace("90", "98").replace("៩០", "៩៨")  # was old[4]
    changes = compare(_plain(old), _plain(new))
    assert [(c.kind, c.old_ref, c.new_ref) for c in changes] == [
        ("added", None, "¶2"),
        ("modified", "¶5", "¶6"),
    ]


def test_unstructured_paragraph_moved() -> None:
    old = list(EN_BODIES)
    new = [old[0], old[2], old[3], old[4], old[1], old[5], old[6]]
    changes = compare(_plain(old), _plain(new))
    assert [(c.kind, c.old_ref, c.new_ref) for c in changes] == [("moved", "¶2", "¶5")]


@pytest.mark.parametrize("lang", LANGS)
def test_rewritten_article_is_modified_not_removed_and_added(lang: str) -> None:
    new = bodies(lang)
    new[6] = "Completely different final words here." if lang == "en" else "ពាក្យចុងក្រោយខុសគ្នាទាំងស្រុង។"
    changes = compare(make_doc(lang, bodies(lang)), make_doc(lang, new))
    assert [(c.kind, c.old_ref, c.new_ref) for c in changes] == [
        ("modified", _ref(lang, 7), _ref(lang, 7))
    ]


def test_heading_comes_from_the_new_side() -> None:
    old = Document(
        "",
        "",
        "en",
        1,
        "text",
        (Section("Article 1", "Scope", "Article 1. Scope\nAll workers.", "article", "1"),),
        "",
        "",
    )
    new = Document(
        "",
        "",
        "en",
        1,
        "text",
        (Section("Article 1", "Coverage", "Article 1. Coverage\nAll workers.", "article", "1"),),
        "",
        "",
    )
    (change,) = compare(old, new)
    assert change.heading == "Coverage"


def _with_table(rows: list[tuple[str, ...]]) -> Document:
    doc = make_doc("en", EN_BODIES)
    return Document(
        doc.text,
        doc.raw_text,
        "en",
        2,
        "text",
        doc.sections,
        "",
        "",
        tables=(Table(tuple(rows), 1),),
    )


def test_table_cell_change_is_a_row_change_with_scaled_numbers() -> None:
    header = ("Programme", "2024 (KHR billion)", "Share (%)")
    old = _with_table([header, ("Social protection", "1,200", "2.1%"), ("Health", "800", "1.4%")])
    new = _with_table([header, ("Social protection", "1,500", "2.5%"), ("Health", "800", "1.4%")])
    (change,) = compare(old, new)
    assert (change.kind, change.old_ref, change.new_ref) == (
        "modified", 'Table 1, row "Social protection"', 'Table 1, row "Social protection"'
    )  # fmt: skip
    assert [(n.old, n.new, n.unit, n.label) for n in change.numbers] == [
        (1.2e12, 1.5e12, "KHR", "Social protection"),
        (2.1, 2.5, "%", "Social protection"),
    ]


def test_table_khmer_rows_added_and_unchanged_tables_silent() -> None:
    header = ("កម្មវិធី", "ពាន់លានរៀល")
    old = _with_table([header, ("គាំពារសង្គម", "១.២០០")])
    assert compare(old, old) == ()
    new = _with_table([header, ("គាំពារសង្គម", "១.២០០"), ("សុខាភិបាល", "៨០០")])
    (change,) = compare(old, new)
    assert (change.kind, change.new_ref) == ("added", 'Table 1, row "សុខាភិបាល"')


@pytest.mark.parametrize("lang", LANGS)
def test_long_document_insertion_is_not_a_cascade(lang: str) -> None:
    many = [f"{b} {k}" for k in range(40) for b in bodies(lang)][:280]
    new = [*many[:10], "Inserted provision." if lang == "en" else "បទប្បញ្ញត្តិបន្ថែម។", *many[10:]]
    assert many[200].startswith(bodies(lang)[4])  # the maternity article
    new[201] = new[201].replace("90", "60").replace("៩០", "៦០")
    changes = compare(make_doc(lang, many), make_doc(lang, new))
    assert kinds(changes) == {"added": 1, "modified": 1, "renumbered": 269}
    (modified,) = [c for c in changes if c.kind == "modified"]
    assert (modified.old_ref, modified.new_ref) == (_ref(lang, 201), _ref(lang, 202))
    assert [(n.old, n.new) for n in modified.numbers] == [(90.0, 60.0)]


def test_roman_chapter_numbers_and_khmer_ordinal_references_follow_renumbering() -> None:
    def doc(sections: list[tuple[str, str, str, str]]) -> Document:
        secs = tuple(Section(ref, "", text, kind, num) for ref, kind, num, text in sections)
        return Document("", "", "mixed", 1, "text", secs, "", "")

    old = doc([
        ("Chapter I", "chapter", "I", "CHAPTER I GENERAL PROVISIONS"),
        ("Article 1", "article", "1", "Article 1. Scope of the scheme."),
        ("Chapter II", "chapter", "II", "CHAPTER II BENEFITS"),
        ("មាត្រា ២", "article", "2", "មាត្រា ២ ៖ អត្ថប្រយោជន៍តាមមាត្រាទី ១ ត្រូវបង់ប្រចាំខែ។"),
    ])  # fmt: skip
    new = doc([
        ("Chapter I", "chapter", "I", "CHAPTER I GENERAL PROVISIONS"),
        ("Article 1", "article", "1", "Article 1. Definitions used in this text."),
        ("Article 2", "article", "2", "Article 2. Scope of the scheme."),
        ("Chapter II", "chapter", "II", "CHAPTER II REGISTRATION"),
        ("Chapter III", "chapter", "III", "CHAPTER III BENEFITS"),
        ("មាត្រា ៣", "article", "3", "មាត្រា ៣ ៖ អត្ថប្រយោជន៍តាមមាត្រាទី ២ ត្រូវបង់ប្រចាំខែ។"),
    ])  # fmt: skip
    changes = compare(old, new)
    assert [(c.kind, c.old_ref, c.new_ref) for c in changes] == [
        ("added", None, "Article 1"),
        ("renumbered", "Article 1", "Article 2"),
        ("added", None, "Chapter II"),
        ("renumbered", "Chapter II", "Chapter III"),
        ("renumbered", "មាត្រា ២", "មាត្រា ៣"),
    ]


def _ocr_pair(old_text: str, new_text: str, method: str) -> tuple[Document, Document]:
    def doc(text: str, how: str) -> Document:
        return Document(
            text=text, raw_text=text, language="en", pages=1, method=how,  # type: ignore[arg-type]
            sections=(Section("Article 4", "", text, "article", "4"),),
            sha256=text, content_type="application/pdf",
        )  # fmt: skip

    return doc(old_text, method), doc(new_text, "text")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Article 4 The minimum wage is paid monthly.",
            "Article 4 The minimum wale is paid monthly.",
        ),
        ("មាត្រា ៤ ប្រាក់សោធនត្រូវបើកជូនប្រចាំខែ។", "មាត្រា ៤ ប្រាក់សោធនត្រវបើកជូនប្រចាំខែ។"),
    ],
)
def test_ocr_misreading_of_a_word_is_not_a_change_but_the_same_edit_in_text_is(
    old: str, new: str
) -> None:
    assert compare(*_ocr_pair(old, new, "ocr")) == ()
    assert [c.kind for c in compare(*_ocr_pair(old, new, "text"))] == ["modified"]


def test_ocr_never_forgives_a_changed_number() -> None:
    old, new = "Article 4 The rate is 4% of wages.", "Article 4 The rate is 6% of wages."
    [change] = compare(*_ocr_pair(old, new, "ocr"))
    assert change.needs_check and [(n.old, n.new) for n in change.numbers] == [(4.0, 6.0)]
