"""A parameter's story, units and values in the reader's words (web/parameter_words.py); the
CLI keeps the English story of tracker.parameters.Move."""

from __future__ import annotations

import pytest

from tracker.parameters import Move
from web.parameter_words import move_words, unit_name, value_text
from web.translations import load_translations

TRANSLATIONS = load_translations()


@pytest.mark.parametrize(
    ("move", "english", "khmer"),
    [
        (Move("first", 1, "2025"), "first value, 2025", "តម្លៃដំបូង ឆ្នាំ២០២៥"),
        (Move("increase", 3, "2019"), "the third increase since 2019",
         "ការកើនឡើងលើកទី៣ ចាប់តាំងពីឆ្នាំ២០១៩"),
        (Move("decrease", 1, "2024"), "the first decrease since 2024",
         "ការថយចុះលើកទី១ ចាប់តាំងពីឆ្នាំ២០២៤"),
        (Move("increase", 12, "2001"), "the 12th increase since 2001",
         "ការកើនឡើងលើកទី១២ ចាប់តាំងពីឆ្នាំ២០០១"),
    ],
)  # fmt: skip
def test_a_move_in_each_language(move: Move, english: str, khmer: str) -> None:
    assert move.story == english  # what the CLI prints
    assert move_words(move, TRANSLATIONS["en"].gettext, "en") == english
    assert move_words(move, TRANSLATIONS["km"].gettext, "km") == khmer


def test_values_and_units_never_in_scientific_notation() -> None:
    assert value_text(400000.0) == "400,000"
    assert value_text(400000.0, "km") == "៤០០.០០០"
    assert value_text(4.5) == "4.5" and value_text(4.5, "km") == "៤,៥"
    assert value_text(1234.5) == "1,234.5" and value_text(1234.5, "km") == "១.២៣៤,៥"
    assert value_text(1_200_000.0) == "1,200,000" and value_text(0.125) == "0.125"
    assert unit_name("day", TRANSLATIONS["km"].gettext, "km") == "ថ្ងៃ"
    assert unit_name("age", TRANSLATIONS["km"].gettext, "km") == "ឆ្នាំ (អាយុ)"
    assert unit_name("day", TRANSLATIONS["en"].gettext, "en") == "day"  # as stored
    assert unit_name("%", TRANSLATIONS["km"].gettext, "km") == "%"


def test_the_reason_for_a_new_provision_names_what_the_coalition_wants() -> None:
    """A flag on an added provision under a position that wants such a provision: the
    macro sets no variable named ``_`` (that hid gettext and made the alert page a 500)."""
    from alerts.deliver.flag_views import FlagView
    from web.rendering import make_templates

    flag = FlagView("informal_coverage", 0.8, "high", (), direction="favourable")
    call = '{% import "macros.html" as m %}{{ m.reason(f, better, "added") }}'
    for language in ("en", "km"):
        env = make_templates(TRANSLATIONS)[language].env
        html = env.from_string(call).render(f=flag, better=(("provision", "added"),))
        wanted = TRANSLATIONS[language].gettext("such a provision in the text")
        assert '<p class="reason">' in html and wanted in html, html
