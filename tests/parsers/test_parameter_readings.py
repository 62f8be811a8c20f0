"""Parameters a document states: labelled from the clause, keyed so that renumbering and a
changed value keep the parameter; English and Khmer."""

from __future__ import annotations

import dataclasses

import pytest

from parsers.compare.parameters import ParameterName, readings
from parsers.document import Document, Section

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
        (EN, "Article", False, {("maternity benefit", "%"), ("maternity benefit, duration", "day"),
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
    # a name for the benefit is not the name of its duration, nor of another party's share
    for_days = _document([EN[0].format(rate=70)], "Article", 1, False)
    assert [r.label for r in readings(for_days, names)] == [
        "maternity benefit, % of wage",
        "maternity benefit, duration",
    ]
    km_days = _document(["ប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង ៧០% នៃប្រាក់ឈ្នួល ក្នុងរយៈពេល ៩០ ថ្ងៃ។"],
                        "មាត្រា", 1, True)  # fmt: skip
    anyunit = (ParameterName("maternity benefit", ("ប្រាក់ឧបត្ថម្ភមាតុភាព",)),)
    assert [r.label for r in readings(km_days, anyunit)] == [
        "maternity benefit",
        "រយៈពេលប្រាក់ឧបត្ថម្ភមាតុភាព",
    ]
    rate = (ParameterName("pension contribution rate", ("contribution rate",)),)
    shares = _document(
        ["The contribution rate is 4%, of which 2% is paid by the employer."], "Article", 1, False
    )
    assert [r.label for r in readings(shares, rate)] == [
        "pension contribution rate",
        "contribution rate, employer share",
    ]


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


def _labels(ref: str, heading: str, clause: str) -> list[tuple[str, str, float]]:
    section = Section(ref, heading, clause, "article", ref.split()[-1])
    document = dataclasses.replace(Document.empty(), sections=(section,), text=clause)
    return [(r.label, r.unit, r.value) for r in readings(document)]


@pytest.mark.parametrize(
    ("ref", "heading", "clause", "expected"),
    [
        # a period after "of the daily wage for a period of" is the allowance's duration
        ("Article 7", "Daily allowance",
         "The insured person shall receive a daily allowance equal to 70% of the average daily "
         "wage for a period of 90 days.",
         [("daily allowance", "%", 70), ("daily allowance, duration", "day", 90)]),
        ("Article 8", "Sickness benefit",
         "The sickness benefit is paid at 60% of the daily wage for a period not exceeding "
         "180 days.",
         [("Sickness benefit", "%", 60), ("Sickness benefit, maximum duration", "day", 180)]),
        # who pays each share, before the number or after it as the agent
        ("Article 9", "Contribution rates",
         "The employer shall pay 2% of the assumed wage and the worker 2% of the assumed wage.",
         [("Contribution rates, employer share", "%", 2),
          ("Contribution rates, worker share", "%", 2)]),
        ("Article 10", "",
         "The contribution rate is 4%, of which 2% is paid by the employer and 2% by the worker.",
         [("contribution rate", "%", 4), ("contribution rate, employer share", "%", 2),
          ("contribution rate, worker share", "%", 2)]),
        ("Article 11", "Minimum contribution period",
         "A pension is granted to an insured person who has contributed for at least 240 months.",
         [("Minimum contribution period", "month", 240)]),
        ("Article 12", "",
         "The assumed wage shall not be less than KHR 400,000 and not more than KHR 1,200,000 "
         "per month.",
         [("assumed wage, minimum", "KHR", 400_000), ("assumed wage, maximum", "KHR", 1_200_000)]),
        ("Article 13", "Penalties",
         "The fine is KHR 500,000. The employer shall declare the contributions within 15 days.",
         [("fine", "KHR", 500_000), ("Penalties, time limit", "day", 15)]),
        ("មាត្រា ៧", "ប្រាក់ឧបត្ថម្ភប្រចាំថ្ងៃ",
         "អ្នកធានារ៉ាប់រងទទួលបានប្រាក់ឧបត្ថម្ភប្រចាំថ្ងៃស្មើនឹង ៧០% "
         "នៃប្រាក់ឈ្នួលប្រចាំថ្ងៃជាមធ្យម ក្នុងរយៈពេល ៩០ ថ្ងៃ។",
         [("ប្រាក់ឧបត្ថម្ភប្រចាំថ្ងៃ", "%", 70), ("រយៈពេលប្រាក់ឧបត្ថម្ភប្រចាំថ្ងៃ", "day", 90)]),
        ("មាត្រា ៨", "អត្រាភាគទាន",
         "និយោជកត្រូវបង់ ២% នៃប្រាក់ឈ្នួលសន្មត ហើយកម្មករបង់ ២% នៃប្រាក់ឈ្នួលសន្មត។",
         [("អត្រាភាគទានរបស់និយោជក", "%", 2), ("អត្រាភាគទានរបស់កម្មករ", "%", 2)]),
        ("មាត្រា ៩", "រយៈពេលបង់ភាគទានអប្បបរមា",
         "សោធននិវត្តន៍ត្រូវផ្តល់ជូនអ្នកធានារ៉ាប់រងដែលបានបង់ភាគទានយ៉ាងតិច ២៤០ ខែ។",
         [("រយៈពេលបង់ភាគទានអប្បបរមា", "month", 240)]),
        ("មាត្រា ១០", "ប្រាក់ឈ្នួលសន្មត",
         "ប្រាក់ឈ្នួលសន្មតមិនតិចជាង ៤០០.០០០ រៀល និងមិនលើសពី ១.២០០.០០០ រៀល។",
         [("ប្រាក់ឈ្នួលសន្មតអប្បបរមា", "KHR", 400_000),
          ("ប្រាក់ឈ្នួលសន្មតអតិបរមា", "KHR", 1_200_000)]),
        # sub-decree wording: a phrase longer than the phrase reader's five words, shares
        # named after the amount, a sentence subject, a reference period, an amended value
        ("Article 3", "Contribution rate",
         "The contribution rate for the pension scheme is set at 4% (four percent) of the "
         "assumed wage, shared equally: 2% (two percent) paid by the employer and 2% (two "
         "percent) paid by the worker.",
         [("contribution rate for the pension scheme", "%", 4),
          ("contribution rate for the pension scheme, employer share", "%", 2),
          ("contribution rate for the pension scheme, worker share", "%", 2)]),
        ("Article 4", "",
         "The monthly assumed wage used to calculate contributions shall be at least KHR "
         "400,000 (four hundred thousand riels) and shall not exceed KHR 1,200,000.",
         [("monthly assumed wage, minimum", "KHR", 400_000),
          ("monthly assumed wage, maximum", "KHR", 1_200_000)]),
        ("Article 5", "Old-age pension",
         "An insured person who has reached the age of 60 years and has paid contributions "
         "for at least 12 months is entitled to an old-age allowance.",
         [("Old-age pension, age", "age", 60), ("Old-age pension, minimum duration", "month", 12)]),
        ("Article 6", "Maternity",
         "A female worker is entitled to maternity leave of 90 days with a maternity allowance "
         "equal to 70% of her average wage of the last 6 months.",
         [("maternity leave", "day", 90), ("maternity allowance", "%", 70),
          ("average wage, reference period", "month", 6)]),
        ("Article 8", "", "The maternity benefit is increased from 70% to 100% of the wage.",
         [("maternity benefit", "%", 100)]),
        ("Article 9", "",
         "Benefits are adjusted every 2 years in line with the consumer price index.",
         [("Benefits, interval", "year", 2)]),
        ("Article 10", "Social pension",
         "Every person aged 80 years and over receives a monthly social pension of USD 25.",
         [("Social pension, age", "age", 80), ("monthly social pension", "USD", 25)]),
        ("មាត្រា ៣", "អត្រាភាគទាន",
         "អត្រាភាគទានសម្រាប់របបសោធននិវត្តន៍ត្រូវបានកំណត់ ៤% (បួនភាគរយ) នៃប្រាក់ឈ្នួលសន្មត "
         "ដែលនិយោជកបង់ ២% និងកម្មករនិយោជិតបង់ ២%។",
         [("អត្រាភាគទានសម្រាប់របបសោធននិវត្តន៍", "%", 4),
          ("អត្រាភាគទានសម្រាប់របបសោធននិវត្តន៍របស់និយោជក", "%", 2),
          ("អត្រាភាគទានសម្រាប់របបសោធននិវត្តន៍របស់កម្មករនិយោជិត", "%", 2)]),
        ("មាត្រា ៥", "សោធនចាស់ជរា",
         "អ្នកធានារ៉ាប់រងដែលមានអាយុ ៦០ ឆ្នាំ និងបានបង់ភាគទានយ៉ាងតិច ១២ ខែ "
         "មានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភចាស់ជរា។",
         [("អាយុសោធនចាស់ជរា", "age", 60), ("រយៈពេលបង់ភាគទានអប្បបរមា", "month", 12)]),
        ("មាត្រា ៧", "មាតុភាព",
         "កម្មការិនីមានសិទ្ធិឈប់សម្រាកលំហែមាតុភាពរយៈពេល ៩០ ថ្ងៃ "
         "ជាមួយប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង ៧០% នៃប្រាក់ឈ្នួលមធ្យម។",
         [("ឈប់សម្រាកលំហែមាតុភាព", "day", 90), ("ប្រាក់ឧបត្ថម្ភមាតុភាព", "%", 70)]),
        ("មាត្រា ៨", "", "ប្រាក់ឧបត្ថម្ភមាតុភាពត្រូវបានដំឡើងពី ៧០% ទៅ ១០០% នៃប្រាក់ឈ្នួល។",
         [("ប្រាក់ឧបត្ថម្ភមាតុភាព", "%", 100)]),
        ("មាត្រា ៩", "និយ័តកម្ម", "អត្ថប្រយោជន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ ២ ឆ្នាំម្តង។",
         [("ចន្លោះពេលធ្វើនិយ័តកម្ម", "year", 2)]),
        # a verb before a phrase the reader did not cut stays out of it
        ("Article 1", "", "The Fund pays benefits of 70% of the wage.",
         [("benefits", "%", 70)]),
        # a participle before the noun, a comparative read as a word of it
        ("Article 2", "",
         "Contributions for domestic workers are calculated on an assumed wage of 400,000 "
         "riels per month.",
         [("assumed wage", "KHR", 400_000)]),
        ("Article 5", "",
         "A member who has paid contributions for fewer than 12 months receives a lump-sum "
         "refund of contributions.",
         [("contributions, maximum", "month", 12)]),
        # a bare measure word takes its noun; a period is named by what follows it
        ("Article 12", "",
         "A woman worker is entitled to maternity benefits at the rate of 70% of her wage "
         "during 90 days of maternity leave.",
         [("maternity benefits, rate", "%", 70), ("maternity leave", "day", 90)]),
        ("Article 13", "", "The leave lasts 98 days of which 30 days after childbirth.",
         [("leave", "day", 98), ("leave", "day", 30)]),
        ("មាត្រា ១២", "",
         "កម្មការិនីទទួលប្រាក់ឧបត្ថម្ភ ៧០% នៃប្រាក់ឈ្នួល អំឡុងពេល ៩០ ថ្ងៃនៃការឈប់សម្រាកមាតុភាព។",
         [("ប្រាក់ឧបត្ថម្ភ", "%", 70), ("ការឈប់សម្រាកមាតុភាព", "day", 90)]),
        # a sentence that names nothing is about what the provision is about
        ("Article 11", "",
         "A maternity benefit equal to 70% of the wage is paid to the insured woman. "
         "It is paid for 90 days.",
         [("maternity benefit", "%", 70), ("maternity benefit, duration", "day", 90)]),
        ("មាត្រា ១១", "",
         "ស្ត្រីមានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង ៧០% នៃប្រាក់ឈ្នួល។ "
         "ប្រាក់នេះត្រូវផ្តល់ក្នុងរយៈពេល ៩០ ថ្ងៃ។",
         [("ប្រាក់ឧបត្ថម្ភមាតុភាព", "%", 70), ("រយៈពេលប្រាក់ឧបត្ថម្ភមាតុភាព", "day", 90)]),
    ],
)  # fmt: skip
def test_generic_wording_is_labelled_from_role_words_and_the_heading(
    ref: str, heading: str, clause: str, expected: list[tuple[str, str, float]]
) -> None:
    assert _labels(ref, heading, clause) == expected


def test_a_longer_party_name_is_read_whole() -> None:
    clause = "និយោជកបង់ ២% និងកម្មករនិយោជិតបង់ ២% នៃប្រាក់ឈ្នួល។"
    assert [label for label, _, _ in _labels("មាត្រា ៣", "អត្រាភាគទាន", clause)] == [
        "អត្រាភាគទានរបស់និយោជក",
        "អត្រាភាគទានរបស់កម្មករនិយោជិត",
    ]


@pytest.mark.parametrize(
    ("bodies", "keyword", "expected"),
    [
        (["The maternity benefit is 100% of the wage.",
          "The leave lasts 98 days with effect from 1 March 2027.",
          "This Prakas takes effect from 1 January 2027."],
         "Article", ["2027-01-01", "2027-03-01"]),
        (["ប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង ១០០% នៃប្រាក់ឈ្នួល។",
          "ប្រកាសនេះមានអានុភាពអនុវត្តចាប់ពីថ្ងៃទី១ ខែមករា ឆ្នាំ២០២៧។"],
         "មាត្រា", ["2027-01-01"]),
        (["The maternity benefit is 100% of the wage.",
          "This Prakas takes effect from the date of its signature."], "Article", [""]),
    ],
)  # fmt: skip
def test_a_value_without_its_own_date_applies_from_the_instrument_s_entry_into_force(
    bodies: list[str], keyword: str, expected: list[str]
) -> None:
    document = _document(bodies, keyword, 1, keyword != "Article")
    # a preamble citing when another text took effect says nothing of this one's values
    cited = Section("", "", "Having seen the Law, which takes effect from 1 May 2019,", "preamble")
    document = dataclasses.replace(document, sections=(cited, *document.sections))
    assert [r.effective_date for r in readings(document)] == expected
