from __future__ import annotations

from pathlib import Path

import pytest

from alerts.errors import AlertError, PositionsError
from alerts.positions import POSITION_IDS, load_positions, load_positions_text
from parsers.khmer import khmer_share, normalize

REPO_POSITIONS = Path(__file__).resolve().parents[2] / "positions.toml"

VALID = """
[positions.maternity]
name = "Maternity"
description = "Maternity benefits."
stance = "Strengthen maternity protection."
key_messages = ["Maternity protection needs strengthening."]
terms_en = ["maternity", "maternity leave"]
terms_km = ["មាតុភាព"]
exclusions = ["maternity ward"]
number_kinds = ["rate", "duration"]
"""


def _with(replace: str, by: str) -> str:
    assert replace in VALID
    return VALID.replace(replace, by)


def test_repo_positions_load_with_all_ids_and_both_languages() -> None:
    positions = load_positions(REPO_POSITIONS)
    assert [p.id for p in positions] == list(POSITION_IDS)
    for p in positions:
        assert p.name and p.description and p.stance and p.key_messages, p.id
        assert p.terms_en, p.id
        assert p.terms_km, p.id
        for term in p.terms_km:
            assert khmer_share(term) == 1.0, (p.id, term)
            assert normalize(term) == term, (p.id, term)
        assert set(p.number_kinds) <= {"rate", "amount", "duration", "age", "frequency"}
        assert p.weight in ("core", "normal", "watch"), p.id


def test_valid_text_gives_frozen_position() -> None:
    (p,) = load_positions_text(VALID, "test.toml")
    assert p.id == "maternity"
    assert p.terms == ("maternity", "maternity leave", "មាតុភាព")
    assert p.number_kinds == ("rate", "duration")
    with pytest.raises(AttributeError):
        p.name = "x"  # type: ignore[misc]


def test_khmer_terms_are_stored_normalised() -> None:
    # coeng-Ro typed first (ស្រ្តី) is stored in canonical order (ស្ត្រី).
    text = _with('terms_km = ["មាតុភាព"]', 'terms_km = ["ស\u17d2\u179a\u17d2\u178f\u17b8មានផ្ទៃពោះ"]')
    (p,) = load_positions_text(text, "t.toml")
    assert p.terms_km == ("ស្ត្រីមានផ្ទៃពោះ",)


@pytest.mark.parametrize(
    ("text", "position", "key", "term", "words"),
    [
        (
            _with("[positions.maternity]", "[positions.pregnancy]"),
            "pregnancy",
            None,
            None,
            "unknown position id",
        ),
        (
            _with(
                'terms_en = ["maternity", "maternity leave"]\nterms_km = ["មាតុភាព"]',
                "terms_en = []",
            ),
            "maternity",
            "terms_en",
            None,
            "no terms",
        ),
        (
            _with('exclusions = ["maternity ward"]', 'exclusions = ["Maternity  Leave"]'),
            "maternity",
            "exclusions",
            "maternity leave",
            "both a term and an exclusion",
        ),
        (
            _with('exclusions = ["maternity ward"]', 'exclusions = ["មាតុភាព"]'),
            "maternity",
            "exclusions",
            "មាតុភាព",
            "both a term and an exclusion",
        ),
        (
            _with('number_kinds = ["rate", "duration"]', 'colour = "red"'),
            "maternity",
            "colour",
            None,
            "unknown key",
        ),
        (
            _with('terms_en = ["maternity", "maternity leave"]', 'terms_en = "maternity"'),
            "maternity",
            "terms_en",
            None,
            "expected a list of strings, got a string",
        ),
        (
            _with('name = "Maternity"', "name = 7"),
            "maternity",
            "name",
            None,
            "expected a non-empty string, got int",
        ),
        (
            _with('terms_en = ["maternity", "maternity leave"]', 'terms_en = ["maternity", 3]'),
            "maternity",
            "terms_en",
            None,
            "expected non-empty strings, got int",
        ),
        (
            _with('number_kinds = ["rate", "duration"]', 'number_kinds = ["rate", "speed"]'),
            "maternity",
            "number_kinds",
            "speed",
            "unknown number kind",
        ),
        (
            _with('terms_km = ["មាតុភាព"]', 'terms_km = ["maternite"]'),
            "maternity",
            "terms_km",
            "maternite",
            "not Khmer",
        ),
        (
            _with('terms_en = ["maternity", "maternity leave"]', 'terms_en = ["មាតុភាព"]'),
            "maternity",
            "terms_en",
            "មាតុភាព",
            "Khmer term among English terms",
        ),
        (
            _with('stance = "Strengthen maternity protection."\n', ""),
            "maternity",
            "stance",
            None,
            "missing key",
        ),
        (
            _with(
                'key_messages = ["Maternity protection needs strengthening."]', "key_messages = []"
            ),
            "maternity",
            "key_messages",
            None,
            "no key messages",
        ),
        (VALID + "\n[positions.budget]\nname = 1\n", "budget", "description", None, "missing key"),
    ],
)
def test_invalid_positions_are_refused_naming_file_position_and_key(
    text: str, position: str, key: str | None, term: str | None, words: str
) -> None:
    with pytest.raises(PositionsError) as info:
        load_positions_text(text, "conf/positions.toml")
    error = info.value
    assert isinstance(error, AlertError)
    assert error.source == "conf/positions.toml"
    assert error.position == position
    assert error.key == key
    assert error.term == term
    message = str(error)
    assert message.startswith(f"conf/positions.toml: [positions.{position}]")
    assert words in message
    if term is not None:
        assert repr(term) in message


