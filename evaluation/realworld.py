"""`sptrack eval realworld`: version pairs of real legislation kept in git.

The documents are not in this repository: each case of ``cases.json`` names a public
repository fetched as a bare git snapshot under the mirror folder (``owner+name/repo``), two
commits and one path. The case is rendered (:mod:`evaluation.snapshots`) from ``git show
COMMIT:PATH`` of both commits (Markdown as HTML or as plain text; a folder of one-article
files joined in the order of their article numbers; a published page as it is stored) and
compared. The expectations
were written from the source's own diff before compare was run:

- ``changes``: the section refs a reader names for the edits (``§ 57a``, ``Art 3``,
  ``Article 375-2``);
- ``renumbered``: ``[old_ref, new_ref]`` pairs of sections whose number changed;
- ``pairs``: ``[old, new]`` values that are the same parameter in both versions;
- ``dates``: dates written in the changed text (``30. Juni 1990``, ``2012``), never a duration;
- ``units`` (where the source's diff shows it plainly): the smallest unit holding each
  edit, section ref and points (``§ 313(3)(1)``, ``Art 93(1)(4c)``, ``§ 7`` when an edit
  spans two of its points, ``Article 1724`` when the article has none).

Scores per case and in total: the share of expected refs that a change names, the share of
changes that name an expected section, renumberings found, number pairs not expected (pairs
between different parameters), numbers whose text is a date but whose unit is a duration,
and expected units that a change of that section names exactly (its ``unit``); and the
expected pairs found.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluation.snapshots import render_version, snapshot_dir
from parsers.compare.diff import compare
from parsers.document import Document

DURATION_UNITS = frozenset({"day", "month", "year", "week", "hour"})

_KINDS = (
    (re.compile(r"^(?:§§?|sec(?:tion)?\.?|paragraph)\s*", re.I), "§"),
    (re.compile(r"^(?:art(?:ikel|icle|\.)?)\s*", re.I), "art"),
    (re.compile(r"^(?:anlage|annex|schedule)\s*", re.I), "annex"),
)
_PREAMBLE = re.compile(r"^(?:preamble|title|heading|front matter)\b", re.I)
_NUMBER = re.compile(r"[0-9IVXLCDM]+(?:[-.][0-9]+)*(?:\s?[a-z]\b)?", re.I)


def section_key(ref: str | None) -> tuple[str, str] | None:
    """``§ 57a`` -> ("§", "57a"); ``Article 375-2`` / ``Art. 375-2`` -> ("art", "375-2");
    ``§ 150(2a)`` -> ("§", "150"); ``preamble`` (the text before the first
    section: title, dates of amendment) -> ("preamble", ""); a ref of no known kind
    (``¶ 4``) -> None."""
    if not ref:
        return None
    text = ref.strip()
    if _PREAMBLE.match(text):
        return "preamble", ""
    for pattern, kind in _KINDS:
        m = pattern.match(text)
        if m:
            number = _NUMBER.match(text[m.end() :])
            if number:
                return kind, re.sub(r"\s+", "", number.group(0)).lower()
            if kind == "annex" and not text[m.end() :].strip():
                return kind, ""
    return None


@dataclass(frozen=True)
class Case:
    id: str
    repo: str
    old_commit: str
    new_commit: str
    path: str
    render: str
    changes: tuple[str, ...]
    renumbered: tuple[tuple[str, str], ...] = ()
    pairs: tuple[tuple[float, float], ...] = ()
    dates: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    note: str = ""


@dataclass
class CaseScore:
    id: str
    skipped: str = ""
    error: str = ""
    changes: int = 0
    named: int = 0
    expected: int = 0
    expected_found: int = 0
    renumbered_expected: int = 0
    renumbered_found: int = 0
    false_pairs: list[str] = field(default_factory=list)
    dates_as_durations: list[str] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    units_expected: int = 0
    units_right: int = 0
    pairs_expected: int = 0
    pairs_found: int = 0
    wrong_units: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "skipped": self.skipped,
            "error": self.error,
            "changes": self.changes,
            "named": self.named,
            "expected": self.expected,
            "expected_found": self.expected_found,
            "renumbered": [self.renumbered_found, self.renumbered_expected],
            "false_pairs": self.false_pairs,
            "dates_as_durations": self.dates_as_durations,
            "unnamed": self.unnamed,
            "missed": self.missed,
            "units": [self.units_right, self.units_expected],
            "pairs": [self.pairs_found, self.pairs_expected],
            "wrong_units": self.wrong_units,
        }


def load_cases(path: Path) -> list[Case]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    cases = []
    for n, item in enumerate(raw):
        for key in ("id", "repo", "old", "new", "path", "render", "changes"):
            if key not in item:
                raise ValueError(f"{path}: case {n + 1} has no {key!r}")
        if item["render"] not in ("html", "text", "articles", "file"):
            raise ValueError(
                f"{path}: case {item['id']}: render must be html, text, articles or file"
            )
        cases.append(
            Case(
                id=item["id"],
                repo=item["repo"],
                old_commit=item["old"],
                new_commit=item["new"],
                path=item["path"],
                render=item["render"],
                changes=tuple(item["changes"]),
                renumbered=tuple((a, b) for a, b in item.get("renumbered", [])),
                pairs=tuple((float(a), float(b)) for a, b in item.get("pairs", [])),
                dates=tuple(item.get("dates", [])),
                units=tuple(item.get("units", [])),
                note=item.get("note", ""),
            )
        )
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: a case id is used twice")
    return cases


_DATE_WORDS = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_POINT = re.compile(r"\(([^()]+)\)")


def unit_key(unit: str, ref: str = "") -> tuple[tuple[str, str] | None, tuple[str, ...]]:
    """``§ 313(3)(1)`` -> (("§", "313"), ("3", "1")); with the change's ``ref`` (``Anlage``
    for ``Anlage(I)``) the points are read after it."""
    if ref and unit.startswith(ref):
        return section_key(ref), tuple(_POINT.findall(unit[len(ref) :]))
    return section_key(unit), tuple(_POINT.findall(unit))


def _score_units(case: Case, changes: list[dict[str, Any]], score: CaseScore) -> None:
    """Each expected unit is right when a change of its section names exactly that unit."""
    given: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
    for change in changes:
        unit = change.get("unit") or change.get("new_ref") or change.get("old_ref") or ""
        for ref in (change.get("new_ref"), change.get("old_ref")):
            key, points = unit_key(unit, ref or "")
            if ref and key is not None:
                given.setdefault(key, {}).setdefault(unit, points)
    score.units_expected = len(case.units)
    for expected in case.units:
        key, points = unit_key(expected)
        got = given.get(key, {}) if key is not None else {}
        if points in got.values():
            score.units_right += 1
        else:
            score.wrong_units.append(f"{expected}: got {', '.join(got) or 'no change'}")


def score_report(case: Case, report: dict[str, Any]) -> CaseScore:
    """Score one comparison (the ``changes`` of ``sptrack compare``'s JSON) against the
    case's expectations."""
    score = CaseScore(id=case.id)
    expected = {k for k in map(section_key, case.changes) if k is not None}
    score.expected = len(expected)
    named: set[tuple[str, str]] = set()
    renumbered: set[tuple[Any, Any]] = set()
    pairs = set(case.pairs)
    found_pairs: set[tuple[float, float]] = set()
    for change in report["changes"]:
        score.changes += 1
        refs = (change.get("old_ref"), change.get("new_ref"))
        keys = {k for k in map(section_key, refs) if k is not None}
        hit = keys & expected
        if hit:
            score.named += 1
            named |= hit
        else:
            score.unnamed.append(
                f"{change['kind']} {change.get('old_ref')} -> {change.get('new_ref')}"
            )
        if change["kind"] == "renumbered":
            renumbered.add((section_key(change.get("old_ref")), section_key(change.get("new_ref"))))
        for number in change.get("numbers", []):
            old, new = number.get("old"), number.get("new")
            if old is not None and new is not None and (float(old), float(new)) in pairs:
                found_pairs.add((float(old), float(new)))
            elif old is not None and new is not None:
                score.false_pairs.append(
                    f"{change.get('new_ref') or change.get('old_ref')}: "
                    f"{number.get('old_text')!r} -> {number.get('new_text')!r}"
                )
            if number.get("unit") in DURATION_UNITS:
                for side in ("old_text", "new_text"):
                    text = (number.get(side) or "").strip()
                    if text and (
                        any(d in text or (len(text) >= 4 and text in d) for d in case.dates)
                        or _DATE_WORDS.fullmatch(text)
                    ):
                        score.dates_as_durations.append(f"{text!r} as {number['unit']}")
                        break
    score.expected_found = len(named)
    score.missed = sorted(" ".join(k) for k in expected - named)
    expected_renumbered = {(section_key(a), section_key(b)) for a, b in case.renumbered}
    score.renumbered_expected = len(expected_renumbered)
    score.renumbered_found = len(expected_renumbered & renumbered)
    score.pairs_expected, score.pairs_found = len(pairs), len(found_pairs)
    _score_units(case, report["changes"], score)
    return score


def evaluate_realworld(
    cases: list[Case],
    mirror: Path,
    read: Callable[[Path], Document],
    ids: list[str] | None = None,
) -> list[CaseScore]:
    """Render, compare and score each case (or those named); a missing snapshot skips."""
    scores = []
    for case in cases:
        if ids and case.id not in ids:
            continue
        git_dir = snapshot_dir(mirror, case.repo)
        if not git_dir.is_dir():
            scores.append(CaseScore(id=case.id, skipped=f"no snapshot of {case.repo} at {git_dir}"))
            continue
        suffix = ".html" if case.render == "html" or case.path.endswith(".html") else ".txt"
        try:
            with tempfile.TemporaryDirectory(prefix="sptrack-realworld-") as tmp:
                files = []
                for side, commit in (("old", case.old_commit), ("new", case.new_commit)):
                    target = Path(tmp) / f"{side}{suffix}"
                    text = render_version(git_dir, commit, case.path, case.render)
                    target.write_text(text, encoding="utf-8")
                    files.append(target)
                changes = compare(read(files[0]), read(files[1]))
        except Exception as exc:  # one unreadable case is reported, the others still run
            scores.append(CaseScore(id=case.id, error=f"{type(exc).__name__}: {exc}"))
            continue
        scores.append(score_report(case, {"changes": [c.to_json() for c in changes]}))
    return scores


def summary(scores: list[CaseScore]) -> dict[str, Any]:
    run = [s for s in scores if not s.skipped and not s.error]
    changes = sum(s.changes for s in run)
    expected = sum(s.expected for s in run)
    return {
        "cases": len(scores),
        "run": len(run),
        "skipped": sum(1 for s in scores if s.skipped),
        "errors": sum(1 for s in scores if s.error),
        "changes": changes,
        "named_share": round(sum(s.named for s in run) / changes, 3) if changes else None,
        "expected_found_share": (
            round(sum(s.expected_found for s in run) / expected, 3) if expected else None
        ),
        "renumbered": [
            sum(s.renumbered_found for s in run),
            sum(s.renumbered_expected for s in run),
        ],
        "false_pairs": sum(len(s.false_pairs) for s in run),
        "dates_as_durations": sum(len(s.dates_as_durations) for s in run),
        "units": [sum(s.units_right for s in run), sum(s.units_expected for s in run)],
        "pairs": [sum(s.pairs_found for s in run), sum(s.pairs_expected for s in run)],
    }


def to_json(scores: list[CaseScore]) -> dict[str, Any]:
    """The ``sptrack eval realworld --format json`` object: the summary, then every case."""
    return {"summary": summary(scores), "cases": [s.to_json() for s in scores]}


def render_table(scores: list[CaseScore], detail: bool = False) -> str:
    lines = [
        f"{'case':<28} {'changes':>7} {'named':>6} {'found':>7} {'renum':>6} "
        f"{'false':>5} {'dates':>5} {'units':>6}"
    ]
    for s in scores:
        if s.skipped or s.error:
            lines.append(f"{s.id:<28} {'skipped: ' + s.skipped if s.skipped else s.error}")
            continue
        lines.append(
            f"{s.id:<28} {s.changes:>7} {s.named:>6} {s.expected_found:>3}/{s.expected:<3} "
            f"{s.renumbered_found:>2}/{s.renumbered_expected:<3} {len(s.false_pairs):>5} "
            f"{len(s.dates_as_durations):>5} {s.units_right:>2}/{s.units_expected:<3}"
        )
        if detail:
            for text in s.unnamed:
                lines.append(f"    unnamed: {text}")
            for text in s.missed:
                lines.append(f"    missed: {text}")
            for text in s.false_pairs:
                lines.append(f"    false pair: {text}")
            for text in s.dates_as_durations:
                lines.append(f"    date as duration: {text}")
            for text in s.wrong_units:
                lines.append(f"    unit: {text}")
    total = summary(scores)
    lines.append(
        f"total: {total['run']}/{total['cases']} cases run ({total['skipped']} skipped, "
        f"{total['errors']} errors); changes named by their section "
        f"{total['named_share']}; expected sections found {total['expected_found_share']}; "
        f"renumberings {total['renumbered'][0]}/{total['renumbered'][1]}; "
        f"false pairs {total['false_pairs']}; dates as durations {total['dates_as_durations']}; "
        f"units named exactly {total['units'][0]}/{total['units'][1]}; "
        f"expected pairs found {total['pairs'][0]}/{total['pairs'][1]}"
    )
    return "\n".join(lines)
