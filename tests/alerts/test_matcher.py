from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import evaluation
from alerts.match.flags import Flag
from alerts.match.keymap import keyed
from alerts.match.matcher import Matcher, _IcuTokenizer, english_variants
from alerts.match.weights import unit_kinds
from alerts.positions import Position, load_positions, load_positions_text
from parsers.compare.change import Change, DiffOp, NumberChange
from parsers.khmer import match_key, normalize

REPO_POSITIONS = Path(__file__).resolve().parents[2] / "positions.toml"

SMALL = """
[positions.pension_financing]
name = "Pensions"
description = "Pension schemes."
stance = "Keep them solvent."
key_messages = ["Publish actuarial valuations."]
terms_en = ["pension", "retirement age"]
terms_km = ["សោធននិវត្តន៍", "អាយុចូលនិវត្តន៍"]
exclusions = ["suspension", "pension of the horse"]
number_kinds = ["age"]

[positions.contribution_rate]
name = "Contribution rates"
description = "Rates."
stance = "Raise on a schedule."
key_messages = ["Tripartite decisions."]
terms_en = ["contribution rate", "contribution", "benefit"]
terms_km = ["ភាគទាន", "អត្រាភាគទាន"]
number_kinds = ["rate", "amount"]

[positions.budget]
name = "Budget"
description = "Budget."
stance = "More money."
key_messages = ["Invest."]
terms_en = ["budget"]
terms_km = ["ច្បាប់ស្តីពីហិរញ្ញវត្ថុ", "ថវិកា"]
exclusions = ["ថវិកាផ្ទាល់ខ្លួន"]
number_kinds = ["amount"]

[positions.vesting]
name = "Vesting"
description = "Qualifying periods."
stance = "Fair periods."
key_messages = ["Protect short careers."]
terms_en = ["months of contributions"]
terms_km = ["រយៈពេលបង់ភាគទាន"]
number_kinds = ["duration"]
"""


@pytest.fixture(scope="module")
def small() -> Matcher:
    return Matcher(load_positions_text(SMALL, "small.toml"))


@pytest.fixture(scope="module")
def repo_positions() -> tuple[Position, ...]:
    return load_positions(REPO_POSITIONS)


@pytest.fixture(scope="module")
def matcher(repo_positions: tuple[Position, ...]) -> Matcher:
    return Matcher(repo_positions)


def _terms(matcher: Matcher, text: str) -> list[tuple[str, str, str]]:
    return [(h.position, h.term, h.text) for h in matcher.find(text)]


def _by_position(flags: tuple[Flag, ...]) -> dict[str, Flag]:
    return {f.position: f for f in flags}


# -- finding terms -------------------------------------------------------------------------


def test_english_variants_cover_plural_and_singular() -> None:
    assert english_variants("pension") == {"pension", "pensions"}
    assert english_variants("benefits") == {"benefits", "benefit"}
    assert english_variants("disability") == {"disability", "disabilities"}
    assert english_variants("rate of contribution") >= {
        "rate of contribution",
        "rates of contribution",
        "rate of contributions",
    }
    assert english_variants("CPI") == {"CPI"}


def test_english_hits_are_case_insensitive_and_number_tolerant(small: Matcher) -> None:
    text = "PENSIONS are paid monthly. Each Contribution counts; all contributions and benefits."
    hits = _terms(small, text)
    assert ("pension_financing", "pension", "PENSIONS") in hits
    assert ("contribution_rate", "contribution", "Contribution") in hits
    assert ("contribution_rate", "contribution", "contributions") in hits
    assert ("contribution_rate", "benefit", "benefits") in hits
    for h in small.find(text):
        assert text[h.start : h.end] == h.text


def test_phrase_wins_over_its_own_shorter_term(small: Matcher) -> None:
    assert _terms(small, "The contribution rate is 4%.") == [
        ("contribution_rate", "contribution rate", "contribution rate")
    ]


def test_exclusions_suppress_overlapping_hits_only(small: Matcher) -> None:
    assert small.find("The suspension was lifted.") == []
    # 'pension' stands alone here, so it is a hit even beside 'suspension'.
    assert _terms(small, "Suspension of the pension") == [
        ("pension_financing", "pension", "pension")
    ]
    assert small.find("the pension of the horse") == []