@pytest.mark.parametrize(
    ("extra", "key", "term", "words"),
    [
        ('anchors_en = ["maternity ward"]', "exclusions", "maternity ward", "anchor is also"),
        ('anchors_km = ["allowance"]', "anchors_km", "allowance", "not Khmer"),
        ('anchors_en = ["ប្រាក់ឧបត្ថម្ភ"]', "anchors_en", "ប្រាក់ឧបត្ថម្ភ", "Khmer term among"),
        ('only_with_others = "yes"', "only_with_others", None, "expected true or false"),
        ('amount_scale = "huge"', "amount_scale", None, "wrong value"),
    ],
)
def test_anchors_and_flags_are_checked(extra: str, key: str, term: str | None, words: str) -> None:
    with pytest.raises(PositionsError) as info:
        load_positions_text(VALID + extra + "\n", "p.toml")
    assert (info.value.position, info.value.key, info.value.term) == ("maternity", key, term)
    assert words in str(info.value)


def test_empty_position_is_refused_naming_it() -> None:
    with pytest.raises(PositionsError, match=r"\[positions\.budget\] key 'name': missing key"):
        load_positions_text(VALID + "\n[positions.budget]\n", "p.toml")


def test_unknown_top_level_key_and_bad_toml_are_refused() -> None:
    with pytest.raises(PositionsError, match=r"x\.toml key 'version': unknown top-level key"):
        load_positions_text("version = 2\n" + VALID, "x.toml")
    with pytest.raises(PositionsError, match=r"x\.toml: not valid TOML"):
        load_positions_text("[positions.maternity\n", "x.toml")
    with pytest.raises(PositionsError, match=r"x\.toml: no positions"):
        load_positions_text("", "x.toml")
    with pytest.raises(PositionsError, match=r"not a table"):
        load_positions_text("[positions]\nmaternity = 3\n", "x.toml")


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(PositionsError, match=r"nowhere\.toml: cannot read the file"):
        load_positions(missing)
    broken = tmp_path / "latin1.toml"
    broken.write_bytes(VALID.encode() + b"# caf\xe9\n")
    with pytest.raises(PositionsError, match=r"latin1\.toml: cannot read the file"):
        load_positions(broken)


def test_subset_of_ids_loads_and_duplicates_collapse(caplog: pytest.LogCaptureFixture) -> None:
    text = _with(
        'terms_en = ["maternity", "maternity leave"]',
        'terms_en = ["maternity", "maternity", " maternity  leave "]',
    )
    (p,) = load_positions_text(text, "t.toml")
    assert p.terms_en == ("maternity", "maternity leave")
    assert "positions not defined" in caplog.text
