"""Number pairs only between the same parameter, English and Khmer: clauses aligned across
versions, numbers paired by their role, labels from the clause, dates and references never
quantities."""

from __future__ import annotations

import pytest

from parsers.compare.change import NumberChange
from parsers.compare.clauses import clauses
from parsers.compare.diff import compare
from parsers.compare.quantities import column_hint, find_quantities, pair_numbers
from parsers.document import Document, Language, Section, Table
from parsers.khmer import normalize, to_khmer_digits

Triple = tuple[float | None, float | None, str]


def _numbers(old: str, new: str) -> tuple[NumberChange, ...]:
    return pair_numbers(find_quantities(old), find_quantities(new), old_text=old, new_text=new)


def _pairs(old: str, new: str) -> list[Triple]:
    return [(n.old, n.new, n.unit) for n in _numbers(old, new)]


def _doc(body: str, language: Language = "en") -> Document:
    section = Section("Article 2", "", body, "article", "2")
    return Document(body, body, language, 1, "text", (section,), "", "text/plain")


def _compared(old: str, new: str, language: Language = "en") -> list[NumberChange]:
    return [n for c in compare(_doc(old, language), _doc(new, language)) for n in c.numbers]


def _table(rows: list[tuple[str, ...]], language: Language = "en") -> Document:
    table = Table(tuple(rows), 1, 1)
    return Document("", "", language, 1, "text", (), "", "", tables=(table,))


def _value_pairs(numbers: list[NumberChange]) -> list[Triple]:
    return [(n.old, n.new, n.unit) for n in numbers if n.old is not None and n.new is not None]


# --- clauses ---------------------------------------------------------------------------------


def test_clauses_split_at_sentences_items_and_column_lines_not_in_numbers() -> None:
    text = (
        "The rate is 2.5% of the wage. Art. 3 applies.\n"
        "The fees are:\n(a) registration KHR 50,000;\n(b) renewal KHR 30,000.\n"
        "Registration      KHR 50,000\nRenewal      KHR 30,000"
    )
    spans = [text[c.start : c.end].strip() for c in clauses(text)]
    assert spans == [
        "The rate is 2.5% of the wage.",
        "Art. 3 applies.",
        "The fees are:",
        "(a) registration KHR 50,000;",
        "(b) renewal KHR 30,000.",
        "Registration      KHR 50,000",
        "Renewal      KHR 30,000",
    ]


def test_clauses_khmer_split_at_khan_and_list_items() -> None:
    text = normalize(
        "អត្រាភាគទានគឺ ២%។ ប្រាក់ឈ្នួលសន្មត់៖\nក. អប្បបរមា ៤០០.០០០ រៀល\nខ. អតិបរមា ១.២០០.០០០ រៀល"
    )
    spans = [text[c.start : c.end].strip() for c in clauses(text)]
    assert len(spans) == 4 and spans[0].endswith("២%។") and spans[3].startswith("ខ.")


# --- pairing across unrelated clauses --------------------------------------------------------


SCHEDULE_EN = (
    "The assumed wage of each class is as follows:\n"
    "Class 1: a wage below KHR 200,000 has an assumed wage of KHR 150,000;\n"
    "Class 2: a wage from KHR 200,000 to KHR 400,000 has an assumed wage of KHR 300,000;\n"
    "Class 3: a wage above KHR 400,000 has an assumed wage of KHR 500,000."
)
REPLACED_EN = (
    "The assumed wage is the monthly wage actually paid to the worker. The minimum assumed "
    "wage is KHR 400,000 and the maximum assumed wage is KHR 1,200,000."
)
SCHEDULE_KM = normalize(
    "ប្រាក់ឈ្នួលសន្មត់តាមថ្នាក់មានដូចខាងក្រោម៖\n"
    "ថ្នាក់ទី១ ប្រាក់ឈ្នួលតិចជាង ២០០.០០០ រៀល មានប្រាក់ឈ្នួលសន្មត់ ១៥០.០០០ រៀល។\n"
    "ថ្នាក់ទី២ ប្រាក់ឈ្នួលពី ២០០.០០០ រៀល ដល់ ៤០០.០០០ រៀល មានប្រាក់ឈ្នួលសន្មត់ ៣០០.០០០ រៀល។\n"
    "ថ្នាក់ទី៣ ប្រាក់ឈ្នួលលើសពី ៤០០.០០០ រៀល មានប្រាក់ឈ្នួលសន្មត់ ៥០០.០០០ រៀល។"
)
REPLACED_KM = normalize(
    "ប្រាក់ឈ្នួលសន្មត់គឺជាប្រាក់ឈ្នួលប្រចាំខែដែលបានបើកឱ្យកម្មករពិតប្រាកដ។ "
    "ប្រាក់ឈ្នួលសន្មត់អប្បបរមាគឺ ៤០០.០០០ រៀល និងប្រាក់ឈ្នួលសន្មត់អតិបរមាគឺ ១.២០០.០០០ រៀល។"
)


