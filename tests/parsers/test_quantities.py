from __future__ import annotations

import pytest

from parsers.compare.change import Quantity
from parsers.compare.numerals import number_format
from parsers.compare.quantities import (
    column_hint,
    find_mismatches,
    find_quantities,
    pair_numbers,
    parse_number,
    parse_number_words,
)

# text, expected [(value, unit)] in order
QUANTITY_CASES = [
    # percent
    ("The contribution rate is 4%.", [(4.0, "%")]),
    ("a rate of 10.75 percent", [(10.75, "%")]),
    ("eight per cent of wages", [(8.0, "%")]),
    ("៤% (បួនភាគរយ)", [(4.0, "%")]),
    ("ចំនួន ១០,៧៥%", [(10.75, "%")]),
    ("២,៧៥ ភាគរយ", [(2.75, "%")]),
    ("៨ភាគរយ", [(8.0, "%")]),
    ("អត្រា ប្រាំមួយភាគរយ", [(6.0, "%")]),
    ("៤ (បួន) ភាគរយ", [(4.0, "%")]),
    ("four percent (4%)", [(4.0, "%")]),
    ("contribution rate 4% (employer 2%, worker 2%)", [(4.0, "%"), (2.0, "%"), (2.0, "%")]),
    ("2.75 percentage points per decade", [(2.75, "percentage point")]),
    # riel
    ("KHR 400,000", [(400000.0, "KHR")]),
    ("KHR 1.2 million", [(1200000.0, "KHR")]),
    ("1,200,000 riels", [(1200000.0, "KHR")]),
    ("400,000 (four hundred thousand) riels", [(400000.0, "KHR")]),
    ("៤០០.០០០ (បួនសែន) រៀល", [(400000.0, "KHR")]),
    ("១.២០០.០០០ រៀល", [(1200000.0, "KHR")]),
    ("១ ២០០ ០០០ រៀល", [(1200000.0, "KHR")]),
    ("៛28,000 per month", [(28000.0, "KHR")]),
    ("មួយលានពីរសែនរៀល", [(1200000.0, "KHR")]),
    ("១,២ ពាន់លានរៀល", [(1.2e9, "KHR")]),
    ("២៨ ពាន់ រៀល", [(28000.0, "KHR")]),
    ("KHR 34.497 trillion", [(34.497e12, "KHR")]),
    ("៣៤.៤៩៧ ពាន់លានរៀល", [(34497e9, "KHR")]),
    # dollars
    ("USD 5", [(5.0, "USD")]),
    ("$9.1 bn", [(9.1e9, "USD")]),
    ("5 dollars", [(5.0, "USD")]),
    ("១០០ ដុល្លារអាមេរិក", [(100.0, "USD")]),
    # durations
    ("within 90 days", [(90.0, "day")]),
    ("៩០ ថ្ងៃ", [(90.0, "day")]),
    ("ក្នុងរយៈពេល ៣០ (សាមសិប) ថ្ងៃ", [(30.0, "day")]),
    ("ដប់ប្រាំថ្ងៃ", [(15.0, "day")]),
    ("15 working days", [(15.0, "day")]),
    ("12 months of contributions", [(12.0, "month")]),
    ("១២ ខែ", [(12.0, "month")]),
    ("៦០ (ហុកសិប) ខែ", [(60.0, "month")]),
    ("one hundred and twenty days", [(120.0, "day")]),
    ("twenty-one days", [(21.0, "day")]),
    ("៣ ខែ ៣០ ថ្ងៃ", [(3.0, "month"), (30.0, "day")]),
    # frequencies as durations
    ("adjusted every three years", [(3.0, "year")]),
    ("reviewed every year", [(1.0, "year")]),
    ("indexed annually", [(1.0, "year")]),
    ("រៀងរាល់ពីរឆ្នាំម្តង", [(2.0, "year")]),
    ("ជារៀងរាល់ឆ្នាំ", [(1.0, "year")]),
    # ages
    ("age 60", [(60.0, "age")]),
    ("at the age of 60", [(60.0, "age")]),
    ("60 years of age", [(60.0, "age")]),
    ("persons 65 years old", [(65.0, "age")]),
    ("អាយុ ៦០ ឆ្នាំ", [(60.0, "age")]),
    # not quantities: dates, ordinals, references, bare numbers
    ("ថ្ងៃទី០៤ ខែមីនា ឆ្នាំ២០២១", []),
    ("ថ្ងៃទី ០៤ ខែ ០៣ ឆ្នាំ ២០២១", []),
    ("Article 12 of the Law of 2019", []),
    ("មាត្រា ១២ ស្តីពីរយៈពេល", []),
    ("one of the members", []),
    # an ordinal is a position in time, not a period: English like Khmer ថ្ងៃទី១៥
    ("by the fifteenth day of the month", []),
    ("the 15th day", []),
    ("in the first year", []),
    ("ថ្ងៃទី១៥ នៃខែបន្ទាប់", []),
    ("ឆ្នាំទី២", []),
    # "per month": the basis of a rate, with no number in English, ក្នុងមួយខែ in Khmer
    ("KHR 400,000 per month", [(400000.0, "KHR")]),
    ("៤០០.០០០ រៀល ក្នុងមួយខែ", [(400000.0, "KHR")]),
    ("៤០០.០០០ រៀល ក្នុង ១ ខែ", [(400000.0, "KHR")]),
    ("within a period of one month", [(1.0, "month")]),
    ("ក្នុងរយៈពេលមួយខែ", [(1.0, "month")]),
    # German and French law text: units from each language's lexicon
    ("Der Beitrag beträgt 5 Prozent.", [(5.0, "%")]),
    ("zu 40 vom Hundert", [(40.0, "%")]),
    ("mit 18,6 v. H. des Entgelts", [(18.6, "%")]),
    ("um 2 Prozentpunkte", [(2.0, "percentage point")]),
    ("in Höhe von 279 Euro", [(279.0, "EUR")]),
    ("Gebühr 7,00 EUR, Zuschlag 2,50 EUR", [(7.0, "EUR"), (2.5, "EUR")]),
    ("höchstens 1.234,56 €", [(1234.56, "EUR")]),
    ("längstens für insgesamt 72 Monate", [(72.0, "month")]),
    ("seit mindestens drei Jahren", [(3.0, "year")]),
    ("binnen 14 Tagen", [(14.0, "day")]),
    ("im Alter von 65 Jahren", [(65.0, "age")]),
    ("the Minister may alter 5 of the 12 rules", []),
    ("l'employeur paie les cotisations pour 3 mois", [(3.0, "month")]),
    ("un taux de 5 pour cent", [(5.0, "%")]),
    ("une amende de 1 500 euros", [(1500.0, "EUR")]),
    ("pendant six mois et 15 jours", [(6.0, "month"), (15.0, "day")]),
    ("âgée de 60 ans", [(60.0, "age")]),
    ("plus de vingt et un jours", [(21.0, "day")]),
    ("quatre-vingt-dix jours ou soixante-dix ans", [(90.0, "day"), (70.0, "year")]),
    ("quatre-vingts jours, dix-huit mois", [(80.0, "day"), (18.0, "month")]),
    ("un an et une semaine", []),  # "un"/"une" alone is an article: "a year", no number
    ("twenty four days", [(24.0, "day")]),
    # dates stay dates, ordinals and provision numbers are no quantities, in any language
    ("am 1. Januar 2015 und am 29. Februar 2020", []),
    ("Gesetz vom 12.12.2019 (BGBl. I 2019-12-12)", []),
    ("bis zur Vollendung des 18. Lebensjahres, im 3. Monat", []),
    ("à compter du 1er janvier 2027", []),
    ("§ 5 Absatz 2 Satz 3 Monate", []),
    ("nach den Absätzen 1 bis 3 Monate", []),
    ("Article 375-2 et articles 375-3 à 375-8 jours", []),
    ("§ 38-2903 and section 1843-4 days", []),
    ("មាត្រា ៣៧៥-២ ថ្ងៃ", []),
    ("a waiting period of 5-10 days", [(10.0, "day")]),
    ("ការរង់ចាំ ៥-១០ ថ្ងៃ", [(10.0, "day")]),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITY_CASES)
