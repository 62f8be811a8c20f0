"""A sample of the metamorphic bed: the maternity prakas, English and Khmer, in every
typesetting. Pairs that pass must keep passing; the pairs in known_failures.json fail today
and must be removed from it as soon as they pass."""

from __future__ import annotations

import json

import evaluation
from evaluation.metamorphic import evaluate_metamorphic, summary

BED = evaluation.METAMORPHIC
SAMPLE = {"maternity_en", "maternity_km"}


def test_metamorphic_sample() -> None:
    known = set(json.loads((BED / "known_failures.json").read_text(encoding="utf-8"))["failing"])
    results = evaluate_metamorphic(BED, texts=SAMPLE)
    ids = {r.id for r in results}
    assert known <= ids, f"known failures not in the sample: {sorted(known - ids)[:5]}"
    broken = [
        f"{r.id}: {r.cause}: {r.detail}" for r in results if not r.passed and r.id not in known
    ]
    fixed = [r.id for r in results if r.passed and r.id in known]
    assert not broken, "pairs that passed now fail:\n" + "\n".join(broken)
    assert not fixed, (
        "known failures that pass now (remove them from known_failures.json):\n" + "\n".join(fixed)
    )
    totals = summary(results)["all"]
    assert totals["identical"]["pairs"] == 132 and totals["edited"]["pairs"] == 46
