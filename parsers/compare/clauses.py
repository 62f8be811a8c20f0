"""Clauses: a text cut into sentences, list items and table lines, and the alignment of
the clauses of two versions (identical once numbers are masked, else alike in their
words, in order). Numbers pair only inside aligned clauses (:mod:`parsers.compare.pairing`)."""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from parsers.compare.change import Quantity
from parsers.khmer import to_ascii_digits
from parsers.tokens import tokenize

__all__ = ["Clause", "ClauseText", "align_clauses", "best_path", "clauses"]

_ALIKE = 0.5  # masked-word similarity of two clauses that are one clause amended
_IN_PLACE = 0.25  # ... of the only clause replaced by the only clause at the same place
_BEFORE, _AFTER = 6, 3  # words read on each side of a number for its role
MAX_CELLS = 40_000  # clause or number grid above which alignment stays on exact matches
_WIDE_LINE = 40  # characters: a text with lines this long is wrapped prose ...
_SHORT_LINE = 0.6  # ... where a line under this share of the widest ends a paragraph

# A clause ends at a full stop, ។ ៕ ; ? !, a colon or ៖ before a new line, a blank line,
# a new line that starts a list item, and around a line laid out in columns.
_END_RE = re.compile(r"[។៕;?!]|(?<![.\d])\.(?=\s|$)|[:៖](?=[ \t]*\n)")
_BLANK_RE = re.compile(r"\n[ \t]*\n")
_ITEM_RE = re.compile(
    r"\n(?=[ \t]*(?:[-•–·]|\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4}|[០-៩]{1,3}|[\u1780-\u17a2])[.)]\s))"
)
_COLUMNS_RE = re.compile(r"^[^\n]*\S(?:[ \t]*\t|[ \t]{3,})\S[^\n]*$", re.M)


def word_set(text: str) -> frozenset[str]:
    """The words of a word list written as one string."""
    return frozenset(text.split())


_ABBREVIATIONS = word_set(
    "no art arts sec secs para paras ch cl e.g i.e etc mr mrs dr st vol p pp fig"
)

UNIT_WORDS = word_set(
    "% $ ៛ € khr usd riel riels dollar dollars percent pct us រៀល ដុល្លារ ភាគរយ "
    "prozent eur euro euros cent hundert"
)


@dataclass(frozen=True)
class MaskedToken:
    """A token keyed for comparison: a word, a number (masked) or a punctuation mark."""

    key: str  # casefolded, digits masked to "#"; punctuation as itself
    start: int
    end: int
    kind: str  # "word", "number" or "punct"


@dataclass(frozen=True)
class Clause:
    """A span of a text that says one thing: a sentence, a list item, a table line."""

    start: int
    end: int
    keys: tuple[str, ...]  # its words, numbers masked