@pytest.mark.parametrize(
    ("old", "new", "language"),
    [(SCHEDULE_EN, REPLACED_EN, "en"), (SCHEDULE_KM, REPLACED_KM, "km")],
)
def test_repealed_schedule_is_not_paired_value_by_value(
    old: str, new: str, language: Language
) -> None:
    numbers = _compared(old, new, language)
    assert numbers and _value_pairs(numbers) == []
    removed = {n.old for n in numbers if n.new is None}
    assert {150000, 300000, 500000} <= removed  # the schedule's assumed wages
    assert [n.new for n in numbers if n.old is None][-1] == 1200000  # the new maximum


def test_amended_schedule_pairs_class_by_class() -> None:
    raised = SCHEDULE_EN
    for old, new in (("500,000", "600,000"), ("400,000", "500,000"), ("300,000", "350,000"),
                     ("200,000", "250,000"), ("150,000", "200,000")):  # fmt: skip
        raised = raised.replace(old, new)
    numbers = _compared(SCHEDULE_EN, raised)
    assert _value_pairs(numbers) == [
        (200000, 250000, "KHR"), (150000, 200000, "KHR"), (200000, 250000, "KHR"),
        (400000, 500000, "KHR"), (300000, 350000, "KHR"), (400000, 500000, "KHR"),
        (500000, 600000, "KHR"),
    ]  # fmt: skip
    assert [n.label for n in numbers] == ["wage", "assumed wage", "wage", "wage", "assumed wage",
                                          "wage", "assumed wage"]  # fmt: skip


DEFINITIONS_EN = [
    '(1) "Small employer" means an employer whose annual payroll does not exceed $50,000;',
    '(2) "Eligible project" means a training project with a total cost of at least $10,000;',
    '(3) "Grant" means an award of not more than $500,000 for an eligible project.',
]
DEFINITIONS_KM = [
    "ក. «សហគ្រាសតូច» សំដៅលើសហគ្រាសដែលមានប្រាក់បៀវត្សសរុបប្រចាំឆ្នាំមិនលើសពី ២០០.០០០.០០០ រៀល។",
    "ខ. «គម្រោងមានសិទ្ធិ» សំដៅលើគម្រោងបណ្តុះបណ្តាលដែលមានថ្លៃដើមសរុបយ៉ាងតិច ៤០.០០០.០០០ រៀល។",
    "គ. «ជំនួយ» សំដៅលើប្រាក់ឧបត្ថម្ភមិនលើសពី ២.០០០.០០០.០០០ រៀល សម្រាប់គម្រោងមានសិទ្ធិ។",
]


@pytest.mark.parametrize(
    ("items", "old_value", "new_text", "language", "label"),
    [
        (DEFINITIONS_EN, 500000, "$750,000", "en", "award"),
        (DEFINITIONS_KM, 2e9, "៣.០០០.០០០.០០០ រៀល", "km", "ប្រាក់ឧបត្ថម្ភ"),
    ],
)
def test_repealed_definition_keeps_its_amount(
    items: list[str], old_value: float, new_text: str, language: Language, label: str
) -> None:
    old = "\n".join(normalize(i) for i in items)
    amount = find_quantities(items[2])[0].text
    new = "\n".join(normalize(i) for i in items[1:]).replace(amount, new_text)
    numbers = _compared(old, new, language)
    (pair,) = [n for n in numbers if n.old is not None and n.new is not None]
    assert (pair.old, pair.label) == (old_value, label)
    (removed,) = [n for n in numbers if n.new is None]
    assert removed.old == find_quantities(items[0])[0].value


def test_repealed_definition_and_a_new_one_do_not_pair() -> None:
    new_definition = '(3) "Large grant" means a grant for a single project of more than $500,000.'
    old = "\n".join(DEFINITIONS_EN[:2])
    new = "\n".join([DEFINITIONS_EN[1], new_definition])
    assert _pairs(old, new) == [(50000, None, "USD"), (None, 500000, "USD")]


