"""The DECIDE stage: which of the coalition's positions a change touches, and how much.

Two spaCy pipelines without downloaded models, built once per :class:`Matcher`:

- English: ``spacy.blank("en")`` with a light tokenizer (words cut from punctuation) and a
  case-insensitive ``PhraseMatcher`` over the English
  terms and their plural/singular forms (``pension``/``pensions``).
- Khmer: ``spacy.blank("xx")`` with a tokenizer made of ICU word breaks
  (:func:`parsers.tokens.spans`) and a ``PhraseMatcher`` over the Khmer terms. ICU may
  split a term differently in context, so Khmer terms are also found as substrings of the
  match key (:func:`parsers.khmer.match_key`: spaces between Khmer letters dropped, ASCII
  digits), mapped back to the normalised text and widened to whole tokens.

Anchors (``anchors_en``/``anchors_km``) are found by their own PhraseMatchers, only when a
change is decided: they tie a changed number to their position but are never hits of
:meth:`Matcher.find`. A hit inside one of its position's exclusions is dropped. A hit
inside a longer hit of another position (``contributions`` inside ``months of
contributions``) is *subsumed*: it does not show that the provision is about its position,
but still ties a nearby number to it. An anchor inside a longer term of another position is
subsumed too unless it is that term's head noun (``pension`` in ``reserves of the pension
scheme`` is, ``allowance`` in ``disability allowance`` is not). Everything runs on normalised text
(:func:`parsers.khmer.normalize`).

What the hits mean for a change (score, severity, evidence, numbers) is decided in
:mod:`alerts.match.decision`; a hit is a :class:`~alerts.match.hits.Hit`.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Sequence

import spacy
from spacy.attrs import LOWER
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

from alerts.match.decision import Decider
from alerts.match.flags import Flag
from alerts.match.hits import Found, Hit
from alerts.match.keymap import folded_key, keyed
from alerts.match.weights import term_weight
from alerts.positions import Position
from parsers.compare.change import Change
from parsers.khmer import KHMER_CHARS, KHMER_RE, is_khmer, match_key, normalize
from parsers.tokens import spans

logger = logging.getLogger(__name__)

__all__ = ["Matcher", "english_variants"]

_LATIN_RE = re.compile(r"[A-Za-z]")
_KHMER_RUN_RE = re.compile(f"[{KHMER_CHARS}]+")
_EN_PREFIX_RE = re.compile(r"""^[(\[{"'«“‘‚„<*#§•·/\-–—]""")
_EN_SUFFIX_RE = re.compile(r"""[)\]}"'»”’,.;:!?%…>*/\-–—]$""")
_EN_INFIX_RE = re.compile(r"""[-–—/\\(),;:"“”«»!?]""")
_TERM, _ANCHOR, _EXCLUSION = "", "~", "!"  # kinds of phrase (and their label prefixes)
# Digits 1-9 and ១-៩ read as 0 and ០ (same length): two substitutions of one character class
# each, far faster on Khmer text than str.translate, which looks up every character.
_ASCII_DIGIT_RE = re.compile("[1-9]")
_KHMER_DIGIT_RE = re.compile("[\u17e1-\u17e9]")


def _zeroed(text: str) -> str:
    """``text`` with every digit but 0 read as 0 (ASCII) or ០ (Khmer)."""
    return _KHMER_DIGIT_RE.sub("\u17e0", _ASCII_DIGIT_RE.sub("0", text))


class _IcuTokenizer:
    """spaCy tokenizer from ICU word breaks; the Doc's text is the input text with every digit
    read as 0 (same length, so character offsets are the same)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        # words are cut on the text, and taken with digits read as 0 (see Matcher._find)
        zeroed = _zeroed(text)
        for _, start, end in spans(text):
            if start > pos:
                self._gap(zeroed[pos:start], words, spaces)
            words.append(zeroed[start:end])
            spaces.append(False)
            pos = end
        if pos < len(text):
            self._gap(zeroed[pos:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    @staticmethod
    def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
        if gap == " " and words and not spaces[-1] and words[-1].strip():
            spaces[-1] = True
        else:
            words.append(gap)
            spaces.append(False)


def english_variants(term: str) -> set[str]:
    """``term`` with its first and last words in singular and plural form."""
    words = term.split()
    firsts = _number_forms(words[0]) if len(words) > 1 else {words[0]}
    lasts = _number_forms(words[-1])
    middle = words[1:-1]
    if len(words) == 1:
        return lasts
    return {" ".join([f, *middle, last]) for f in firsts for last in lasts}


def _number_forms(word: str) -> set[str]:
    forms = {word}
    if len(word) <= 3 or not word.isalpha() or not word.islower():
        return forms
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        if word.endswith("ies"):
            forms.add(word[:-3] + "y")
        elif word.endswith(("sses", "ches", "shes", "xes")):
            forms.add(word[:-2])
        else:
            forms.add(word[:-1])
    elif word.endswith("y") and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    else:
        forms.add(word + "s")
    return forms


class Matcher:
    """Finds position terms in texts and decides which positions a change touches."""

    def __init__(self, positions: Sequence[Position]) -> None:
        self.positions = {p.id: p for p in positions}
        # sections and headings recur between the changes of a document: normalise each once
        self._normalize = functools.lru_cache(maxsize=512)(normalize)
        self._en = spacy.blank("en")
        self._en.max_length = 100_000_000
        # Terms and texts go through the same tokenizer, so it only has to cut words from
        # punctuation alike on both; the default English rules (exceptions, URLs, emoticons)
        # cost ten times more and find no term the simple ones miss.
        self._en.tokenizer = Tokenizer(
            self._en.vocab,
            prefix_search=_EN_PREFIX_RE.search,
            suffix_search=_EN_SUFFIX_RE.search,
            infix_finditer=_EN_INFIX_RE.finditer,
        )
        # a new word only needs its lower case (what the PhraseMatcher compares); the
        # default attributes (shape, like_num, ...) are a third of the time on new text
        self._en.vocab.lex_attr_getters = {LOWER: str.lower}  # type: ignore[attr-defined]
        self._km = spacy.blank("xx")
        self._km.max_length = 100_000_000
        self._km.tokenizer = _IcuTokenizer(self._km.vocab)  # type: ignore[assignment]
        self._km.vocab.lex_attr_getters = {}  # type: ignore[attr-defined]  # ORTH is enough
        self._en_matcher = PhraseMatcher(self._en.vocab, attr="LOWER")
        self._km_matcher = PhraseMatcher(self._km.vocab, attr="ORTH")
        # anchors apart: only deciding on a change needs them, finding terms does not
        self._en_anchors = PhraseMatcher(self._en.vocab, attr="LOWER")
        self._km_anchors = PhraseMatcher(self._km.vocab, attr="ORTH")
        # match id -> (position, term, kind)
        self._labels: dict[int, tuple[str, str, str]] = {}
        # (position, term, key, kind) for substring matching over the match key
        self._km_keys: list[tuple[str, str, str, str]] = []
        self._weights: dict[tuple[str, str], float] = {}
        owners: dict[str, set[str]] = {}
        for position in positions:
            for term in position.terms:
                owners.setdefault(match_key(term), set()).add(position.id)
        for position in positions:
            for term in position.terms_en:
                self._add_en(position.id, term, _TERM)
                self._weights[(position.id, term)] = term_weight(term, owners, khmer=False)
            for term in position.terms_km:
                self._add_km(position.id, term, _TERM)
                self._weights[(position.id, term)] = term_weight(term, owners, khmer=True)
            for term in position.anchors_en:
                self._add_en(position.id, term, _ANCHOR)
            for term in position.anchors_km:
                self._add_km(position.id, term, _ANCHOR)
            for term in position.exclusions:
                if any(is_khmer(c) for c in term):
                    self._add_km(position.id, term, _EXCLUSION)
                else:
                    self._add_en(position.id, term, _EXCLUSION)
        self._decider = Decider(self.positions, self._weights, self._find, self._normalize)
        logger.debug("matcher built: %d positions, %d terms", len(positions), len(self._weights))

    def _add_en(self, position: str, term: str, kind: str) -> None:
        label = f"{position}\t{kind}{term}"
        match_id = self._en.vocab.strings.add(label)
        self._labels[match_id] = (position, term, kind)
        variants = english_variants(term) if kind != _EXCLUSION else {term}
        matcher = self._en_anchors if kind == _ANCHOR else self._en_matcher
        matcher.add(label, [self._en.make_doc(_zeroed(v)) for v in sorted(variants)])

    def _add_km(self, position: str, term: str, kind: str) -> None:
        label = f"{position}\t{kind}{term}"
        match_id = self._km.vocab.strings.add(label)
        self._labels[match_id] = (position, term, kind)
        matcher = self._km_anchors if kind == _ANCHOR else self._km_matcher
        matcher.add(label, [self._km.make_doc(_zeroed(term))])
        key = folded_key(match_key(term))
        if key:
            self._km_keys.append((position, term, key, kind))

    # -- finding terms ---------------------------------------------------------------------

    def find(self, text: str, *, normalized: bool = False) -> list[Hit]:
        """Terms of all positions in ``text``, in order; offsets are in ``normalize(text)``.

        Pass ``normalized=True`` when ``text`` is already normalised (saves the Khmer
        normalisation, the slowest step on long Khmer documents).
        """
        norm = text if normalized else normalize(text)
        return [f.hit for f in self._find(norm, anchors=False) if not f.subsumed]

    def _find(self, norm: str, *, anchors: bool = True) -> list[Found]:
        raw: set[tuple[str, str, int, int, str]] = set()
        if _LATIN_RE.search(norm) and self._en_matcher:
            # Khmer runs become spaces of the same length: offsets stay, tokenizing is cheap.
            # Digits read as 0 (same length, so offsets stay; terms too): a number does not
            # become a new word in the vocabulary, which would cost time and memory forever.
            latin = _KHMER_RUN_RE.sub(lambda m: " " * len(m.group()), norm)
            doc = self._en.make_doc(_zeroed(latin))
            raw.update(self._phrase_hits(self._en_matcher, doc))
            if anchors and self._en_anchors:
                raw.update(self._phrase_hits(self._en_anchors, doc))
        km_doc = None
        if KHMER_RE.search(norm) and self._km_keys:
            keymap = keyed(norm)
            key = keymap.key
            for position, term, term_key, kind in self._km_keys:
                if kind == _ANCHOR and not anchors:
                    continue
                i = key.find(term_key)
                while i >= 0:
                    start = keymap.offset(i)
                    end = min(keymap.offset(i + len(term_key) - 1) + 1, len(norm))
                    raw.add((position, term, start, end, kind))
                    i = key.find(term_key, i + 1)
            km_doc = self._km.make_doc(norm)
            raw.update(self._phrase_hits(self._km_matcher, km_doc))
            if anchors and self._km_anchors:
                raw.update(self._phrase_hits(self._km_anchors, km_doc))
        excluded: dict[str, list[tuple[int, int]]] = {}
        terms: list[tuple[str, str, int, int]] = []
        anchor_hits: list[tuple[str, str, int, int]] = []
        for position, term, start, end, kind in raw:
            if kind == _EXCLUSION:
                excluded.setdefault(position, []).append((start, end))
            else:
                (anchor_hits if kind == _ANCHOR else terms).append((position, term, start, end))

        def kept(t: tuple[str, str, int, int]) -> bool:
            return not any(s < t[3] and t[2] < e for s, e in excluded.get(t[0], ()))

        terms = _outermost([t for t in terms if kept(t)])
        subsumed = _subsumed(terms)
        found: dict[tuple[str, str, int, int, bool], Found] = {}
        everything = [(t, False) for t in terms] + [(a, True) for a in anchor_hits if kept(a)]
        for (position, term, start, end), anchor in sorted(
            everything, key=lambda x: (x[0][2], -x[0][3], x[0][0], x[0][1])
        ):
            is_subsumed = (
                _inside_other(position, start, end, terms, norm)
                if anchor
                else (position, term, start, end) in subsumed
            )
            if km_doc is not None and any(is_khmer(c) for c in norm[start:end]):
                token_span = km_doc.char_span(start, end, alignment_mode="expand")
                if token_span is not None:
                    start, end = token_span.start_char, token_span.end_char
            ident = (position, term, start, end, anchor)
            if ident in found and not found[ident].subsumed:
                continue
            hit = Hit(position, term, start, end, norm[start:end])
            found[ident] = Found(hit, is_subsumed, anchor)
        return sorted(found.values(), key=lambda f: (f.hit.start, -f.hit.end, f.hit.position))

    def _phrase_hits(
        self, matcher: PhraseMatcher, doc: Doc
    ) -> Iterator[tuple[str, str, int, int, str]]:
        for match_id, first, last in matcher(doc):
            position, term, kind = self._labels[match_id]
            span = doc[first:last]
            yield position, term, span.start_char, span.end_char, kind

    # -- deciding on a change ----------------------------------------------------------------

    def flag(self, change: Change) -> tuple[Flag, ...]:
        """The positions ``change`` touches, strongest first (see :class:`Decider`).

        Only this change is read: its changed words (both sides), the heading of the provision
        it sits in, and the provision's whole text, old and new.
        """
        return self._decider.flag(change)


def _outermost(terms: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int, int]]:
    """Drop hits lying inside another hit of the same position (``contribution`` inside
    ``contribution rate``); of equal spans, one is kept."""
    kept = []
    reach: dict[str, int] = {}
    for hit in sorted(terms, key=lambda t: (t[2], -t[3], t[1])):
        if hit[3] <= reach.get(hit[0], -1):
            continue
        reach[hit[0]] = hit[3]
        kept.append(hit)
    return kept


def _inside_other(
    position: str, start: int, end: int, terms: list[tuple[str, str, int, int]], text: str
) -> bool:
    """An anchor lies inside a longer term of another position and is not its head noun:
    ``សោធន`` (pension) in ``ទុនបម្រុងនៃរបបសោធន`` or ``pension`` in ``reserves of the
    pension scheme`` qualify the reserves, while ``allowance`` in ``disability allowance``
    (or ``ប្រាក់ឧបត្ថម្ភ`` in ``ប្រាក់ឧបត្ថម្ភពិការភាព``) is what the phrase names."""
    for p, _, s, e in terms:
        if p == position or not (s <= start and end <= e and e - s > end - start):
            continue
        # Khmer puts the head first; English last, or before "of"
        head = start == s if is_khmer(text[start]) else end == e or text[end:e].startswith(" of ")
        if not head:
            return True
    return False


def _subsumed(terms: list[tuple[str, str, int, int]]) -> set[tuple[str, str, int, int]]:
    """Hits lying strictly inside a longer hit of another position."""
    result = set()
    reach: dict[str, tuple[int, int]] = {}  # position -> (furthest end, start of that hit)
    for hit in sorted(terms, key=lambda t: (t[2], -t[3])):
        position, _, start, end = hit
        for other, (o_end, o_start) in reach.items():
            if other != position and (o_end > end or (o_end == end and o_start < start)):
                result.add(hit)
                break
        if end > reach.get(position, (-1, 0))[0]:
            reach[position] = (end, start)
    return result
