"""Precision and recall of position flags at provision level, and matcher throughput.

Each labelled provision (tests/alerts/data/provisions.jsonl: id, lang, heading, text, gold
positions) is fed to the matcher as an added provision, with its quantities as new numbers
(as the COMPARE stage reports an added section); its flags are compared with the
gold labels, per position and per language, counting every flag and counting only flags of
medium or high severity. Then the matcher runs over a large synthetic text (the provisions
repeated) and is timed against one compiled regex alternation of the same terms.

    .venv/bin/python bench/matcher_eval.py [--positions positions.toml]
        [--provisions tests/alerts/data/provisions.jsonl] [--mb 2] [--errors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alerts.keymap import keyed  # noqa: E402
from alerts.matcher import Matcher  # noqa: E402
from alerts.positions import POSITION_IDS, load_positions  # noqa: E402
from parsers.change import Change  # noqa: E402
from parsers.khmer import match_key, normalize  # noqa: E402
from parsers.quantities import find_quantities, pair_numbers  # noqa: E402

LEVELS = ("any", "medium+")


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f}" if den else "  - "


def evaluate(matcher: Matcher, provisions: list[dict[str, object]], show_errors: bool) -> None:
    # counts[level][lang][position] -> Counter(tp, fp, fn)
    counts: dict[str, dict[str, dict[str, Counter[str]]]] = {
        level: {lang: {p: Counter() for p in POSITION_IDS} for lang in ("en", "km")}
        for level in LEVELS
    }
    errors = []
    for item in provisions:
        lang = str(item["lang"])
        gold = set(item["positions"])  # type: ignore[call-overload]
        text = normalize(str(item["text"]))
        # as the COMPARE stage builds an added provision: its quantities are new numbers
        numbers = pair_numbers([], find_quantities(text), new_text=text)
        change = Change(
            "added", None, str(item["id"]), "", text, numbers=numbers, heading=str(item["heading"])
        )
        flags = matcher.flag(change)
        predicted = {
            "any": {f.position for f in flags},
            "medium+": {f.position for f in flags if f.severity != "low"},
        }
        for level in LEVELS:
            for p in POSITION_IDS:
                c = counts[level][lang][p]
                c["tp"] += p in gold and p in predicted[level]
                c["fp"] += p not in gold and p in predicted[level]
                c["fn"] += p in gold and p not in predicted[level]
        missed = gold - predicted["any"]
        extra = predicted["any"] - gold
        if missed or extra:
            errors.append((item["id"], sorted(missed), sorted(extra)))

    print(
        f"{len(provisions)} provisions "
        f"({sum(1 for i in provisions if i['lang'] == 'en')} en, "
        f"{sum(1 for i in provisions if i['lang'] == 'km')} km)\n"
    )
    header = f"{'position':20}" + "".join(
        f" | {level:^7} {lang:2} P    R  " for level in LEVELS for lang in ("en", "km")
    )
    print(header)
    print("-" * len(header))
    totals: dict[tuple[str, str], Counter[str]] = {
        (level, lang): Counter() for level in LEVELS for lang in ("en", "km")
    }
    for p in POSITION_IDS:
        row = f"{p:20}"
        for level in LEVELS:
            for lang in ("en", "km"):
                c = counts[level][lang][p]
                totals[(level, lang)].update(c)
                row += (
                    f" | {'':7} {'':2} {_ratio(c['tp'], c['tp'] + c['fp'])} "
                    f"{_ratio(c['tp'], c['tp'] + c['fn'])}"
                )
        print(row)
    print("-" * len(header))
    row = f"{'micro average':20}"
    for level in LEVELS:
        for lang in ("en", "km"):
            c = totals[(level, lang)]
            row += (
                f" | {'':7} {'':2} {_ratio(c['tp'], c['tp'] + c['fp'])} "
                f"{_ratio(c['tp'], c['tp'] + c['fn'])}"
            )
    print(row)
    if show_errors:
        print("\nErrors (any flag): id, missed, extra")
        for id_, missed, extra in errors:
            print(f"  {id_}: missed {missed} extra {extra}")


def throughput(matcher: Matcher, provisions: list[dict[str, object]], megabytes: float) -> None:
    unit = "\n".join(
        f"Article {i}. {item['heading']}\n{item['text']}" for i, item in enumerate(provisions)
    )
    raw = unit
    while len(raw.encode()) < megabytes * 1_000_000:
        raw += "\n" + unit
    size = len(raw.encode()) / 1_000_000

    started = time.perf_counter()
    norm = normalize(raw)
    t_norm = time.perf_counter() - started

    started = time.perf_counter()
    hits = matcher.find(norm, normalized=True)
    t_find = time.perf_counter() - started

    terms = sorted(
        {match_key(t) for p in matcher.positions.values() for t in p.terms},
        key=len,
        reverse=True,
    )
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    started = time.perf_counter()
    key = keyed(norm).key
    regex_hits = sum(1 for _ in pattern.finditer(key))
    t_regex = time.perf_counter() - started

    print(f"\nThroughput on {size:.2f} MB ({len(norm):,} characters, Khmer and English):")
    print(f"  normalize()                      {t_norm:6.2f} s  {size / t_norm:6.2f} MB/s")
    print(
        f"  Matcher.find(normalized=True)    {t_find:6.2f} s  {size / t_find:6.2f} MB/s"
        f"  ({len(hits):,} hits)"
    )
    print(
        f"  one regex alternation, match key {t_regex:6.2f} s  {size / t_regex:6.2f} MB/s"
        f"  ({regex_hits:,} hits, no exclusions, no word boundaries)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=Path, default=ROOT / "positions.toml")
    parser.add_argument(
        "--provisions", type=Path, default=ROOT / "tests/alerts/data/provisions.jsonl"
    )
    parser.add_argument("--mb", type=float, default=2.0, help="size of the synthetic text")
    parser.add_argument("--errors", action="store_true", help="list misses and extras")
    args = parser.parse_args()
    started = time.perf_counter()
    matcher = Matcher(load_positions(args.positions))
    print(f"Matcher built in {time.perf_counter() - started:.2f} s")
    provisions = [
        json.loads(line) for line in args.provisions.read_text("utf-8").splitlines() if line.strip()
    ]
    evaluate(matcher, provisions, args.errors)
    throughput(matcher, provisions, args.mb)


if __name__ == "__main__":
    main()