FEES_EN = [
    ("Registration of an enterprise", "KHR 50,000"),
    ("Renewal of registration", "KHR 30,000"),
    ("Replacement of a membership card", "KHR 10,000"),
    ("Certificate of contribution", "KHR 20,000"),
]
FEES_KM = [
    ("ការចុះបញ្ជីសហគ្រាស", "៥០.០០០ រៀល"),
    ("ការបន្តសុពលភាពការចុះបញ្ជី", "៣០.០០០ រៀល"),
    ("ការប្តូរប័ណ្ណសមាជិក", "១០.០០០ រៀល"),
    ("វិញ្ញាបនបត្របង់ភាគទាន", "២០.០០០ រៀល"),
]


def _lines(rows: list[tuple[str, str]]) -> str:
    return "\n".join(normalize(f"{label}      {fee}") for label, fee in rows)


@pytest.mark.parametrize(
    ("rows", "inserted", "raised_fee", "language"),
    [(FEES_EN, ("Change of address", "KHR 15,000"), "KHR 30,000", "en"),
     (FEES_KM, ("ការប្តូរអាសយដ្ឋាន", "១៥.០០០ រៀល"), "៣០.០០០ រៀល", "km")],
)  # fmt: skip
def test_row_inserted_in_a_fee_list_shifts_no_pair(
    rows: list[tuple[str, str]], inserted: tuple[str, str], raised_fee: str, language: Language
) -> None:
    """Insert the row at every place, with the last fee raised: one added, one pair."""
    raised = (rows[-1][0], raised_fee)
    for at in range(len(rows)):
        new_rows = [*rows[:at], inserted, *rows[at:-1], raised]
        numbers = _compared(_lines(rows), _lines(new_rows), language)
        assert [(n.old is None, n.new is None) for n in numbers].count((True, False)) == 1
        (pair,) = [n for n in numbers if n.old is not None and n.new is not None]
        assert (pair.old, pair.new, pair.label) == (20000, 30000, normalize(rows[-1][0]))


def _numbered(header: tuple[str, str, str], rows: list[tuple[str, str]], khmer: bool) -> Document:
    digits = to_khmer_digits if khmer else str
    amount = [next(w for w in fee.split() if w[0].isdigit()) for _, fee in rows]
    body = [(digits(str(k)), label, amount[k - 1]) for k, (label, _) in enumerate(rows, 1)]
    return _table([header, *body], "km" if khmer else "en")


@pytest.mark.parametrize(
    ("header", "rows", "inserted", "khmer"),
    [
        (("No.", "Service", "Fee (KHR)"), FEES_EN, ("Change of address", "KHR 15,000"), False),
        (("ល.រ", "សេវា", "កម្រៃ (រៀល)"), FEES_KM, ("ការប្តូរអាសយដ្ឋាន", "១៥.០០០ រៀល"), True),
    ],
)
def test_row_inserted_in_a_numbered_table_shifts_no_pair(
    header: tuple[str, str, str],
    rows: list[tuple[str, str]],
    inserted: tuple[str, str],
    khmer: bool,
) -> None:
    """Every later row gets a new number in the first column: not an amount, not a pair,
    not a change; the inserted row is the one change."""
    old = _numbered(header, rows, khmer)
    new = _numbered(header, [rows[0], inserted, *rows[1:]], khmer)
    changes = compare(old, new)
    assert [c.kind for c in changes] == ["added"]
    numbers = [n for c in changes for n in c.numbers]
    assert [(n.old, n.new, n.label) for n in numbers] == [(None, 15000, inserted[0])]


def test_row_inserted_in_a_table_without_text_shifts_no_pair() -> None:
    header = ("Years of contribution", "Pension (% of wage)")
    pension = [header, ("20", "40%"), ("25", "45%"), ("30", "50%")]
    longer = [*pension[:2], ("22", "42%"), pension[2], ("30", "52%")]
    numbers = [n for c in compare(_table(pension), _table(longer)) for n in c.numbers]
    assert _value_pairs(numbers) == [(50, 52, "%")]