def test_longer_phrase_of_another_position_subsumes_a_term(small: Matcher) -> None:
    assert _terms(small, "after 12 months of contributions") == [
        ("vesting", "months of contributions", "months of contributions")
    ]
    # ICU writes ក្នុងរយៈពេល as one word, so the hit widens to it.
    assert _terms(small, "បានបង់ក្នុងរយៈពេលបង់ភាគទាន ១២ ខែ") == [
        ("vesting", "រយៈពេលបង់ភាគទាន", "ក្នុងរយៈពេលបង់ភាគទាន")
    ]


def test_khmer_term_found_inside_an_unspaced_sentence(small: Matcher) -> None:
    text = "និយោជកត្រូវបង់ភាគទានជូនបេឡាជាតិសន្តិសុខសង្គមរៀងរាល់ខែ។"
    hits = small.find(text)
    assert [(h.position, h.term, h.text) for h in hits] == [
        ("contribution_rate", "ភាគទាន", "ភាគទាន")
    ]
    assert text[hits[0].start : hits[0].end] == "ភាគទាន"


def test_khmer_term_across_optional_spaces_and_zero_width_spaces(small: Matcher) -> None:
    hits = small.find("អត្រា ភាគទាន ៤%")
    assert [(h.term, h.text) for h in hits] == [("អត្រាភាគទាន", "អត្រា ភាគទាន")]
    hits = small.find("អត្រា\u200bភាគ\u200bទាន")
    assert [h.term for h in hits] == ["អត្រាភាគទាន"]


def test_khmer_spelling_variants_match_the_same_term(small: Matcher) -> None:
    coeng_ta = "ច្បាប់ស\u17d2\u178f\u17b8ពីហិរញ្ញវត្ថុ ឆ្នាំ២០២៥"
    coeng_da = "ច្បាប់ស\u17d2\u178a\u17b8ពីហិរញ្ញវត្ថុ ឆ្នាំ២០២៥"
    assert coeng_ta != coeng_da
    for text in (coeng_ta, coeng_da):
        assert [h.term for h in small.find(text)] == ["ច្បាប់ស្តីពីហិរញ្ញវត្ថុ"]


def test_khmer_coeng_ro_order_variant_matches(matcher: Matcher) -> None:
    typed = "ស\u17d2\u179a\u17d2\u178f\u17b8មានផ្ទៃពោះ"  # coeng-Ro typed first
    assert ("maternity", "ស្ត្រីមានផ្ទៃពោះ") in [(h.position, h.term) for h in matcher.find(typed)]


def test_khmer_hit_is_widened_to_whole_tokens(small: Matcher) -> None:
    # ភាគទាន sits inside the word វិភាគទាន: the hit reports the whole word.
    (hit,) = small.find("វិភាគទានរបស់កម្មករ")
    assert hit.term == "ភាគទាន"
    assert hit.text == "វិភាគទាន"


def test_khmer_exclusion_suppresses_overlapping_term(small: Matcher) -> None:
    assert small.find("ចំណាយដោយថវិកាផ្ទាល់ខ្លួន") == []
    assert [h.term for h in small.find("ចំណាយពីថវិកាជាតិ")] == ["ថវិកា"]


def test_repo_exclusions(matcher: Matcher) -> None:
    assert "child_benefit" not in {h.position for h in matcher.find("Child labour is banned.")}
    assert "child_benefit" not in {h.position for h in matcher.find("ហាមឃាត់ពលកម្មកុមារ")}
    assert "child_benefit" in {h.position for h in matcher.find("ប្រាក់ឧបត្ថម្ភកុមារ")}
    assert matcher.find("pensive expension suspension") == []


def test_key_offsets_map_back_to_the_normalised_text() -> None:
    samples = [
        "ក ខ\n\nគ ៤ ភាគរយ  AbC  x\n៥ ៦ ខ",
        normalize("អត្រា ភាគទាន ៤% (បួនភាគរយ)\nនៃប្រាក់ឈ្នួល ១.២០០.០០០ រៀល Article 4"),
        normalize(" leading  and\ttrailing \n ក"),
        "",
    ]
    for norm in samples:
        keymap = keyed(norm)
        assert keymap.key == match_key(norm)
        for k, char in enumerate(keymap.key):
            i = keymap.offset(k)
            assert (char == " " and norm[i].isspace()) or match_key(norm[i]) == char