def test_find_quantities(text: str, expected: list[tuple[float, str]]) -> None:
    found = find_quantities(text)
    assert [q.unit for q in found] == [unit for _, unit in expected]
    assert [q.value for q in found] == pytest.approx([value for value, _ in expected])
    for q in found:
        assert text[q.start : q.end] == q.text


def test_quantity_text_covers_words_in_brackets_once() -> None:
    (q,) = find_quantities("ប្រាក់ ៤០០.០០០ (បួនសែន) រៀល ក្នុងមួយខែ")
    assert q.text == "៤០០.០០០ (បួនសែន) រៀល"
    assert q.value == 400000.0


@pytest.mark.parametrize(
    ("text", "digits", "words"),
    [
        ("៤% (ប្រាំភាគរយ)", 4.0, 5.0),
        ("៤០០.០០០ (បីសែន) រៀល", 400000.0, 300000.0),
        ("400,000 (four hundred fifty thousand) riels", 400000.0, 450000.0),
        ("ninety (98) days", 98.0, 90.0),
    ],
)
def test_digits_words_mismatch_keeps_digits_and_is_reported(
    text: str, digits: float, words: float
) -> None:
    (q,) = find_quantities(text)
    assert q.value == digits
    (m,) = find_mismatches(text)
    assert (m.digits, m.words) == (digits, words)
    assert m.text == text


