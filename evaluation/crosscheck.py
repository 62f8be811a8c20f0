"""`sptrack eval crosscheck`: language-version pairs against what a reader would report.

Each case of ``cases.json`` names two files (paths relative to the folder) and the expected
``disagreements`` (``a_ref``, ``b_ref``, ``a_only``/``b_only`` as ``[value, unit]``) and
``missing`` provisions (``[a_ref, b_ref]``, one of them null). A finding is one value on one
side of one aligned pair, or one missing provision; precision and recall count findings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parsers.compare.crosscheck import crosscheck
from parsers.document import Document

Finding = tuple[object, ...]


@dataclass(frozen=True)
class CaseScore:
    id: str
    expected: frozenset[Finding]
    found: frozenset[Finding]
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and self.expected == self.found

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "passed": self.passed,
            "error": self.error,
            "missed": sorted(map(list, self.expected - self.found), key=str),
            "wrong": sorted(map(list, self.found - self.expected), key=str),
        }


def _findings(disagreements: list[dict[str, Any]], missing: list[list[Any]]) -> frozenset[Finding]:
    found: set[Finding] = set()
    for d in disagreements:
        for side in ("a_only", "b_only"):
            for item in d[side]:
                value, unit = (item["value"], item["unit"]) if isinstance(item, dict) else item
                found.add(("value", d["a_ref"], d["b_ref"], side[0], float(value), unit))
    for a_ref, b_ref in missing:
        found.add(("missing", a_ref, b_ref))
    return frozenset(found)


def load_cases(folder: Path) -> list[dict[str, Any]]:
    path = folder / "cases.json"
    try:
        cases = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    for n, case in enumerate(cases):
        for key in ("id", "a", "b", "disagreements", "missing"):
            if key not in case:
                raise ValueError(f"{path}: case {n + 1} has no {key!r}")
    return list(cases)


def evaluate_crosscheck(
    folder: Path, read: Callable[[Path], Document], ids: list[str] | None = None
) -> list[CaseScore]:
    """Run every case (or those named) and score its findings."""
    scores = []
    for case in load_cases(folder):
        if ids and case["id"] not in ids:
            continue
        expected = _findings(case["disagreements"], [list(m) for m in case["missing"]])
        try:
            result = crosscheck(read(folder / case["a"]), read(folder / case["b"]))
        except Exception as exc:  # one unreadable case is reported, the others still run
            scores.append(
                CaseScore(case["id"], expected, frozenset(), f"{type(exc).__name__}: {exc}")
            )
            continue
        found = _findings(
            [p.disagreement_json() for p in result.disagreements],
            [[p.a_ref, p.b_ref] for p in result.missing],
        )
        scores.append(CaseScore(case["id"], expected, found))
    return scores


def summary(scores: list[CaseScore]) -> dict[str, Any]:
    expected = sum(len(s.expected) for s in scores)
    found = sum(len(s.found) for s in scores)
    right = sum(len(s.expected & s.found) for s in scores)
    return {
        "cases": len(scores),
        "passed": sum(s.passed for s in scores),
        "precision": right / found if found else 1.0,
        "recall": right / expected if expected else 1.0,
        "findings_expected": expected,
        "findings_found": found,
    }


def to_json(scores: list[CaseScore]) -> dict[str, Any]:
    """The ``sptrack eval crosscheck --format json`` object: the summary, then every case."""
    return {"summary": summary(scores), "cases": [s.to_json() for s in scores]}


def render_table(scores: list[CaseScore]) -> str:
    lines = [f"{'case':28} {'result':8} {'expected':>8} {'found':>6} {'right':>6}"]
    for s in scores:
        result = "error" if s.error else "pass" if s.passed else "FAIL"
        lines.append(
            f"{s.id:28} {result:8} {len(s.expected):>8} {len(s.found):>6} "
            f"{len(s.expected & s.found):>6}"
        )
        if s.error:
            lines.append(f"  {s.error}")
        for item in sorted(s.expected - s.found, key=str):
            lines.append(f"  missed {item}")
        for item in sorted(s.found - s.expected, key=str):
            lines.append(f"  wrong  {item}")
    total = summary(scores)
    lines.append(
        f"{total['passed']}/{total['cases']} cases pass; findings: precision "
        f"{total['precision']:.2f}, recall {total['recall']:.2f} "
        f"({total['findings_expected']} expected, {total['findings_found']} found)"
    )
    return "\n".join(lines)
