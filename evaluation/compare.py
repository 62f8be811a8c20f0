"""Comparison quality on labelled version pairs: what COMPARE found against what a lawyer
counted.

Used by ``sptrack eval compare [FOLDER]`` (default :data:`evaluation.PAIRS`, built by
``tests/fixtures/make_pairs.py``).

Folder convention: every sub-folder holding an ``expected.json`` is a pair (or the folder
itself, when it holds one)::

    {"old": "old.pdf", "new": "new.pdf",            # optional; default the old.* / new.* file
     "language": "km", "format": "pdf",             # optional; for the per-group summary
     "changes": {"added": 1, "removed": 0, "modified": 3, "renumbered": 2, "moved": 0},
     "numbers": [{"old": 4, "new": 6, "unit": "%"}, {"old": 1.2e9, "new": 1.5e9,
                 "unit": "KHR", "label": "Total"}],
     "cosmetic": false, "needs_check": false, "note": "..."}

``old``/``new`` are paths relative to the pair folder. Both files go through the real
reader (:func:`parsers.read.reader.read`) and :func:`parsers.compare.diff.compare`. A pair passes
when the change counts by kind are exactly the expected ones, every expected number is found (same
unit, same values, and the row label when one is given; each found number answers one
expected number), a cosmetic pair has no change at all, and, when ``needs_check`` is
expected, every change asks for a human check.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parsers import ParseError
from parsers.compare.change import Change, NumberChange
from parsers.compare.diff import compare
from parsers.read.reader import read

if TYPE_CHECKING:
    from alerts.match.matcher import Matcher

logger = logging.getLogger(__name__)

KINDS = ("added", "removed", "modified", "renumbered", "moved")
_KEYS = {"old", "new", "language", "format", "changes", "numbers", "cosmetic", "needs_check"}
_OPTIONAL = {"note"}


@dataclass(frozen=True)
class ExpectedNumber:
    """A value pair a lawyer would report: ``old`` -> ``new`` in ``unit`` (row ``label``)."""

    old: float
    new: float
    unit: str
    label: str = ""

    def found_in(self, got: NumberChange) -> bool:
        def same(a: float | None, b: float) -> bool:
            return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)

        if got.unit != self.unit or not same(got.old, self.old) or not same(got.new, self.new):
            return False
        return not self.label or " ".join(self.label.split()) in " ".join(got.label.split())

    def __str__(self) -> str:
        label = f" [{self.label}]" if self.label else ""
        return f"{self.old:g} -> {self.new:g} {self.unit}{label}"


@dataclass(frozen=True)
class Expected:
    """A pair's ``expected.json``, with the two files resolved."""

    old: Path
    new: Path
    language: str
    format: str
    changes: dict[str, int]
    numbers: tuple[ExpectedNumber, ...] = ()
    cosmetic: bool = False
    needs_check: bool = False
    note: str = ""


@dataclass(frozen=True)
class PairScore:
    """One pair: expected against got."""

    name: str
    language: str
    format: str
    expected: dict[str, int]
    got: dict[str, int] = field(default_factory=dict)
    numbers_expected: int = 0
    numbers_found: int = 0
    missing: tuple[str, ...] = ()  # expected numbers not found
    cosmetic: bool = False
    needs_check_expected: bool = False
    needs_check_ok: bool = True
    flagged: int = 0  # changes the matcher flagged (0 without a matcher)
    seconds: float = 0.0
    error: str = ""
    note: str = ""

    @property
    def counts_ok(self) -> bool:
        return not self.error and all(self.expected[k] == self.got.get(k, 0) for k in KINDS)

    @property
    def false_changes(self) -> int:
        """Changes reported on a cosmetic pair (all of them are false)."""
        return sum(self.got.values()) if self.cosmetic else 0

    @property
    def passed(self) -> bool:
        return self.counts_ok and not self.missing and self.needs_check_ok

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "language": self.language,
            "format": self.format,
            "passed": self.passed,
            "expected": self.expected,
            "got": {k: self.got.get(k, 0) for k in KINDS},
            "numbers_expected": self.numbers_expected,
            "numbers_found": self.numbers_found,
            "missing_numbers": list(self.missing),
            "cosmetic": self.cosmetic,
            "false_changes": self.false_changes,
            "needs_check_ok": self.needs_check_ok,
            "flagged": self.flagged,
            "seconds": round(self.seconds, 3),
            "error": self.error,
            "note": self.note,
        }