SPLIT_EN = (
    "The employer contribution rate is 2% and the worker contribution rate is 2% of the "
    "assumed wage.",
    "The employer contribution rate is 3% of the assumed wage. The worker contribution rate "
    "is 2.5% of the assumed wage.",
    ("employer contribution rate", "worker contribution rate"),
)
SPLIT_KM = (
    "អត្រាភាគទានរបស់និយោជកគឺ ២% និងអត្រាភាគទានរបស់កម្មករគឺ ២% នៃប្រាក់ឈ្នួលសន្មត់។",
    "អត្រាភាគទានរបស់និយោជកគឺ ៣% នៃប្រាក់ឈ្នួលសន្មត់។ អត្រាភាគទានរបស់កម្មករគឺ ២,៥% នៃប្រាក់ឈ្នួលសន្មត់។",
    ("អត្រាភាគទានរបស់និយោជក", "អត្រាភាគទានរបស់កម្មករ"),
)


@pytest.mark.parametrize(("old", "new", "labels"), [SPLIT_EN, SPLIT_KM])
def test_a_sentence_split_in_two_keeps_each_pair_by_its_label(
    old: str, new: str, labels: tuple[str, str]
) -> None:
    numbers = _numbers(normalize(old), normalize(new))
    assert [(n.old, n.new, n.label) for n in numbers] == [
        (2, 3, normalize(labels[0])),
        (2, 2.5, normalize(labels[1])),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Sickness benefit is paid for 6 months. A worker who has contributed for 12 months "
            "is entitled to an old-age pension.",
            "Sickness benefit is paid for 9 months. Unemployment benefit is paid for 3 months "
            "after the end of employment.",
        ),
        (
            "ប្រាក់ឧបត្ថម្ភជំងឺត្រូវផ្តល់រយៈពេល ៦ ខែ។ កម្មករដែលបានបង់ភាគទានរយៈពេល ១២ ខែ មានសិទ្ធិទទួលសោធននិវត្តន៍។",
            "ប្រាក់ឧបត្ថម្ភជំងឺត្រូវផ្តល់រយៈពេល ៩ ខែ។ ប្រាក់ឧបត្ថម្ភគ្មានការងារធ្វើត្រូវផ្តល់រយៈពេល ៣ ខែ "
            "ក្រោយពេលបញ្ចប់ការងារ។",
        ),
    ],
)
def test_periods_of_unrelated_sentences_do_not_pair(old: str, new: str) -> None:
    assert _pairs(normalize(old), normalize(new)) == [
        (6, 9, "month"),
        (12, None, "month"),
        (None, 3, "month"),
    ]


def test_pairing_does_not_depend_on_digit_script() -> None:
    old, new = SCHEDULE_EN, SCHEDULE_EN.replace("300,000", "350,000").replace("Class 3", "Class 4")
    assert _pairs(old, new) == _pairs(to_khmer_digits(old), to_khmer_digits(new))


# --- dates and references --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "This Act may be cited as the Fiscal Year 2025 Budget Support Act.",
        "The Fund shall report for the fiscal year 2025 year-end.",
        "This applies from 1 January 2027, beginning in the 2025 calendar year.",
        "ថវិកាឆ្នាំ ២០២៥ និងឆ្នាំសារពើពន្ធ ២០២៥",
        "ចាប់ពីថ្ងៃទី១ ខែមករា ឆ្នាំ២០២៧",
        "for fiscal years 2023 and 2025 years",
    ],
)
def test_dates_are_not_durations(text: str) -> None:
    assert find_quantities(normalize(text)) == []


def test_a_date_edit_is_no_number_pair_and_the_period_beside_it_is() -> None:
    old = "The Fund shall report for the fiscal year 2025 year-end within 90 days."
    new = "The Fund shall report for the fiscal year 2027 year-end within 60 days."
    assert _pairs(old, new) == [(90, 60, "day")]
    km_old = normalize("អនុក្រឹត្យនេះអនុវត្តចាប់ពីថ្ងៃទី១ ខែមករា ឆ្នាំ២០២៥ ហើយរបាយការណ៍ត្រូវដាក់ក្នុងរយៈពេល ៣០ ថ្ងៃ។")
    km_new = km_old.replace("២០២៥", "២០២៧").replace("៣០", "៦០")
    assert _pairs(km_old, km_new) == [(30, 60, "day")]


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        ("Fiscal Year", ("", 1.0)),
        ("Year", ("", 1.0)),
        ("ឆ្នាំ", ("", 1.0)),
        ("Years of contribution", ("year", 1.0)),
        ("Period (months)", ("month", 1.0)),
        ("រយៈពេល (ខែ)", ("month", 1.0)),
        ("ចំនួនថ្ងៃ", ("day", 1.0)),
    ],
)
def test_a_year_column_holds_dates_a_duration_column_durations(
    header: str, hint: tuple[str, float]
) -> None:
    assert column_hint(normalize(header)) == hint


