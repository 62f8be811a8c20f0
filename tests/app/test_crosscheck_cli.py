"""`sptrack crosscheck` and `sptrack eval crosscheck` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import evaluation
from evaluation.crosscheck import evaluate_crosscheck, summary
from parsers.read.reader import read
from tests.support.cli import FIXTURES, sptrack

CASES = evaluation.CROSSCHECK


def test_json_contract_khmer_pdf_against_a_lagging_english_html() -> None:
    run = sptrack(
        "crosscheck",
        str(FIXTURES / "subdecree_km_v2.pdf"),
        str(FIXTURES / "subdecree_en_v1.html"),
        "--format",
        "json",
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["a"]["language"] == "km" and report["b"]["language"] == "en"
    assert len(report["a"]["sha256"]) == 64
    assert all(set(p) == {"a_ref", "b_ref", "status"} for p in report["provisions"])
    assert {"a_ref": "មាត្រា ៥", "b_ref": None, "status": "missing"} in report["provisions"]
    assert {"a_ref": None, "b_ref": "Article 8", "status": "missing"} in report["provisions"]
    maternity = [d for d in report["disagreements"] if d["a_ref"] == "មាត្រា ៧"]
    assert maternity == [
        {
            "a_ref": "មាត្រា ៧",
            "b_ref": "Article 6",
            "a_only": [{"value": 98.0, "unit": "day"}],
            "b_only": [{"value": 90.0, "unit": "day"}],
        }
    ]


def test_text_view_english_docx_first_agrees_with_the_khmer_pdf() -> None:
    run = sptrack(
        "crosscheck",
        str(FIXTURES / "subdecree_en_v1.docx"),
        str(FIXTURES / "subdecree_km_v1.pdf"),
        "--format",
        "text",
    )
    assert run.returncode == 0, run.stderr
    assert "16 provisions: 16 agree, 0 differ, 0 missing" in run.stdout


def test_a_missing_file_is_one_clear_line() -> None:
    run = sptrack("crosscheck", str(FIXTURES / "subdecree_en_v1.docx"), "no-such.pdf")
    compared = sptrack("compare", str(FIXTURES / "subdecree_en_v1.docx"), "no-such.pdf")
    assert run.returncode == compared.returncode == 1, "errors as for compare"
    assert run.stderr.startswith("error:") and compared.stderr.startswith("error:")
    assert "no-such.pdf" in run.stderr and "Traceback" not in run.stderr


def test_every_labelled_pair_is_checked_right() -> None:
    scores = evaluate_crosscheck(CASES, lambda p: read(p.read_bytes(), name=p.name))
    assert [s.id for s in scores if not s.passed] == []
    total = summary(scores)
    assert total["precision"] == 1.0 and total["recall"] == 1.0
    assert total["cases"] >= 18


def test_eval_command_reports_precision_and_recall(tmp_path: Path) -> None:
    case = {
        "id": "wrong-expectation",
        "a": str(FIXTURES / "prakas_maternity_km.pdf"),
        "b": str(FIXTURES / "prakas_maternity_en.pdf"),
        "disagreements": [],
        "missing": [["ប្រការ ៣", None]],
    }
    (tmp_path / "cases.json").write_text(json.dumps([case]), encoding="utf-8")
    run = sptrack("eval", "crosscheck", str(tmp_path), "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["summary"]["recall"] == 0.0 and data["summary"]["passed"] == 0
    assert data["cases"][0]["missed"] == [["missing", "ប្រការ ៣", None]]
    (tmp_path / "cases.json").write_text("[{}]", encoding="utf-8")
    bad = sptrack("eval", "crosscheck", str(tmp_path))
    assert bad.returncode != 0 and "cases.json" in bad.stderr and "Traceback" not in bad.stderr
