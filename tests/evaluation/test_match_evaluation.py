"""`sptrack eval match`: labelled changes go through the real read/compare/flag path and are
scored per language, split and position; the committed set meets the issue's targets."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import evaluation
from alerts.match.matcher import Matcher
from alerts.positions import POSITION_IDS, load_positions
from evaluation.labelled_changes import (
    Case,
    article_ref,
    documents,
    load_cases,
    load_sets,
    parse_case,
)
from evaluation.match import evaluate_matching, render_table, summary, tally
from parsers.compare.diff import compare
from parsers.read.reader import read
from tests.support.cli import sptrack

ROOT = Path(__file__).resolve().parents[2]
CHANGES = evaluation.CHANGES


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_positions(ROOT / "positions.toml"))


def _case(**fields: object) -> Case:
    raw = {"id": "x", "lang": "en", "heading": "", "old": "", "new": "", "positions": []}
    raw.update(fields)
    return parse_case(raw, "test")


def test_committed_set_covers_what_the_issue_asks() -> None:
    cases = load_cases(CHANGES)
    assert len(cases) >= 80
    assert {c.lang for c in cases} == {"en", "km"}
    counts = Counter(p for c in cases for p in c.positions)
    assert all(counts[p] >= 3 for p in POSITION_IDS), counts
    kinds = Counter(c.case for c in cases)
    for kind in ("irrelevant-instrument", "unrelated-amendment", "boilerplate"):
        assert kinds[kind] >= 2, kind
    assert {c.split for c in cases} == {"dev", "held-out"}


def test_documents_keep_article_numbers_and_refs_in_both_languages() -> None:
    added = _case(
        lang="km",
        heading="អត្ថប្រយោជន៍",
        new="ប្រាក់ឧបត្ថម្ភ ៦០%។",
        before=[{"heading": "គោលបំណង", "text": "អនុក្រឹត្យនេះ។"}],
        after=[{"heading": "ការអនុវត្ត", "text": "ក្រសួងអនុវត្ត។"}],
    )
    old, new, ref = documents(added)
    assert ref == article_ref("km", 2) == "មាត្រា ២"
    assert "មាត្រា ២" not in old and "មាត្រា ៣.- ការអនុវត្ត" in old
    assert "មាត្រា ២.- អត្ថប្រយោជន៍\nប្រាក់ឧបត្ថម្ភ ៦០%។" in new
    changes = compare(read(old.encode()), read(new.encode()))
    assert [(c.kind, c.new_ref) for c in changes] == [("added", "មាត្រា ២")]


def test_scores_count_misses_extras_and_stray_changes(matcher: Matcher) -> None:
    rate = _case(
        id="rate",
        heading="Contribution rate",
        old="The contribution rate is 4% of the assumed wage.",
        new="The contribution rate is 6% of the assumed wage.",
        positions=["contribution_rate", "maternity"],  # maternity: a deliberate miss
        after=[{"heading": "Entry into force", "text": "This Prakas applies from signature."}],
    )
    (result,) = evaluate_matching([rate], matcher)
    assert result.found and result.predicted == {"contribution_rate"}
    assert result.missed == {"maternity"} and not result.extra
    total = tally([result])
    assert (total.tp, total.fp, total.fn) == (1, 0, 1)
    data = summary([result])
    assert data["all"]["precision"] == 1.0 and data["all"]["recall"] == 0.5
    assert data["position"]["maternity"]["recall"] == 0.0
    assert "rate: missed ['maternity']" in render_table([result], errors=True)


def test_negative_in_khmer_is_not_flagged(matcher: Matcher) -> None:
    fishing = _case(
        id="fish",
        lang="km",
        case="irrelevant-instrument",
        title="អនុក្រឹត្យស្តីពីរដូវបិទនេសាទ",
        heading="រដូវបិទ",
        old="ការនេសាទត្រូវហាមឃាត់ រយៈពេល ៣ខែ។",
        new="ការនេសាទត្រូវហាមឃាត់ រយៈពេល ៤ខែ។",
    )
    (result,) = evaluate_matching([fishing], matcher)
    assert result.found and result.predicted == frozenset()
    assert tally([result]).fp == 0


_BASE = '"id": "a", "lang": "en", "heading": "", '


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("{" + _BASE.replace('"en"', '"fr"') + '"old": "x", "new": "", "positions": []}', "'lang'"),
        (
            "{" + _BASE + '"old": "x", "new": "", "positions": ["pensions"]}',
            "unknown position 'pensions'",
        ),
        ("{" + _BASE + '"old": "", "new": "", "positions": []}', "both empty"),
        ("{" + _BASE + '"old": "x", "positions": []}', "missing key 'new'"),
        (
            "{" + _BASE + '"old": "x", "new": "", "positions": [], "colour": 1}',
            "unknown key 'colour'",
        ),
        ("[1, 2]", "expected a JSON object"),
        ("{not json", "not JSON"),
    ],
)
def test_bad_labelled_line_names_file_line_and_key(tmp_path: Path, line: str, words: str) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text("\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"set\.jsonl line 2: .*") as info:
        load_cases(path)
    assert words in str(info.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    line = '{"id": "a", "lang": "en", "heading": "", "old": "x", "new": "y", "positions": []}'
    path = tmp_path / "dup.jsonl"
    path.write_text(line + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: id 'a' used twice"):
        load_cases(path)


def test_sets_are_joined_filtered_by_split_and_checked_across_files(tmp_path: Path) -> None:
    khmer = {"id": "km-1", "lang": "km", "heading": "អត្រាភាគទាន", "old": "២%", "new": "៣%"}
    english = {"id": "en-1", "lang": "en", "split": "held-out", "heading": "", "old": "x"}
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(json.dumps({**khmer, "positions": []}, ensure_ascii=False), "utf-8")
    second.write_text(json.dumps({**english, "new": "y", "positions": []}), "utf-8")
    assert [c.id for c in load_sets([first, second])] == ["km-1", "en-1"]
    assert [c.lang for c in load_sets([first, second], "held-out")] == ["en"]
    with pytest.raises(ValueError, match="no labelled changes in split 'feedback'"):
        load_sets([first, second], "feedback")
    with pytest.raises(ValueError, match=r"missing\.jsonl: no such file"):
        load_sets([first, tmp_path / "missing.jsonl"])
    with pytest.raises(ValueError, match="case id used in two files: 'km-1'"):
        load_sets([first, first])


@pytest.mark.slow
def test_eval_match_meets_the_targets_on_the_dev_set(tmp_path: Path) -> None:
    # run outside the checkout: the default labelled set ships in the package
    result = sptrack("eval", "match", "--split", "dev", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["summary"]
    assert data["cases"] >= 80 and data["errors"] == 0
    for group in (data["all"], data["language"]["en"], data["language"]["km"]):
        assert group["precision"] >= 0.90, group
        assert group["recall"] >= 0.95, group


def test_eval_match_text_and_errors_through_the_console_script(tmp_path: Path) -> None:
    sample = tmp_path / "two.jsonl"
    sample.write_text(
        json.dumps(
            {
                "id": "km-rate",
                "lang": "km",
                "heading": "អត្រាភាគទាន",
                "old": "អត្រាភាគទានគឺ ២% នៃប្រាក់ឈ្នួលសន្មត។",
                "new": "អត្រាភាគទានគឺ ៣% នៃប្រាក់ឈ្នួលសន្មត។",
                "positions": ["contribution_rate"],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    result = sptrack("eval", "match", str(sample))
    assert result.returncode == 0, result.stderr
    assert "lang km" in result.stdout and "contribution_rate" in result.stdout
    bad = sptrack("eval", "match", str(tmp_path / "missing.jsonl"))
    assert bad.returncode == 1 and "missing.jsonl: no such file" in bad.stderr
    split = sptrack("eval", "match", str(sample), "--split", "held-out")
    assert split.returncode == 1 and "no labelled changes in split 'held-out'" in split.stderr


def test_feedback_loop_through_the_console_script(tmp_path: Path) -> None:
    """Triage stored in the tracker's database is exported by `sptrack eval
    export-feedback` and scored by `sptrack eval match` (an English and a Khmer change)."""
    from alerts.match.verdicts import record_verdict
    from app.config_file import parse_settings
    from app.runtime import Runtime
    from tracker.models import Change, Flag, Instrument, Source, Version

    (tmp_path / "positions.toml").write_bytes((ROOT / "positions.toml").read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(
        '[[sources]]\nid = "nssf"\nstart_urls = ["https://www.nssf.gov.kh/"]\n'
        'documents = "a::attr(href)"\nschedule = "0 6 * * *"\n',
        encoding="utf-8",
    )
    rt = Runtime(parse_settings(config.read_text(encoding="utf-8"), config), environ={})
    english = "Maternity leave lasts {} days."
    khmer = "ការឈប់សម្រាកលំហែមាតុភាព {}ថ្ងៃ។"
    texts = [
        ("Article 4", "Maternity leave", english.format(90), english.format(98)),
        ("មាត្រា ៤", "លំហែមាតុភាព", khmer.format("៩០"), khmer.format("៩៨")),
    ]
    with rt.session() as s:
        s.add(Source(id="nssf", name="NSSF"))
        s.flush()
        instrument = Instrument(source_id="nssf", url="https://www.nssf.gov.kh/a.pdf")
        s.add(instrument)
        s.flush()
        assert instrument.id is not None
        version = Version(instrument_id=instrument.id, url=instrument.url, sha256="b" * 64)
        s.add(version)
        s.flush()
        assert version.id is not None
        for ref, heading, old, new in texts:
            change = Change(
                instrument_id=instrument.id,
                new_version_id=version.id,
                kind="modified",
                old_ref=ref,
                new_ref=ref,
                heading=heading,
                old_text=old,
                new_text=new,
            )
            s.add(change)
            s.flush()
            assert change.id is not None
            s.add(Flag(change_id=change.id, position="maternity", score=0.9, severity="high"))
            s.add(Flag(change_id=change.id, position="budget", score=0.2, severity="low"))
            s.flush()
            record_verdict(s, change.id, "maternity", "relevant", user="dara")
            record_verdict(s, change.id, "budget", "not_relevant", user="dara")
        s.commit()

    out = tmp_path / "feedback.jsonl"
    exported = sptrack("eval", "export-feedback", "--config", str(config), "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "2 labelled changes written" in exported.stdout
    scored = sptrack("eval", "match", str(out), "--format", "json", "--config", str(config))
    assert scored.returncode == 0, scored.stderr
    data = json.loads(scored.stdout)
    assert {c["lang"] for c in data["cases"]} == {"en", "km"}
    assert all(c["gold"] == ["maternity"] and c["found"] for c in data["cases"])
    assert data["summary"]["split"]["feedback"]["recall"] == 1.0
