"""Honest number pairs: false old -> new pairs, missed pairs, dates read as durations and
wrong labels on law-like version pairs.

    .venv/bin/python bench/pairing_eval.py [CASES.json] [--verbose]

Each case (default ``bench/data/pairing_cases.json``) is a pair of plain-text documents
(``old``/``new``, read by ``parsers.read.reader.read``) or of one table each
(``old_rows``/``new_rows``, first row the header), with the value pairs a lawyer would report
(``pairs``: ``[old, new, unit]`` and, where it says something, the expected ``label``; ``""`` means
no label). Both go through ``parsers.compare.diff.compare``. Counted over all changes of a case:

- false pairs: an old -> new pair found that is not expected (the same parameter on both
  sides or not at all);
- missed pairs: an expected pair not found;
- dates as durations: a number in years, months or days whose value is a calendar year;
- wrong labels: an expected pair found with another label than the expected one.

Exit status 1 when any false pair or date-as-duration is found.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from parsers.compare.change import NumberChange
from parsers.compare.diff import compare
from parsers.document import Document, Table
from parsers.read.reader import read

ROOT = Path(__file__).resolve().parents[1]
_TIME = frozenset({"day", "week", "month", "year", "hour"})


def _document(case: dict[str, Any], side: str) -> Document:
    if side in case:
        return read(case[side].encode())
    rows = tuple(tuple(r) for r in case[f"{side}_rows"])
    language = "km" if case["lang"] == "km" else "en"
    return Document("", "", language, 1, "text", (), "", "", tables=(Table(rows, 1, 1),))


def _key(old: float, new: float, unit: str) -> tuple[float, float, str]:
    return (round(old, 6), round(new, 6), unit)


def evaluate(case: dict[str, Any]) -> dict[str, Any]:
    changes = compare(_document(case, "old"), _document(case, "new"))
    numbers: list[NumberChange] = [n for c in changes for n in c.numbers]
    pairs = [n for n in numbers if n.old is not None and n.new is not None]
    expected = Counter(_key(p[0], p[1], p[2]) for p in case["pairs"])
    found = Counter(
        _key(n.old, n.new, n.unit) for n in pairs if n.old is not None and n.new is not None
    )
    labels = {_key(p[0], p[1], p[2]): p[3] for p in case["pairs"] if len(p) > 3}
    wrong_labels = [
        (n.old_text, n.new_text, n.label, labels[k])
        for n in pairs
        if (k := _key(n.old or 0, n.new or 0, n.unit)) in labels and n.label != labels[k]
    ]
    dates = [
        n
        for n in numbers
        if n.unit in _TIME
        and any(v is not None and v.is_integer() and 1800 <= v <= 2200 for v in (n.old, n.new))
    ]
    return {
        "id": case["id"],
        "lang": case["lang"],
        "expected": sum(expected.values()),
        "found": sum(found.values()),
        "false": sum((found - expected).values()),
        "missed": sum((expected - found).values()),
        "dates": len(dates),
        "labels": len(labels),
        "wrong_labels": wrong_labels,
        "pairs": [(n.old_text, n.new_text, n.unit, n.label) for n in numbers],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="?", default=ROOT / "bench/data/pairing_cases.json")
    parser.add_argument("--verbose", action="store_true", help="print every number of a case")
    args = parser.parse_args(argv)
    cases = json.loads(Path(args.cases).read_text(encoding="utf-8"))
    results = [evaluate(case) for case in cases]
    print(f"{'case':34} lang expect found false missed dates labels-wrong")
    for r in results:
        print(
            f"{r['id']:34} {r['lang']:4} {r['expected']:6} {r['found']:5} {r['false']:5} "
            f"{r['missed']:6} {r['dates']:5} {len(r['wrong_labels'])}/{r['labels']}"
        )
        if args.verbose:
            for pair in r["pairs"]:
                print("    ", pair)
            for wrong in r["wrong_labels"]:
                print("     label", wrong)
    for lang in ("all", "en", "km", "de", "fr"):
        group = [r for r in results if lang in ("all", r["lang"])]
        total = {
            k: sum(r[k] for r in group)
            for k in ("expected", "found", "false", "missed", "dates", "labels")
        }
        wrong = sum(len(r["wrong_labels"]) for r in group)
        precision = (
            (total["found"] - total["false"]) / total["found"] if total["found"] else math.nan
        )
        print(
            f"{lang:4} cases {len(group)}: {total['found']} pairs found, {total['false']} false "
            f"(precision {precision:.2f}), {total['missed']}/{total['expected']} missed, "
            f"{total['dates']} dates as durations, {wrong}/{total['labels']} wrong labels"
        )
    bad = sum(r["false"] + r["dates"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