def test_matching_words_are_not_a_mismatch() -> None:
    assert find_mismatches("៤% (បួនភាគរយ) និង ៤០០.០០០ (បួនសែន) រៀល") == []
    assert find_mismatches("400,000 (four hundred thousand) riels") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("៤០០.០០០", 400000.0),
        ("1,200,000", 1200000.0),
        ("១០,៧៥", 10.75),
        ("10.75", 10.75),
        ("1.200.000,50", 1200000.5),
        ("១ ២០០ ០០០", 1200000.0),
        ("15th", 15.0),
    ],
)
def test_parse_number_separators(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("1,234", ",", 1.234),
        ("1,234", ".", 1234.0),
        ("1,234", "", 1234.0),
        ("1.234", ".", 1.234),
        ("1.234", ",", 1234.0),
        ("១,២៣៤", ",", 1.234),
        ("0,987", "", 0.987),
        ("0.125", "", 0.125),
        ("1.234.567", ".", 1234567.0),
    ],
)
def test_parse_number_follows_the_decimal_mark_of_the_text(
    text: str, decimal: str, value: float
) -> None:
    assert parse_number(text, decimal) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("Gebühr 7,00 EUR; 1.234,56 EUR; Faktor 1,003", ","),
        ("អត្រា ១០,៧៥% និង ៤០០.០០០ រៀល", ","),
        ("1.200.000 រៀល", ","),
        ("a rate of 2.5% and 3.125%, KHR 1,200,000", "."),
        ("KHR 1,200,000 and KHR 2,400,000", "."),
        ("Gesetz vom 12.12.2019 über 1.234 Fälle", ""),
        ("Article 5", ""),
    ],
)
def test_number_format_is_read_from_the_text(text: str, mark: str) -> None:
    assert number_format(text) == mark


def test_a_lone_grouped_number_reads_by_the_text_s_decimal_mark() -> None:
    (de,) = find_quantities("Der Faktor 1,003 Prozent gilt; 7,50 EUR")[:1]
    assert de.value == pytest.approx(1.003)
    (en,) = find_quantities("a rate of 3.125% and 2.5%")[:1]
    assert en.value == pytest.approx(3.125)
    # the document's mark given explicitly wins over the text's own
    (km,) = find_quantities("៤០០.០០០ រៀល", decimal=",")
    assert km.value == 400000.0


def test_parse_number_rejects_words() -> None:
    with pytest.raises(ValueError, match="expected a number"):
        parse_number("four")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("មួយលានពីរសែន", 1200000.0),
        ("បួនសែន", 400000.0),
        ("ពីរពាន់ម្ភៃមួយ", 2021.0),
        ("ដប់ប្រាំ", 15.0),
        ("ប្រាំពីររយ", 700.0),
        ("ពីរពាន់លាន", 2e9),
        ("one million two hundred thousand", 1200000.0),
        ("two thousand and twenty-one", 2021.0),
        ("four hundred", 400.0),
    ],
)
def test_parse_number_words(text: str, value: float) -> None:
    assert parse_number_words(text) == value


