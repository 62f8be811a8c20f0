"""Matcher throughput: megabytes of text per second on an English and a Khmer corpus,
against one compiled regular expression over the same terms, in the same run.

The corpora are documents of about 100 KB built from the labelled changes and provisions
(evaluation/data/*.jsonl: titles, headings and provision texts of both versions), each
document a run of numbered articles, repeated until the corpus reaches its size (default
10 MB of English, 1 MB of Khmer, as UTF-8 bytes). Each document goes through
``Matcher.find(text)`` (normalisation included) and, separately, through the regex:

- English: ``\\b(?:term|variant|...)\\b`` over all English terms, their plural/singular
  forms and exclusions, case-insensitive, on the raw text;
- Khmer: ``(?:term|...)`` over all Khmer terms and exclusions on the normalised text (no
  word boundaries exist in Khmer script).

The regex finds more or fewer hits than the matcher: it applies no exclusions and does not
keep the longest phrase per position. It is the speed a plain keyword monitor would have.

    .venv/bin/python bench/matcher_speed.py [--en-mb 10] [--km-mb 1] [--positions FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alerts.match.matcher import Matcher, english_variants  # noqa: E402
from alerts.positions import Position, load_positions  # noqa: E402
from parsers.khmer import is_khmer, normalize, to_khmer_digits  # noqa: E402

DATA = ROOT / "evaluation" / "data"
DOCUMENT_BYTES = 100_000


def provisions(lang: str) -> list[tuple[str, str]]:
    """(heading, text) pairs in ``lang`` from the labelled sets."""
    found: list[tuple[str, str]] = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("lang") != lang:
                continue
            for key in ("text", "old", "new"):
                if item.get(key):
                    found.append((str(item.get("heading", "")), str(item[key])))
            for extra in item.get("before", []) + item.get("after", []):
                found.append((extra.get("heading", ""), extra["text"]))
    return found


def documents(lang: str, megabytes: float) -> Iterator[str]:
    """Documents of about 100 KB until ``megabytes`` of UTF-8 text have been produced."""
    items = provisions(lang)
    target = int(megabytes * 1_000_000)
    produced = 0
    article = 0
    while produced < target:
        parts: list[str] = []
        size = 0
        while size < min(DOCUMENT_BYTES, target - produced):
            heading, text = items[article % len(items)]
            article += 1
            if lang == "km":
                block = f"មាត្រា {to_khmer_digits(str(article))}.- {heading}\n{text}\n"
            else:
                block = f"Article {article}. {heading}\n{text}\n"
            parts.append(block)
            size += len(block.encode())
        produced += size
        yield "".join(parts)


def english_regex(positions: tuple[Position, ...]) -> re.Pattern[str]:
    words: set[str] = set()
    for p in positions:
        for term in p.terms_en + p.anchors_en:
            words |= english_variants(term)
        words |= {e for e in p.exclusions if not any(is_khmer(c) for c in e)}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def khmer_regex(positions: tuple[Position, ...]) -> re.Pattern[str]:
    words = {t for p in positions for t in p.terms_km + p.anchors_km}
    words |= {e for p in positions for e in p.exclusions if any(is_khmer(c) for c in e)}
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(f"(?:{alternation})")


def measure(lang: str, megabytes: float, matcher: Matcher, pattern: re.Pattern[str]) -> None:
    docs = list(documents(lang, megabytes))
    size = sum(len(d.encode()) for d in docs) / 1_000_000
    started = time.perf_counter()
    hits = sum(len(matcher.find(d)) for d in docs)
    t_matcher = time.perf_counter() - started

    started = time.perf_counter()
    normalized = [normalize(d) for d in docs]
    t_norm = time.perf_counter() - started
    started = time.perf_counter()
    hits_norm = sum(len(matcher.find(d, normalized=True)) for d in normalized)
    t_find = time.perf_counter() - started

    started = time.perf_counter()
    if lang == "km":  # Khmer terms are stored normalised: match on normalised text
        regex_hits = sum(sum(1 for _ in pattern.finditer(normalize(d))) for d in docs)
    else:
        regex_hits = sum(sum(1 for _ in pattern.finditer(d)) for d in docs)
    t_regex = time.perf_counter() - started
    assert hits == hits_norm
    t_lower = None
    if lang == "en":  # the same regex without IGNORECASE, on lower-cased text
        lower = re.compile(pattern.pattern.lower())
        started = time.perf_counter()
        lower_hits = sum(sum(1 for _ in lower.finditer(d.lower())) for d in docs)
        t_lower = time.perf_counter() - started

    name = {"en": "English", "km": "Khmer"}[lang]
    print(f"\n{name}: {size:.2f} MB in {len(docs)} documents")
    print(
        f"  Matcher.find(text)                 {t_matcher:7.2f} s {size / t_matcher:7.2f} MB/s"
        f"  ({hits:,} hits)"
    )
    print(f"    of which normalize()             {t_norm:7.2f} s {size / t_norm:7.2f} MB/s")
    print(f"    find(normalized=True)            {t_find:7.2f} s {size / t_find:7.2f} MB/s")
    print(
        f"  one compiled regex, same terms     {t_regex:7.2f} s {size / t_regex:7.2f} MB/s"
        f"  ({regex_hits:,} hits; no exclusions, no longest-phrase rule)"
    )
    if t_lower is not None:
        print(
            f"  same regex, lower-cased text      {t_lower:7.2f} s {size / t_lower:7.2f} MB/s"
            f"  ({lower_hits:,} hits)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=Path, default=ROOT / "positions.toml")
    parser.add_argument("--en-mb", type=float, default=10.0)
    parser.add_argument("--km-mb", type=float, default=1.0)
    args = parser.parse_args()
    positions = load_positions(args.positions)
    started = time.perf_counter()
    matcher = Matcher(positions)
    print(
        f"Matcher built in {time.perf_counter() - started:.2f} s "
        f"({sum(len(p.terms) for p in positions)} terms)"
    )
    measure("en", args.en_mb, matcher, english_regex(positions))
    measure("km", args.km_mb, matcher, khmer_regex(positions))


if __name__ == "__main__":
    main()