def test_key_offsets_hold_on_random_mixed_texts() -> None:
    rng = random.Random(7)
    alphabet = ["ក", "ខ្មែរ", "ា", "៤", "a", "B", "\u0130", " ", "  ", "\n", "\t", "%", "."]
    for _ in range(300):
        norm = normalize("".join(rng.choice(alphabet) for _ in range(25)))
        while normalize(norm) != norm:  # trailing blank lines go one pass at a time
            norm = normalize(norm)
        keymap = keyed(norm)
        assert keymap.key == match_key(norm), repr(norm)
        for k, char in enumerate(keymap.key):
            i = keymap.offset(k)
            assert 0 <= i < len(norm)
            if char != " " and norm[i] != "\u0130":
                assert match_key(norm[i]) == char, (repr(norm), k)


def test_icu_tokenizer_keeps_text_but_digits_exactly(small: Matcher) -> None:
    tokenizer = _IcuTokenizer(small._km.vocab)
    text = "អត្រាភាគទាន  ៤%\n\nនៃ ប្រាក់ឈ្នួល។ Article 4 "
    doc = tokenizer(text)
    # every digit reads as 0 so numbers do not grow the vocabulary; offsets are the same
    assert doc.text == "អត្រាភាគទាន  ០%\n\nនៃ ប្រាក់ឈ្នួល។ Article 0 "
    assert "ភាគទាន" in [t.text for t in doc]


def test_numbers_do_not_grow_the_vocabulary_and_digit_terms_still_match(
    matcher: Matcher,
) -> None:
    matcher.find("Warm-up: the pension is 1 KHR. ប្រាក់សោធន ១ រៀល។")
    en, km = len(matcher._en.vocab), len(matcher._km.vocab)
    text = " ".join(f"Article {n}: KHR {n * 7919:,}." for n in range(1, 300))
    matcher.find(text + " " + " ".join(f"មាត្រា {n} ចំនួន {n * 31}" for n in range(1, 300)))
    assert len(matcher._en.vocab) - en < 10 and len(matcher._km.vocab) - km < 10
    hits = matcher.find("Cash support during COVID-19 and COVID-20 ended.")
    assert [h.text for h in hits if h.position == "shock_responsive"][:1] == ["COVID-19"]


def test_unit_kinds() -> None:
    assert unit_kinds("%") == {"rate"}
    assert unit_kinds("KHR") == {"amount"}
    assert unit_kinds("days") == {"duration"}
    assert unit_kinds("year") == {"duration", "age"}
    assert unit_kinds("household") == frozenset()


# -- deciding on changes -------------------------------------------------------------------


def _modified(
    old: str, new: str, *numbers: NumberChange, heading: str = "", ops: tuple[DiffOp, ...] = ()
) -> Change:
    return Change("modified", "Article 4", "Article 4", old, new, numbers, heading, ops)


def test_english_contribution_rate_rise_is_high(matcher: Matcher) -> None:
    change = _modified(
        "The contribution rate for the pension scheme is 4% of the assumed wage.",
        "The contribution rate for the pension scheme is 6% of the assumed wage.",
        NumberChange(4.0, 6.0, "%", "4%", "6%"),
        ops=(
            DiffOp(
                "equal",
                "The contribution rate for the pension scheme is",
                "The contribution rate for the pension scheme is",
            ),
            DiffOp("replace", "4%", "6%"),
            DiffOp("equal", "of the assumed wage.", "of the assumed wage."),
        ),
    )
    flags = _by_position(matcher.flag(change))
    rate = flags["contribution_rate"]
    assert rate.severity == "high"
    assert rate.score >= 0.5
    assert {"term": "rate", "side": "new", "text": "4% -> 6%", "where": "number"} in [
        e.to_json() for e in rate.evidence
    ]
    assert all(f.severity != "high" for p, f in flags.items() if p != "contribution_rate")
    assert matcher.flag(change)[0].position == "contribution_rate"


