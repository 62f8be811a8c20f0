"""The metamorphic bed: the same text typeset many ways gives no change; one generated edit
gives exactly that change, its refs and its number pair.

Used by ``sptrack eval metamorphic [FOLDER]`` (default :data:`evaluation.METAMORPHIC`,
built by ``tests/fixtures/make_metamorphic.py``). ``expected.json`` lists the cases (one text in
one typesetting, with its edited twin and the expected changes of the edit). Pairs scored:

* identical: the originals of every two typesettings of one text -> no change;
* edited: (the same typesetting's original, the edited file) and (the reference
  typesetting's original, the edited file) -> exactly the expected changes by kind and refs,
  and exactly the expected old -> new number pairs.

A failing pair is given a cause read from its changes: furniture (page headers, page
numbers, menus read as text), Khmer spacing (the two sides differ only in spaces), heading
detection (provisions lost, merged or named by another ref), number pairing (a wrong or
missing old -> new pair), missing change.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from parsers import Document, ParseError
from parsers.compare.change import Change
from parsers.compare.diff import compare
from parsers.read.reader import read

_SPACE_RE = re.compile(r"[\s\u200b\u2060]+")
_REF_RE = re.compile(r"^(Article|មាត្រា|ប្រការ)\s")
_FURNITURE_RE = re.compile(
    r"Page \d+|ទំព័រ\s*[០-៩\d]+|cookie|Accept|Related posts|Home|ខូគី|NSSF|of \d+|នៃ [០-៩]+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PairResult:
    """One compared pair."""

    text: str
    language: str
    kind: str  # identical or edited
    old: str
    new: str
    format: str  # of the new side ("pdf-pdf" style pairs are named by both typesettings)
    typesetting: str
    passed: bool
    cause: str = ""
    detail: str = ""

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.old}|{self.new}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "language": self.language, "kind": self.kind,
            "old": self.old, "new": self.new, "format": self.format,
            "typesetting": self.typesetting, "passed": self.passed, "cause": self.cause,
            "detail": self.detail,
        }  # fmt: skip


@dataclass
class Bed:
    """The cases of a bed folder, and a cache of the documents read."""

    folder: Path
    cases: list[dict[str, Any]]
    reference: str
    documents: dict[str, Document | str] = field(default_factory=dict)

    def document(self, name: str) -> Document | str:
        """The document read from ``name`` (relative to the folder), or the read error."""
        if name not in self.documents:
            path = self.folder / name
            try:
                self.documents[name] = read(path.read_bytes(), name=path.name)
            except ParseError as exc:
                self.documents[name] = f"{type(exc).__name__}: {exc}"
        return self.documents[name]


def load_bed(folder: Path) -> Bed:
    path = folder / "expected.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
        raise ValueError(f"{path}: expected an object with a 'cases' list")
    for case in raw["cases"]:
        missing = {
            "text",
            "language",
            "typesetting",
            "format",
            "original",
            "edited",
            "expected",
        } - set(case)
        if missing:
            raise ValueError(f"{path}: a case lacks {sorted(missing)}: {case!r}")
    return Bed(folder, raw["cases"], str(raw.get("reference", "")))


def _norm_ref(ref: str | None) -> str:
    return " ".join((ref or "").split())


def _squeeze(text: str) -> str:
    return _SPACE_RE.sub("", text)


def cause_of(changes: tuple[Change, ...]) -> str:
    """The most likely component at fault for changes that should not be there."""
    causes: Counter[str] = Counter()
    for c in changes:
        if "\ufffe" in c.old_text + c.new_text:
            causes["line-break hyphen left in pdf text"] += 1
        elif c.kind == "modified" and _squeeze(c.old_text) == _squeeze(c.new_text):
            causes[
                "khmer spacing" if re.search("[\u1780-\u17ff]", c.new_text) else "whitespace"
            ] += 1
        elif _FURNITURE_RE.search(_diff_words(c)):
            causes["furniture removal"] += 1
        elif c.kind in ("added", "removed", "moved", "renumbered") or c.old_ref != c.new_ref:
            causes["heading detection"] += 1
        elif c.numbers and all(n.old is not None and n.new is not None for n in c.numbers):
            causes["number pairing"] += 1
        else:
            causes["other text difference"] += 1
    return causes.most_common(1)[0][0] if causes else ""


def _diff_words(c: Change) -> str:
    if c.ops:
        return " ".join(op.old + " " + op.new for op in c.ops if op.tag != "equal")
    return c.old_text + " " + c.new_text


def _describe(changes: tuple[Change, ...], limit: int = 3) -> str:
    parts = []
    for c in changes[:limit]:
        words = _diff_words(c).strip()[:80]
        parts.append(f"{c.kind} {c.old_ref or '-'}->{c.new_ref or '-'} [{words}]")
    more = f" (+{len(changes) - limit} more)" if len(changes) > limit else ""
    return "; ".join(parts) + more


def score_edit(
    changes: tuple[Change, ...], expected: list[dict[str, Any]]
) -> tuple[bool, str, str]:
    """(passed, cause, detail) for an edited pair."""
    want = Counter((e["kind"], _norm_ref(e["old_ref"]), _norm_ref(e["new_ref"])) for e in expected)
    got = Counter((c.kind, _norm_ref(c.old_ref), _norm_ref(c.new_ref)) for c in changes)
    want_numbers = sorted(
        (float(n["old"]), float(n["new"]), n["unit"]) for e in expected for n in e["numbers"]
    )
    got_numbers = sorted(
        (n.old, n.new, n.unit)
        for c in changes
        for n in c.numbers
        if n.old is not None and n.new is not None
    )
    if want == got and want_numbers == got_numbers:
        return True, "", ""
    if want == got:
        return False, "number pairing", f"expected pairs {want_numbers}, got {got_numbers}"
    extra = tuple(
        c for c in changes if (c.kind, _norm_ref(c.old_ref), _norm_ref(c.new_ref)) not in want
    )
    missing = want - got
    cause = cause_of(extra) if extra else "missing change"
    detail = (f"missing {sorted(missing.elements())}; " if missing else "") + (
        f"unexpected {_describe(extra)}" if extra else ""
    )
    return False, cause, detail


def evaluate_metamorphic(
    folder: Path, texts: set[str] | None = None, pairs: set[str] | None = None
) -> list[PairResult]:
    """Score the bed (or only the given texts, or only the pairs whose id is in ``pairs``)."""
    bed = load_bed(folder)
    cases = [c for c in bed.cases if texts is None or c["text"] in texts]
    results: list[PairResult] = []
    by_text: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        by_text.setdefault(case["text"], []).append(case)
    for _text, group in by_text.items():
        for a, b in combinations(group, 2):
            pid = f"identical:{a['original']}|{b['original']}"
            if pairs is not None and pid not in pairs:
                continue
            results.append(_pair(bed, "identical", a["original"], b, b["original"], []))
        reference = next((c for c in group if c["typesetting"] == bed.reference), group[0])
        for case in group:
            olds = [case["original"]] + ([reference["original"]] if reference is not case else [])
            for old in olds:
                if pairs is not None and f"edited:{old}|{case['edited']}" not in pairs:
                    continue
                results.append(_pair(bed, "edited", old, case, case["edited"], case["expected"]))
    return results


def _pair(
    bed: Bed, kind: str, old: str, case: dict[str, Any], new: str, expected: list[dict[str, Any]]
) -> PairResult:
    a, b = bed.document(old), bed.document(new)
    base = dict(text=case["text"], language=case["language"], kind=kind, old=old, new=new,
                format=case["format"], typesetting=case["typesetting"])  # fmt: skip
    if isinstance(a, str) or isinstance(b, str):
        return PairResult(
            **base, passed=False, cause="read error", detail=str(a if isinstance(a, str) else b)
        )
    changes = compare(a, b)
    if kind == "identical":
        if not changes:
            return PairResult(**base, passed=True)
        return PairResult(**base, passed=False, cause=cause_of(changes), detail=_describe(changes))
    passed, cause, detail = score_edit(changes, expected)
    return PairResult(**base, passed=passed, cause=cause, detail=detail)


def summary(results: list[PairResult]) -> dict[str, Any]:
    def group(items: list[PairResult]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for kind in ("identical", "edited"):
            sub = [r for r in items if r.kind == kind]
            out[kind] = {"pairs": len(sub), "passed": sum(r.passed for r in sub)}
        return out

    def by(key: str) -> dict[str, Any]:
        return {
            v: group([r for r in results if getattr(r, key) == v])
            for v in sorted({getattr(r, key) for r in results})
        }

    causes = Counter(r.cause for r in results if not r.passed)
    groups = {key: by(key) for key in ("language", "format", "typesetting", "text")}
    return {"all": group(results), **groups, "causes": dict(causes.most_common())}


def to_json(results: list[PairResult]) -> dict[str, Any]:
    """The ``sptrack eval metamorphic --format json`` object: the summary, then every pair."""
    return {"summary": summary(results), "pairs": [r.to_json() for r in results]}


def render_table(results: list[PairResult], failures: bool = True) -> str:
    totals = summary(results)
    lines = [f"{'group':34} {'identical':>13} {'edited':>13}", "-" * 62]
    rows = [("all", totals["all"])]
    for key in ("language", "format", "typesetting", "text"):
        rows += [(f"{key} {k}", v) for k, v in totals[key].items()]
    for name, g in rows:
        i, e = g["identical"], g["edited"]
        lines.append(f"{name:34} {i['passed']:>6}/{i['pairs']:<6} {e['passed']:>6}/{e['pairs']:<6}")
    lines.append("")
    lines.append(
        "failures by cause: "
        + (", ".join(f"{k} {v}" for k, v in totals["causes"].items()) or "none")
    )
    if failures:
        for cause in totals["causes"]:
            lines.append(f"\n{cause}:")
            for r in results:
                if not r.passed and r.cause == cause:
                    lines.append(f"  {r.kind} {r.old} | {r.new}: {r.detail}"[:300])
    return "\n".join(lines)
