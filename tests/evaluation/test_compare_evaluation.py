from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import evaluation
from alerts.match.matcher import Matcher
from alerts.positions import load_positions
from evaluation.compare import (
    KINDS,
    evaluate_compare,
    load_expected,
    pair_folders,
    render_table,
    score_pair,
    summary,
)

ROOT = Path(__file__).resolve().parents[2]
PAIRS = evaluation.PAIRS

EN_OLD = (
    "Article 1.- Rate\nThe contribution rate is four (4) per cent of the wage.\n"
    "Article 2.- Leave\nMaternity leave is 90 days.\n"
    "Article 3.- Review\nThe rate is reviewed every three years.\n"
)
KM_OLD = "មាត្រា ១.-\nអត្រាភាគទានគឺ ៤% (បួនភាគរយ) នៃប្រាក់ឈ្នួល។\nមាត្រា ២.-\nប្រាក់ឈ្នួលអប្បបរមាគឺ ៤០០.០០០ រៀល។\n"


def _pair(root: Path, name: str, old: str, new: str, expected: dict[str, Any]) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "old.txt").write_text(old, encoding="utf-8")
    (folder / "new.txt").write_text(new, encoding="utf-8")
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    return folder


@pytest.fixture
def pairs(tmp_path: Path) -> Path:
    en_new = EN_OLD.replace("four (4)", "six (6)").replace("Article 3", "Article 4")
    en_new = en_new.replace("Article 2.- Leave", "Article 2.- Register\nKeep a register.\n"
                            "Article 3.- Leave")  # fmt: skip
    _pair(
        tmp_path,
        "en_rate",
        EN_OLD,
        en_new,
        {
            "language": "en",
            "changes": {"added": 1, "modified": 1, "renumbered": 2},
            "numbers": [{"old": 4, "new": 6, "unit": "%"}],
        },
    )
    # Expects a number compare cannot find (90 -> 98 days was never made): a miss.
    _pair(
        tmp_path,
        "km_amount",
        KM_OLD,
        KM_OLD.replace("៤០០.០០០", "៥០០.០០០"),
        {
            "changes": {"modified": 1},
            "numbers": [
                {"old": 400000, "new": 500000, "unit": "KHR"},
                {"old": 90, "new": 98, "unit": "day"},
            ],
        },
    )
    # Cosmetic: coeng-DA for coeng-TA, zero-width spaces, re-wrapped lines; one real change
    # slipped in, so the pair fails with one false change.
    cosmetic_new = KM_OLD.replace("ប្រាក់ឈ្នួល", "ប្រាក់\u200bឈ្នួល").replace("អត្រា", "អត្រា\n")
    _pair(tmp_path, "km_cosmetic", KM_OLD, cosmetic_new, {"cosmetic": True})
    _pair(tmp_path, "km_noisy", KM_OLD, KM_OLD.replace("២.-", "២.-\nថ្មី"), {"cosmetic": True})
    return tmp_path


def test_scores_counts_numbers_and_cosmetic_pairs(pairs: Path) -> None:
    scores = {s.name: s for s in evaluate_compare(pairs)}
    assert list(scores) == ["en_rate", "km_amount", "km_cosmetic", "km_noisy"]
    en = scores["en_rate"]
    assert en.got == {"added": 1, "removed": 0, "modified": 1, "renumbered": 2, "moved": 0}
    assert en.counts_ok and en.numbers_found == 1 and en.passed
    assert (en.language, en.format) == ("en", "txt")
    km = scores["km_amount"]
    assert km.language == "km"  # from the reader when expected.json does not say
    assert km.counts_ok and km.numbers_found == 1 and km.numbers_expected == 2
    assert km.missing == ("90 -> 98 day",) and not km.passed
    assert scores["km_cosmetic"].passed and scores["km_cosmetic"].false_changes == 0
    noisy = scores["km_noisy"]
    assert noisy.cosmetic and noisy.false_changes == 1 and not noisy.passed

    totals = summary(list(scores.values()))
    assert totals["all"]["passed"] == 2 and totals["all"]["pairs"] == 4
    assert totals["all"]["numbers_recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert totals["all"]["cosmetic_false_changes"] == 1
    assert totals["language"]["km"]["pairs"] == 3 and totals["format"]["txt"]["pairs"] == 4

    table = render_table(list(scores.values()))
    assert "numbers not found: 90 -> 98 day" in table
    row = next(line for line in table.splitlines() if line.startswith("km_noisy"))
    assert row.split()[-2:-1] == ["NO"]
    assert any(line.split()[:3] == ["all", "4", "2"] for line in table.splitlines())


def test_matcher_flags_are_counted(pairs: Path) -> None:
    matcher = Matcher(load_positions(ROOT / "positions.toml"))
    score = score_pair(pairs / "en_rate", matcher)
    assert score.flagged >= 1  # the contribution rate change touches a position


def test_bad_expectations_say_what_is_wrong(tmp_path: Path) -> None:
    folder = _pair(tmp_path, "bad", "a\n", "b\n", {"changes": {"amended": 1}})
    with pytest.raises(ValueError, match="'changes' must map"):
        load_expected(folder)
    (folder / "expected.json").write_text('{"cosmetic": true, "changes": {"added": 1}}')
    with pytest.raises(ValueError, match="cosmetic pair expects no changes"):
        load_expected(folder)
    (folder / "expected.json").write_text('{"old": "missing.pdf"}')
    with pytest.raises(FileNotFoundError, match=r"missing\.pdf"):
        load_expected(folder)
    with pytest.raises(FileNotFoundError, match="not a folder"):
        pair_folders(tmp_path / "nowhere")


SLOW = {"scan_subdecree_en", "scan_subdecree_km"}


def _marks(name: str) -> list[pytest.MarkDecorator]:
    return [pytest.mark.slow] if name in SLOW else []


@pytest.mark.parametrize(
    "name", [pytest.param(p.name, marks=_marks(p.name)) for p in pair_folders(PAIRS)]
)
def test_committed_pair(name: str) -> None:
    score = score_pair(PAIRS / name)
    assert score.passed, score.to_json()


def test_committed_set_covers_languages_formats_and_cosmetic_pairs() -> None:
    expected = [load_expected(p) for p in pair_folders(PAIRS)]
    assert len(expected) >= 25
    assert {e.language for e in expected} == {"en", "km"}
    assert {"pdf", "docx", "html", "txt", "scan"} <= {e.format for e in expected}
    for language in ("en", "km"):
        mine = [e for e in expected if e.language == language]
        assert sum(e.cosmetic for e in mine) >= 4
        assert sum(e.changes["moved"] for e in mine) >= 1
        assert {n.unit for e in mine for n in e.numbers} >= {"%", "KHR", "day", "year"}
    assert set(KINDS) == {k for e in expected for k, v in e.changes.items() if v}
