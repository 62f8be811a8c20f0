"""Officers' verdicts on flags are stored and exported as labelled changes that `sptrack eval match`
reads and scores (English and Khmer)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, select

from alerts.match.matcher import Matcher
from alerts.match.verdicts import TriageError, export_feedback, record_verdict
from alerts.positions import load_positions
from evaluation.labelled_changes import parse_case
from evaluation.match import evaluate_matching, summary
from tracker.models import Change, Verdict

ROOT = Path(__file__).resolve().parents[2]


def _changes(factory: Callable[[], Session]) -> list[Change]:
    with factory() as s:
        return list(s.exec(select(Change).order_by(Change.id)).all())  # type: ignore[arg-type]


def test_triage_is_stored_and_exported_as_labelled_changes(world, session_factory) -> None:
    flags = [
        [world.flag("contribution_rate"), world.flag("maternity", "low")],
        [world.flag("contribution_rate")],
    ]
    world.alert([world.contribution, world.khmer], flags)
    english, khmer = _changes(session_factory)
    with session_factory() as s:
        record_verdict(s, english.id, "contribution_rate", "relevant", user="dara")
        record_verdict(
            s,
            english.id,
            "maternity",
            "wrong_position",
            user="dara",
            correct_positions=["benefit_adequacy"],
        )
        record_verdict(s, khmer.id, "contribution_rate", "not_relevant", user="sophea")
        # the same officer changes her mind: rows are added, the last verdict counts
        record_verdict(s, khmer.id, "contribution_rate", "relevant", user="sophea")
        s.commit()
        rows = s.exec(select(Verdict).order_by(Verdict.id)).all()  # type: ignore[arg-type]
        assert [(r.change_id, r.position, r.verdict, r.user_name) for r in rows] == [
            (english.id, "contribution_rate", "relevant", "dara"),
            (english.id, "maternity", "wrong_position", "dara"),
            (khmer.id, "contribution_rate", "not_relevant", "sophea"),
            (khmer.id, "contribution_rate", "relevant", "sophea"),
        ]
        # given on the flags alone (no alert's page lists them), each for its position
        assert {r.alert_id for r in rows} == {None} and rows[1].judged == "maternity"
        assert rows[1].correct_positions == ["benefit_adequacy"]
        out = io.StringIO()
        report = export_feedback(s, out)
    assert (report.exported, report.incomplete) == (2, 0)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    by_lang = {case["lang"]: case for case in lines}
    assert by_lang["en"]["positions"] == ["benefit_adequacy", "contribution_rate"]
    assert by_lang["en"]["old"].startswith("The contribution rate is 4%")
    assert by_lang["km"]["positions"] == ["contribution_rate"]
    assert "៦%" in by_lang["km"]["new"]
    assert {case["split"] for case in lines} == {"feedback"}

    # the export is valid input of the evaluation, and scoring it runs the real matcher
    cases = [parse_case(case, f"line {i}") for i, case in enumerate(lines, 1)]
    matcher = Matcher(load_positions(ROOT / "positions.toml"))
    results = evaluate_matching(cases, matcher)
    assert all(r.found for r in results)
    assert all("contribution_rate" in r.predicted for r in results)
    totals = summary(results)
    assert set(totals["language"]) == {"en", "km"}
    assert totals["all"]["tp"] >= 2


def test_change_with_an_unjudged_flag_is_not_exported(world, session_factory) -> None:
    world.alert([world.contribution], [[world.flag("contribution_rate"), world.flag("budget")]])
    (change,) = _changes(session_factory)
    with session_factory() as s:
        record_verdict(s, change.id, "contribution_rate", "relevant", user="dara")
        s.commit()
        out = io.StringIO()
        report = export_feedback(s, out)
    assert (report.exported, report.incomplete) == (0, 1)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("position", "verdict", "correct", "words"),
    [
        ("contribution_rate", "maybe", (), "verdict must be one of"),
        ("pensions", "relevant", (), "unknown position 'pensions'"),
        ("maternity", "relevant", (), "was not flagged for 'maternity'"),
        ("contribution_rate", "relevant", ("budget",), "only with the verdict wrong_position"),
        ("contribution_rate", "wrong_position", ("nothing",), "unknown position 'nothing'"),
    ],
)
def test_bad_triage_is_refused_with_its_reason(
    world, session_factory, position: str, verdict: str, correct: tuple[str, ...], words: str
) -> None:
    world.alert([world.khmer])
    (change,) = _changes(session_factory)
    with session_factory() as s, pytest.raises(TriageError, match=words):
        record_verdict(s, change.id, position, verdict, user="dara", correct_positions=correct)


def test_triage_of_an_unknown_change_is_refused(session_factory) -> None:
    with session_factory() as s, pytest.raises(TriageError, match="no change 99"):
        record_verdict(s, 99, "budget", "relevant", user="dara")
