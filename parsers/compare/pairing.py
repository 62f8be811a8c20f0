"""Old -> new number pairs that are one parameter: the same clause, the same role.

A number pairs with a number of the other version only when both say the same thing:

1. **Clauses.** Each text is cut into clauses (sentences, list items, lines of a table
   printed as text; see :func:`clauses`). Clauses are aligned across versions: identical
   once numbers are masked, else alike enough in their words (:data:`_ALIKE`), in order.
2. **Roles.** Inside an aligned pair of clauses, numbers of the same unit pair by the words
   around them (what comes before a number says what it measures). A clause's only number
   of a unit pairs with the other clause's only one, unless their labels name different
   things: then the roles decide (a fee list's ``Change of name`` and ``Change of
   address`` are alike clauses, their fees are not one parameter). An amount alone on its
   line (a list item or table cell ``- 5 EUR``) belongs to the clause before it, whose
   words say what it is. Periods that convert exactly count as one unit: ``3 years`` ->
   ``15 months`` is a pair of 36 -> 15 months.
3. **Labels.** Each number gets the noun phrase it belongs to (:func:`label_of`):
   ``the employer contribution rate is 2%`` -> ``employer contribution rate``, ``the worker
   pays 2%`` -> ``worker`` (the party of a verb of paying, ``កម្មករនិយោជិតបង់ ២%`` ->
   ``កម្មករនិយោជិត``),
   ``ប្រាក់ឧបត្ថម្ភមាតុភាព ៧០%`` -> ``ប្រាក់ឧបត្ថម្ភមាតុភាព``. Where the attachment is
   unclear (``for 90 days``, ``ក្នុងរយៈពេល ៩០ ថ្ងៃ``: across a preposition) there is no label,
   rather than a wrong one. A number left over in one version pairs with one left over in
   the other only when they have the same label and no other number has it.

Anything else is reported as removed (``new`` None) and added (``old`` None): a repealed
schedule is not paired value by value with the new one.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from parsers.compare.change import NumberChange, Quantity
from parsers.khmer import to_ascii_digits
from parsers.tokens import tokenize

__all__ = ["Clause", "align_clauses", "clauses", "label_of", "pair_quantities"]

_ALIKE = 0.5  # masked-word similarity of two clauses that are one clause amended
_IN_PLACE = 0.25  # ... of the only clause replaced by the only clause at the same place
_ROLE = 0.34  # similarity of the words around two numbers that measure the same thing
_BEFORE, _AFTER = 6, 3  # words read on each side of a number for its role
_MAX_CELLS = 40_000  # clause or number grid above which alignment stays on exact matches
_LABEL_WORDS = {"en": 5, "km": 8}
_LINK_REACH = 12  # tokens read back over link words to find a label
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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ABBREVIATIONS = _words(
    "no art arts sec secs para paras ch cl e.g i.e etc mr mrs dr st vol p pp fig"
)
# Words between a noun phrase and its number: ``is``, ``shall be increased to``,
# ``of not more than``, ``គឺ``, ``មិនលើសពី``. Read back over them to reach the phrase.
_LINKS = _words(
    "is are was were be been being shall will must may should not no of at to from by "
    "equal equals equivalent set fixed increased reduced raised lowered decreased changed "
    "amended extended adjusted exceed exceeds exceeding more less than least most up below "
    "above under over maximum minimum a an the as follows into hereby further "
    "last lasts lasting amount amounts "
    "គឺ មាន ស្មើ ស្មើនឹង នឹង ចំនួន កំណត់ ត្រឹម ពី ដល់ រហូតដល់ មិន លើស តិច ជាង យ៉ាង យ៉ាងតិច "
    "យ៉ាងច្រើន ច្រើន ត្រូវ បាន ជា រយៈពេល ប្រមាណ អស់ ត្រូវបាន តិចជាង លើសពី "
    # German, French
    "beträgt betragen ist sind wird werden von vom zu zur zum auf um bis mindestens höchstens "
    "wenigstens jedoch insgesamt monatlich jährlich jeweils je höhe "
    "est sont sera seront de du des à au aux fixé fixée fixés fixées porté portée égal égale "
    "moins plus maximum minimum"
)
# A verb of paying between a party and its number (``the employer pays 2%``, ``workers shall
# contribute 1%``, ``និយោជកបង់ ២%``): read back over it, the party is what the number is.
_PAYS = _words("pay pays contribute contributes bear bears បង់ ចូលរួមបង់")
# ``maximum``, ``the``... are links only when no phrase word precedes them: else they belong
# to the phrase (``the maximum assumed wage is``).
_PHRASE_LINKS = _words("maximum minimum a an the further")
# Prepositions that attach a number to the clause, not to a noun: no label across them.
# Khmer words are also prefixes (ICU keeps ``ក្នុងរយៈពេល`` as one word).
_ADVERBIAL = _words(
    "for within during after before until till in on per each every since throughout "
    "beginning starting effective "
    "für seit innerhalb während nach vor binnen ab im am bei pro "
    "pendant durant dans depuis après avant pour par dès sous en"
)
_KM_ADVERBIAL = ("ក្នុង", "សម្រាប់", "ក្រោយ", "មុន", "បន្ទាប់", "ចាប់", "រៀងរាល់", "អំឡុង", "រាល់", "គិត")
# Words that end a noun phrase read backwards.
_STOPS = _words(
    "the a an this that these those such any each every all its their his her our your "
    "which who whom whose where when what if unless whether and or but nor with without "
    "in on at by to from into onto upon under over between among against about as per "
    "than within during after before until since is are was were be been shall will must "
    "may can should would could has have had do does did not means mean includes include "
    "paid pays pay receive receives received entitled provide provides provided "
    "granted apply applies applied get gets it he she they we "
    "និង ឬ ដែល នេះ នោះ គឺ ត្រូវ បាន ជា នឹង ពី ដល់ ចំពោះ នៅ ទៅ ឲ្យ ឱ្យ អោយ ហើយ ប៉ុន្តែ តែ "
    "ប្រសិនបើ បើ ទទួល មាន ផ្តល់ លើ តាម ដោយ នូវ មានសិទ្ធិ សិទ្ធិ "
    "der die das den dem des ein eine einer eines einem einen und oder sowie nicht auch "
    "dieser diese dieses jede jeder jedes welche welcher welches wenn soweit sofern dass ob "
    "mit ohne gegen über unter zwischen als wie hat haben kann können muss soll darf sich "
    "le la les l un une et ou ni que qui dont où si avec sans contre entre sur selon ce "
    "cette ces sa ses leur leurs peut doit"
)
_KM_STOPS = ("សំដៅ", "ដែល", "មានសិទ្ធិ", "ត្រូវ", *_KM_ADVERBIAL)
# Inside a noun phrase: ``rate of contribution``, ``grant for projects``, ``ភាគទានរបស់និយោជក``.
_CONNECTORS = _words("of for on របស់ នៃ der des für de du d pour")
_ARTICLES = _words("the a an der die das den dem des le la les l")
_MODALS = _words("shall will must may can should would could to has have had")
# Words that alone say nothing of what a number is.
_GENERIC = _words(
    "previous last next following preceding consecutive additional further same other "
    "period amount sum number total maximum minimum first second whole រយៈពេល ចំនួន សរុប "
    "betrag höhe zeitraum dauer summe gesamtbetrag montant durée période somme"
)
_UNIT_WORDS = _words(
    "% $ ៛ € khr usd riel riels dollar dollars percent pct us រៀល ដុល្លារ ភាគរយ "
    "prozent eur euro euros cent hundert"
)
_TIME_WORDS = _words(
    "day days week weeks month months year years hour hours ថ្ងៃ សប្តាហ៍ ខែ ឆ្នាំ ម៉ោង "
    "tag tage tagen woche wochen monat monate monaten jahr jahre jahren "
    "jour jours semaine semaines mois ans année années"
)
_NUMBER_GLUE = frozenset({"and", "or", ",", "-", "–", "និង", "ឬ", "/", "und", "oder", "et", "ou"})


@dataclass(frozen=True)
class _Token:
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


class _Text:
    """A text cut into tokens and clauses, with a label for any offset."""

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

    def label(self, q: Quantity) -> str:
        clause = self.clauses[self.clause_of(q.start)]
        k = bisect.bisect_left(self.token_starts, q.start)
        return _label(self, k, clause.start)


def _token(text: str, start: int, end: int) -> _Token:
    if any(c.isdigit() for c in text):
        return _Token("#", start, end, "number")
    if any(c.isalnum() for c in text) or text in ("%", "$", "៛"):
        return _Token(to_ascii_digits(text).casefold(), start, end, "word")
    return _Token(text, start, end, "punct")


def _breaks(text: str, tokens: Sequence[_Token]) -> list[int]:
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


def _clauses(text: str, tokens: Sequence[_Token]) -> list[Clause]:
    bounds = [0, *_breaks(text, tokens), len(text)]
    starts = [t.start for t in tokens]
    out: list[Clause] = []
    for s, e in itertools.pairwise(bounds):
        lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        keys = tuple(t.key for t in tokens[lo:hi] if t.kind != "punct")
        if not out or any(k != "#" and k not in _UNIT_WORDS for k in keys):
            out.append(Clause(s, e, keys))
        else:  # an amount alone (a list item or cell "- 5 EUR") belongs to the words before it:
            # they say what it is; punctuation alone too
            out[-1] = Clause(out[-1].start, e, out[-1].keys + keys)
    return out


def clauses(text: str) -> list[Clause]:
    """``text`` cut into clauses: sentences (``.`` not in a number or an abbreviation, ``។``,
    ``៕``, ``;``, ``?``, ``!``), a colon before a new line, blank lines, new lines that open a
    list item (``(a)``, ``1.``, ``ក.``, ``-``) and lines laid out in columns (a fee list)."""
    return _Text(text).clauses


# --- labels ----------------------------------------------------------------------------------


def _label(t: _Text, k: int, floor: int) -> str:
    """The noun phrase before token ``k`` (the first of a quantity), read back to ``floor``."""
    tokens = t.tokens
    i = k - 1
    reach = 0
    link: _Token | None = None  # the leftmost link word read over
    # 1. back over link words, and over earlier numbers of a range (from 4% to 6%)
    while i >= 0 and tokens[i].start >= floor and reach < _LINK_REACH:
        tok = tokens[i]
        left = tokens[i - 1] if i > 0 and tokens[i - 1].start >= floor else None
        if (
            tok.kind == "number"
            or tok.key in _UNIT_WORDS
            or (tok.key in _TIME_WORDS and left is not None and left.kind == "number")
            or (tok.key in _NUMBER_GLUE and left is not None and left.kind == "number")
        ):
            pass
        elif _adverbial(tok):
            return ""
        elif (
            (
                tok.key in _LINKS
                and not (tok.key in _PHRASE_LINKS and left is not None and _content(left))
            )
            or (tok.kind == "punct" and tok.key in ":=–-")
            or tok.key in _PAYS
        ):
            link = tok
        else:
            break
        i -= 1
        reach += 1
    # Khmer puts a space between phrases: a link word after a space starts its own phrase
    # (``នៃប្រាក់ឈ្នួលមធ្យម រយៈពេល ៩០ ថ្ងៃ``: the period is not the wage's)
    if link is not None and i >= 0 and _spaced(t, tokens[i], link):
        return ""
    # 2. the phrase: content words, with connectors between them
    words: list[_Token] = []
    limit = _LABEL_WORDS["km" if t.khmer else "en"]
    while i >= 0 and tokens[i].start >= floor and len(words) < limit:
        tok = tokens[i]
        if words and _spaced(t, tok, words[-1]):
            break
        if _content(tok):
            words.append(tok)
        elif tok.key in _CONNECTORS and words and i > 0 and _content(tokens[i - 1]):
            if tokens[i - 1].start < floor:
                break
            words.append(tok)
        elif (
            tok.key in _ARTICLES
            and words
            and i > 1
            and tokens[i - 1].key in _CONNECTORS
            and _content(tokens[i - 2])
            and tokens[i - 2].start >= floor
        ):
            words.append(tok)  # "Gebühr für die Anmeldung", "rate of the contribution"
        else:
            break
        i -= 1
    while words and words[-1].key in _CONNECTORS:
        words.pop()
    if not words or all(w.key in _GENERIC or w.key in _CONNECTORS for w in words):
        return ""
    # a verb after a modal (``shall contribute 2%``) is not the thing measured
    if i >= 0 and tokens[i].start >= floor and tokens[i].key in _MODALS and not t.khmer:
        return ""
    first, last = words[-1], words[0]
    return " ".join(t.text[first.start : last.end].split())


def _spaced(t: _Text, left: _Token, right: _Token) -> bool:
    """Two Khmer words with a space between them: a phrase break."""
    return (
        _is_khmer(left.key)
        and _is_khmer(right.key)
        and t.text[left.end : right.start].strip() == ""
        and left.end < right.start
    )


def _is_khmer(key: str) -> bool:
    return bool(key) and "\u1780" <= key[0] <= "\u17ff"


def _content(tok: _Token) -> bool:
    return (
        tok.kind == "word"
        and tok.key not in _STOPS
        and tok.key not in _UNIT_WORDS
        and not tok.key.startswith(_KM_STOPS)
    )


def _adverbial(tok: _Token) -> bool:
    return tok.key in _ADVERBIAL or tok.key.startswith(_KM_ADVERBIAL)


def label_of(q: Quantity, text: str) -> str:
    """What ``q`` (found in ``text``) measures, from its clause; ``""`` when unclear."""
    return _Text(text).label(q)


# --- pairing ---------------------------------------------------------------------------------


def _weights(keys: Sequence[str], scale: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for d, key in enumerate(keys):
        out[key] = max(out.get(key, 0.0), scale / (1 + d))
    return out


@dataclass(frozen=True)
class _Number:
    q: Quantity
    clause: int
    label: str
    role: dict[str, float]

    @property
    def label_key(self) -> str:
        return " ".join(self.label.casefold().split())


def _numbers(qs: Sequence[Quantity], t: _Text | None) -> list[_Number]:
    out = []
    for q in qs:
        if t is None:
            out.append(_Number(q, 0, q.label, {}))
            continue
        before, after = t.window(q)
        role = _weights(before, 1.0)
        for key, w in _weights(after, 0.5).items():
            role[">" + key] = w
        out.append(_Number(q, t.clause_of(q.start), q.label or t.label(q), role))
    return out


def _role_similarity(a: _Number, b: _Number) -> float:
    if a.label_key and a.label_key == b.label_key:
        return 1.0
    if not a.role and not b.role:
        return 1.0  # bare numbers in aligned clauses: nothing tells them apart
    keys = a.role.keys() | b.role.keys()
    top = sum(max(a.role.get(k, 0.0), b.role.get(k, 0.0)) for k in keys)
    if not top:
        return 0.0
    return sum(min(a.role.get(k, 0.0), b.role.get(k, 0.0)) for k in keys) / top


def _words_of(keys: tuple[str, ...]) -> list[str]:
    return [k for k in keys if k != "#" and k not in _UNIT_WORDS]


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


def _best_path(n: int, m: int, score: list[list[float | None]]) -> list[tuple[int, int]]:
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
        if (i2 - i1) * (j2 - j1) > _MAX_CELLS:
            continue
        sims = [[_similarity(a[i], b[j]) for j in range(j1, j2)] for i in range(i1, i2)]
        alone = i2 - i1 == 1 and j2 - j1 == 1
        floor = _IN_PLACE if alone else _ALIKE
        score: list[list[float | None]] = [[s if s >= floor else None for s in row] for row in sims]
        for i, j in _best_path(i2 - i1, j2 - j1, score):
            out[i1 + i] = (j1 + j, sims[i][j] >= _ALIKE)
    return out


# Periods that convert exactly: years into months, weeks into days (a month is no number of
# days in law: 90 days and 3 months are different periods, each its own parameter).
_PERIODS = {
    "year": ("month", 12.0),
    "month": ("month", 1.0),
    "week": ("day", 7.0),
    "day": ("day", 1.0),
}


def _dimension(unit: str) -> tuple[str, float]:
    """What a unit measures and its size in that measure: ``year`` -> (``month``, 12)."""
    return _PERIODS.get(unit, (unit, 1.0))


def _pair_in_clause(
    olds: list[_Number], news: list[_Number], strong: bool
) -> list[tuple[_Number, _Number]]:
    if strong and len(olds) == 1 and len(news) == 1:
        a, b = olds[0], news[0]
        if not (a.label_key and b.label_key and a.label_key != b.label_key):
            return [(a, b)]
    if len(olds) * len(news) > _MAX_CELLS:
        return []
    score: list[list[float | None]] = []
    for a in olds:
        row: list[float | None] = []
        for b in news:
            s = _role_similarity(a, b)
            row.append(s if s >= _ROLE else None)
        score.append(row)
    return [(olds[i], news[j]) for i, j in _best_path(len(olds), len(news), score)]


def pair_quantities(
    old: Sequence[Quantity], new: Sequence[Quantity], *, old_text: str = "", new_text: str = ""
) -> tuple[NumberChange, ...]:
    """Pair ``old`` and ``new`` quantities (found in ``old_text``/``new_text``) that measure
    the same thing: same unit, aligned clauses, same role (see the module docstring).

    Returns the pairs whose value differs and the unpaired quantities (``old`` or ``new``
    None), in the order of the new text, each labelled.
    """
    ta = _Text(old_text) if old_text and old else None
    tb = _Text(new_text) if new_text and new else None
    na, nb = _numbers(old, ta), _numbers(new, tb)
    if ta is not None and tb is not None:
        clause_map = align_clauses(ta.clauses, tb.clauses)
    elif ta is None and tb is None and old and new:
        clause_map = {0: (0, True)}  # no text: the quantities come from one aligned place
    else:
        clause_map = {}
    by_clause_b: dict[tuple[int, str], list[_Number]] = defaultdict(list)
    for x in nb:
        by_clause_b[(x.clause, _dimension(x.q.unit)[0])].append(x)
    by_clause_a: dict[tuple[int, str], list[_Number]] = defaultdict(list)
    for x in na:
        by_clause_a[(x.clause, _dimension(x.q.unit)[0])].append(x)
    paired: list[tuple[_Number, _Number]] = []
    for (ci, unit), olds in by_clause_a.items():
        if ci not in clause_map:
            continue
        cj, strong = clause_map[ci]
        news = by_clause_b.get((cj, unit), [])
        if news:
            paired.extend(_pair_in_clause(olds, news, strong))
    used_a = {id(a) for a, _ in paired}
    used_b = {id(b) for _, b in paired}
    # numbers left over pair only by a label that names one number on each side
    left_a: dict[tuple[str, str], list[_Number]] = defaultdict(list)
    left_b: dict[tuple[str, str], list[_Number]] = defaultdict(list)
    for x in na:
        if id(x) not in used_a and x.label_key:
            left_a[(_dimension(x.q.unit)[0], x.label_key)].append(x)
    for x in nb:
        if id(x) not in used_b and x.label_key:
            left_b[(_dimension(x.q.unit)[0], x.label_key)].append(x)
    for key, olds in left_a.items():
        news = left_b.get(key, [])
        if len(olds) == 1 and len(news) == 1:
            paired.append((olds[0], news[0]))
            used_a.add(id(olds[0]))
            used_b.add(id(news[0]))
    found: list[tuple[tuple[int, int], NumberChange]] = []
    for a, b in paired:
        unit, old_value, new_value = a.q.unit, a.q.value, b.q.value
        if a.q.unit != b.q.unit:  # 3 years -> 15 months: both in months
            unit, scale_a = _dimension(a.q.unit)
            old_value, new_value = old_value * scale_a, new_value * _dimension(b.q.unit)[1]
        if math.isclose(old_value, new_value, rel_tol=1e-9):
            continue
        label = b.label or a.label
        recurring = a.q.recurring or b.q.recurring
        change = NumberChange(old_value, new_value, unit, a.q.text, b.q.text, label, recurring)
        found.append(((b.q.start, 0), change))
    for x in nb:
        if id(x) not in used_b:
            found.append(
                (
                    (x.q.start, 0),
                    NumberChange(None, x.q.value, x.q.unit, "", x.q.text, x.label, x.q.recurring),
                )
            )
    last_b = 0
    order_b = {id(a): b.q.start for a, b in paired}
    for x in na:  # a removed number sits after the last paired one before it
        if id(x) in order_b:
            last_b = order_b[id(x)]
        elif id(x) not in used_a:
            change = NumberChange(x.q.value, None, x.q.unit, x.q.text, "", x.label, x.q.recurring)
            found.append(((last_b, 1), change))
    found.sort(key=lambda item: item[0])
    return tuple(change for _, change in found)
