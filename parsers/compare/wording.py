"""A section as content tokens, keyed so that cosmetic differences vanish.

:func:`prepare` turns a section's text into tokens (ICU words for Khmer, words for English)
whose keys ignore whitespace and line wrap, hyphenation at line ends, zero-width characters and
Khmer spelling variants (text is normalised), optional spaces between Khmer words, page-number
lines, punctuation, letter case, digit script and thousands separators, while each token keeps
its offset in the original text for the redline. Number tokens that follow ``Article``,
``មាត្រា`` and the like are marked as cross-references, and the section's own number is set
apart, so that renumbering can be told from a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from parsers.compare.numerals import parse_number
from parsers.document import Document, Section
from parsers.khmer import KHMER_DIGITS, to_ascii_digits
from parsers.tokens import spans

__all__ = ["Wording", "prepare", "sections"]


_REF_WORDS = {
    **dict.fromkeys(
        ("article", "articles", "art", "artikel", "artikels", "មាត្រា", "ប្រការ"), "article"
    ),
    **dict.fromkeys(("chapter", "chapters", "kapitel", "chapitre", "ជំពូក"), "chapter"),
    **dict.fromkeys(("section", "sections", "ផ្នែក"), "section"),
    **dict.fromkeys(("part", "parts", "teil", "គន្ថី"), "part"),
    **dict.fromkeys(
        ("annex", "annexes", "anlage", "anlagen", "annexe", "schedule", "ឧបសម្ព័ន្ធ"), "annex"
    ),
}
_CONNECTORS = frozenset({"and", "or", "to", "through", "និង", "ឬ", "ដល់", "ទី"})
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_RE = re.compile(r"[IVXLC]+")
_LIST_MARKS = frozenset({",", "-", "–", "—", "&", "/"})
_SENTENCE_END = frozenset({".", "។", "៕", ";", "?", "!", "៖", ":"})
_KEEP_SYMBOLS = frozenset({"%", "$", "៛", "€", "+", "=", "<", ">", "±"})
_POSITIONAL_KINDS = frozenset({"paragraph", "para", "¶"})
_OWN_NUMBER_WINDOW = 6  # the section's own number is among its first content tokens

# A page-number line left by the reader: "Page 3", "- 3 -", "3/20", "ទំព័រ ៣" are dropped;
# a bare number on its own line may be content, so it only counts when it is not merely
# inserted or deleted.
_PAGE_LINE_RE = re.compile(
    r"^[ \t]*(?:(?:page|ទំព័រ)[ \t]*\d{1,4}(?:[ \t]*(?:/|of|នៃ)[ \t]*\d{1,4})?"
    r"|[-–—][ \t]*\d{1,4}[ \t]*[-–—]|\d{1,4}[ \t]*(?:/|of|នៃ)[ \t]*\d{1,4})[ \t]*$",
    re.M | re.I,
)
_BARE_NUMBER_LINE_RE = re.compile(r"^[ \t]*\d{1,4}[ \t]*$", re.M)
# (the match starts at its hyphen, a literal the search finds fast)
_HYPHEN_BREAK_RE = re.compile(r"-(?<=[^\W\d_]-)[ \t]*\n[ \t]*(?=[^\W\d_])")
# Spaces between Khmer letters are optional phrase breaks: drop them; but keep Khmer digits
# apart from letters, so ICU never glues a number into a word (មាត្រា៦ -> មាត្រា ៦). See
# _khmer_spacing.
_KHMER_LETTERS = frozenset(map(chr, range(0x1780, 0x17DE)))
_KHMER_DIGITS = frozenset(KHMER_DIGITS)
_KHMER_LETTER_RE = re.compile(r"[\u1780-\u17dd]")  # no Khmer letter: no spacing to drop
_SPACE_OR_KHMER_DIGITS_RE = re.compile(r"[\s\u17e0-\u17e9]+")
_NUMBER_TOKEN_RE = re.compile(r"\d[\d.,]*(%?)")
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Wording:
    """A section as content tokens: keys to compare, offsets into ``text`` to show."""

    section: Section
    text: str
    keys: tuple[str, ...]
    starts: tuple[int, ...]
    xrefs: tuple[str, ...]  # kind of the provision a number token refers to, else ""
    breaks: tuple[bool, ...]  # a sentence ends after this token
    bare: frozenset[int]  # tokens that are a number alone on its line (maybe a page number)
    kind: str
    number: str
    positional: bool

    @property
    def blind(self) -> tuple[str, ...]:
        return tuple("#x" if x else k for k, x in zip(self.keys, self.xrefs, strict=True))


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _khmer_spacing(text: str) -> list[tuple[int, int]]:
    """What to rewrite in Khmer spacing: a whitespace run between two Khmer letters is
    dropped, and an empty span between a Khmer letter and a Khmer digit gets a space.

    The same as the matches of ``(?<=L)\\s+(?=L)|(?<=L)(?=D)|(?<=D)(?=L)`` (L a Khmer letter
    U+1780-U+17DD, D a Khmer digit), found from the rare characters (whitespace, digits)
    instead of trying a look-behind at every character of a Khmer text."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for run in _SPACE_OR_KHMER_DIGITS_RE.finditer(text):
        lo, hi = run.span()
        found = run.group()
        if found.isspace() or found.isdigit():
            pieces = [(lo, hi)]
        else:  # digits and whitespace side by side ("៣០ "): each run apart
            pieces = []
            for _, group in groupby(found, str.isspace):
                length = len(list(group))
                pieces.append((lo, lo + length))
                lo += length
        for start, end in pieces:
            before = start > 0 and text[start - 1] in _KHMER_LETTERS
            after = end < n and text[end] in _KHMER_LETTERS
            if text[start] in _KHMER_DIGITS:
                if before:
                    out.append((start, start))
                if after:
                    out.append((end, end))
            elif before and after:
                out.append((start, end))
    return out