def test_khmer_contribution_rate_rise_is_high(matcher: Matcher) -> None:
    change = _modified(
        "អត្រាភាគទានសម្រាប់របបសោធននិវត្តន៍ត្រូវបានកំណត់ ៤% (បួនភាគរយ) នៃប្រាក់ឈ្នួល។",
        "អត្រាភាគទានសម្រាប់របបសោធននិវត្តន៍ត្រូវបានកំណត់ ៦% (ប្រាំមួយភាគរយ) នៃប្រាក់ឈ្នួល។",
        NumberChange(4.0, 6.0, "%", "៤%", "៦%"),
    )
    flags = _by_position(matcher.flag(change))
    assert flags["contribution_rate"].severity == "high"
    assert flags["contribution_rate"].score >= 0.5
    assert all(f.severity != "high" for p, f in flags.items() if p != "contribution_rate")


@pytest.mark.parametrize(
    ("old", "new", "number"),
    [
        (
            "A female worker receives a maternity benefit of 70% of her wage for 90 days.",
            "A female worker receives a maternity benefit of 70% of her wage for 98 days.",
            NumberChange(90.0, 98.0, "day", "90 days", "98 days"),
        ),
        (
            "កម្មការិនីទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាព ៧០% នៃប្រាក់ឈ្នួល ក្នុងរយៈពេល ៩០ថ្ងៃ។",
            "កម្មការិនីទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាព ៧០% នៃប្រាក់ឈ្នួល ក្នុងរយៈពេល ៩៨ថ្ងៃ។",
            NumberChange(90.0, 98.0, "day", "៩០ថ្ងៃ", "៩៨ថ្ងៃ"),
        ),
    ],
)
def test_maternity_duration_change_is_high(
    matcher: Matcher, old: str, new: str, number: NumberChange
) -> None:
    flags = _by_position(matcher.flag(_modified(old, new, number)))
    assert flags["maternity"].severity == "high"
    assert flags["maternity"].evidence[0].where == "number"


@pytest.mark.parametrize(
    ("old", "new", "heading"),
    [
        (
            "The employer shall pay the maternity allowence during maternity leave.",
            "The employer shall pay the maternity allowance during maternity leave.",
            "",
        ),
        (
            "The employer shal pay the allowance for 90 days.",
            "The employer shall pay the allowance for 90 days.",
            "Maternity leave",
        ),
        (
            "និយោជកត្រូវបង់ប្រាក់ឧបត្ថម្ភក្នុងអំឡុងពេលលំហែមាតុភាព ដល់ស្ត្រីមានផ្ទៃពោះ។",
            "និយោជកត្រូវបង់ប្រាក់ឧបត្ថម្ភ ក្នុងអំឡុងពេលលំហែមាតុភាព ដល់ស្ត្រីមានផ្ទៃពោះ។ ",
            "",
        ),
    ],
)
def test_wording_fix_inside_a_maternity_provision_is_medium_or_low(
    matcher: Matcher, old: str, new: str, heading: str
) -> None:
    flags = _by_position(matcher.flag(_modified(old, new, heading=heading)))
    assert flags["maternity"].severity in ("medium", "low")
    assert flags["maternity"].score < 0.7


def test_unrelated_article_of_a_maternity_document_is_not_flagged_maternity(
    matcher: Matcher,
) -> None:
    # The document speaks of maternity elsewhere; this article is about registration.
    change = _modified(
        "An enterprise shall register with the Fund within 30 days of opening.",
        "An enterprise shall register with the Fund within 15 days of opening.",
        NumberChange(30.0, 15.0, "day", "30 days", "15 days"),
        heading="Registration of enterprises",
    )
    assert "maternity" not in _by_position(matcher.flag(change))


def test_added_indexation_provision_is_high(matcher: Matcher) -> None:
    added = Change(
        "added",
        None,
        "Article 9",
        "",
        "Pensions in payment shall be adjusted annually in line with the consumer price "
        "index published by the Ministry of Planning.",
        heading="Indexation of pensions",
    )
    flags = _by_position(matcher.flag(added))
    assert flags["indexation"].severity == "high"
    assert flags["indexation"].score >= 0.5
    khmer = Change(
        "added",
        None,
        "មាត្រា ៩",
        "",
        "សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មជារៀងរាល់ឆ្នាំ ដោយផ្អែកលើបម្រែបម្រួលនៃសន្ទស្សន៍ថ្លៃទំនិញប្រើប្រាស់។",
    )
    assert _by_position(matcher.flag(khmer))["indexation"].severity == "high"