@pytest.mark.parametrize(
    ("rows", "amounts"),
    [
        ([("Fiscal Year", "Allocation (USD)"), ("2024", "1,000,000"), ("2025", "1,200,000")],
         [("2025", "1,250,000"), ("2026", "1,400,000")]),
        ([("ឆ្នាំ", "ថវិកា (លានរៀល)"), ("២០២៤", "១.០០០"), ("២០២៥", "១.២០០")],
         [("២០២៥", "១.២៥០"), ("២០២៦", "១.៤០០")]),
    ],
)  # fmt: skip
def test_year_rows_pair_their_amounts_and_the_years_are_no_numbers(
    rows: list[tuple[str, str]], amounts: list[tuple[str, str]]
) -> None:
    numbers = [n for c in compare(_table(rows), _table([rows[0], *amounts])) for n in c.numbers]
    assert all(n.unit not in ("year", "month", "day") for n in numbers)
    assert len(_value_pairs(numbers)) == 1


@pytest.mark.parametrize(
    "text",
    ["see Article 5", "Articles 5 and 6 days", "§ 38-2903", "Law No. 12", "មាត្រា ១២", "ជំពូក ៣"],
)
def test_provision_numbers_are_not_quantities(text: str) -> None:
    assert find_quantities(normalize(text), unit_hint="KHR") == []


def test_a_renumbered_reference_in_an_amount_column_is_no_pair() -> None:
    header = ("Item", "Amount (KHR)")
    old = [header, ("Registration fee", "50,000"), ("Late fee", "see Article 5")]
    new = [header, ("Registration fee", "60,000"), ("Late fee", "see Article 7")]
    numbers = [n for c in compare(_table(old), _table(new)) for n in c.numbers]
    assert [(n.old, n.new, n.label) for n in numbers] == [(50000, 60000, "Registration fee")]
    assert [
        (q.value, q.unit) for q in find_quantities("within 30 days of Article 5(2)(b), 12 months")
    ] == [
        (30, "day"),
        (12, "month"),
    ]


# --- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "labels"),
    [
        (
            "A woman worker is entitled to a maternity allowance of 70% of her wage for 90 days.",
            "A woman worker is entitled to a maternity allowance of 100% of her wage for 98 days.",
            ["maternity allowance", ""],
        ),
        (
            "ស្ត្រីកម្មករមានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភមាតុភាព ៧០% នៃប្រាក់ឈ្នួលមធ្យម ក្នុងរយៈពេល ៩០ ថ្ងៃ។",
            "ស្ត្រីកម្មករមានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភមាតុភាព ១០០% នៃប្រាក់ឈ្នួលមធ្យម ក្នុងរយៈពេល ៩៨ ថ្ងៃ។",
            ["ប្រាក់ឧបត្ថម្ភមាតុភាព", ""],
        ),
        (
            "កម្មការិនីទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង ៧០% នៃប្រាក់ឈ្នួលមធ្យម រយៈពេល ៩០ ថ្ងៃ។",
            "កម្មការិនីទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង ១០០% នៃប្រាក់ឈ្នួលមធ្យម រយៈពេល ៩៨ ថ្ងៃ។",
            ["ប្រាក់ឧបត្ថម្ភមាតុភាព", ""],
        ),
    ],
)
def test_no_label_across_a_preposition_or_a_khmer_phrase_break(
    old: str, new: str, labels: list[str]
) -> None:
    numbers = _numbers(normalize(old), normalize(new))
    assert [n.label for n in numbers] == [normalize(label) for label in labels]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The employer contribution rate is 2% of the assumed wage.", "employer contribution rate"),
        ("The maximum assumed wage is KHR 1,200,000.", "maximum assumed wage"),
        ("The contribution rate shall be increased from 4% to 6%.", "contribution rate"),
        ("A grant for large projects shall not exceed USD 500,000.", "grant for large projects"),
        ("Employers shall contribute 2% of the wage.", "Employers"),
        ("of which the employer pays 2% and the worker pays 2%", "worker"),
        ("ក្នុងនោះនិយោជកបង់ ២% និងកម្មករនិយោជិតបង់ ២%", "កម្មករនិយោជិត"),
        ("over the previous 12 months", ""),
        ("Registration fee: KHR 50,000", "Registration fee"),
        ("អត្រាភាគទានរបស់និយោជកគឺ ២%", "អត្រាភាគទានរបស់និយោជក"),
        ("ប្រាក់ឈ្នួលសន្មត់អតិបរមាគឺ ១.២០០.០០០ រៀល", "ប្រាក់ឈ្នួលសន្មត់អតិបរមា"),
        ("«ជំនួយ» សំដៅលើប្រាក់ឧបត្ថម្ភមិនលើសពី ២.០០០.០០០.០០០ រៀល", "ប្រាក់ឧបត្ថម្ភ"),
        ("របាយការណ៍ត្រូវដាក់ក្នុងរយៈពេល ៣០ ថ្ងៃ", ""),
        ("The rate is an 8% share of the wage.", "rate"),
        ("The rate of the contribution is 2%.", "rate of the contribution"),
        ("Der Zuschuss des Bundes beträgt 40 Prozent.", "Zuschuss des Bundes"),
        ("Die Frist beträgt 14 Tage.", "Frist"),
        ("Une amende de 1 500 euros est encourue.", "amende"),
        ("Le montant de la prime est de 500 euros.", "montant de la prime"),
        ("seit mindestens drei Jahren", ""),
        ("pendant six mois", ""),
    ],
)
def test_label_is_the_noun_phrase_the_number_belongs_to(text: str, label: str) -> None:
    text = normalize(text)
    numbers = pair_numbers([], find_quantities(text), new_text=text)
    assert numbers[-1].label == normalize(label)