def _rewrite(
    text: str, offsets: list[int] | None, edits: list[tuple[int, int]]
) -> tuple[str, list[int] | None]:
    """Delete the spans ``edits`` (an empty one inserts a space), keeping for every
    character its offset in the original text (``offsets`` has an end sentinel; None while
    every character is still at its own offset)."""
    if not edits:
        return text, offsets
    at: list[int] | range = range(len(text) + 1) if offsets is None else offsets
    parts: list[str] = []
    mapped: list[int] = []
    last = 0
    for start, end in edits:
        parts.append(text[last:start])
        mapped.extend(at[last:start])
        if start == end:
            parts.append(" ")
            mapped.append(at[start])
        last = end
    parts.append(text[last:])
    mapped.extend(at[last:])
    return "".join(parts), mapped


def _number_key(text: str) -> str:
    digits = to_ascii_digits(text)
    try:
        value = parse_number(digits)
    except ValueError:
        return "n" + digits
    return "n" + (str(int(value)) if value.is_integer() else repr(value))


def _own_number_key(number: str) -> str:
    """The token key of a section's number: ``7`` and ``៧`` -> ``n7``, ``IV`` -> ``n4``."""
    ascii_number = to_ascii_digits(number).strip()
    m = re.match(r"\d+", ascii_number)
    if m:
        return "n" + str(int(m.group()))
    if ascii_number and _ROMAN_RE.fullmatch(ascii_number.upper()):
        return "n" + str(_roman(ascii_number.upper()))
    return ""


def _compound_keys(number: str, classes: dict[str, tuple[str, str, int]]) -> tuple[str, ...]:
    """The token keys of a section number written in several tokens (``38-2903`` ->
    ``n38 n2903``, ``101a`` -> ``n101 a``); empty for a number of one token."""
    if not number or number.isdigit():
        return ()
    keys = []
    for token, _, _ in spans(to_ascii_digits(number)):
        cls, key, _ = classes.get(token) or _classify(token)
        if cls in ("word", "number"):
            keys.append(key)
    return tuple(keys) if len(keys) > 1 else ()


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))


def _bare_number_tokens(text: str, starts: list[int]) -> frozenset[int]:
    spans = [m.span() for m in _BARE_NUMBER_LINE_RE.finditer(text) if m.group().strip()]
    if not spans:
        return frozenset()
    return frozenset(k for k, st in enumerate(starts) if any(s <= st < e for s, e in spans))


def _classify(token: str) -> tuple[str, str, int]:
    """(class, key, offset of a trailing ``%`` or 0) of a token; class is ``word``,
    ``number``, ``end`` (sentence end), ``list`` (a mark inside a list of references) or
    ``punct``."""
    if not any(c.isalnum() for c in token) and token not in _KEEP_SYMBOLS:
        if token in _SENTENCE_END:
            return "end", "", 0
        return ("list" if token in _LIST_MARKS else "punct"), "", 0
    number = _NUMBER_TOKEN_RE.fullmatch(token)
    if number:
        core = token[: len(token) - len(number.group(1))]
        return "number", _number_key(core), len(core) if number.group(1) else 0
    return "word", token.casefold().replace("-", "").replace("’", "'"), 0


