"""The heading grammar of legal texts, Khmer and English: which line opens an article,
chapter, section or annex (``Article 7``, ``មាត្រា ៥``, ``Chapter 2``, ``§ 38-2903``), and
which opens the preamble, the closing, a bullet or is a page number.

:func:`match_unit` says what heading a line is; :func:`inferred_units` finds the heading
keyword of a scheme the grammar does not know from the document's own numbering. The layout
(:mod:`parsers.read.layout`), the structure (:mod:`parsers.read.structure`) and the instrument's
metadata (:mod:`parsers.read.metadata`) all read lines by it.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from parsers.calendar import ENGLISH_MONTH_RE
from parsers.khmer import join_khmer_spaces, to_ascii_digits

_D = r"[0-9០-៩]"
_DELIM = r"[ \t]*(?:[.:៖\-–—]+[ \t]*)*"
# A unit number: 5, ៥, 1.1.2 (decimal numbering), IV, and with a letter or a lettered
# insertion: 5B, IV-A.
_NUM = rf"(?:{_D}+(?:\.{_D}+)*|[IVXLC]+)(?:-?[A-Z](?![A-Za-z]))?"
# An article number: 5, 2.1, and the decimal-dash numbers of codes (375-2, 1843-4) and
# lettered insertions (12a, 57A), never cut at the dash.
_ARTICLE_NUM = rf"{_D}+(?:[a-z]|[A-Z](?![A-Za-z]))?(?:[.\-–]{_D}+(?:[a-z]|[A-Z](?![A-Za-z]))?)*"
ARTICLE_RE = re.compile(
    r"^(?P<kw>មាត្រា|ប្រការ|Article|ARTICLE|Artikel|ARTIKEL|Art\.|ART\.|Art(?=[ \t]*[0-9]))"
    rf"[ \t]*(?:ទី[ \t]*)?(?P<num>{_ARTICLE_NUM})(?![0-9០-៩A-Za-z])"
    rf"(?:[ \t]*(?P<suffix>bis|ter|quater|ថ្មី|ស្ទួន|ទ្វេ|new)(?![A-Za-z\u1780-\u17ff]))?"
    rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
)
_CHAPTER_RE = re.compile(
    r"^(?P<kw>ជំពូក|CHAPTER|Chapter|TITLE|Title|BOOK|Book|PART|Part|Kapitel|Chapitre|CHAPITRE"
    r"|Titre|TITRE|Livre|LIVRE|Teil)[ \t]*(?:ទី[ \t]*)?"
    rf"(?P<num>{_NUM})\b"
    rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
)
_SECTION_RE = re.compile(
    rf"^(?P<kw>ផ្នែក|SECTION|Section)[ \t]*(?:ទី[ \t]*)?(?P<num>{_ARTICLE_NUM}|{_NUM})\b"
    rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
)
# Codified sections: "§ 38-2903.", "§ 12.5", "§§ 4-101a" (the number keeps its hyphens,
# dots and letters; a final dot is the delimiter).
_PARAGRAPH_SIGN_RE = re.compile(
    rf"^(?P<kw>§)[ \t]*(?P<num>{_D}+[A-Za-z]?(?:[-–.:]{_D}+[A-Za-z]?)*)(?![0-9០-៩])"
    rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
)
_ANNEX_RE = re.compile(
    r"^(?P<kw>ឧបសម្ព័ន្ធ|ANNEX|Annex|APPENDIX|Appendix|SCHEDULE|Schedule|Anlage|ANLAGE|Annexe"
    r"|ANNEXE)(?:[ \t]*(?:ទី[ \t]*)?"
    rf"(?P<num>{_D}+[a-z]?|[IVX]+|[A-Z])\b)?(?P<delim>{_DELIM})(?P<rest>.*)$"
)
PREAMBLE_RE = re.compile(
    r"^[-–•*]?\s*(?:បានឃើញ|បានពិនិត្យ|តាមសំណើ|យោងតាម|Having seen|Having regard|Having reviewed|"
    r"Considering|Pursuant to|Referring to|With reference to|In accordance with the request)",
    re.I,
)
# The closing: "ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី...", "Done at Phnom Penh, ...", a place and date line
# ("រាជធានីភ្នំពេញ ថ្ងៃទី...", "Phnom Penh, 4 March 2021") or the lunar date line that opens
# the closing of many Khmer instruments ("ថ្ងៃសុក្រ ៥កើត ខែផល្គុន ... ព.ស. ២៥៦៤").
CLOSING_RE = re.compile(
    r"^(?:ធ្វើនៅ|Done (?:at|in)\b|Made (?:at|in)\b|Issued (?:at|in)\b|Signed (?:at|in)\b"
    r"|(?:រាជធានី)?ភ្នំពេញ\s*[,،]?\s*ថ្ងៃ"
    rf"|Phnom Penh\s*,?\s*(?:(?:dated|on|the)\s+)?(?:\d{{1,2}}\b|(?:{ENGLISH_MONTH_RE})\b)"
    r"|ថ្ងៃ\S*\s.{0,40}(?:កើត|រោច).{0,60}ព\.\s?ស\.)",
    re.I,
)
# The line naming who issues the instrument, just before its first "having seen": it opens
# the preamble ("The Royal Government" / "រាជរដ្ឋាភិបាល" / "The Minister of ...").
_ISSUER_RE = re.compile(
    r"^(?:(?:The\s+)?Royal\s+Government(?:\s+of\s+Cambodia)?|រាជរដ្ឋាភិបាល(?:កម្ពុជា)?"
    r"|(?:The\s+)?(?:Minister|Governor|Director[- ]General|President|Chairman)\s+of\b.{0,100}"
    r"|រដ្ឋមន្ត្រី.{0,100}|អភិបាល.{0,80}|អគ្គនាយក.{0,80}|ប្រធាន.{0,80}"
    r"|យើង\s.{0,200}|We,?\s.{0,200})$",
    re.I,
)


def is_issuer(line: str) -> bool:
    """The issuer line, also when an extractor put a space inside a Khmer word."""
    return bool(_ISSUER_RE.match(join_khmer_spaces(line)))


# Words that, right after "Article 5", mean a cross-reference, not a heading.
_REFERENCE_WORDS = re.compile(
    r"^(?:of|to|and|or|in|shall|above|below|nor|as|is|are|has|ដែល|នៃ|របស់|ខាងលើ|ខាងក្រោម|និង|"
    r"ឬ|ត្រូវ|បាន)\b"
)
BULLET_RE = re.compile(r"^(?:[-–•*]|[ក-អ][.)]|\([ក-អa-z0-9០-៩]+\)|[a-z0-9០-៩]{1,3}[.)])\s")
PAGE_NUMBER_RE = re.compile(
    rf"^(?:[-–—\s]*{_D}+[-–—\s]*|(?:page|p\.|ទំព័រ(?:ទី)?)\s*{_D}+(?:\s*(?:of|/|នៃ)\s*{_D}+)?"
    rf"|{_D}+\s*/\s*{_D}+)$",
    re.I,
)
TERMINAL = ("។", ".", "!", "?", ":", ";", "៖", "៕")


KNOWN_UNITS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("article", ARTICLE_RE),
    ("chapter", _CHAPTER_RE),
    ("section", _SECTION_RE),
    ("section", _PARAGRAPH_SIGN_RE),
    ("annex", _ANNEX_RE),
)


def match_unit(
    line: str, units: tuple[tuple[str, re.Pattern[str]], ...] = KNOWN_UNITS
) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in units:
        match = pattern.match(line)
        if match and _is_heading(kind, match, line):
            return kind, match
    return None


# A heading of a scheme we have no keyword for: one word, then a number ("Regel 4",
# "Rule 12a", "Clause 3.2", "Κανόνας 7").
_WORD = r"(?:[^\W\d_]|[\u17b6-\u17d3])"  # a letter, or a Khmer vowel sign or mark
_CANDIDATE_RE = re.compile(
    rf"^(?P<kw>[^\W\d_]{_WORD}{{1,15}}?\.?)[ \t]*(?:ទី[ \t]*)?(?P<num>{_ARTICLE_NUM})"
    r"(?![0-9០-៩A-Za-z])"
    rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
)
#: An unknown keyword is a heading scheme when at least this many heading-like lines carry
#: it, with distinct numbers that go up in document order (a run, not stray mentions).
SCHEME_MIN_HEADINGS = 3
SCHEME_IN_ORDER = 0.8


def inferred_units(lines: list[str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Heading keywords the document itself numbers in sequence, for texts whose scheme has
    no known keyword: lines "<Word> <number>" that read as headings, whose numbers rise
    from one to the next. Each becomes an article-like unit; none when no keyword does."""
    numbers: dict[str, list[int]] = {}
    for line in lines:
        if len(line) > 120:
            continue
        match = _CANDIDATE_RE.match(line)
        if match is None or not _is_heading("article", match, line):
            continue
        lead = re.match(r"\d+", to_ascii_digits(match.group("num")))
        if lead:
            numbers.setdefault(match.group("kw"), []).append(int(lead.group()))
    found = []
    for keyword, seq in numbers.items():
        if len(set(seq)) < SCHEME_MIN_HEADINGS or PAGE_NUMBER_RE.match(f"{keyword} 1"):
            continue
        rising = sum(1 for a, b in itertools.pairwise(seq) if b >= a)
        if rising >= SCHEME_IN_ORDER * (len(seq) - 1):
            found.append(keyword)
    if not found:
        return ()
    words = "|".join(re.escape(k) for k in sorted(found, key=len, reverse=True))
    pattern = re.compile(
        rf"^(?P<kw>{words})[ \t]*(?:ទី[ \t]*)?(?P<num>{_ARTICLE_NUM})(?![0-9០-៩A-Za-z])"
        rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
    )
    return (("article", pattern),)


