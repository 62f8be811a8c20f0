"""Matching quality on labelled changes: the positions flagged by ``sptrack compare`` against
the positions a policy officer says each change is about.

Used by ``sptrack eval match [FILE ...]`` (default :data:`evaluation.CHANGES`).

A labelled set is a JSON Lines file of changes (format and checks:
:mod:`evaluation.labelled_changes`). ``split`` is ``dev`` (written with the terms), ``held-out``
(written before tuning and kept for checking) or ``feedback`` (officers' triage exported by
``sptrack eval export-feedback``).

Each change becomes two plain-text documents (title, then ``Article n. heading`` or
``មាត្រា n.- heading`` blocks) that go through the real reader, comparison and matcher
(:func:`parsers.read.reader.read`, :func:`parsers.compare.diff.compare`,
:meth:`alerts.match.matcher.Matcher.flag`: the path of ``sptrack compare``). The positions flagged
on the change(s) to the labelled provision are scored against the gold label, position by position:
precision, recall and F1 overall, per language, per split and per position. Any other change the
comparison reports is a provision with no gold position (its flags are false positives).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alerts.match.flags import SEVERITIES
from alerts.positions import POSITION_IDS
from evaluation.labelled_changes import CASE_KINDS, LANGUAGES, SPLITS, Case, documents
from parsers import ParseError
from parsers.compare.diff import compare
from parsers.read.reader import read

if TYPE_CHECKING:
    from alerts.match.matcher import Matcher

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseResult:
    """What the matcher said about one labelled change."""

    case: Case
    predicted: frozenset[str] = frozenset()
    stray: tuple[frozenset[str], ...] = ()  # flags of changes to other provisions
    found: bool = True  # the comparison reported a change to the labelled provision
    error: str = ""

    @property
    def missed(self) -> frozenset[str]:
        return self.case.positions - self.predicted

    @property
    def extra(self) -> frozenset[str]:
        return self.predicted - self.case.positions

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id,
            "lang": self.case.lang,
            "split": self.case.split,
            "case": self.case.case,
            "gold": sorted(self.case.positions),
            "predicted": sorted(self.predicted),
            "missed": sorted(self.missed),
            "extra": sorted(self.extra),
            "stray_changes": len(self.stray),
            "found": self.found,
            "error": self.error,
        }


@dataclass
class Tally:
    """True positives, false positives and false negatives of position flags."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    provisions: int = 0
    by_position: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, gold: frozenset[str], predicted: frozenset[str]) -> None:
        self.provisions += 1
        for position in gold | predicted:
            counts = self.by_position.setdefault(position, Counter())
            if position in gold and position in predicted:
                self.tp += 1
                counts["tp"] += 1
            elif position in predicted:
                self.fp += 1
                counts["fp"] += 1
            else:
                self.fn += 1
                counts["fn"] += 1

    def to_json(self) -> dict[str, Any]:
        return {"provisions": self.provisions, **_prf(self.tp, self.fp, self.fn)}


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": None if precision is None else round(precision, 4),
        "recall": None if recall is None else round(recall, 4),
        "f1": None if f1 is None else round(f1, 4),
    }


# -- scoring ------------------------------------------------------------------------------


def score_case(case: Case, matcher: Matcher, min_severity: str = "low") -> CaseResult:
    """Read, compare and flag one labelled change, as ``sptrack compare`` does."""
    old_text, new_text, ref = documents(case)
    try:
        old = read(old_text.encode("utf-8"), name=f"{case.id}-old.txt")
        new = read(new_text.encode("utf-8"), name=f"{case.id}-new.txt")
    except ParseError as exc:
        return CaseResult(case, found=False, error=str(exc))
    floor = SEVERITIES.index(min_severity)  # type: ignore[arg-type]
    predicted: set[str] = set()
    stray: list[frozenset[str]] = []
    found = False
    for change in compare(old, new):
        flags = matcher.flag(change)
        flagged = {f.position for f in flags if SEVERITIES.index(f.severity) >= floor}
        if ref in (change.old_ref, change.new_ref):
            found = True
            predicted |= flagged
        else:
            stray.append(frozenset(flagged))
    return CaseResult(case, frozenset(predicted), tuple(stray), found)