def test_parse_number_words_rejects_other_words() -> None:
    assert parse_number_words("four days") is None
    assert parse_number_words("") is None


@pytest.mark.parametrize(
    ("header", "hint"),
    [
        ("KHR billion", ("KHR", 1e9)),
        ("Budget 2024 (million riels)", ("KHR", 1e6)),
        ("ពាន់លានរៀល", ("KHR", 1e9)),
        ("Rate (%)", ("%", 1.0)),
        ("USD million", ("USD", 1e6)),
        ("Programme", ("", 1.0)),
    ],
)
def test_column_hint(header: str, hint: tuple[str, float]) -> None:
    assert column_hint(header) == hint


def test_table_cell_scaled_by_header_hint() -> None:
    (q,) = find_quantities("1,234.5", label="Social protection", unit_hint="KHR", scale=1e9)
    assert q == Quantity(1234.5e9, "KHR", "1,234.5", 0, 7, "Social protection")
    # a cell with its own unit keeps it
    (p,) = find_quantities("2.1%", unit_hint="KHR", scale=1e9)
    assert (p.value, p.unit) == (2.1, "%")


def _pairs(old: str, new: str) -> list[tuple[float | None, float | None, str]]:
    found = pair_numbers(find_quantities(old), find_quantities(new), old_text=old, new_text=new)
    return [(n.old, n.new, n.unit) for n in found]


def test_pair_numbers_contribution_rates_en() -> None:
    assert _pairs(
        "contribution rate 4% (employer 2%, worker 2%)",
        "contribution rate 6% (employer 3%, worker 3%)",
    ) == [(4.0, 6.0, "%"), (2.0, 3.0, "%"), (2.0, 3.0, "%")]


def test_pair_numbers_contribution_rates_km() -> None:
    assert _pairs(
        "អត្រាភាគទាន ៤% (និយោជក ២% និងកម្មករ ២%)",
        "អត្រាភាគទាន ៦% (និយោជក ៣% និងកម្មករ ៣%)",
    ) == [(4.0, 6.0, "%"), (2.0, 3.0, "%"), (2.0, 3.0, "%")]


def test_pair_numbers_in_order_not_by_equal_value() -> None:
    # a naive value match would pair the old 4 with the new 4
    assert _pairs("employer 4% worker 2% fee 2%", "employer 6% worker 4% fee 2%") == [
        (4.0, 6.0, "%"),
        (2.0, 4.0, "%"),
    ]


def test_pair_numbers_context_breaks_ties_and_reports_added() -> None:
    assert _pairs(
        "maternity leave of 90 days", "a bonus of 5 days and maternity leave of 98 days"
    ) == [
        (None, 5.0, "day"),
        (90.0, 98.0, "day"),
    ]


def test_pair_numbers_units_never_mix_and_removed_is_reported() -> None:
    assert _pairs("within 30 days, at 4%", "at 4%") == [(30.0, None, "day")]


def test_pair_numbers_riel_and_durations_km() -> None:
    assert _pairs("ប្រាក់ ៤០០.០០០ រៀល រយៈពេល ៩០ ថ្ងៃ", "ប្រាក់ ៥០០.០០០ រៀល រយៈពេល ៩៨ ថ្ងៃ") == [
        (400000.0, 500000.0, "KHR"),
        (90.0, 98.0, "day"),
    ]


def test_pair_numbers_keeps_labels() -> None:
    old = [Quantity(1e12, "KHR", "1,000", label="Social protection")]
    new = [Quantity(1.5e12, "KHR", "1,500", label="Social protection")]
    (change,) = pair_numbers(old, new)
    assert (change.old, change.new, change.label) == (1e12, 1.5e12, "Social protection")


def test_pair_numbers_of_equal_values_is_empty() -> None:
    assert _pairs("៤% (បួនភាគរយ)", "4 percent") == []
