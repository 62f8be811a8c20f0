"""Text layers that are wrong while the page looks right: a shuffled or partial ToUnicode
map, Khmer stored in visual order. The quality score must see it, and the reader must take
the OCR reading or the reordered one (fixtures: tests/fixtures/make_bad_layers.py)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

import evaluation
from parsers.khmer import is_visual_order, normalize, to_logical_order
from parsers.read.ocr import OcrResult
from parsers.read.pdf import read_pdf
from parsers.read.quality import (
    char_error_rate,
    damage_score,
    khmer_word_validity,
    latin_word_validity,
)
from parsers.read.reader import read
from parsers.read.words import word_f1

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BAD = FIXTURES / "badlayers"
DOCUMENTS = evaluation.DOCUMENTS


def _shuffle_letters(text: str, seed: int) -> str:
    """Every letter sent to another letter of the same script: a wrong ToUnicode map."""
    rng = random.Random(seed)
    groups: dict[str, list[str]] = {}
    for char in sorted(set(text)):
        if char.isalpha():
            groups.setdefault("km" if "\u1780" <= char <= "\u17ff" else "latin", []).append(char)
    meaning: dict[str, str] = {}
    for group in groups.values():
        moved = group[:]
        rng.shuffle(moved)
        meaning.update(zip(group, moved, strict=True))
    return "".join(meaning.get(c, c) for c in text)


@pytest.mark.parametrize(
    "stem", ["subdecree_km_v1", "prakas_maternity_km", "subdecree_en_v1", "budget_en"]
)
def test_true_text_scores_clean_and_shuffled_text_damaged(stem: str) -> None:
    truth = normalize((DOCUMENTS / f"{stem}.txt").read_text(encoding="utf-8"))
    assert damage_score(truth) == 0.0
    for seed in range(3):
        assert damage_score(normalize(_shuffle_letters(truth, seed))) > 0.3


def test_word_validity_khmer_and_latin() -> None:
    khmer = normalize((DOCUMENTS / "subdecree_km_v1.txt").read_text(encoding="utf-8"))
    validity = khmer_word_validity(khmer)
    assert validity is not None and validity > 0.9
    assert (khmer_word_validity(_shuffle_letters(khmer, 1)) or 1) < 0.5
    assert khmer_word_validity("រាជរដ្ឋាភិបាល") is None  # too little to judge
    english = (DOCUMENTS / "subdecree_en_v1.txt").read_text(encoding="utf-8")
    assert latin_word_validity(english) == 1.0
    assert (latin_word_validity(_shuffle_letters(english, 1)) or 1) < 0.5
    # Not English, but languages: French prose, and a page of test words.
    french = "Le ministre du travail et de la formation professionnelle est chargé de " * 4
    assert latin_word_validity(french) == 1.0
    assert latin_word_validity("Hello world " * 30) == 1.0


@pytest.mark.parametrize(
    "prose",
    [
        "Le ministère du Travail est chargé de l'exécution du présent décret. Les employés "
        "bénéficient d'une protection sociale élargie à compter de l'année prochaine. ",
        "Die Beiträge für die Rentenversicherung werden für Arbeitnehmer und Arbeitgeber "
        "gleichmäßig erhöht. Über die Höhe entscheidet der Ausschuß nach Anhörung. ",
    ],
)
def test_accented_prose_is_not_limon_soup(prose: str) -> None:
    # Accented letters are Latin-1 characters, as a legacy Khmer font's glyphs are; prose
    # (its function words) tells them apart when the document's language is not known.
    assert damage_score(prose * 3) == 0
    limon = "RBHraCaNacRkkm<uCa Cati sasna RBHmhakSRt þ ß æ ¤ © ü eKalbMNg "
    assert damage_score(limon * 10) > 0.5
    assert damage_score(limon * 10, khmer_expected=True) > 0.5


@pytest.mark.parametrize(
    ("visual", "logical"),
    [
        ("្រពះរាជាណាច្រកកម្ពុជា", "ព្រះរាជាណាចក្រកម្ពុជា"),  # coeng-RO before its consonant
        ("េលខ ០៩៥/២៥ ក.ប/្រប.ក", "លេខ ០៩៥/២៥ ក.ប/ប្រ.ក"),  # pre-base vowel
        ("និេយាជិត មានៃផ្ទេពាះ", "និយោជិត មានផ្ទៃពោះ"),  # split vowel ោ
        ("េ្រកាម", "ក្រោម"),  # both
        (
            "្រពះរាជាណាច្រកកម្ពុជា ្រកសួងការងារ េលខ ០៩៥/២៥ ្របកាស ស្តីពីការផ្តល់្របាក់ឧបត្ថម្ភ",
            "ព្រះរាជាណាចក្រកម្ពុជា ក្រសួងការងារ លេខ ០៩៥/២៥ ប្រកាស ស្តីពីការផ្តល់ប្រាក់ឧបត្ថម្ភ",
        ),
    ],
)
def test_visual_order_khmer_is_put_back_in_reading_order(visual: str, logical: str) -> None:
    assert normalize(to_logical_order(visual)) == normalize(logical)


def test_visual_order_is_told_from_reading_order() -> None:
    for stem in ("subdecree_km_v1", "prakas_maternity_km", "budget_km"):
        assert not is_visual_order((DOCUMENTS / f"{stem}.txt").read_text(encoding="utf-8"))
    assert is_visual_order("្រពះរាជាណាច្រកកម្ពុជា េលខ ០៩៥ ្របកាស េដាយ ្រកសួង")
    assert not is_visual_order("The employer pays. ព្រះរាជាណាចក្រកម្ពុជា")


@pytest.mark.parametrize(
    "name",
    [
        "prakas_maternity_km_shuffled.pdf",
        "prakas_maternity_km_missing.pdf",
        "prakas_maternity_en_shuffled.pdf",
        "prakas_maternity_en_missing.pdf",
    ],
)
def test_a_wrong_tounicode_map_scores_low(name: str) -> None:
    result = read_pdf((BAD / name).read_bytes(), ocr=False)
    assert result.qualities[0] < 0.3
    assert "OCR is off" in " ".join(result.warnings)


def test_a_visual_order_pdf_is_read_in_reading_order() -> None:
    document = read((BAD / "prakas_maternity_km_visual.pdf").read_bytes(), name="v.pdf")
    truth = (BAD / "prakas_maternity_km.txt").read_text(encoding="utf-8")
    assert document.quality > 0.9
    assert word_f1(document.text, truth) >= 0.99
    assert any("visual order" in w for w in document.warnings)


@pytest.mark.parametrize(
    ("name", "similarity"),
    [("prakas_maternity_km_shuffled.pdf", 0.98), ("prakas_maternity_en_missing.pdf", 0.99)],
)
def test_a_wrong_text_layer_loses_to_ocr(name: str, similarity: float) -> None:
    document = read((BAD / name).read_bytes(), name=name)
    truth = (BAD / f"{name.rsplit('_', 1)[0]}.txt").read_text(encoding="utf-8")
    assert document.method == "ocr"
    assert 1 - char_error_rate(document.text, truth) >= similarity
    assert any("OCR reading taken" in w for w in document.warnings)


def test_ocr_no_better_keeps_the_text_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    # OCR that reads worse than a low-scoring text layer does not replace it.
    import parsers.read.pdf

    def worse(*_: Any, **__: Any) -> OcrResult:
        return OcrResult("(cid:12)(cid:7) \ufffd\ufffd (cid:3)" * 20, 0.9, "khm")

    monkeypatch.setattr(parsers.read.pdf, "ocr_pdf_page", worse)
    data = (BAD / "prakas_maternity_km_missing.pdf").read_bytes()
    layer = read_pdf(data, ocr=False)
    result = read_pdf(data)
    assert result.pages == layer.pages and result.methods == layer.methods
    assert any("OCR no better" in w for w in result.warnings)


def test_a_clean_text_layer_is_never_sent_to_ocr() -> None:
    for name in ("prakas_maternity_km.pdf", "prakas_maternity_en.pdf"):
        document = read((DOCUMENTS / name).read_bytes(), name=name)
        assert document.method == "text" and document.quality == 1.0