def test_removed_provision_about_a_position_is_high_and_weak_mention_unflagged(
    matcher: Matcher,
) -> None:
    removed = Change(
        "removed",
        "Article 20",
        None,
        "Unemployment benefits are paid to an unemployed member for up to 6 months.",
        "",
    )
    assert _by_position(matcher.flag(removed))["unemployment"].severity == "high"
    weak = Change("added", None, "Article 21", "", "The Minister may issue a circular on sickness.")
    # one generic word, once: a passing mention, not what the provision is about
    assert matcher.flag(weak) == ()


def test_a_renumbered_provision_flags_nothing_and_a_moved_one_is_low(matcher: Matcher) -> None:
    text = "Maternity benefit is paid at 70% of the wage during maternity leave."
    renumbered = Change("renumbered", "Article 12", "Article 13", text, text, heading="Maternity")
    assert matcher.flag(renumbered) == ()
    moved = Change("moved", "Article 12", "Article 15", text, text, heading="Maternity")
    flags = matcher.flag(moved)
    assert flags and all(f.severity == "low" and f.score <= 0.3 for f in flags)
    km = "ប្រាក់ឧបត្ថម្ភមាតុភាពស្មើនឹង ៧០% នៃប្រាក់ឈ្នួល។"
    assert matcher.flag(Change("renumbered", "មាត្រា ១២", "មាត្រា ១៣", km, km)) == ()


def test_number_goes_to_the_position_it_sits_beside(matcher: Matcher) -> None:
    change = _modified(
        "The contribution rate is 2.6% of the assumed wage. Maternity leave lasts 90 days.",
        "The contribution rate is 3% of the assumed wage. Maternity leave lasts 90 days.",
        NumberChange(2.6, 3.0, "%", "2.6%", "3%"),
    )
    flags = _by_position(matcher.flag(change))
    assert flags["contribution_rate"].severity == "high"
    # an unchanged sentence about maternity beside the changed rate: not a maternity change
    assert "maternity" not in flags


def test_changed_words_are_evidence_without_ops(matcher: Matcher) -> None:
    change = _modified(
        "Workers covered by the Labour Law are members of the Fund.",
        "Workers covered by the Labour Law and domestic workers are members of the Fund.",
    )
    flag = _by_position(matcher.flag(change))["informal_coverage"]
    assert flag.severity == "medium"
    assert flag.evidence[0].where == "changed"
    assert flag.evidence[0].side == "new"
    assert flag.evidence[0].text == "domestic workers"


def test_flag_json_shape(matcher: Matcher) -> None:
    change = _modified(
        "The disability allowance is KHR 80,000 a month.",
        "The disability allowance is KHR 100,000 a month.",
        NumberChange(80000.0, 100000.0, "KHR", "KHR 80,000", "KHR 100,000"),
    )
    flags = matcher.flag(change)
    payload = json.loads(json.dumps([f.to_json() for f in flags]))
    assert payload
    for item in payload:
        # direction only where the position says which way is better
        assert set(item) - {"direction"} == {"position", "score", "evidence", "severity"}
        assert 0.0 <= item["score"] <= 1.0
        assert item["severity"] in ("high", "medium", "low")
        for e in item["evidence"]:
            assert set(e) == {"term", "side", "text", "where"}
    by = {item["position"]: item for item in payload}
    assert by["disability"]["severity"] == "high"
    # 'allowance' sits inside 'disability allowance', yet the amount still ties to adequacy
    assert by["benefit_adequacy"]["severity"] == "high"
    assert by["disability"]["direction"] == by["benefit_adequacy"]["direction"] == "favourable"