def evaluate_matching(
    cases: list[Case], matcher: Matcher, min_severity: str = "low"
) -> list[CaseResult]:
    """Score every case (see the module doc)."""
    if min_severity not in SEVERITIES:
        raise ValueError(f"min severity must be one of {', '.join(SEVERITIES)}")
    return [score_case(case, matcher, min_severity) for case in cases]


def tally(results: list[CaseResult]) -> Tally:
    """Position-level counts over the labelled provisions and any stray changes."""
    total = Tally()
    for result in results:
        total.add(result.case.positions, result.predicted)
        for flagged in result.stray:
            total.add(frozenset(), flagged)
    return total


def summary(results: list[CaseResult]) -> dict[str, Any]:
    """Precision, recall and F1 overall, per language, per split and per position."""
    overall = tally(results)

    def by(attr: str, values: tuple[str, ...]) -> dict[str, Any]:
        return {
            v: tally([r for r in results if getattr(r.case, attr) == v]).to_json()
            for v in values
            if any(getattr(r.case, attr) == v for r in results)
        }

    positions = {}
    for position in POSITION_IDS:
        counts = overall.by_position.get(position, Counter())
        positions[position] = {
            "gold": sum(position in r.case.positions for r in results),
            **_prf(counts["tp"], counts["fp"], counts["fn"]),
        }
    return {
        "cases": len(results),
        "not_found": sum(not r.found for r in results),
        "errors": sum(bool(r.error) for r in results),
        "all": overall.to_json(),
        "language": by("lang", LANGUAGES),
        "split": by("split", SPLITS),
        "case": by("case", CASE_KINDS),
        "position": positions,
    }


def to_json(results: list[CaseResult]) -> dict[str, Any]:
    """The ``sptrack eval match --format json`` object: the summary, then every case."""
    return {"summary": summary(results), "cases": [r.to_json() for r in results]}


def _cell(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def render_table(results: list[CaseResult], *, errors: bool = False) -> str:
    """Plain text: overall, per language, per split, per kind of case and per position;
    with ``errors``, one line per case the matcher got wrong."""
    if not results:
        return "no labelled changes"
    data = summary(results)
    head = f"{'group':26} {'prov':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>5} {'R':>5} {'F1':>5}"
    lines = [
        f"{data['cases']} labelled changes; change not found by compare: {data['not_found']}; "
        f"unreadable: {data['errors']}",
        "",
        head,
        "-" * len(head),
    ]

    def row(name: str, g: dict[str, Any], count: int | None = None) -> str:
        n = g.get("provisions", count)
        return (
            f"{name:26} {n:>5} {g['tp']:>4} {g['fp']:>4} {g['fn']:>4} "
            f"{_cell(g['precision']):>5} {_cell(g['recall']):>5} {_cell(g['f1']):>5}"
        )

    lines.append(row("all", data["all"]))
    for key, label in (("language", "lang"), ("split", "split"), ("case", "case")):
        for value, g in data[key].items():
            lines.append(row(f"{label} {value}", g))
    lines += [
        "",
        f"{'position':26} {'gold':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>5} {'R':>5} {'F1':>5}",
        "-" * len(head),
    ]
    for position, g in data["position"].items():
        lines.append(row(position, g, g["gold"]))
    if errors:
        wrong = [r for r in results if r.missed or r.extra or any(r.stray) or not r.found]
        lines += ["", f"errors ({len(wrong)}): id, missed, extra"]
        for r in wrong:
            detail = f"  {r.case.id}: missed {sorted(r.missed)} extra {sorted(r.extra)}"
            if any(r.stray):
                detail += f" stray {[sorted(s) for s in r.stray if s]}"
            if not r.found:
                detail += " (change not found)" + (f" {r.error}" if r.error else "")
            lines.append(detail)
    return "\n".join(lines)