class ClauseText:
    """A text cut into tokens and clauses, with the words around any quantity."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [_token(t.text, t.start, t.end) for t in tokenize(text)]
        self.token_starts = [t.start for t in self.tokens]
        self.clauses = _clauses(text, self.tokens)
        self.clause_starts = [c.start for c in self.clauses]
        self.khmer = any("\u1780" <= ch <= "\u17ff" for ch in text)

    def clause_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.clause_starts, offset) - 1)

    def window(self, q: Quantity) -> tuple[list[str], list[str]]:
        """The word keys before (nearest first) and after a quantity, inside its clause."""
        clause = self.clauses[self.clause_of(q.start)]
        k = bisect.bisect_left(self.token_starts, q.start)
        before = [
            t.key
            for t in reversed(self.tokens[:k])
            if t.start >= clause.start and t.kind != "punct"
        ][:_BEFORE]
        j = bisect.bisect_left(self.token_starts, q.end)
        after = [t.key for t in self.tokens[j:] if t.start < clause.end and t.kind != "punct"][
            :_AFTER
        ]
        return before, after


def _token(text: str, start: int, end: int) -> MaskedToken:
    if any(c.isdigit() for c in text):
        return MaskedToken("#", start, end, "number")
    if any(c.isalnum() for c in text) or text in ("%", "$", "៛"):
        return MaskedToken(to_ascii_digits(text).casefold(), start, end, "word")
    return MaskedToken(text, start, end, "punct")


def _breaks(text: str, tokens: Sequence[MaskedToken]) -> list[int]:
    cuts: set[int] = set()
    for m in _END_RE.finditer(text):
        if m.group() == ".":
            before = text[max(0, m.start() - 5) : m.start()].split()
            word = before[-1].casefold() if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        cuts.add(m.end())
    cuts.update(m.start() for m in _BLANK_RE.finditer(text))
    cuts.update(m.start() for m in _ITEM_RE.finditer(text))
    for m in _COLUMNS_RE.finditer(text):
        cuts.update((m.start(), m.end()))
    # a line that ends well before the others ends its paragraph (a heading, a list item)
    lines = text.split("\n")
    width = max(len(line.strip()) for line in lines)
    if width >= _WIDE_LINE:
        offset = 0
        for line in lines[:-1]:
            offset += len(line) + 1
            if len(line.strip()) < _SHORT_LINE * width:
                cuts.add(offset - 1)
    return sorted(c for c in cuts if 0 < c < len(text))


def _clauses(text: str, tokens: Sequence[MaskedToken]) -> list[Clause]:
    bounds = [0, *_breaks(text, tokens), len(text)]
    starts = [t.start for t in tokens]
    out: list[Clause] = []
    for s, e in itertools.pairwise(bounds):
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        keys = tuple(t.key for t in tokens[lo:hi] if t.kind != "punct")
        if not out or any(k != "#" and k not in UNIT_WORDS for k in keys):
            out.append(Clause(s, e, keys))
        else:  # an amount alone (a list item or cell "- 5 EUR") belongs to the words before it:
            # they say what it is; punctuation alone too
            out[-1] = Clause(out[-1].start, e, out[-1].keys + keys)
    return out


def clauses(text: str) -> list[Clause]:
    """``text`` cut into clauses: sentences (``.`` not in a number or an abbreviation, ``។``,
    ``៕``, ``;``, ``?``, ``!``), a colon before a new line, blank lines, new lines that open a
    list item (``(a)``, ``1.``, ``ក.``, ``-``) and lines laid out in columns (a fee list)."""
    return ClauseText(text).clauses


def _words_of(keys: tuple[str, ...]) -> list[str]:
    return [k for k in keys if k != "#" and k not in UNIT_WORDS]


def _similarity(a: Clause, b: Clause) -> float:
    """How alike two clauses are in their words: amounts and their units, which a fee and
    the fee of another item have alike, say nothing of which item a clause is (unless a
    side has nothing else)."""
    if a.keys == b.keys:
        return 1.0
    words_a, words_b = _words_of(a.keys), _words_of(b.keys)
    if not words_a or not words_b:
        words_a, words_b = list(a.keys), list(b.keys)
    return SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()


def best_path(n: int, m: int, score: list[list[float | None]]) -> list[tuple[int, int]]:
    """Order-preserving pairs of rows and columns with the greatest total score; a None
    score cannot pair."""
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            s = score[i - 1][j - 1]
            best = max(dp[i - 1][j], dp[i][j - 1])
            dp[i][j] = best if s is None else max(best, dp[i - 1][j - 1] + s)
    out = []
    i, j = n, m
    while i > 0 and j > 0:
        s = score[i - 1][j - 1]
        if s is not None and math.isclose(dp[i][j], dp[i - 1][j - 1] + s):
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif dp[i][j] == dp[i - 1][j]:
            i -= 1
        else:
            j -= 1
    out.reverse()
    return out


def align_clauses(a: Sequence[Clause], b: Sequence[Clause]) -> dict[int, tuple[int, bool]]:
    """Old clause index -> (new clause index, strongly alike). Identical clauses (numbers
    masked) align first; between them, clauses alike in their words, in order."""
    out: dict[int, tuple[int, bool]] = {}
    matcher = SequenceMatcher(None, [c.keys for c in a], [c.keys for c in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.update((i, (j, True)) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        if i1 == i2 or j1 == j2:
            continue
        if (i2 - i1) * (j2 - j1) > MAX_CELLS:
            continue
        sims = [[_similarity(a[i], b[j]) for j in range(j1, j2)] for i in range(i1, i2)]
        alone = i2 - i1 == 1 and j2 - j1 == 1
        floor = _IN_PLACE if alone else _ALIKE
        score: list[list[float | None]] = [[s if s >= floor else None for s in row] for row in sims]
        for i, j in best_path(i2 - i1, j2 - j1, score):
            out[i1 + i] = (j1 + j, sims[i][j] >= _ALIKE)
    return out