def test_large_document_is_matched_whole(matcher: Matcher) -> None:
    # (how fast: bench/compare_bench.py times find() over a 200-page text)
    english = (
        "Article {n}. The contribution rate shall be 4% of the assumed wage; members with "
        "12 months of contributions receive an old-age pension adjusted annually."
    )
    khmer = (
        "មាត្រា {n}. អត្រាភាគទានសម្រាប់របបសោធននិវត្តន៍ត្រូវបានកំណត់ ៤% នៃប្រាក់ឈ្នួល "
        "ហើយស្ត្រីមានផ្ទៃពោះទទួលបានប្រាក់ឧបត្ថម្ភមាតុភាព។"
    )
    articles = 1200
    lines = [normalize((english if n % 2 else khmer).format(n=n)) for n in range(articles)]
    text = "\n".join(lines)
    hits = matcher.find(text, normalized=True)
    assert len(text) > 160_000
    # English: rate + wage + vesting + indexation; Khmer: rate + pregnant woman + maternity
    # allowance (an allowance alone is only an anchor for numbers, not a hit)
    assert len(hits) == (4 + 3) * articles // 2
    # the same hits, at the same places, as each article read alone
    expected = []
    at = 0
    for line in lines:
        for h in matcher.find(line, normalized=True):
            expected.append((h.position, h.term, h.start + at, h.end + at, h.text))
        at += len(line) + 1
    assert [(h.position, h.term, h.start, h.end, h.text) for h in hits] == expected


def test_number_in_a_long_khmer_sentence_goes_to_the_closest_term(matcher: Matcher) -> None:
    old = (
        "មនុស្សចាស់ដែលមិនទទួលបានសោធននិវត្តន៍ពីរបបភាគទាន "
        "មានសិទ្ធិទទួលបានប្រាក់ឧបត្ថម្ភមនុស្សចាស់ ចំនួន ១០០.០០០ រៀល ក្នុងមួយខែ។"
    )
    new = old.replace("១០០.០០០", "១២០.០០០")
    change = _modified(
        old, new, NumberChange(100000.0, 120000.0, "KHR", "១០០.០០០ រៀល", "១២០.០០០ រៀល")
    )
    flags = _by_position(matcher.flag(change))
    assert flags["social_pension"].severity == "high"
    assert flags["benefit_adequacy"].severity == "high"
    # 'contributory scheme' in passing, while the change is an amount of the social pension
    assert "contribution_rate" not in flags


def test_moved_provision_is_low(matcher: Matcher) -> None:
    text = "Unemployment benefits are paid for up to six months to an unemployed member."
    change = Change("moved", "Article 30", "Article 12", text, text)
    (flag,) = matcher.flag(change)
    assert (flag.position, flag.severity) == ("unemployment", "low")


def test_labelled_provisions_cover_every_position_in_both_languages(
    repo_positions: tuple[Position, ...],
) -> None:
    path = evaluation.DATA / "provisions.jsonl"
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    ids = {p.id for p in repo_positions}
    assert len(items) >= 60
    assert len({i["id"] for i in items}) == len(items)
    seen: dict[str, set[str]] = {"en": set(), "km": set()}
    for item in items:
        assert set(item["positions"]) <= ids, item["id"]
        seen[item["lang"]].update(item["positions"])
    assert seen["en"] | seen["km"] == ids
    assert len(seen["km"]) >= 16
    assert any(not i["positions"] for i in items if i["lang"] == "km")


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("សម្រាលកូន", "ស្ត្រីដែលសំរាលកូនមានសិទ្ធិ"),  # term in today's spelling, text in the old
        ("សំរាលកូន", "ស្ត្រីដែលសម្រាលកូនមានសិទ្ធិ"),  # and the other way round
        ("កម្រិតអត្ថប្រយោជន៍", "កំរិតអត្ថប្រយោជន៍ថ្មី"),
    ],
)
def test_old_and_new_khmer_spellings_match_each_other(term: str, text: str) -> None:
    position = Position(
        id="maternity",
        name="m",
        description="",
        stance="",
        key_messages=(),
        terms_en=(),
        terms_km=(term,),
    )
    hits = Matcher([position]).find(text)
    assert [h.position for h in hits] == ["maternity"]


def test_real_vocabulary_from_instruments(matcher: Matcher) -> None:
    found = {
        text: {h.position for h in matcher.find(text)}
        for text in (
            "ស្ត្រីមានគភ៌",
            "អាយុទទួលប្រាក់សោធននិវត្តន៍",
            "the reserves may be invested in equities",
        )
    }
    assert "maternity" in found["ស្ត្រីមានគភ៌"]
    assert "pension_financing" in found["អាយុទទួលប្រាក់សោធននិវត្តន៍"]
    assert {"pension_financing", "governance"} <= found["the reserves may be invested in equities"]
