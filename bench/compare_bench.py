"""Time the COMPARE stage on a ~200-page pair against `git diff --no-index --word-diff`.

    .venv/bin/python bench/compare_bench.py [--articles 500] [--lang en|km|both] [--runs 3]
                                            [--edit-share 0.01] [--profile]

The pair, from a fixed seed, per language: the text a reader extracts from a ~200-page
sub-decree (a title block, 500 articles of about 190 words with numbers, riel amounts,
durations and cross-references such as ``Article 12`` / ``មាត្រា ១២``; Khmer written without
spaces between words, as printed; a page-number line every 40 lines). The new version edits
1% of the sentences (a number, a word, an added clause or deleted words), inserts one article
near the start so every later article and every cross-reference to it is renumbered, and is
re-wrapped to another line width (so every page break moves). Both texts are read by
``parsers.read.reader.read`` (not timed). Timed, best of ``--runs`` (wall time, and the CPU time
beside it, steadier on a loaded machine): ``compare()`` (alignment, word diff, numbers, tables) and
``Matcher.flag`` on every change; then ``git diff --no-index --word-diff`` on the same two
files in the same run, and once ``Matcher.find`` over the whole old text (not in the
limit). Peak memory is measured in a separate run
under tracemalloc (Python allocations of compare + matching), plus the process's ru_maxrss.
Exit status 1 when a pair takes 2 s or more.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from alerts.match.matcher import Matcher
from alerts.positions import load_positions
from parsers.compare.change import Change
from parsers.compare.diff import compare
from parsers.document import Document
from parsers.khmer import normalize, to_khmer_digits
from parsers.read.reader import read

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 2.0
LINES_PER_PAGE = 40
_GLUE = "\0"

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
_EN_HEADINGS = (
    "Contribution rate", "Benefits", "Registration", "Maternity allowance", "Old-age pension",
    "Payment deadline", "Indexation", "Survivors", "Invalidity", "Reporting",
)  # fmt: skip
_KM_HEADINGS = (
    "អត្រាភាគទាន", "អត្ថប្រយោជន៍", "ការចុះបញ្ជី", "ប្រាក់ឧបត្ថម្ភមាតុភាព", "សោធននិវត្តន៍",
    "កាលកំណត់បង់ប្រាក់", "និយ័តកម្ម", "អ្នកនៅរស់", "ពិការភាព", "របាយការណ៍",
)  # fmt: skip


@dataclass
class Sentence:
    words: list[str]
    ref: int = 0  # the article a cross-reference at the end points to, 0 for none


@dataclass
class Pair:
    old_text: str
    new_text: str
    edited_articles: int  # articles of the old version with an edited sentence
    edited_sentences: int
    number_edits: int  # edits that changed a number
    sentences: int


def _number(rng: random.Random, lang: str) -> list[str]:
    km = lang == "km"
    kind = rng.randrange(3)
    if kind == 0:
        n = rng.choice((2, 3, 4, 5, 6, 8))
        return [to_khmer_digits(f"{n}%") if km else f"{n}%"]
    if kind == 1:
        n = rng.choice((30, 60, 90, 98, 120))
        return [to_khmer_digits(str(n)), "ថ្ងៃ"] if km else [str(n), "days"]
    n = rng.choice((100, 200, 400, 600)) * 1000
    return [to_khmer_digits(f"{n:,}".replace(",", ".")), "រៀល"] if km else ["KHR", f"{n:,}"]


def _sentence(rng: random.Random, lang: str, articles: int) -> Sentence:
    vocab = KM_WORDS if lang == "km" else EN_WORDS
    words = [rng.choice(vocab) for _ in range(rng.randint(12, 26))]
    if rng.random() < 0.5:
        at = rng.randrange(3, len(words))
        words[at:at] = _number(rng, lang)
    ref = rng.randint(1, articles) if rng.random() < 0.08 else 0
    return Sentence(words, ref)


def _ref(n: int, lang: str) -> str:
    return f"មាត្រា {to_khmer_digits(str(n))}" if lang == "km" else f"Article {n}"


def _render_sentence(s: Sentence, lang: str, renumber: int) -> str:
    words = list(s.words)
    if s.ref:
        target = s.ref + (1 if renumber and s.ref >= renumber else 0)
        # glued (\0 for a space) so no wrapped line starts with "Article 12", a heading
        ref = _ref(target, lang).replace(" ", _GLUE)
        words += [f"យោងតាម{_GLUE}{ref}"] if lang == "km" else [f"as{_GLUE}in{_GLUE}{ref}"]
    if lang == "km":  # printed Khmer: no spaces between words, a space between phrases
        out = ""
        for k, w in enumerate(words):
            out += w + (" " if k % 5 == 4 or w[-1].isdigit() or w.isdigit() else "")
        return out.strip() + "។"
    return " ".join(words) + "."


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return [line.replace(_GLUE, " ") for line in lines]


def _render(articles: list[list[Sentence]], lang: str, width: int, renumber: int) -> str:
    title = (
        ["ព្រះរាជាណាចក្រកម្ពុជា", "ជាតិ សាសនា ព្រះមហាក្សត្រ", "អនុក្រឹត្យ", "ស្តីពីរបបសន្តិសុខសង្គម"]
        if lang == "km"
        else ["KINGDOM OF CAMBODIA", "NATION RELIGION KING", "SUB-DECREE", "on Social Security"]
    )
    lines = list(title)
    for n, sentences in enumerate(articles, 1):
        nouns = _KM_HEADINGS if lang == "km" else _EN_HEADINGS
        heading = nouns[sum(map(len, sentences[0].words)) % len(nouns)]  # from the content
        lines.append(f"{_ref(n, lang)}.- {heading}")
        body = " ".join(_render_sentence(s, lang, renumber) for s in sentences)
        lines.extend(_wrap(body, width))
    out: list[str] = []
    for k, line in enumerate(lines):
        out.append(line)
        if k % LINES_PER_PAGE == LINES_PER_PAGE - 1:
            page = k // LINES_PER_PAGE + 1
            out.append(f"ទំព័រ {to_khmer_digits(str(page))}" if lang == "km" else f"- {page} -")
    return "\n".join(out) + "\n"


def _edit(s: Sentence, rng: random.Random, lang: str, kind: int) -> tuple[Sentence, bool]:
    vocab = KM_WORDS if lang == "km" else EN_WORDS
    words = list(s.words)
    numeric = [k for k, w in enumerate(words) if any(c.isdigit() for c in w)]
    if kind == 0 and numeric:
        k = numeric[0]
        digits = "0123456789" if lang == "en" else "០១២៣៤៥៦៧៨៩"
        words[k] = "".join(
            digits[(digits.index(c) + 1) % 10] if c in digits and j == 0 else c
            for j, c in enumerate(words[k])
        )
    elif kind in (0, 1):
        k = rng.randrange(len(words))
        words[k] = next(w for w in rng.sample(vocab, 3) if w != words[k])
    elif kind == 2:
        at = rng.randrange(1, len(words))
        words[at:at] = rng.sample(vocab, 3)
    else:
        at = rng.randrange(1, len(words) - 2)
        del words[at : at + 2]
    return Sentence(words, s.ref), kind == 0 and bool(numeric)


def make_pair(articles: int, lang: str, edit_share: float = 0.01) -> Pair:
    rng = random.Random(7)
    old = [[_sentence(rng, lang, articles) for _ in range(9)] for _ in range(articles)]
    all_sentences = [(a, s) for a in range(articles) for s in range(len(old[a]))]
    chosen = rng.sample(all_sentences, max(1, round(edit_share * len(all_sentences))))
    new = [list(sentences) for sentences in old]
    number_edits = 0
    for k, (a, s) in enumerate(sorted(chosen)):
        new[a][s], numeric = _edit(new[a][s], rng, lang, k % 4)
        number_edits += numeric
    insert_at = 3  # the new article 4: old articles 4.. become 5..
    new.insert(insert_at, [_sentence(rng, lang, articles) for _ in range(9)])
    return Pair(
        old_text=_render(old, lang, 90, 0),
        new_text=_render(new, lang, 72, insert_at + 1),
        edited_articles=len({a for a, _ in chosen}),
        edited_sentences=len(chosen),
        number_edits=number_edits,
        sentences=len(all_sentences),
    )


def compare_and_match(old: Document, new: Document, matcher: Matcher) -> tuple[Change, ...]:
    changes = compare(old, new)
    for change in changes:
        matcher.flag(change)
    return changes


def _git_word_diff(a: Path, b: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        ["git", "diff", "--no-index", "--word-diff", str(a), str(b)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def run(lang: str, args: argparse.Namespace, matcher: Matcher) -> bool:
    pair = make_pair(args.articles, lang, args.edit_share)
    start = time.perf_counter()
    old = read(pair.old_text.encode(), name="old.txt")
    new = read(pair.new_text.encode(), name="new.txt")
    read_s = time.perf_counter() - start
    compare_s: list[float] = []
    match_s: list[float] = []
    lean_s: list[float] = []
    cpu_s: list[float] = []  # CPU time of compare + matching: steadier than wall time under load
    changes: tuple[Change, ...] = ()
    # The same matcher without re-normalising the change texts, which come from Document.text
    # and are normalised already (a proposal for alerts.match.decision; flags are the same).
    lean = Matcher(load_positions(ROOT / "positions.toml"))
    lean._decider.normalize = str
    for _ in range(args.runs):
        # the matcher's cache of normalised texts would hold this pair's texts after the
        # first run: every run starts without them
        matcher._normalize.cache_clear()
        c0, t0 = time.process_time(), time.perf_counter()
        changes = compare(old, new)
        t1 = time.perf_counter()
        for change in changes:
            matcher.flag(change)
        t2 = time.perf_counter()
        cpu_s.append(time.process_time() - c0)
        for change in changes:
            lean.flag(change)
        compare_s.append(t1 - t0)
        match_s.append(t2 - t1)
        lean_s.append(time.perf_counter() - t2)
    total = min(c + m for c, m in zip(compare_s, match_s, strict=True))
    total_lean = min(c + m for c, m in zip(compare_s, lean_s, strict=True))
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp, "old.txt"), Path(tmp, "new.txt")
        a.write_text(pair.old_text, encoding="utf-8")
        b.write_text(pair.new_text, encoding="utf-8")
        git = min(_git_word_diff(a, b) for _ in range(args.runs))
    # Matcher.find over the whole old text, once (what a search for terms over a document
    # costs; not part of the limit, which is about a comparison)
    whole = normalize(old.text)
    f0 = time.perf_counter()
    hits = len(matcher.find(whole, normalized=True))
    find_s = time.perf_counter() - f0
    tracemalloc.start()
    compare_and_match(old, new, matcher)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(compare_and_match, old, new, matcher)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    counts = Counter(c.kind for c in changes)
    numbers = sum(len(c.numbers) for c in changes if c.kind == "modified")
    words = len(pair.old_text.split()) if lang == "en" else len(old.text)
    size = f"{words} words" if lang == "en" else f"{words} characters"
    pages = pair.old_text.count("\n") // (LINES_PER_PAGE + 1)
    print(
        f"{lang}: {pages} pages, {size}, {len(old.sections)} sections; "
        f"{pair.edited_sentences} of {pair.sentences} sentences edited in "
        f"{pair.edited_articles} articles, 1 article inserted (read: {read_s:.2f} s, not timed)\n"
        f"  compare() {min(compare_s):.3f} s + matching {min(match_s):.3f} s "
        f"({len(changes)} changes) = {total:.3f} s (CPU {min(cpu_s):.3f} s); "
        f"git diff --word-diff {git:.3f} s; ratio {total / git:.1f}x; "
        f"peak traced memory {peak / 2**20:.0f} MB\n"
        f"  matching without re-normalising change texts {min(lean_s):.3f} s: "
        f"total {total_lean:.3f} s, ratio {total_lean / git:.1f}x\n"
        f"  find() over the whole old text ({len(whole)} characters): {find_s:.3f} s, "
        f"{hits} hits\n"
        f"  changes {dict(sorted(counts.items()))} (expected modified {pair.edited_articles}, "
        f"added 1), numeric pairs in modified {numbers} (numbers edited {pair.number_edits})"
    )
    return total < LIMIT_S


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--lang", choices=("en", "km", "both"), default="both")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--edit-share", type=float, default=0.01)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = parser.parse_args()
    start = time.perf_counter()
    matcher = Matcher(load_positions(ROOT / "positions.toml"))
    print(f"matcher loaded in {time.perf_counter() - start:.2f} s (once, not timed below)")
    langs = ("en", "km") if args.lang == "both" else (args.lang,)
    ok = all([run(lang, args, matcher) for lang in langs])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "met" if ok else "MISSED"
    print(f"process peak RSS {rss:.0f} MB; limit {LIMIT_S:.0f} s per pair: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
