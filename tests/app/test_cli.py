"""The CLI contracts of docs/cli.md, through the console script's entry point in this process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.cli import FIXTURES, sptrack, sptrack_process


@pytest.mark.parametrize(
    ("name", "language", "ref"),
    [
        ("subdecree_km_v1.pdf", "km", "មាត្រា ៣"),
        ("subdecree_en_v1.pdf", "en", "Article 3"),
        ("subdecree_km_v1.docx", "km", "មាត្រា ៣"),
        ("subdecree_en_v1.html", "en", "Article 3"),
    ],
)
def test_extract_json_shape(name: str, language: str, ref: str) -> None:
    result = sptrack("extract", str(FIXTURES / name), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == language
    assert data["method"] == "text"
    assert data["pages"] is None or isinstance(data["pages"], int)
    assert data["text"]
    assert {"ref", "heading", "text"} <= set(data["sections"][0])
    assert ref in [s["ref"] for s in data["sections"]]


def test_extract_decides_type_by_content_not_extension(tmp_path: Path) -> None:
    disguised = tmp_path / "document.txt"
    shutil.copyfile(FIXTURES / "subdecree_km_v1.pdf", disguised)
    result = sptrack("extract", str(disguised))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pages"] >= 1


def test_extract_text_format_prints_the_text() -> None:
    result = sptrack("extract", str(FIXTURES / "subdecree_en_v1.html"), "--format", "text")
    assert result.returncode == 0
    assert "Article 3" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("corrupt_truncated.pdf", "corrupt_truncated.pdf"),
        ("encrypted.pdf", "encrypted"),
        ("missing.pdf", "no such file"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(name: str, needle: str) -> None:
    for command in (
        ["extract", str(FIXTURES / name)],
        ["compare", str(FIXTURES / name), str(FIXTURES / name)],
    ):
        result = sptrack(*command)
        assert result.returncode == 1
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ") and needle in lines[0]
        assert "Traceback" not in result.stderr


def test_unknown_format_is_refused() -> None:
    result = sptrack("extract", str(FIXTURES / "subdecree_en_v1.html"), "--format", "xml")
    assert result.returncode == 1
    assert "expected one of json, text" in result.stderr


def test_compare_khmer_json_contract() -> None:
    result = sptrack(
        "compare", str(FIXTURES / "subdecree_km_v1.pdf"), str(FIXTURES / "subdecree_km_v2.pdf")
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for side in ("old", "new"):
        assert {"sha256", "language", "method"} <= set(data[side])
        assert data[side]["language"] == "km"
    kinds = {c["kind"] for c in data["changes"]}
    assert {"added", "removed", "modified"} <= kinds
    for change in data["changes"]:
        assert {"kind", "old_ref", "new_ref", "old_text", "new_text", "numbers", "flags"} <= set(
            change
        )
        for flag in change["flags"]:
            assert {"position", "score", "evidence", "severity"} <= set(flag)
    rates = [
        n for c in data["changes"] for n in c["numbers"] if n["unit"] == "%" and n["old"] == 4.0
    ]
    assert rates and rates[0]["new"] == 6.0
    flagged = {f["position"] for c in data["changes"] for f in c["flags"]}
    assert {"contribution_rate", "maternity", "indexation"} <= flagged


def test_compare_english_finds_days_and_rates() -> None:
    result = sptrack(
        "compare", str(FIXTURES / "subdecree_en_v1.docx"), str(FIXTURES / "subdecree_en_v2.pdf")
    )
    assert result.returncode == 0, result.stderr
    numbers = {
        (n["old"], n["new"], n["unit"])
        for c in json.loads(result.stdout)["changes"]
        for n in c["numbers"]
    }
    assert (4.0, 6.0, "%") in numbers
    assert (90.0, 98.0, "day") in numbers


def test_compare_re_export_has_no_changes() -> None:
    result = sptrack(
        "compare",
        str(FIXTURES / "subdecree_km_v1.pdf"),
        str(FIXTURES / "subdecree_km_v1_reexport.pdf"),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["old"]["sha256"] != data["new"]["sha256"]
    assert data["changes"] == []


def test_compare_text_and_html_views() -> None:
    old, new = str(FIXTURES / "subdecree_en_v1.pdf"), str(FIXTURES / "subdecree_en_v2.pdf")
    text = sptrack("compare", old, new, "--format", "text")
    assert text.returncode == 0, text.stderr
    assert "4% -> 6%" in text.stdout and "contribution_rate (high)" in text.stdout
    html = sptrack("compare", old, new, "--format", "html")
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith("<!doctype html>")
    assert "<del>" in html.stdout and "<ins>" in html.stdout


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[database]\nurl = 'sqlite:///x.db'\ncolour = 'red'\n")
    result = sptrack("alerts", "list", "--config", str(config))
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {config}:3: database.colour: unknown key"
    missing = sptrack("crawl", "--config", str(tmp_path / "nope.toml"))
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_help_on_every_command() -> None:
    for command in (
        ["--help"],
        ["extract", "--help"],
        ["compare", "--help"],
        ["alerts", "send", "--help"],
        ["note", "--help"],
        ["users", "add", "--help"],
        ["run", "--help"],
    ):
        result = sptrack(*command)
        assert result.returncode == 0, command
        assert "Usage" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "digits", "words"),
    [
        (
            "Article 4\nThe rate is 4% of wages.",
            "Article 4\nThe rate is 6% (five per cent) of wages.",
            6,
            5,
        ),
        ("មាត្រា ៤\nអត្រាភាគទាន ៤% នៃប្រាក់ឈ្នួល។", "មាត្រា ៤\nអត្រាភាគទាន ៦% (ប្រាំភាគរយ) នៃប្រាក់ឈ្នួល។", 6, 5),
    ],
)
def test_compare_reports_digits_that_disagree_with_their_words(
    tmp_path: Path, old: str, new: str, digits: int, words: int
) -> None:
    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    result = sptrack("compare", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"))
    assert result.returncode == 0, result.stderr
    [change] = json.loads(result.stdout)["changes"]
    assert [(n["old"], n["new"]) for n in change["numbers"]] == [(4.0, float(digits))]
    [mismatch] = change["mismatches"]
    assert (mismatch["digits"], mismatch["words"], mismatch["unit"]) == (digits, words, "%")


def test_the_console_script_prints_what_the_entry_point_prints() -> None:
    """The tests above run the entry point in this process; the installed script, a process
    of its own, prints the same (Khmer through a real pipe, and a one-line error)."""
    shown = []
    for args in (
        ("extract", str(FIXTURES / "subdecree_km_v1.docx"), "--format", "json"),
        ("extract", str(FIXTURES / "missing.pdf")),
    ):
        spawned, inline = sptrack_process(*args), sptrack(*args)
        assert (spawned.returncode, spawned.stdout, spawned.stderr) == (
            inline.returncode,
            inline.stdout,
            inline.stderr,
        )
        shown.append(inline)
    read, missing = shown
    assert read.returncode == 0 and "មាត្រា ៣" in read.stdout
    assert missing.returncode == 1 and missing.stderr.startswith("error: ")
