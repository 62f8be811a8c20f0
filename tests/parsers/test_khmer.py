from __future__ import annotations

import pytest

from parsers.khmer import (
    is_khmer,
    khmer_share,
    match_key,
    normalize,
    to_ascii_digits,
    to_khmer_digits,
)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("ស្រ្តី", "ស្ត្រី"),  # coeng-Ro typed first
        ("ស្ដីពី", "ស្តីពី"),  # coeng-DA -> coeng-TA
        ("ខ្ញំុ", "ខ្ញុំ"),  # nikahit before the vowel
        ("ក\u17c1\u17b6", "កោ"),  # split vowel
        ("ភាគ\u200bទាន", "ភាគទាន"),  # zero-width space
        ("ឆ្នា ំ", "ឆ្នាំ"),  # space before a dependent mark (extraction artefact)
        ("ភំ្ន", "ភ្នំ"),  # pypdfium2 artefact
        ("\u17a3ត្រា", "អត្រា"),  # deprecated independent vowel
        ("កាា", "កា"),  # doubled vowel
    ],
)
def test_normalize_makes_variants_equal(variant: str, canonical: str) -> None:
    assert normalize(variant) == normalize(canonical) == canonical


def test_normalize_keeps_lines_and_collapses_spaces() -> None:
    assert normalize("  Article 1  \n\tអត្រា   ៤% \u00a0") == "Article 1\nអត្រា ៤%"
    assert normalize("soft\u00adhyphen") == "softhyphen"
    assert normalize("a\u200bb", zwsp_as_space=True) == "a b"


def test_match_key_ignores_khmer_phrase_spaces_digits_and_case() -> None:
    assert match_key("អត្រាភាគទាន ៤%") == match_key("អត្រា ភាគទាន 4%") == "អត្រាភាគទាន 4%"
    assert match_key("Contribution  RATE\n6%") == "contribution rate 6%"
    v1 = "ស្ត្រីដែលសម្រាលកូន ស្តីពី ៩០ ថ្ងៃ"
    v2 = "ស្រ្តី\u200bដែលសម្រាលកូន ស្ដីពី ៩០ ថ្ងៃ"
    assert match_key(v1) == match_key(v2)
    assert match_key(v1) != match_key(v1.replace("៩០", "៩៨"))


def test_digits_and_shares() -> None:
    assert to_ascii_digits("១.២០០.០០០ រៀល") == "1.200.000 រៀល"
    assert to_khmer_digits("Article 5") == "Article ៥"
    assert is_khmer("ក") and is_khmer("៥") and not is_khmer("a")
    assert khmer_share("") == 0.0
    assert khmer_share("ក a") == 0.5


def test_syllable_by_syllable_normalisation_equals_khnormal_on_whole_text() -> None:
    """normalize() runs khnormal per syllable with a cache; it must give exactly what
    khnormal gives on the whole text, also on malformed sequences."""
    import random

    from khmerspell.khnormal import khnormal

    from parsers.khmer import _SYLLABLE_RE, _canonical_syllable

    alphabet = [chr(c) for c in range(0x1780, 0x17DE)] + [" ", "a", "1", "\u17d2", "\u17d2"]
    rng = random.Random(2026)
    samples = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(5000)
    ]
    samples += ["ស្រ្តី", "ស្ដីពី", "ខ្ញំុ", "កេា", "ភំ្ន", "តិ្ត", "ព្រះរាជាណាចក្រកម្ពុជា"]
    for text in samples:
        assert _SYLLABLE_RE.sub(_canonical_syllable, text) == khnormal(text), repr(text)
