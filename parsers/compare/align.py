"""Which old section became which new one.

Sections are matched by content first, then by structure, so an inserted article gives one
unmatched new section and a run of renumbered ones, not a cascade of modifications:

1. identical content keys in order (difflib over the section keys, numbers of the section's
   own heading and of cross-references masked, so renumbering does not break identity);
2. identical keys anywhere (moved sections);
3. similar content among the leftovers (Dice coefficient of token bigrams, candidates from an
   inverted index so large inputs never build a full similarity matrix);
4. within each gap between matched runs: same kind and number, or the one old and one new
   section left there (a rewritten provision).

Pairs out of document order (outside the longest increasing run) are moves.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

_SIMILAR = 0.45  # Dice of token bigrams at or above which two leftovers are the same section
_DIRECT_PAIRS = 4_000  # below this many leftover pairs, score them all
_CANDIDATES = 8  # candidates per new section otherwise


@dataclass(frozen=True)
class Item:
    """What alignment knows of a section: its content key and its place in the structure."""

    key: tuple[str, ...]
    kind: str
    number: str
    ref: str
    positional: bool = False  # paragraphs: the number is only a position


@dataclass(frozen=True)
class Alignment:
    pairs: tuple[tuple[int, int], ...]  # (old index, new index), sorted by old index
    moved: frozenset[tuple[int, int]]
    removed: tuple[int, ...]
    added: tuple[int, ...]


def increasing_run(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by old index) whose new indexes increase."""
    tails: list[int] = []  # new index at the end of the best run of each length
    tail_at: list[int] = []  # position in pairs of that end
    back = [-1] * len(pairs)
    for pos, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(pos)
        else:
            tails[k] = j
            tail_at[k] = pos
        back[pos] = tail_at[k - 1] if k else -1
    run: list[tuple[int, int]] = []
    pos = tail_at[-1] if tail_at else -1
    while pos >= 0:
        run.append(pairs[pos])
        pos = back[pos]
    run.reverse()
    return run


def _grams(key: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    if len(key) < 2:
        return frozenset((k,) for k in key)
    return frozenset(itertools.pairwise(key))


def _dice(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    if not a or not b:
        return 0.0
    return 2.0 * len(a & b) / (len(a) + len(b))


def _similar_pairs(
    old: Sequence[Item], new: Sequence[Item], old_left: list[int], new_left: list[int]
) -> list[tuple[int, int]]:
    grams_old = {i: _grams(old[i].key) for i in old_left}
    grams_new = {j: _grams(new[j].key) for j in new_left}
    scored: list[tuple[float, float, int, int]] = []

    def consider(i: int, j: int) -> None:
        score = _dice(grams_old[i], grams_new[j])
        if score >= _SIMILAR:
            drift = abs(i / max(len(old), 1) - j / max(len(new), 1))
            scored.append((-score, drift, i, j))

    if len(old_left) * len(new_left) <= _DIRECT_PAIRS:
        for j in new_left:
            for i in old_left:
                consider(i, j)
    else:
        index: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in old_left:
            for g in grams_old[i]:
                index[g].append(i)
        common = max(8, len(old_left) // 20)
        for j in new_left:
            counts: Counter[int] = Counter()
            for g in grams_new[j]:
                postings = index.get(g)
                if postings and len(postings) <= common:
                    counts.update(postings)
            for i, _ in counts.most_common(_CANDIDATES):
                consider(i, j)
    scored.sort()
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for _, _, i, j in scored:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j))
    return pairs


def _gap_pairs(
    old: Sequence[Item],
    new: Sequence[Item],
    matched: dict[int, int],
    old_left: list[int],
    new_left: list[int],
) -> list[tuple[int, int]]:
    chain = increasing_run(sorted(matched.items()))
    chain_old = [i for i, _ in chain]
    chain_new = [j for _, j in chain]
    gaps: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in old_left:
        gaps[bisect.bisect_left(chain_old, i)][0].append(i)
    for j in new_left:
        gaps[bisect.bisect_left(chain_new, j)][1].append(j)
    pairs = []
    for olds, news in gaps.values():
        for i in list(olds):
            a = old[i]
            if a.positional:
                continue
            for j in news:
                b = new[j]
                if (
                    not b.positional
                    and a.kind == b.kind
                    and (a.number, a.ref if not a.number else "")
                    == (b.number, b.ref if not b.number else "")
                ):
                    pairs.append((i, j))
                    olds.remove(i)
                    news.remove(j)
                    break
        if len(olds) == 1 and len(news) == 1 and old[olds[0]].kind == new[news[0]].kind:
            pairs.append((olds[0], news[0]))
    return pairs


def align(old: Sequence[Item], new: Sequence[Item]) -> Alignment:
    """Match ``old`` sections to ``new`` ones (see the module docstring)."""
    matcher = SequenceMatcher(None, [a.key for a in old], [b.key for b in new], autojunk=False)
    matched: dict[int, int] = {}
    for i0, j0, size in matcher.get_matching_blocks():
        for t in range(size):
            matched[i0 + t] = j0 + t

    def leftovers() -> tuple[list[int], list[int]]:
        taken = set(matched.values())
        return (
            [i for i in range(len(old)) if i not in matched],
            [j for j in range(len(new)) if j not in taken],
        )

    old_left, new_left = leftovers()
    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in old_left:
        by_key[old[i].key].append(i)
    for j in new_left:
        candidates = by_key.get(new[j].key)
        if candidates:
            same_ref = [i for i in candidates if old[i].ref == new[j].ref]
            i = (same_ref or candidates)[0]
            candidates.remove(i)
            matched[i] = j

    old_left, new_left = leftovers()
    if old_left and new_left:
        matched.update(_similar_pairs(old, new, old_left, new_left))
        old_left, new_left = leftovers()
    if old_left and new_left:
        matched.update(_gap_pairs(old, new, matched, old_left, new_left))
        old_left, new_left = leftovers()

    pairs = sorted(matched.items())
    in_order = set(increasing_run(pairs))
    return Alignment(
        pairs=tuple(pairs),
        moved=frozenset(p for p in pairs if p not in in_order),
        removed=tuple(old_left),
        added=tuple(new_left),
    )
