"""The decision rules beyond plain term hits, in English and Khmer, on changes made by the real
reader and comparison: anchors, passing mentions, which position a number belongs to,
budget lines and the direction of a change."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.errors import PositionsError
from alerts.match.flags import Flag
from alerts.match.matcher import Matcher
from alerts.positions import load_positions, load_positions_text
from parsers.compare.change import Change
from parsers.compare.diff import compare
from parsers.read.reader import read

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_positions(ROOT / "positions.toml"))


def _change(old: str, new: str) -> Change:
    """The one change between two small documents (title line, then articles)."""
    changes = compare(read(old.encode()), read(new.encode()))
    assert len(changes) == 1, changes
    return changes[0]


def _flags(matcher: Matcher, old: str, new: str) -> dict[str, Flag]:
    return {f.position: f for f in matcher.flag(_change(old, new))}


EN = "Sub-decree on Social Security\n\nArticle 1. {heading}\n{text}\n"
KM = "អនុក្រឹត្យស្តីពីសន្តិសុខសង្គម\n\nមាត្រា ១.- {heading}\n{text}\n"


def _pair(template: str, heading: str, old: str, new: str) -> tuple[str, str]:
    return template.format(heading=heading, text=old), template.format(heading=heading, text=new)


# -- anchors: a benefit amount that changes is about benefit adequacy --------------------


@pytest.mark.parametrize(
    ("template", "heading", "old", "new"),
    [
        (
            EN,
            "Scholarships",
            "A student holding a scholarship receives KHR 60,000 per term.",
            "A student holding a scholarship receives KHR 90,000 per term.",
        ),
        (
            KM,
            "អាហារូបករណ៍",
            "សិស្សដែលទទួលអាហារូបករណ៍ ទទួលបាន ៦០.០០០រៀល ក្នុងមួយឆមាស។",
            "សិស្សដែលទទួលអាហារូបករណ៍ ទទួលបាន ៩០.០០០រៀល ក្នុងមួយឆមាស។",
        ),
    ],
)
def test_changed_benefit_amount_goes_to_adequacy_through_an_anchor(
    matcher: Matcher, template: str, heading: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, heading, old, new))
    assert flags["child_benefit"].severity == "high"
    assert flags["benefit_adequacy"].severity == "high"
    assert flags["benefit_adequacy"].evidence[0].where == "number"


@pytest.mark.parametrize(
    ("template", "heading", "old", "new"),
    [
        (
            EN,
            "Payment schedule",
            "The allowance is paid to each household every month.",
            "The allowance is paid to each household every quarter.",
        ),
        (
            KM,
            "កាលវិភាគបើកប្រាក់",
            "ប្រាក់ឧបត្ថម្ភត្រូវបើកជូនគ្រួសារនីមួយៗជារៀងរាល់ខែ។",
            "ប្រាក់ឧបត្ថម្ភត្រូវបើកជូនគ្រួសារនីមួយៗរៀងរាល់ត្រីមាស។",
        ),
    ],
)
def test_an_anchor_alone_flags_nothing(
    matcher: Matcher, template: str, heading: str, old: str, new: str
) -> None:
    assert "benefit_adequacy" not in _flags(matcher, *_pair(template, heading, old, new))


def test_anchors_are_not_hits(matcher: Matcher) -> None:
    assert [h.position for h in matcher.find("The allowance is paid monthly.")] == []
    assert [h.position for h in matcher.find("ប្រាក់ឧបត្ថម្ភត្រូវបើកជូនប្រចាំខែ។")] == []


# -- passing mentions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "heading", "old", "new"),
    [
        (
            EN,
            "Young children",
            "Poor households receive KHR 40,000 a month for each child up to the age of two.",
            "Poor households receive KHR 40,000 a month for each child up to the age of six.",
        ),
        (
            KM,
            "កុមារតូច",
            "គ្រួសារក្រីក្រទទួលបាន ៤០.០០០រៀល ក្នុងមួយខែ សម្រាប់កុមារម្នាក់ៗ រហូតដល់អាយុ ២ឆ្នាំ។",
            "គ្រួសារក្រីក្រទទួលបាន ៤០.០០០រៀល ក្នុងមួយខែ សម្រាប់កុមារម្នាក់ៗ រហូតដល់អាយុ ៦ឆ្នាំ។",
        ),
    ],
)
def test_beneficiaries_named_in_passing_are_not_a_targeting_change(
    matcher: Matcher, template: str, heading: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, heading, old, new))
    assert flags["child_benefit"].severity == "high"
    assert "targeting_registry" not in flags


def test_provision_clearly_about_a_position_stays_low_beside_another_change(
    matcher: Matcher,
) -> None:
    old, new = _pair(
        KM,
        "អ្នកទទួលផល",
        "មូលនិធិសមធម៌សុខាភិបាលចេញថ្លៃសេវាសុខាភិបាលសម្រាប់សមាជិកគ្រួសារក្រីក្រ។",
        "មូលនិធិសមធម៌សុខាភិបាលចេញថ្លៃសេវាសុខាភិបាលសម្រាប់សមាជិកគ្រួសារក្រីក្រ និងអ្នករត់ម៉ូតូឌុប។",
    )
    flags = _flags(matcher, old, new)
    assert flags["informal_coverage"].severity == "medium"
    assert flags["health_protection"].severity == "low"  # two health terms: about it


# -- which position a number belongs to -------------------------------------------------


@pytest.mark.parametrize(
    ("template", "heading", "old", "new"),
    [
        (
            EN,
            "Calculation of the pension",
            "The pension is equal to 1.5% of the average assumed wage per year of coverage.",
            "The pension is equal to 1.2% of the average assumed wage per year of coverage.",
        ),
        (
            KM,
            "ការគណនាសោធន",
            "សោធនស្មើនឹង ១,៥% នៃប្រាក់ឈ្នួលសន្មតមធ្យម ក្នុងមួយឆ្នាំនៃការធានារ៉ាប់រង។",
            "សោធនស្មើនឹង ១,២% នៃប្រាក់ឈ្នួលសន្មតមធ្យម ក្នុងមួយឆ្នាំនៃការធានារ៉ាប់រង។",
        ),
    ],
)
def test_a_rate_belongs_to_what_is_named_before_it(
    matcher: Matcher, template: str, heading: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, heading, old, new))
    assert flags["benefit_adequacy"].severity == "high"
    assert "contribution_rate" not in flags  # the assumed wage is only the base


# -- budget lines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "ministry", "flagged"),
    [
        (EN, "the Ministry of Public Works for road maintenance", False),
        (EN, "the Ministry of Social Affairs for the disability allowance", True),
        (KM, "ក្រសួងសាធារណការ សម្រាប់ការថែទាំផ្លូវ", False),
        (KM, "ក្រសួងសង្គមកិច្ច សម្រាប់កម្មវិធីសុខុមាលភាពសង្គម", True),
    ],
)
def test_budget_line_is_flagged_only_for_social_protection(
    matcher: Matcher, template: str, ministry: str, flagged: bool
) -> None:
    if template is EN:
        text = "The budget appropriation of {m} is KHR {n} billion."
        old, new = text.format(m=ministry, n="450"), text.format(m=ministry, n="520")
    else:
        text = "ឥណទានថវិការបស់{m} ត្រូវបានកំណត់ចំនួន {n} ប៊ីលានរៀល។"
        old, new = text.format(m=ministry, n="៤៥០"), text.format(m=ministry, n="៥២០")
    flags = _flags(matcher, *_pair(template, "Appropriations", old, new))
    assert ("budget" in flags) is flagged


# -- direction ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "old", "new", "direction"),
    [
        (EN, "Maternity leave lasts 90 days.", "Maternity leave lasts 98 days.", "favourable"),
        (EN, "Maternity leave lasts 98 days.", "Maternity leave lasts 90 days.", "adverse"),
        (KM, "ការឈប់សម្រាកលំហែមាតុភាព ៩០ថ្ងៃ។", "ការឈប់សម្រាកលំហែមាតុភាព ៩៨ថ្ងៃ។", "favourable"),
        (KM, "ការឈប់សម្រាកលំហែមាតុភាព ៩៨ថ្ងៃ។", "ការឈប់សម្រាកលំហែមាតុភាព ៩០ថ្ងៃ។", "adverse"),
    ],
)
def test_direction_of_a_moved_number(
    matcher: Matcher, template: str, old: str, new: str, direction: str
) -> None:
    flag = _flags(matcher, *_pair(template, "Leave", old, new))["maternity"]
    assert flag.severity == "high"
    assert flag.direction == direction
    assert flag.to_json()["direction"] == direction


def test_removed_indexation_clause_is_adverse_and_added_one_favourable(
    matcher: Matcher,
) -> None:
    clause = (
        "Article 2. Adjustment\nPensions are adjusted every year to the consumer price index.\n"
    )
    base = "Sub-decree on Pensions\n\nArticle 1. Scope\nThis applies to workers.\n\n"
    removed = _flags(matcher, base + clause, base)["indexation"]
    added = _flags(matcher, base, base + clause)["indexation"]
    assert (removed.severity, removed.direction) == ("high", "adverse")
    assert (added.severity, added.direction) == ("high", "favourable")


def test_mixed_direction_and_no_direction_without_a_rule(matcher: Matcher) -> None:
    old, new = _pair(
        EN,
        "Maternity benefit",
        "The maternity benefit is 70% of the wage for 98 days.",
        "The maternity benefit is 100% of the wage for 90 days.",
    )
    flags = _flags(matcher, old, new)
    assert flags["maternity"].direction == "mixed"
    old, new = _pair(
        EN,
        "Qualifying period",
        "A member with 60 months of contributions is entitled to a pension.",
        "A member with 120 months of contributions is entitled to a pension.",
    )
    vesting = _flags(matcher, old, new)["vesting"]  # the position says no way is better
    assert vesting.direction is None and "direction" not in vesting.to_json()


def test_better_is_validated() -> None:
    base = (
        '[positions.budget]\nname = "B"\ndescription = "D"\nstance = "S"\n'
        'key_messages = ["K"]\nterms_en = ["budget"]\n'
    )
    assert load_positions_text(base + 'better = { amount = "higher" }\n', "p.toml")[0].better == (
        ("amount", "higher"),
    )
    with pytest.raises(PositionsError, match=r"\[positions\.budget\] key 'better'.*'speed'"):
        load_positions_text(base + 'better = { speed = "higher" }\n', "p.toml")
    with pytest.raises(PositionsError, match=r"unknown direction.*expected higher or lower"):
        load_positions_text(base + 'better = { amount = "up" }\n', "p.toml")
    with pytest.raises(PositionsError, match=r"key 'better': wrong type"):
        load_positions_text(base + 'better = "higher"\n', "p.toml")


@pytest.mark.parametrize(
    ("template", "old", "new"),
    [
        (
            EN,
            "The pension contribution rate is 4% of the assumed wage.",
            "The pension contribution rate is 6% of the assumed wage.",
        ),
        (KM, "ភាគទានសោធននិវត្តន៍ ៤% នៃប្រាក់ឈ្នួល។", "ភាគទានសោធននិវត្តន៍ ៦% នៃប្រាក់ឈ្នួល។"),
    ],
)
def test_a_contribution_rate_is_not_a_benefit_level(
    matcher: Matcher, template: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, "Rates", old, new))
    assert flags["contribution_rate"].severity == "high"
    assert "benefit_adequacy" not in flags  # 'pension' is only an anchor here


def test_a_premium_gives_no_direction_to_health_protection(matcher: Matcher) -> None:
    old, new = _pair(
        EN,
        "Health insurance",
        "Employers pay a health insurance premium of 2.6% of wages.",
        "Employers pay a health insurance premium of 3% of wages.",
    )
    flags = _flags(matcher, old, new)
    assert flags["contribution_rate"].severity == flags["health_protection"].severity == "high"
    assert flags["health_protection"].direction is None  # a dearer premium is not a better benefit


@pytest.mark.parametrize(
    ("document", "visas", "visa", "words"),
    [
        (
            "Sub-decree on Workers' Benefits\n\n{visas}\n\nDECIDES\n\n"
            "Article 1. Purpose\nThis sub-decree sets the benefits of workers.\n",
            "Having seen the Constitution;\nHaving seen the Law on Social Security Schemes;",
            "\nHaving seen ",
            "Sub-decree No. 38 on the maternity benefit and health insurance;",
        ),
        (
            "អនុក្រឹត្យស្តីពីអត្ថប្រយោជន៍កម្មករ\n\n{visas}\n\nសម្រេច\n\n"
            "មាត្រា ១.- គោលបំណង\nអនុក្រឹត្យនេះកំណត់អត្ថប្រយោជន៍របស់កម្មករ។\n",
            "- បានឃើញរដ្ឋធម្មនុញ្ញ\n- បានឃើញច្បាប់ស្តីពីរបបសន្តិសុខសង្គម",
            "\n- បានឃើញ",
            "អនុក្រឹត្យលេខ ៣៨ ស្តីពីអត្ថប្រយោជន៍មាតុភាព និងការធានារ៉ាប់រងសុខភាព",
        ),
    ],
)
def test_a_new_visa_citing_another_instrument_is_not_flagged(
    matcher: Matcher, document: str, visas: str, visa: str, words: str
) -> None:
    before = document.format(visas=visas)
    change = _change(before, document.format(visas=visas + visa + words))
    assert change.kind == "modified"
    assert matcher.flag(change) == ()
    # the same words in the body of an article are a change about the positions
    body = _change(before, before + words + "\n")
    assert {f.position for f in matcher.flag(body)} >= {"maternity", "health_protection"}


def _budget_table(title: str, rows: list[tuple[str, str, str]]) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=len(rows), cols=3)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("title", "head", "programme", "office", "position"),
    [
        (
            "Budget Law 2026: allocations by programme",
            ("Programme", "2025 (KHR million)", "2026 (KHR million)"),
            "Family Package cash transfers",
            "Office equipment",
            "social_assistance",
        ),
        (
            "ច្បាប់ស្តីពីហិរញ្ញវត្ថុឆ្នាំ២០២៦",
            ("កម្មវិធី", "២០២៥ (លានរៀល)", "២០២៦ (លានរៀល)"),
            "ប្រាក់ឧបត្ថម្ភជនពិការ",
            "សម្ភារការិយាល័យ",
            "disability",
        ),
    ],
)
def test_budget_table_cell_is_judged_by_its_row_label(
    matcher: Matcher,
    title: str,
    head: tuple[str, str, str],
    programme: str,
    office: str,
    position: str,
) -> None:
    km = position == "disability"
    old_values = ("៨៥០.០០០", "៩០០.០០០", "៣.០០០") if km else ("850,000", "900,000", "3,000")
    new_values = ("៨៥០.០០០", "៧៨០.០០០", "៣.៥០០") if km else ("850,000", "780,000", "3,500")
    old = read(
        _budget_table(title, [head, (programme, *old_values[:2]), (office, "2,000", old_values[2])])
    )
    new = read(
        _budget_table(title, [head, (programme, *new_values[:2]), (office, "2,000", new_values[2])])
    )
    flags = {c.ref: {f.position: f for f in matcher.flag(c)} for c in compare(old, new)}
    row = next(v for k, v in flags.items() if programme in k)
    assert row["budget"].severity == "high" and row["budget"].direction == "adverse"
    assert position in row
    assert "benefit_adequacy" not in row  # KHR 780 billion is no single benefit
    office_row = next(v for k, v in flags.items() if office in k)
    assert office_row == {}  # an allocation that is not for social protection


@pytest.mark.parametrize(
    ("template", "old", "new"),
    [
        (
            EN,
            "A worker with permanent incapacity receives a lump-sum compensation.",
            "A worker with permanent incapacity receives a lump-sum compensation equal to "
            "36 months of the pension.",
        ),
        (
            KM,
            "កម្មករដែលមានអសមត្ថភាពអចិន្ត្រៃយ៍ ទទួលបានសំណងសរុបតែម្តង។",
            "កម្មករដែលមានអសមត្ថភាពអចិន្ត្រៃយ៍ ទទួលបានសំណងសរុបតែម្តង ស្មើនឹងសោធនរយៈពេល ៣៦ខែ។",
        ),
    ],
)
def test_a_number_goes_to_whole_terms_before_words_inside_them(
    matcher: Matcher, template: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, "Compensation", old, new))
    assert flags["employment_injury"].severity == "high"
    # 'lump-sum' (a qualifying-period word) sits inside 'lump-sum compensation'
    assert "vesting" not in flags


# -- the changed clause: what a rewritten sentence is about ------------------------------


@pytest.mark.parametrize(
    ("template", "heading", "old", "new", "subject"),
    [
        (
            EN,
            "Further benefits",
            "The Council shall examine a maternity allowance for self-employed women.",
            "A maternity allowance for self-employed women is paid from 2028, financed by"
            " a contribution of 0.5% of declared income.",
            "maternity",
        ),
        (
            KM,
            "អត្ថប្រយោជន៍បន្ថែម",
            "ក្រុមប្រឹក្សានឹងពិនិត្យលើប្រាក់ឧបត្ថម្ភមាតុភាពសម្រាប់ស្ត្រីប្រកបរបរដោយខ្លួនឯង។",
            "ប្រាក់ឧបត្ថម្ភមាតុភាពសម្រាប់ស្ត្រីប្រកបរបរដោយខ្លួនឯង ត្រូវផ្តល់ចាប់ពីឆ្នាំ២០២៨"
            " ដោយហិរញ្ញប្បទានពីភាគទាន ០,៥% នៃប្រាក់ចំណូល។",
            "ប្រាក់ឧបត្ថម្ភមាតុភាព",
        ),
    ],
)
def test_subject_of_a_rewritten_sentence_is_flagged(
    matcher: Matcher, template: str, heading: str, old: str, new: str, subject: str
) -> None:
    flags = _flags(matcher, *_pair(template, heading, old, new))
    assert "maternity" in flags, flags
    assert "contribution_rate" in flags
    assert any(e.where == "clause" for e in flags["maternity"].evidence)


@pytest.mark.parametrize(
    ("template", "old", "new"),
    [
        (
            EN,
            "Domestic workers may join the health care scheme.",
            "Domestic workers and street vendors may join the health care scheme.",
        ),
        (
            KM,
            "ពលករតាមផ្ទះអាចចូលរួមរបបថែទាំសុខភាព។",
            "ពលករតាមផ្ទះ និងអ្នកលក់ដូរតាមផ្លូវ អាចចូលរួមរបបថែទាំសុខភាព។",
        ),
    ],
)
def test_words_added_to_a_sentence_do_not_make_its_other_words_changed(
    matcher: Matcher, template: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, "Membership", old, new))
    assert "informal_coverage" in flags
    assert not any(e.where == "clause" for f in flags.values() for e in f.evidence)


@pytest.mark.parametrize(
    ("template", "old", "new"),
    [
        (
            EN,
            "The charge for a certified extract is KHR 4,000, issued within 7 days.",
            "The charge for a certified extract is KHR 8,000, issued within 3 days.",
        ),
        (
            KM,
            "កម្រៃសម្រាប់ដកស្រង់ដែលមានបញ្ជាក់ គឺ ៤ ០០០ រៀល ចេញក្នុងរយៈពេល ៧ ថ្ងៃ។",
            "កម្រៃសម្រាប់ដកស្រង់ដែលមានបញ្ជាក់ គឺ ៨ ០០០ រៀល ចេញក្នុងរយៈពេល ៣ ថ្ងៃ។",
        ),
    ],
)
def test_numbers_alone_never_make_a_position(
    matcher: Matcher, template: str, old: str, new: str
) -> None:
    assert _flags(matcher, *_pair(template, "Extracts", old, new)) == {}


@pytest.mark.parametrize(
    ("template", "heading", "old", "new"),
    [
        (
            KM,
            "ប្រាក់ឧបត្ថម្ភមាតុភាព",
            "ស្ត្រីដែលបានបង់ភាគទានក្នុងរយៈពេល ១០ ខែចុងក្រោយ ទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាព។",
            "ស្ត្រីដែលបានបង់ភាគទានក្នុងរយៈពេល ៧ ខែចុងក្រោយ ទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាព។",
        ),
    ],
)
def test_a_period_in_a_maternity_clause_is_maternitys(
    matcher: Matcher, template: str, heading: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, heading, old, new))
    assert flags["maternity"].severity == "high"
    assert "vesting" not in flags


@pytest.mark.parametrize(
    ("template", "heading", "old", "new"),
    [
        (
            EN,
            "Placement of funds",
            "Up to 15% of the reserves of the Fund may be invested in equities.",
            "Up to 35% of the reserves of the Fund may be invested in equities.",
        ),
        (
            KM,
            "ការដាក់ទុន",
            "ទុនបម្រុងរបស់បេឡាអាចវិនិយោគលើមូលបត្ររហូតដល់ ១៥%។",
            "ទុនបម្រុងរបស់បេឡាអាចវិនិយោគលើមូលបត្ររហូតដល់ ៣៥%។",
        ),
    ],
)
def test_share_of_the_reserves_invested_flags_financing_and_governance(
    matcher: Matcher, template: str, heading: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, heading, old, new))
    assert flags["pension_financing"].severity == "high"
    assert "governance" in flags
    assert "benefit_adequacy" not in flags


# -- a period belongs to the benefit its sentence names ----------------------------------


@pytest.mark.parametrize(
    ("template", "heading", "old", "new", "owner"),
    [
        (
            EN,
            "Benefits",
            "An insured woman who has paid contributions for at least 12 months is entitled "
            "to maternity benefit.",
            "An insured woman who has paid contributions for at least 9 months is entitled "
            "to maternity benefit.",
            "maternity",
        ),
        (
            KM,
            "អត្ថប្រយោជន៍",
            "ស្ត្រីធានារ៉ាប់រងដែលបានបង់ភាគទានយ៉ាងតិច ១២ ខែ មានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភមាតុភាព។",
            "ស្ត្រីធានារ៉ាប់រងដែលបានបង់ភាគទានយ៉ាងតិច ៩ ខែ មានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភមាតុភាព។",
            "maternity",
        ),
        (
            EN,
            "Conditions",
            "A worker who has paid contributions for at least 12 months is entitled to "
            "unemployment benefit.",
            "A worker who has paid contributions for at least 6 months is entitled to "
            "unemployment benefit.",
            "unemployment",
        ),
        (
            KM,
            "លក្ខខណ្ឌ",
            "កម្មករដែលបានបង់ភាគទានយ៉ាងតិច ១២ ខែ មានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភភាពអត់ការងារធ្វើ។",
            "កម្មករដែលបានបង់ភាគទានយ៉ាងតិច ៦ ខែ មានសិទ្ធិទទួលប្រាក់ឧបត្ថម្ភភាពអត់ការងារធ្វើ។",
            "unemployment",
        ),
    ],
)
def test_a_qualifying_period_in_a_benefit_sentence_is_that_benefits(
    matcher: Matcher, template: str, heading: str, old: str, new: str, owner: str
) -> None:
    flags = _flags(matcher, *_pair(template, heading, old, new))
    assert set(flags) == {owner}
    assert flags[owner].severity == "high"


@pytest.mark.parametrize(
    ("template", "old", "new"),
    [
        (
            EN,
            "A member who has paid contributions for at least 180 months is entitled to an "
            "old-age pension.",
            "A member who has paid contributions for at least 120 months is entitled to an "
            "old-age pension.",
        ),
        (
            KM,
            "សមាជិកដែលបានបង់ភាគទានយ៉ាងតិច ១៨០ខែ មានសិទ្ធិទទួលបានសោធននិវត្តន៍។",
            "សមាជិកដែលបានបង់ភាគទានយ៉ាងតិច ១២០ខែ មានសិទ្ធិទទួលបានសោធននិវត្តន៍។",
        ),
    ],
)
def test_a_qualifying_period_of_a_pension_stays_vesting(
    matcher: Matcher, template: str, old: str, new: str
) -> None:
    flags = _flags(matcher, *_pair(template, "Conditions", old, new))
    assert flags["vesting"].severity == "high"
    assert flags["vesting"].evidence[0].where == "number"


@pytest.mark.parametrize(
    ("template", "heading", "old", "new"),
    [
        (
            KM,
            "ការវិនិយោគ",
            "ទុនបម្រុងនៃរបបសោធនអាចវិនិយោគលើភាគហ៊ុនមិនលើសពី ១០%។",
            "ទុនបម្រុងនៃរបបសោធនអាចវិនិយោគលើភាគហ៊ុនមិនលើសពី ២០%។",
        ),
        (
            EN,
            "Investment",
            "The reserves of the pension scheme may be invested in equities up to 10%.",
            "The reserves of the pension scheme may be invested in equities up to 20%.",
        ),
    ],
)
def test_an_anchor_inside_another_positions_phrase_takes_no_number(
    matcher: Matcher, template: str, heading: str, old: str, new: str
) -> None:
    """``សោធន`` (pension, an anchor of adequacy) inside ``ទុនបម្រុងនៃរបបសោធន`` (the pension
    scheme's reserves) is about the reserves: the share invested is financing's."""
    flags = _flags(matcher, *_pair(template, heading, old, new))
    assert "benefit_adequacy" not in flags
    assert flags["pension_financing"].severity == "high"
