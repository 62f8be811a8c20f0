"""The whole-version redline keys words as the per-article comparison does: a re-wrapped,
re-spaced or re-hyphenated text has no marks; one word changed is exactly that word
marked; English and Khmer. Joined, the steps give both texts back."""

from __future__ import annotations

import pytest

from parsers.compare.redline import text_ops

KM = (
    "សមាជិកដែលមានអាយុ ៦០ ឆ្នាំ និងបានបង់ភាគទានយ៉ាងតិច ១២ ខែ មានសិទ្ធិទទួលបាន"
    "សោធននិវត្តន៍ប្រចាំខែ។ ព្រះរាជក្រឹត្យ ឆ្នាំ២០២៣ស្តីពីការតែងតាំង។ "
    "ក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈ ត្រូវកំណត់នីតិវិធី។"
)
EN = (
    "Article 3. The maternity benefit is paid monthly to every worker who has contributed "
    "for at least nine months. The contribution rate is 4% of the assumed wage."
)

SAME_WORDS = {
    "en: lines re-wrapped": (EN, EN.replace(" is paid", "\nis paid").replace(" for ", " for\n")),
    "en: double spaces, tabs": (EN, EN.replace(" ", "  ").replace("  wage", "\twage")),
    "en: hyphen at a line end": (EN, EN.replace("benefit", "bene-\nfit")),
    "en: a page-number line": (EN, EN.replace(" The contribution", "\nPage 2\nThe contribution")),
    "en: no-break space": (EN, EN.replace("4% of", "4%\u00a0of")),
    "km: a wrap inside a run of words": (KM, KM.replace("សោធននិវត្តន៍", "សោធន\nនិវត្តន៍")),
    "km: a space between a year and a word": (KM, KM.replace("២០២៣ស្តីពី", "២០២៣ ស្តីពី")),
    "km: zero-width spaces": (KM, KM.replace("ភាគទាន", "ភាគ\u200bទាន")),
    "km: every space a new line": (KM, KM.replace(" ", "\n")),
    "km: coeng DA for coeng TA": (KM, KM.replace("ស្តីពី", "ស្ដីពី")),
    "km: a page-number line": (KM, KM.replace(" ក្រសួង", "\nទំព័រ ២\nក្រសួង")),
}


def _marked(old: str, new: str) -> list[tuple[str, str, str]]:
    steps = text_ops(old, new)
    assert "".join(s.old for s in steps) == old and "".join(s.new for s in steps) == new
    return [(s.tag, s.old, s.new) for s in steps if s.tag != "equal"]


@pytest.mark.parametrize("old,new", SAME_WORDS.values(), ids=SAME_WORDS.keys())
def test_the_same_words_laid_out_again_have_no_marks(old: str, new: str) -> None:
    assert _marked(old, new) == []


@pytest.mark.parametrize("old,new", SAME_WORDS.values(), ids=SAME_WORDS.keys())
def test_one_word_changed_in_a_relaid_text_is_exactly_that_word(old: str, new: str) -> None:
    if old is EN:
        assert _marked(old, new.replace("monthly", "weekly")) == [("replace", "monthly", "weekly")]
    else:
        assert _marked(old, new.replace("ប្រចាំខែ", "ប្រចាំឆ្នាំ")) == [("replace", "ប្រចាំខែ", "ប្រចាំឆ្នាំ")]


def test_a_number_is_marked_alone_and_its_spacing_is_left_out() -> None:
    assert _marked(EN, EN.replace("4%", "6%")) == [("replace", "4", "6")]
    km_old, km_new = "អត្រាភាគទាន ៤% នៃប្រាក់ឈ្នួល", "អត្រាភាគទាន ៦%\nនៃប្រាក់ឈ្នួល"
    assert _marked(km_old, km_new) == [("replace", "៤", "៦")]


def test_added_removed_and_empty_texts() -> None:
    assert _marked("", "Article 9. New benefit.") == [("insert", "", "Article 9. New benefit.")]
    assert _marked("មាត្រា ៩", "") == [("delete", "មាត្រា ៩", "")]
    assert text_ops("", "") == ()
    assert _marked("  \n", " ") == []


def test_a_word_misread_by_ocr_is_forgiven_only_when_a_side_was_ocr() -> None:
    """As the per-article comparison: a Khmer vowel sign lost by OCR is the reader's error
    when a side was read by OCR; a digit never is."""
    old = "អ្នកធានារ៉ាប់រងដែលឈឺថ្កាត់ ទទួលបានប្រាក់ឈ្នួលសន្មត ក្នុងរយៈពេល ៣០ ថ្ងៃ។"
    misread = old.replace("ឈឺថ្កាត់", "ឈឺថ្កាត").replace("ក្នុង", "ក្នង")
    assert _marked(old, misread) != []
    assert [s for s in text_ops(old, misread, needs_check=True) if s.tag != "equal"] == []
    digit = old.replace("ឈឺថ្កាត់", "ឈឺថ្កាត").replace("៣០", "៣៥")
    changed = [(s.tag, s.old, s.new) for s in text_ops(old, digit, True) if s.tag != "equal"]
    assert changed == [("replace", "៣០", "៣៥")]
