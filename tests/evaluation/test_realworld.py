"""Scoring of `sptrack eval realworld` on a tiny synthetic git repository (fast)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import evaluation
from evaluation.realworld import (
    Case,
    load_cases,
    score_report,
    section_key,
    summary,
    unit_key,
)
from evaluation.snapshots import render_version
from tests.support.cli import sptrack


def _case(**kw: object) -> Case:
    base: dict[str, object] = {
        "id": "c",
        "repo": "o/r",
        "old_commit": "a",
        "new_commit": "b",
        "path": "law.md",
        "render": "text",
        "changes": ("§ 5a", "Art. 3"),
    }
    base.update(kw)
    return Case(**base)  # type: ignore[arg-type]


def test_section_key_reads_the_schemes() -> None:
    assert section_key("§ 57a") == ("§", "57a")
    assert section_key("§ 150(2a)") == ("§", "150")
    assert section_key("Section 38-2903.") == ("§", "38-2903")
    assert section_key("Article 375-2") == section_key("Art. 375-2") == ("art", "375-2")
    assert section_key("Art 93") == ("art", "93")
    assert section_key("Anlage 2a") == ("annex", "2a") and section_key("Anlage") == ("annex", "")
    assert section_key("preamble") == ("preamble", "")
    assert section_key("¶12") is None
    assert section_key("មាត្រា ៥") is None
    assert section_key(None) is None


def test_score_counts_named_changes_renumberings_false_pairs_and_dates() -> None:
    case = _case(
        renumbered=(("§ 7", "§ 8"),),
        pairs=((50000.0, 60000.0),),
        dates=("30. Juni 1990",),
    )
    report = {
        "changes": [
            {
                "kind": "modified",
                "old_ref": "§ 5a(1)",
                "new_ref": "§ 5a(1)",
                "numbers": [
                    {"old": 50000, "new": 60000, "unit": "EUR", "old_text": "", "new_text": ""},
                    {"old": 5, "new": 9, "unit": "%", "old_text": "5 %", "new_text": "9 %"},
                ],
            },
            {"kind": "renumbered", "old_ref": "§ 7", "new_ref": "§ 8", "numbers": []},
            {
                "kind": "added",
                "old_ref": None,
                "new_ref": "¶4",
                "numbers": [
                    {"old": None, "new": 1990, "unit": "year", "new_text": "30. Juni 1990"},
                    {"old": None, "new": 3, "unit": "year", "new_text": "3"},
                ],
            },
        ]
    }
    score = score_report(case, report)
    assert (score.changes, score.named, score.expected, score.expected_found) == (3, 1, 2, 1)
    assert score.missed == ["art 3"]
    assert (score.renumbered_found, score.renumbered_expected) == (1, 1)
    assert score.false_pairs == ["§ 5a(1): '5 %' -> '9 %'"]
    assert (score.pairs_found, score.pairs_expected) == (1, 1)
    assert score.dates_as_durations == ["'30. Juni 1990' as year"]
    total = summary([score])
    assert total["named_share"] == 0.333 and total["renumbered"] == [1, 1]
    assert total["false_pairs"] == 1 and total["dates_as_durations"] == 1
    assert total["pairs"] == [1, 1]


def test_unit_key_reads_points_after_the_ref() -> None:
    assert unit_key("§ 313(3)(1)") == (("§", "313"), ("3", "1"))
    assert unit_key("Art 93(1)(4c)") == (("art", "93"), ("1", "4c"))
    assert unit_key("Article 1724") == (("art", "1724"), ())
    assert unit_key("Anlage(I)", "Anlage") == (("annex", ""), ("I",))


def test_units_are_right_only_when_named_exactly() -> None:
    case = _case(
        changes=("§ 5", "§ 7", "Art 93", "§ 9"),
        units=("§ 5(2)", "§ 7", "Art 93(1)(4c)", "§ 9(1)"),
    )
    report = {
        "changes": [
            {"kind": "modified", "old_ref": "§ 5", "new_ref": "§ 5", "unit": "§ 5(2)"},
            {"kind": "modified", "old_ref": "§ 7", "new_ref": "§ 7", "unit": "§ 7(4)"},
            {"kind": "modified", "old_ref": "Artikel 93", "new_ref": "Artikel 93",
             "unit": "Artikel 93(1)(4c)"},
            {"kind": "added", "old_ref": None, "new_ref": "§ 8", "unit": "§ 8"},
        ]
    }  # fmt: skip
    score = score_report(case, report)
    assert (score.units_right, score.units_expected) == (2, 4)
    assert score.wrong_units == ["§ 7: got § 7(4)", "§ 9(1): got no change"]
    assert summary([score])["units"] == [2, 4]


def _repo(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t", *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q")
    (work / "law.md").write_text("---\nTitle: X\n---\n\n### § 1 Zweck\n\nText.\n", "utf-8")
    (work / "code").mkdir()
    for name, body in (("Article 10.md", "Article 10\n----\nDix."), ("Article 9-1.md", "Neuf.")):
        (work / "code" / name).write_text(body, "utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "one")
    return work


def test_render_markdown_and_article_folders(tmp_path: Path) -> None:
    work = _repo(tmp_path)
    git_dir = work / ".git"
    text = render_version(git_dir, "HEAD", "law.md", "text")
    assert "Title: X" not in text and "§ 1 Zweck" in text and "###" not in text
    html = render_version(git_dir, "HEAD", "law.md", "html")
    assert "<h3>§ 1 Zweck</h3>" in html
    joined = render_version(git_dir, "HEAD", "code", "articles")
    assert joined.index("Neuf.") < joined.index("Dix.")


def test_cli_skips_a_missing_snapshot_and_checks_cases(tmp_path: Path) -> None:
    cases = tmp_path / "cases.json"
    cases.write_text(
        json.dumps(
            [
                {
                    "id": "x",
                    "repo": "nobody/none",
                    "old": "a",
                    "new": "b",
                    "path": "p",
                    "render": "text",
                    "changes": [],
                }
            ]
        ),
        "utf-8",
    )
    result = sptrack("eval", "realworld", str(cases), "--mirror", str(tmp_path), "-f", "json")
    assert result.returncode == 0, result.output
    assert "no snapshot of nobody/none" in result.output
    assert json.loads(result.stdout)["summary"]["skipped"] == 1
    cases.write_text("[{}]", "utf-8")
    bad = sptrack("eval", "realworld", str(cases))
    assert bad.returncode == 1 and "has no 'id'" in bad.output


def test_committed_cases_load() -> None:
    cases = load_cases(evaluation.REALWORLD)
    # A case without expected changes is a re-publication of the same text (0 changes).
    assert cases and all(c.changes or "no change" in c.note for c in cases)
    assert all(c.render in ("html", "text", "articles", "file") for c in cases)
    # an expected unit lies in an expected section
    for c in cases:
        sections = {section_key(ref) for ref in c.changes}
        assert all(unit_key(u)[0] in sections for u in c.units), c.id
