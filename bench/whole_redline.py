"""Whole-version redline on the metamorphic bed: the same words typeset many ways must
show no marks; the one edit of each case must show as marks of that edit only.

    .venv/bin/python bench/whole_redline.py [--texts maternity_km,subdecree_en]

For every text of evaluation/data/metamorphic and every typesetting, the reference
(``lo_base.original``) and the typesetting's original are read by ``parsers.read.reader.read`` (not
timed) and diffed as the compare page diffs two versions: words as the per-article
comparison keys them (``parsers.compare.redline.text_ops``, what /instruments/N/compare shows now,
a misread word forgiven when a side was read by OCR)
and, for contrast, the plain ICU word diff it replaced. Printed per text: pairs, pairs with
any mark, marked words in all, and the time of the keyed diff.
"""

from __future__ import annotations

import argparse
import difflib
import json
import time

import evaluation
from parsers.compare.redline import text_ops
from parsers.read.reader import read
from parsers.tokens import tokenize

BED = evaluation.METAMORPHIC


def _units(text: str) -> list[str]:
    tokens = tokenize(text)
    if not tokens:
        return [text] if text else []
    starts = [0] + [token.start for token in tokens[1:]]
    ends = [*starts[1:], len(text)]
    return [text[s:e] for s, e in zip(starts, ends, strict=True)]


def plain_word_marks(old: str, new: str) -> int:
    """Marked words of the former whole-version diff (ICU words, spacing stripped)."""
    a, b = _units(old), _units(new)
    matcher = difflib.SequenceMatcher(
        a=[u.strip() for u in a], b=[u.strip() for u in b], autojunk=False
    )
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def keyed_marks(old: str, new: str, needs_check: bool = False) -> int:
    steps = text_ops(old, new, needs_check)
    return sum(max(len(_units(op.old)), len(_units(op.new))) for op in steps if op.tag != "equal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", default="", help="comma-separated text folders (default all)")
    args = parser.parse_args()
    cases = json.loads((BED / "expected.json").read_text(encoding="utf-8"))["cases"]
    wanted = set(filter(None, args.texts.split(",")))
    folders = sorted({c["text"] for c in cases if not wanted or c["text"] in wanted})
    print(
        f"{'text':16} {'pairs':>5} {'keyed: marked pairs':>20} {'words':>6} "
        f"{'plain: marked pairs':>20} {'words':>6} {'keyed s':>8}"
    )
    for folder in folders:
        reference = BED / folder / "lo_base.original.pdf"
        base = read(reference.read_bytes(), name=reference.name).text
        pairs = marked_keyed = words_keyed = marked_plain = words_plain = 0
        seconds = 0.0
        for path in sorted((BED / folder).glob("*.original.*")):
            if path == reference:
                continue
            document = read(path.read_bytes(), name=path.name)
            other = document.text
            start = time.perf_counter()
            # as the compare page: OCR misreadings forgiven when a side was read by OCR
            keyed = keyed_marks(base, other, document.method in ("ocr", "mixed"))
            seconds += time.perf_counter() - start
            plain = plain_word_marks(base, other)
            pairs += 1
            marked_keyed += keyed > 0
            words_keyed += keyed
            marked_plain += plain > 0
            words_plain += plain
        print(
            f"{folder:16} {pairs:5} {marked_keyed:20} {words_keyed:6} "
            f"{marked_plain:20} {words_plain:6} {seconds:8.2f}"
        )
    edits(folders)


def edits(folders: list[str]) -> None:
    """Each typesetting's original against its edited copy (one edit): the marked words."""
    print(f"\n{'text':16} {'edited pairs':>12} {'with marks':>10} {'words per pair':>15}")
    for folder in folders:
        counts = []
        for path in sorted((BED / folder).glob("*.original.*")):
            edited = path.with_name(path.name.replace(".original.", ".edited."))
            if not edited.is_file():
                continue
            old = read(path.read_bytes(), name=path.name)
            new = read(edited.read_bytes(), name=edited.name)
            ocr = {old.method, new.method} & {"ocr", "mixed"}
            counts.append(keyed_marks(old.text, new.text, bool(ocr)))
        marked = sum(1 for c in counts if c)
        spread = f"{min(counts)}-{max(counts)}" if counts else "-"
        print(f"{folder:16} {len(counts):12} {marked:10} {spread:>15}")


if __name__ == "__main__":
    main()
