"""Severity ranks (issue 16): low, medium and high arise from the position's weight, the size
and direction of the number change, the instrument's type and stage; on real changes read
and compared from English and Khmer text."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.match import severity
from alerts.match.matcher import Matcher
from alerts.positions import Position, load_positions
from parsers.compare.change import Change, NumberChange
from parsers.compare.diff import compare
from parsers.read.reader import read

ROOT = Path(__file__).resolve().parents[2]
EN = "Sub-decree on Social Security\n\nArticle 1. {heading}\n{text}\n"
KM = "អនុក្រឹត្យស្តីពីសន្តិសុខសង្គម\n\nមាត្រា ១.- {heading}\n{text}\n"
SUB_DECREE = severity.Instrument("sub-decree", "published")


@pytest.fixture(scope="module")
def positions() -> dict[str, Position]:
    return {p.id: p for p in load_positions(ROOT / "positions.toml")}


@pytest.fixture(scope="module")
def matcher(positions: dict[str, Position]) -> Matcher:
    return Matcher(tuple(positions.values()))


def _change(template: str, heading: str, old: str, new: str) -> Change:
    [change] = compare(
        read(template.format(heading=heading, text=old).encode()),
        read(template.format(heading=heading, text=new).encode()),
    )
    return change


def _ranked(
    matcher: Matcher,
    positions: dict[str, Position],
    change: Change,
    instrument: severity.Instrument = SUB_DECREE,
) -> dict[str, str]:
    flags = severity.rank(matcher.flag(change), change.numbers, positions, instrument)
    return {f.position: f.severity for f in flags}


@pytest.mark.parametrize(
    ("template", "heading", "old", "new", "position", "expected"),
    [
        # core position, a large number change: high
        (
            EN,
            "Contribution rate",
            "The contribution rate is 4% of the wage.",
            "The contribution rate is 6% of the wage.",
            "contribution_rate",
            "high",
        ),
        (
            KM,
            "អត្រាភាគទាន",
            "អត្រាភាគទានគឺ ៤% នៃប្រាក់ឈ្នួល។",
            "អត្រាភាគទានគឺ ៦% នៃប្រាក់ឈ្នួល។",
            "contribution_rate",
            "high",
        ),
        # core position, adjustments made less often (adverse): high
        (
            KM,
            "និយ័តកម្ម",
            "សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ឆ្នាំ។",
            "សោធននិវត្តន៍ត្រូវធ្វើនិយ័តកម្មរៀងរាល់ពីរឆ្នាំម្តង។",
            "indexation",
            "high",
        ),
        # normal position, a modest favourable change: medium
        (
            EN,
            "Maternity leave",
            "Maternity leave lasts 90 days.",
            "Maternity leave lasts 98 days.",
            "maternity",
            "medium",
        ),
        (
            KM,
            "ការឈប់សម្រាកលំហែមាតុភាព",
            "ការឈប់សម្រាកលំហែមាតុភាព ៩០ថ្ងៃ។",
            "ការឈប់សម្រាកលំហែមាតុភាព ៩៨ថ្ងៃ។",
            "maternity",
            "medium",
        ),
        # normal position, a tiny favourable change: low
        (
            EN,
            "Maternity leave",
            "Maternity leave lasts 98 days.",
            "Maternity leave lasts 100 days.",
            "maternity",
            "low",
        ),
        # the same position cut by as much: medium again (adverse)
        (
            EN,
            "Maternity leave",
            "Maternity leave lasts 100 days.",
            "Maternity leave lasts 98 days.",
            "maternity",
            "medium",
        ),
    ],
)
def test_severity_ranks_on_real_changes(
    matcher: Matcher,
    positions: dict[str, Position],
    template: str,
    heading: str,
    old: str,
    new: str,
    position: str,
    expected: str,
) -> None:
    change = _change(template, heading, old, new)
    assert matcher.flag(change)[0].severity == "high"  # the matcher's tier: a number moved
    assert _ranked(matcher, positions, change)[position] == expected


def test_stage_and_type_of_the_instrument_move_the_severity(
    matcher: Matcher, positions: dict[str, Position]
) -> None:
    change = _change(
        EN, "Maternity leave", "Maternity leave lasts 90 days.", "Maternity leave lasts 98 days."
    )
    as_published = _ranked(matcher, positions, change)["maternity"]
    in_consultation = severity.Instrument("sub-decree", "consultation")
    a_circular = severity.Instrument("circular", "published")
    repealed = severity.Instrument("sub-decree", "repealed")
    assert as_published == "medium"
    assert _ranked(matcher, positions, change, in_consultation)["maternity"] == "high"
    assert _ranked(matcher, positions, change, a_circular)["maternity"] == "low"
    assert _ranked(matcher, positions, change, repealed)["maternity"] == "low"
    assert severity.type_points("សារាចរ") == -1 and severity.type_points("អនុក្រឹត្យ") == 0


def test_points_item_by_item() -> None:
    cut = NumberChange(1.0, 2.0, "year", "every year", "every two years", recurring=True)
    tiny = NumberChange(100.0, 102.0, "day", "100 days", "102 days")
    new = NumberChange(None, 98.0, "day", "", "98 days")
    struck = NumberChange(70.0, None, "%", "70%", "")
    assert severity.size_points([cut]) == 1
    assert severity.size_points([tiny]) == -1
    assert severity.size_points([new]) == 0 and severity.size_points([]) == 0
    assert severity.size_points([struck, tiny]) == 1
    watch = Position("governance", "Governance", "d", "s", ("m",), ("board",), (), weight="watch")
    term_only = severity.points("medium", [], watch, None, SUB_DECREE)
    assert (term_only.evidence, term_only.weight, term_only.total) == (1, -1, 0)
    assert term_only.severity == "low"
    unknown = severity.points("medium", [], None, "adverse", SUB_DECREE)
    assert (unknown.weight, unknown.direction, unknown.severity) == (0, 1, "medium")