def load_expected(folder: Path) -> Expected:
    """Read and check ``folder/expected.json``; a bad file raises ValueError naming the key."""
    path = folder / "expected.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a JSON object, got {type(raw).__name__}")
    unknown = set(raw) - _KEYS - _OPTIONAL
    if unknown:
        raise ValueError(
            f"{path}: unknown keys {sorted(unknown)}; expected some of {sorted(_KEYS)}"
        )
    changes = raw.get("changes", {})
    if not isinstance(changes, dict) or set(changes) - set(KINDS):
        raise ValueError(f"{path}: 'changes' must map some of {KINDS} to counts, got {changes!r}")
    numbers = []
    for entry in raw.get("numbers", []):
        try:
            numbers.append(
                ExpectedNumber(
                    float(entry["old"]), float(entry["new"]), entry["unit"], entry.get("label", "")
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: a number needs old, new and unit, got {entry!r}") from exc
    old, new = (_side(folder, raw.get(side), side) for side in ("old", "new"))
    counts = {k: int(changes.get(k, 0)) for k in KINDS}
    cosmetic = bool(raw.get("cosmetic", not any(counts.values())))
    if cosmetic and any(counts.values()):
        raise ValueError(f"{path}: a cosmetic pair expects no changes, got {counts}")
    return Expected(
        old,
        new,
        str(raw.get("language", "")),
        str(raw.get("format", "")) or new.suffix.lstrip(".").lower(),
        counts,
        tuple(numbers),
        cosmetic,
        bool(raw.get("needs_check", False)),
        str(raw.get("note", "")),
    )


def _side(folder: Path, given: object, side: str) -> Path:
    if isinstance(given, str) and given:
        path = (folder / given).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"{folder / 'expected.json'}: {side} file {given} not found")
        return path
    found = sorted(p for p in folder.glob(f"{side}.*") if p.is_file())
    if len(found) != 1:
        raise FileNotFoundError(f"{folder}: expected one {side}.* file, got {len(found)}")
    return found[0]


def pair_folders(folder: Path) -> list[Path]:
    """The pair folders under ``folder`` (or ``folder`` itself), sorted by name."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder of pairs (expected */expected.json)")
    if (folder / "expected.json").is_file():
        return [folder]
    return sorted(p for p in folder.iterdir() if (p / "expected.json").is_file())


def found_numbers(
    expected: tuple[ExpectedNumber, ...], changes: tuple[Change, ...]
) -> list[ExpectedNumber]:
    """The expected numbers not found among the changes' numbers (each found number answers
    one expected number; labelled expectations are matched first)."""
    pool = [number for change in changes for number in change.numbers]
    missing = []
    for want in sorted(expected, key=lambda e: not e.label):
        hit = next((k for k, got in enumerate(pool) if want.found_in(got)), None)
        if hit is None:
            missing.append(want)
        else:
            del pool[hit]
    return missing


def score_pair(folder: Path, matcher: Matcher | None = None) -> PairScore:
    """Read, compare and score one pair folder."""
    expected = load_expected(folder)
    base = PairScore(
        folder.name,
        expected.language,
        expected.format,
        expected.changes,
        numbers_expected=len(expected.numbers),
        cosmetic=expected.cosmetic,
        needs_check_expected=expected.needs_check,
        note=expected.note,
    )
    started = time.perf_counter()
    try:
        old = read(expected.old.read_bytes(), name=expected.old.name)
        new = read(expected.new.read_bytes(), name=expected.new.name)
    except ParseError as exc:
        return _replace(base, error=str(exc), seconds=time.perf_counter() - started)
    if not base.language:
        base = _replace(base, language=new.language)
    changes = compare(old, new)
    flagged = sum(1 for c in changes if matcher.flag(c)) if matcher is not None else 0
    seconds = time.perf_counter() - started
    missing = found_numbers(expected.numbers, changes)
    got: Counter[str] = Counter(c.kind for c in changes)
    needs_check_ok = not expected.needs_check or all(c.needs_check for c in changes)
    score = _replace(
        base,
        got={k: got.get(k, 0) for k in KINDS},
        numbers_found=len(expected.numbers) - len(missing),
        missing=tuple(str(m) for m in missing),
        needs_check_ok=needs_check_ok,
        flagged=flagged,
        seconds=seconds,
    )
    logger.info("%s: %s in %.2fs", score.name, "pass" if score.passed else "FAIL", seconds)
    return score


def _replace(score: PairScore, **changes: Any) -> PairScore:
    from dataclasses import replace

    return replace(score, **changes)


def evaluate_compare(folder: Path, matcher: Matcher | None = None) -> list[PairScore]:
    """Score every pair under ``folder`` (see the module doc), sorted by pair name."""
    return [score_pair(pair, matcher) for pair in pair_folders(folder)]


def summary(scores: list[PairScore]) -> dict[str, Any]:
    """Pairs passed, numeric recall and false changes on cosmetic pairs: overall, per
    language and per format."""

    def group(items: list[PairScore]) -> dict[str, Any]:
        expected = sum(s.numbers_expected for s in items)
        return {
            "pairs": len(items),
            "passed": sum(s.passed for s in items),
            "counts_ok": sum(s.counts_ok for s in items),
            "numbers_expected": expected,
            "numbers_found": sum(s.numbers_found for s in items),
            "numbers_recall": round(sum(s.numbers_found for s in items) / expected, 4)
            if expected
            else None,
            "cosmetic_pairs": sum(s.cosmetic for s in items),
            "cosmetic_false_changes": sum(s.false_changes for s in items),
            "seconds": round(sum(s.seconds for s in items), 2),
        }

    def by(key: str) -> dict[str, Any]:
        values = sorted({getattr(s, key) for s in scores})
        return {v: group([s for s in scores if getattr(s, key) == v]) for v in values}

    return {"all": group(scores), "language": by("language"), "format": by("format")}


def to_json(scores: list[PairScore]) -> dict[str, Any]:
    """The ``sptrack eval compare --format json`` object: the summary, then every pair."""
    return {"summary": summary(scores), "pairs": [s.to_json() for s in scores]}


def _counts(counts: dict[str, int]) -> str:
    return "/".join(str(counts.get(k, 0)) for k in KINDS)


def render_table(scores: list[PairScore]) -> str:
    """A plain-text table, one line per pair (expected and got counts as
    added/removed/modified/renumbered/moved), then the summary per language and format."""
    if not scores:
        return "no pairs (folders with expected.json)"
    head = (
        f"{'pair':24} {'lang':4} {'fmt':5} {'expected a/r/m/n/v':>18} {'got':>11} "
        f"{'numbers':>7} {'ok':>4} {'secs':>6}"
    )
    lines = [head, "-" * len(head)]
    for s in scores:
        got = "error" if s.error else _counts(s.got)
        numbers = f"{s.numbers_found}/{s.numbers_expected}"
        lines.append(
            f"{s.name:24} {s.language:4} {s.format:5} {_counts(s.expected):>18} {got:>11} "
            f"{numbers:>7} {'yes' if s.passed else 'NO':>4} {s.seconds:>6.2f}"
        )
        if s.error:
            lines.append(f"  error: {s.error}")
        if s.missing:
            lines.append(f"  numbers not found: {'; '.join(s.missing)}")
        if not s.needs_check_ok:
            lines.append("  a change on an OCR side does not ask for a human check")
    totals = summary(scores)
    lines.append("")
    lines.append(
        f"{'group':12} {'pairs':>5} {'passed':>6} {'counts':>6} {'numbers':>9} "
        f"{'recall':>6} {'cosmetic':>8} {'false':>5}"
    )
    rows = [("all", totals["all"])]
    rows += [(f"lang {k}", v) for k, v in totals["language"].items()]
    rows += [(f"fmt {k}", v) for k, v in totals["format"].items()]
    for name, g in rows:
        recall = "-" if g["numbers_recall"] is None else f"{g['numbers_recall']:.3f}"
        lines.append(
            f"{name:12} {g['pairs']:>5} {g['passed']:>6} {g['counts_ok']:>6} "
            f"{g['numbers_found']:>4}/{g['numbers_expected']:<4} {recall:>6} "
            f"{g['cosmetic_pairs']:>8} {g['cosmetic_false_changes']:>5}"
        )
    return "\n".join(lines)
