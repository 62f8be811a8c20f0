"""English text that lost letters without a trace (no bullet or box where a glyph was) scores
as damaged, tested by transformation: our English fixture texts with a share of their letters
dropped; the texts as written, other Latin-script languages and Khmer are never judged so."""

from __future__ import annotations

import random

import pytest

import evaluation
from parsers.read.quality import (
    ENGLISH_VALID,
    damage_score,
    english_word_validity,
    reads_as_words,
)

FIXTURES = evaluation.DATA  # documents/ and metamorphic/
ENGLISH = [
    "documents/subdecree_en_v1.txt",
    "documents/prakas_registration_en.txt",
    "documents/budget_en.txt",
    "documents/notice_en.txt",
    "metamorphic/sickness_en/txt.original.txt",
]
#: Above this a page is sent to OCR (parsers.read.pdf.OCR_DAMAGE).
OCR_DAMAGE = 0.3


def _dropped(text: str, share: float, seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(c for c in text if not (c.isalpha() and rnd.random() < share))


@pytest.mark.parametrize("name", ENGLISH)
def test_english_as_written_reads_as_words(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    validity = english_word_validity(text)
    assert validity is not None and validity >= 0.95
    assert damage_score(text) == 0.0 and reads_as_words(text)


@pytest.mark.parametrize("name", ENGLISH)
@pytest.mark.parametrize("share", [1 / 3, 1 / 5])
def test_letters_lost_without_a_trace_are_damage(name: str, share: float) -> None:
    text = _dropped((FIXTURES / name).read_text(encoding="utf-8"), share, seed=len(name))
    validity = english_word_validity(text)
    assert validity is not None and validity < ENGLISH_VALID
    assert damage_score(text) > OCR_DAMAGE and not reads_as_words(text)


@pytest.mark.parametrize(
    "text",
    [
        # German, French: other languages' words are not English misspelt.
        "Die Vorschriften dieses Gesetzes gelten für alle Beschäftigten, die in einem "
        "Arbeitsverhältnis stehen und nicht von der Versicherungspflicht befreit sind. "
        "Der Beitrag wird von dem Arbeitgeber und dem Beschäftigten je zur Hälfte getragen "
        "und ist bis zum Ende des Monats fällig, in dem die Beschäftigung ausgeübt wird.",
        "Les dispositions du présent code sont applicables aux salariés qui sont liés par un "
        "contrat de travail et ne sont pas exclus du régime. La cotisation est partagée par "
        "moitié entre l'employeur et le salarié et elle est due à la fin du mois pour lequel "
        "le salaire est versé, sauf pour les entreprises qui ont moins de dix salariés.",
        (FIXTURES / "documents/subdecree_km_v1.txt").read_text(encoding="utf-8"),
    ],
)
def test_other_languages_are_not_judged_as_english(text: str) -> None:
    assert english_word_validity(text) is None