def _content_tokens(
    canon: str, classes: dict[str, tuple[str, str, int]]
) -> tuple[list[str], list[int], dict[int, str], list[int]]:
    """The keys of the content tokens of ``canon`` and their offsets in it, the kind of
    provision a number token refers to (by index) and the tokens a sentence ends after.

    The hot loop of a comparison (every token of both documents): names are bound locally,
    and what is rare (a cross-reference, a sentence end) is noted by index."""
    keys: list[str] = []
    starts: list[int] = []
    refers: dict[int, str] = {}
    ends: list[int] = []
    add_key, add_start = keys.append, starts.append
    ref_words, connectors = _REF_WORDS, _CONNECTORS
    state = ""
    for s, start, _ in spans(canon):
        found = classes.get(s)
        if found is None:
            found = classes[s] = _classify(s)
        cls, key, split = found
        if cls == "word":
            if key in ref_words:
                state = ref_words[key]
            elif state and key not in connectors:
                state = ""
            add_key(key)
            add_start(start)
        elif cls == "number":
            if state:
                refers[len(keys)] = state
            add_key(key)
            add_start(start)
            if split:
                add_key("%")
                add_start(start + split)
                state = ""
        else:
            if cls == "end" and keys:
                ends.append(len(keys) - 1)
            if cls != "list":
                state = ""
    return keys, starts, refers, ends


def prepare(
    section: Section,
    text: str | None = None,
    classes: dict[str, tuple[str, str, int]] | None = None,
) -> Wording:
    text = section.text if text is None else text
    canon, offsets = _rewrite(text, None, _matches(_PAGE_LINE_RE, text))
    canon, offsets = _rewrite(canon, offsets, _matches(_HYPHEN_BREAK_RE, canon))
    if _KHMER_LETTER_RE.search(canon):
        canon, offsets = _rewrite(canon, offsets, _khmer_spacing(canon))
    classes = {} if classes is None else classes
    keys, starts, refers, ends = _content_tokens(canon, classes)
    if offsets is not None:
        starts = [offsets[k] for k in starts]
    xrefs = [""] * len(keys)
    for k, ref_kind in refers.items():
        xrefs[k] = ref_kind
    breaks = [False] * len(keys)
    for k in ends:
        breaks[k] = True
    kind = _REF_WORDS.get(section.kind.casefold(), section.kind.casefold())
    positional = kind in _POSITIONAL_KINDS or section.ref.startswith("¶")
    own = _own_number_key(section.number)
    compound = _compound_keys(section.number, classes)
    if compound and not positional:
        # "38-2903", "1-101a": the whole number, token by token, is the section's own.
        own = "n" + to_ascii_digits(section.number).strip().lower()
        for k in range(min(_OWN_NUMBER_WINDOW, max(len(keys) - len(compound) + 1, 0))):
            if tuple(keys[k : k + len(compound)]) == compound:
                for t in range(k, k + len(compound)):
                    keys[t], xrefs[t] = "#own", ""
                break
    elif own and not positional:  # a paragraph's number is its position, not in its text
        for k in range(min(_OWN_NUMBER_WINDOW, len(keys))):
            if keys[k] == own or _own_number_key(keys[k]) == own:
                keys[k], xrefs[k] = "#own", ""
                break
    return Wording(
        section=section,
        text=text,
        keys=tuple(keys),
        starts=tuple(starts),
        xrefs=tuple(xrefs),
        breaks=tuple(breaks),
        bare=_bare_number_tokens(text, starts),
        kind=kind,
        number=own,
        positional=positional,
    )


def sections(doc: Document) -> tuple[Section, ...]:
    """The document's sections, or its paragraphs when the reader found no structure."""
    if doc.sections or not doc.text.strip():
        return doc.sections
    paragraphs = [p.strip() for p in _PARAGRAPH_RE.split(doc.text) if p.strip()]
    return tuple(
        Section(ref=f"¶{k}", heading="", text=p, kind="paragraph", number=str(k))
        for k, p in enumerate(paragraphs, 1)
    )