def is_unit(line: str) -> bool:
    return match_unit(line) is not None


def _is_heading(kind: str, match: re.Match[str], line: str) -> bool:
    rest = match.group("rest").strip()
    if not rest:
        return True
    if kind == "annex" and (match.group("num") is None and not match.group("delim").strip()):
        # "Annex Fee schedule", "Anlage Kostenverzeichnis": a title alone on its line.
        return looks_like_title(line) and rest[0].isupper() and not _REFERENCE_WORDS.match(rest)
    if _REFERENCE_WORDS.match(rest) or rest[0] in ",;":  # "§5; am L 2022, c 94, §1"
        return False
    if match.group("delim").strip():
        return True
    # Without a delimiter, a line that reads like running text is a wrapped cross-reference
    # ("Article 7 applies to them."), not a heading ("Article 7 Scope", "មាត្រា៥ អត្រាភាគទាន").
    if rest[0].islower() or rest.endswith((".", "។", "៕", ";", ",", "!", "?")):
        return False
    # A long heading reads as a title: no sentence inside it ("§ 52 Wartezeiterfüllung durch
    # Versorgungsausgleich, Rentensplitting und Zuschläge an Entgeltpunkten ...").
    return len(line) <= 80 or (len(line) <= 250 and not any(c in rest for c in ".;:។៖"))


@lru_cache(maxsize=4096)
def unit_of(line: str) -> tuple[str, str] | None:
    """The kind and number of the heading ``line`` is (:func:`match_unit`), remembered:
    unwrap asks it of each source line several times (never of the paragraphs it joins,
    which would fill the cache with ever longer strings)."""
    found = match_unit(line)
    return None if found is None else (found[0], found[1].group("num") or "")


def starts_block(line: str) -> bool:
    return bool(
        unit_of(line) is not None
        or BULLET_RE.match(line)
        or PREAMBLE_RE.match(line)
        or CLOSING_RE.match(line)
    )


def looks_like_title(line: str) -> bool:
    return (
        len(line) <= 60
        and any(c.isalnum() for c in line)
        and not line.endswith(TERMINAL)
        and not BULLET_RE.match(line)
    )
