"""Time parsers.compare on a synthetic ~200-page pair against `git diff --word-diff`.

    .venv/bin/python bench/compare_bench.py [--articles 500] [--words 180] [--lang en|km|both]

The pair: ~500 articles of ~180 words (about 90k words, 200 pages), generated from a fixed
seed; the new version inserts one article near the start (so every later article is
renumbered), edits a few numbers and words, removes one article and re-wraps every line
(a cosmetic change that must not count). Prints seconds for compare() and for git on the
same full texts, their ratio, and the change counts (expected: 1 added, 1 removed, a few
modified, the rest renumbered).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from parsers.compare import compare
from parsers.document import Document, Section
from parsers.khmer import to_khmer_digits

_EN = (
    "the employer shall pay contribution benefit worker insured person scheme fund national "
    "social security pension rate wage month year day within after before according to this "
    "sub-decree provision member family child maternity leave sickness invalidity survivor "
    "payment registration ministry labour council board report annual of and or for with in"
)
_KM = (
    "និយោជក ត្រូវ បង់ ភាគទាន អត្ថប្រយោជន៍ កម្មករ និយោជិត បុគ្គល ធានារ៉ាប់រង របប បេឡាជាតិ "
    "សន្តិសុខសង្គម សោធន អត្រា ប្រាក់ឈ្នួល ក្នុង រយៈពេល តាម អនុក្រឹត្យ នេះ សមាជិក គ្រួសារ កុមារ "
    "មាតុភាព ការឈប់សម្រាក ជំងឺ ពិការភាព ការចុះបញ្ជី ក្រសួង ការងារ ក្រុមប្រឹក្សា របាយការណ៍ និង ឬ"
)
EN_WORDS, KM_WORDS = _EN.split(), _KM.split()


def _body(rng: random.Random, words: list[str], n: int, lang: str) -> str:
    out = []
    for k in range(n):
        out.append(rng.choice(words))
        if k % 23 == 22:
            out.append(
                ("៩០ ថ្ងៃ។" if lang == "km" else "90 days.")
                if k % 2
                else ("៤%។" if lang == "km" else "4%.")
            )
    return " ".join(out)


def _article(n: int, body: str, lang: str) -> Section:
    ref = f"មាត្រា {to_khmer_digits(str(n))}" if lang == "km" else f"Article {n}"
    return Section(ref, "", f"{ref}\n{body}", "article", str(n))


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def make_pair(articles: int, words: int, lang: str) -> tuple[Document, Document]:
    rng = random.Random(7)
    vocab = KM_WORDS if lang == "km" else EN_WORDS
    bodies = [_body(rng, vocab, words, lang) for _ in range(articles)]
    new_bodies = list(bodies)
    new_bodies.insert(3, _body(rng, vocab, words, lang))
    for k in (50, 200, 350):
        new_bodies[k] = new_bodies[k].replace(
            "៤%" if lang == "km" else "4%", "៦%" if lang == "km" else "6%", 1
        )
    new_bodies[120] = new_bodies[120].replace(vocab[3], vocab[5], 2)
    del new_bodies[400]
    old_secs = tuple(_article(k + 1, _wrap(b, 90), lang) for k, b in enumerate(bodies))
    new_secs = tuple(_article(k + 1, _wrap(b, 70), lang) for k, b in enumerate(new_bodies))

    def doc(secs: tuple[Section, ...]) -> Document:
        text = "\n\n".join(s.text for s in secs)
        return Document(text, text, lang, None, "text", secs, "", "text/plain")  # type: ignore[arg-type]

    return doc(old_secs), doc(new_secs)


def _git_word_diff(old: str, new: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp, "old.txt"), Path(tmp, "new.txt")
        a.write_text(old, encoding="utf-8")
        b.write_text(new, encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            ["git", "diff", "--no-index", "--word-diff=porcelain", str(a), str(b)],
            capture_output=True,
            check=False,
        )
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--words", type=int, default=180)
    parser.add_argument("--lang", choices=("en", "km", "both"), default="both")
    args = parser.parse_args()
    for lang in ("en", "km") if args.lang == "both" else (args.lang,):
        old, new = make_pair(args.articles, args.words, lang)
        start = time.perf_counter()
        changes = compare(old, new)
        ours = time.perf_counter() - start
        git = _git_word_diff(old.text, new.text)
        counts = Counter(c.kind for c in changes)
        numbers = sum(len(c.numbers) for c in changes if c.kind == "modified")
        print(
            f"{lang}: {len(old.text.split())} words, compare() {ours:.2f} s, "
            f"git --word-diff {git:.3f} s, ratio {ours / git:.0f}x; "
            f"changes {dict(sorted(counts.items()))}, numeric pairs in modified {numbers}"
        )


if __name__ == "__main__":
    main()