def test_labels_are_in_the_compare_json() -> None:
    old = "The employer contribution rate is 2% of the assumed wage."
    (change,) = compare(_doc(old), _doc(old.replace("2%", "3%")))
    assert [n.to_json() for n in change.numbers] == [
        {"old": 2.0, "new": 3.0, "unit": "%", "old_text": "2%", "new_text": "3%",
         "label": "employer contribution rate"}
    ]  # fmt: skip


# --- other languages, periods in other units, ordinals and dashed numbers -------------------


@pytest.mark.parametrize(
    ("old", "new", "label"),
    [
        ("Der Beitrag beträgt 5 Prozent.", "Der Beitrag beträgt 6 Prozent.", "Beitrag"),
        (
            "Die Gebühr für die Anmeldung beträgt 7,00 EUR.",
            "Die Gebühr für die Anmeldung beträgt 5,50 EUR.",
            "Gebühr für die Anmeldung",
        ),
        (
            "Le taux de cotisation est fixé à 5 pour cent.",
            "Le taux de cotisation est fixé à 5,5 pour cent.",
            "taux de cotisation",
        ),
        (
            "Le délai de recours est de deux mois.",
            "Le délai de recours est de trois mois.",
            "délai de recours",
        ),
        (
            "Die Leistung wird für 72 Monate gezahlt.",
            "Die Leistung wird für 60 Monate gezahlt.",
            "",
        ),
    ],
)
def test_german_and_french_amounts_pair_with_their_label(old: str, new: str, label: str) -> None:
    (n,) = _numbers(old, new)
    assert n.old is not None and n.new is not None
    assert n.label == label  # none across a preposition: "für 72 Monate" like "for 90 days"


def test_a_repealed_german_minimum_is_removed_not_paired_with_new_amounts() -> None:
    old = (
        "Die Unterhaltsleistung wird mindestens jedoch monatlich in Höhe von 279 Euro für ein "
        "Kind unter sechs Jahren und 322 Euro für ein älteres Kind gezahlt.\n\n"
        "Die Unterhaltsleistung wird längstens für insgesamt 72 Monate gezahlt.\n"
    )
    new = (
        "Die Unterhaltsleistung wird in Höhe des Mindestunterhalts nach § 1612a Absatz 1 Satz 3 "
        "Nummer 1, 2 oder 3 des Bürgerlichen Gesetzbuchs gezahlt.\n\n"
        "Vom 1. Juli 2015 bis zum 31. Dezember 2015 beträgt der Betrag monatlich 317 Euro.\n"
    )
    assert all(n.old is None or n.new is None for n in _numbers(old, new))
    assert sorted(_pairs(old, new), key=str) == sorted(
        [(279.0, None, "EUR"), (322.0, None, "EUR"), (6.0, None, "year"), (72.0, None, "month"),
         (None, 317.0, "EUR")],
        key=str,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "pair"),
    [
        ("The qualifying period is 2 years.", "The qualifying period is 18 months.", (24, 18)),
        ("រយៈពេលបង់ភាគទានគឺ ២ ឆ្នាំ។", "រយៈពេលបង់ភាគទានគឺ ១៨ ខែ។", (24, 18)),
        ("seit mindestens drei Jahren", "seit mindestens 15 Monaten", (36, 15)),
    ],
)
def test_a_period_in_years_pairs_with_its_new_value_in_months(
    old: str, new: str, pair: tuple[float, float]
) -> None:
    (n,) = _numbers(old, new)
    assert (n.old, n.new, n.unit) == (*pair, "month")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The wait is 1 year.", "The wait is 12 months."),
        ("រយៈពេលរង់ចាំ ១ ឆ្នាំ។", "រយៈពេលរង់ចាំ ១២ ខែ។"),
        ("Die Frist beträgt 2 Wochen.", "Die Frist beträgt 14 Tage."),
    ],
)
def test_the_same_period_in_another_unit_is_no_change(old: str, new: str) -> None:
    assert _pairs(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The wait is 3 months.", "The wait is 90 days."),
        ("រយៈពេលរង់ចាំ ៣ ខែ។", "រយៈពេលរង់ចាំ ៩០ ថ្ងៃ។"),
    ],
)
def test_months_and_days_are_different_periods(old: str, new: str) -> None:
    assert all(n.old is None or n.new is None for n in _numbers(old, new))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("paid by the 15th day of the month", "paid by the 20th day of the month"),
        ("បើកនៅថ្ងៃទី១៥ នៃខែបន្ទាប់", "បើកនៅថ្ងៃទី២០ នៃខែបន្ទាប់"),
        ("ab 1. Januar 2015 bis zum 12. Lebensjahr", "ab 29. Februar 2020 bis zum 18. Lebensjahr"),
        ("dès le 1er janvier 2027 (loi du 12.12.2019)", "dès le 1er juin 2028 (loi du 21.12.2020)"),
        ("under section 38-2901 and Article 375-2", "under section 38-2902 and Article 375-3"),
        ("តាមមាត្រា ៣៧៥-១ និង ១៨៤៣-៤", "តាមមាត្រា ៣៧៥-៣ និង ១៨៤៣-៥"),
    ],
)  # fmt: skip
def test_ordinals_dates_and_dashed_numbers_make_no_pair(old: str, new: str) -> None:
    assert _numbers(old, new) == ()


def test_per_month_is_no_period_and_the_amount_pairs() -> None:
    for old, new in (
        ("The allowance is KHR 400,000 per month.", "The allowance is KHR 500,000 per month."),
        ("ប្រាក់ឧបត្ថម្ភគឺ ៤០០.០០០ រៀល ក្នុងមួយខែ។", "ប្រាក់ឧបត្ថម្ភគឺ ៥០០.០០០ រៀល ក្នុងមួយខែ។"),
    ):
        assert _pairs(old, new) == [(400000.0, 500000.0, "KHR")]


@pytest.mark.parametrize(
    ("text", "header", "old", "new", "pair"),
    [
        ("Gebühren nach Anlage: je Seite 0,50 EUR.", "Gebühr (EUR)", "1,500", "2,250", (1.5, 2.25)),
        ("ថ្លៃសេវា ១០,៧៥% នៃតម្លៃ។", "ថ្លៃ (រៀល)", "១,៥០០", "២,២៥០", (1.5, 2.25)),
        ("A fee of 2.5% of the value.", "Fee (KHR)", "1,500", "2,250", (1500.0, 2250.0)),
    ],
)  # fmt: skip
def test_table_cells_read_by_the_decimal_mark_of_their_document(
    text: str, header: str, old: str, new: str, pair: tuple[float, float]
) -> None:
    def doc(cell: str) -> Document:
        table = Table((("Item", header), ("Copy", cell)), 1, 1)
        return Document(text, text, "en", 1, "text", (), "", "", tables=(table,))

    found = [n for c in compare(doc(old), doc(new)) for n in c.numbers]
    assert [(n.old, n.new) for n in found] == [pair]
