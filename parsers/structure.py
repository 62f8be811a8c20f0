"""Layout clean-up and the structure of legal texts, Khmer and English.

* :func:`remove_furniture` drops running headers/footers and page numbers from page texts.
* :func:`unwrap` joins the lines of a paragraph that a PDF broke for layout (Khmer lines are
  joined without a space, English ones with a space and line-end hyphens removed), so the
  text no longer depends on font size or margins.
* :func:`split_sections` cuts a text into title, preamble, chapters, sections, articles,
  closing and annexes, with stable refs (``Article 7``, ``មាត្រា ៥``, ``Chapter 2``); a text
  without that structure becomes paragraphs ``¶1``, ``¶2``...
* :func:`instrument_metadata` reads the instrument's type, number, date and title.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from parsers.document import Section
from parsers.khmer import KHMER_MONTHS, to_ascii_digits, to_khmer_digits
from parsers.words import icu_words, line_joint

_D = r"[0-9០-៩]"
_DELIM = r"[ \t]*(?:[.:៖\-–—]+[ \t]*)*"
# A unit number: 5, ៥, 1.1.2 (decimal numbering), IV, and with a letter or a lettered
# insertion: 5B, IV-A.
_NUM = rf"(?:{_D}+(?:\.{_D}+)*|[IVXLC]+)(?:-?[A-Z](?![A-Za-z]))?"
# An article number: 5, 2.1, and the decimal-dash numbers of codes (375-2, 1843-4) and
# lettered insertions (12a, 57A), never cut at the dash.
_ARTICLE_NUM = rf"{_D}+(?:[a-z]|[A-Z](?![A-Za-z]))?(?:[.\-–]{_D}+(?:[a-z]|[A-Z](?![A-Za-z]))?)*"
_ARTICLE_RE = re.compile(
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
_PREAMBLE_RE = re.compile(
    r"^[-–•*]?\s*(?:បានឃើញ|បានពិនិត្យ|តាមសំណើ|យោងតាម|Having seen|Having regard|Having reviewed|"
    r"Considering|Pursuant to|Referring to|With reference to|In accordance with the request)",
    re.I,
)
_MONTHS_KM = list(KHMER_MONTHS)
_MONTH_KM_VARIANTS = {"កុម្ភះ": "កុម្ភៈ", "កុម្ភ": "កុម្ភៈ", "វិច្ជិកា": "វិច្ឆិកា"}
_MONTHS_EN = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
_MONTH_EN_RE = "|".join([*_MONTHS_EN, *(m[:3] for m in _MONTHS_EN), "sept"])
# The closing: "ធ្វើនៅរាជធានីភ្នំពេញ ថ្ងៃទី...", "Done at Phnom Penh, ...", a place and date line
# ("រាជធានីភ្នំពេញ ថ្ងៃទី...", "Phnom Penh, 4 March 2021") or the lunar date line that opens
# the closing of many Khmer instruments ("ថ្ងៃសុក្រ ៥កើត ខែផល្គុន ... ព.ស. ២៥៦៤").
_CLOSING_RE = re.compile(
    r"^(?:ធ្វើនៅ|Done (?:at|in)\b|Made (?:at|in)\b|Issued (?:at|in)\b|Signed (?:at|in)\b"
    r"|(?:រាជធានី)?ភ្នំពេញ\s*[,،]?\s*ថ្ងៃ"
    rf"|Phnom Penh\s*,?\s*(?:(?:dated|on|the)\s+)?(?:\d{{1,2}}\b|(?:{_MONTH_EN_RE})\b)"
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
_SPACE_IN_KHMER_RE = re.compile(r"(?<=[\u1780-\u17ff]) +(?=[\u1780-\u17ff])")


def _is_issuer(line: str) -> bool:
    """The issuer line, also when an extractor put a space inside a Khmer word."""
    return bool(_ISSUER_RE.match(_SPACE_IN_KHMER_RE.sub("", line)))


# Words that, right after "Article 5", mean a cross-reference, not a heading.
_REFERENCE_WORDS = re.compile(
    r"^(?:of|to|and|or|in|shall|above|below|nor|as|is|are|has|ដែល|នៃ|របស់|ខាងលើ|ខាងក្រោម|និង|"
    r"ឬ|ត្រូវ|បាន)\b"
)
_BULLET_RE = re.compile(r"^(?:[-–•*]|[ក-អ][.)]|\([ក-អa-z0-9០-៩]+\)|[a-z0-9០-៩]{1,3}[.)])\s")
_PAGE_NUMBER_RE = re.compile(
    rf"^(?:[-–—\s]*{_D}+[-–—\s]*|(?:page|p\.|ទំព័រ(?:ទី)?)\s*{_D}+(?:\s*(?:of|/|នៃ)\s*{_D}+)?"
    rf"|{_D}+\s*/\s*{_D}+)$",
    re.I,
)
_TERMINAL = ("។", ".", "!", "?", ":", ";", "៖", "៕")
_SUFFIXES = {"ថ្មី": "new", "ស្ទួន": "bis", "ទ្វេ": "bis", "": ""}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


# ----------------------------------------------------------------------------- furniture


#: Running lines read by OCR differ by a character or two from page to page ("on the" /
#: "an the"): edge lines whose character trigrams overlap this much (Jaccard) count as the
#: same running line. Fuzzy matching compares each edge line with a sample of pages.
FURNITURE_SIMILARITY = 0.6
FURNITURE_SAMPLE = 12


def remove_furniture(pages: list[str], *, zone: int = 3) -> list[str]:
    """Drop page numbers and running headers/footers: lines that repeat, digits aside and
    up to a few misread characters, in the top or bottom ``zone`` lines of most pages."""
    split = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    tops = [[_furniture_key(line) for line in lines[:zone]] for lines in split]
    bottoms = [[_furniture_key(line) for line in lines[-zone:]] for lines in split]
    counts = {"top": Counter(k for keys in tops for k in set(keys))}
    counts["bottom"] = Counter(k for keys in bottoms for k in set(keys))
    need = max(2, -(-len(split) * 3 // 5))  # at least 2 pages and 60% of them
    verbatim = Counter(
        _verbatim(line) for lines in split for line in {*lines[:zone], *lines[-zone:]}
    )
    step = max(1, len(split) // FURNITURE_SAMPLE)
    sample = range(0, len(split), step)

    def running(page: int, key: str, edge: str) -> bool:
        if len(key) < 3:
            return False
        if counts[edge][key] >= need:
            return True
        if len(key) < 8:
            return False
        zones = tops if edge == "top" else bottoms
        compared = [q for q in sample if q != page]
        alike = sum(1 for q in compared if _alike(key, zones[q]))
        return 1 + alike >= max(2, -(-(len(compared) + 1) * 3 // 5))

    cleaned: list[str] = []
    for page, lines in enumerate(split):
        keep = []
        dropped: set[tuple[str, str]] = set()
        copies = _edge_copies(lines, zone)
        for i, line in enumerate(lines):
            top, bottom = i < zone, i >= len(lines) - zone
            if top or bottom:
                if _PAGE_NUMBER_RE.match(line):
                    continue
                if _is_unit(line) and verbatim[_verbatim(line)] < need:
                    # A heading of the document's own sequence (pages that open with
                    # "Article 6", "Article 13"): digits differ because the numbering goes
                    # on, not because a running header counts pages. Only a heading printed
                    # identically on most pages is a running header.
                    keep.append(line)
                    continue
                key = _furniture_key(line)
                if i in copies:
                    dropped.add(("top", key))
                    continue
                edge = "top" if top and running(page, key, "top") else ""
                edge = edge or ("bottom" if bottom and running(page, key, "bottom") else "")
                if edge and (edge, key) not in dropped:
                    # A running line is printed once per page edge: a second copy on the
                    # same page is the text it repeats (the title under a header that
                    # repeats the title), and it stays.
                    dropped.add((edge, key))
                    continue
            keep.append(line)
        cleaned.append("\n".join(keep))
    if any(split) and not any(cleaned):
        # Every line repeats on every page: that is the document itself (a form, a test
        # sheet), not furniture. Drop page numbers only.
        return ["\n".join(ln for ln in lines if not _PAGE_NUMBER_RE.match(ln)) for lines in split]
    return cleaned


#: An edge line this long (without spaces) that the page repeats is a running copy.
MIN_COPY_KEY = 12
#: Lines of the page joined to find a running line's copy (a title wraps onto the next),
#: and the most lines a title block is looked for in.
COPY_SPAN = 3
TITLE_LINES = 40


def _edge_copies(lines: list[str], zone: int) -> set[int]:
    """Header lines that repeat the title block printed below them on the same page: a
    running header that repeats the title, seen on a page of its own where repetition
    across pages cannot show it. The header goes, the title stays. The header is the
    page's first line(s); the title block ends where the preamble or the first provision
    starts. The copy is whole lines (wrapped any way), or a header cut short at a fixed
    width ("... the National So", "...កម្មករនិយោជិ") that stops inside a word."""
    found: set[int] = set()
    if not lines or len(_verbatim(lines[0])) < MIN_COPY_KEY:
        return found
    head = lines[:TITLE_LINES]
    end = next((j for j, line in enumerate(head) if _starts_block(line)), len(head))
    keys = [_verbatim(line) for line in lines[:end]]
    for i in range(min(zone, end)):
        key = keys[i]
        if len(key) < MIN_COPY_KEY:
            break
        if not any(
            (key.startswith(keys[j]) or keys[j].startswith(key))
            and keys[j]
            and _repeats(key, lines[j:end][:COPY_SPAN])
            for j in range(i + 1, end)
        ):
            break
        found.add(i)
    return found


def _repeats(key: str, lines: list[str]) -> bool:
    """``lines`` open with the text whose key is ``key``: to a line end, or inside a word."""
    text, ends = "", set()
    for line in lines:
        if len(_verbatim(text)) >= len(key):
            break
        khmer = text[-1:] >= "\u1780" and line[:1] >= "\u1780"  # Khmer wraps without a space
        text += ("" if khmer or not text else " ") + line
        ends.add(len(text))
    if not _verbatim(text).startswith(key):
        return False
    seen, cut = 0, len(text)  # where the key ends in the text
    for pos, char in enumerate(text):
        if seen == len(key):
            cut = pos
            break
        if not char.isspace():
            seen += 1
    return cut in ends or _inside_word(text, cut)


def _inside_word(text: str, cut: int) -> bool:
    if cut <= 0 or cut >= len(text) or text[cut].isspace() or text[cut - 1].isspace():
        return False
    if not ("\u1780" <= text[cut] <= "\u17ff"):
        return text[cut].isalpha() and text[cut - 1].isalpha()
    start = max(text.rfind(" ", 0, cut), text.rfind("\n", 0, cut)) + 1
    chunk = text[start:].split(maxsplit=1)[0]
    bounds, at = {0}, 0
    for word in icu_words(chunk):
        at += len(word)
        bounds.add(at)
    return cut - start not in bounds


def _verbatim(line: str) -> str:
    return "".join(to_ascii_digits(line).split()).lower()


def _alike(key: str, keys: list[str]) -> bool:
    mine = _trigrams(key)
    for other in keys:
        if abs(len(other) - len(key)) > len(key) // 4:  # too different to be a misreading
            continue
        theirs = _trigrams(other)
        if len(mine & theirs) >= FURNITURE_SIMILARITY * len(mine | theirs):
            return True
    return False


@lru_cache(maxsize=4096)
def _trigrams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 3] for i in range(len(key) - 2))


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", to_ascii_digits("".join(line.split())).lower())


# ----------------------------------------------------------------------------- unwrap


def unwrap(text: str) -> str:
    """Join lines broken for layout inside a paragraph (see the module doc)."""
    lines = [line.strip() for line in text.splitlines()]
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 4:
        return "\n".join(line for line in lines if line)
    full = 0.7 * lengths[int(0.9 * (len(lengths) - 1))]
    following = [""] * len(lines)  # the next non-empty line after each line
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] or following[i + 1]
    out: list[str] = []
    last: dict[str, tuple[int, ...]] = {}  # the number of the last heading of each kind
    for i, line in enumerate(lines):
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        number = _unit_number(line)
        if (
            out
            and out[-1]
            and (
                _continues(out[-1], line, full, following[i])
                or _wrapped_reference(out[-1], number, last, full)
            )
        ):
            out[-1] = _join(out[-1], line, text)
            continue
        if number is not None:
            last[number[0]] = number[1]
        out.append(line)
    return "\n".join(line for line in out if line)


def _unit_number(line: str) -> tuple[str, tuple[int, ...]] | None:
    """A heading's kind and number (``Article 3.1`` -> ``("article", (3, 1))``); None for a
    line that is no heading or a number that is not decimal."""
    found = _unit_of(line)
    if found is None:
        return None
    kind, num = found
    digits = to_ascii_digits(num)
    if not re.fullmatch(r"\d+(?:\.\d+)*", digits):
        return None
    return kind, tuple(int(part) for part in digits.split("."))


def _wrapped_reference(
    previous: str,
    number: tuple[str, tuple[int, ...]] | None,
    last: dict[str, tuple[int, ...]],
    full: float,
) -> bool:
    """A cross-reference that the wrap put at the start of a line ("... the rate set in" /
    "Article 3."): it looks like a heading, but the sentence before runs on to the line end
    and its number goes back in the document's own sequence (Article 3 after Article 6)."""
    if number is None or len(previous) < full or previous.endswith(_TERMINAL):
        return False
    kind, value = number
    return kind in last and value <= last[kind] and not _is_unit(previous)


def _continues(previous: str, line: str, full: float, following: str) -> bool:
    if len(previous) < full or previous.endswith(_TERMINAL) or _is_unit(previous):
        return False
    if _starts_block(line):
        return False
    # A short label before a new block ("The Royal Government" before "- Having seen").
    return not (len(line) < full and not line.endswith(_TERMINAL) and _starts_block(following))


@lru_cache(maxsize=4096)
def _unit_of(line: str) -> tuple[str, str] | None:
    """The kind and number of the heading ``line`` is (:func:`_match_unit`), remembered:
    unwrap asks it of each source line several times (never of the paragraphs it joins,
    which would fill the cache with ever longer strings)."""
    found = _match_unit(line)
    return None if found is None else (found[0], found[1].group("num") or "")


def _starts_block(line: str) -> bool:
    return bool(
        _unit_of(line) is not None
        or _BULLET_RE.match(line)
        or _PREAMBLE_RE.match(line)
        or _CLOSING_RE.match(line)
    )


def _join(previous: str, line: str, whole: str) -> str:
    last, first = previous[-1], line[0]
    if "\u1780" <= last <= "\u17ff" and "\u1780" <= first <= "\u17ff":
        return previous + line_joint(previous, line) + line
    if last == "-" and len(previous) > 1 and previous[-2].isalpha() and first.islower():
        left = previous[:-1].rsplit(maxsplit=1)[-1]
        right = re.split(r"[^\w]", line, maxsplit=1)[0]
        if f"{left}-{right}" not in whole.replace(f"{left}-\n", ""):
            return previous[:-1] + line
        return previous + line
    return previous + " " + line


# ----------------------------------------------------------------------------- sections


@dataclass
class _Unit:
    kind: str
    ref: str
    number: str
    heading: str
    lines: list[str]


_KNOWN_UNITS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("article", _ARTICLE_RE),
    ("chapter", _CHAPTER_RE),
    ("section", _SECTION_RE),
    ("section", _PARAGRAPH_SIGN_RE),
    ("annex", _ANNEX_RE),
)


def _match_unit(
    line: str, units: tuple[tuple[str, re.Pattern[str]], ...] = _KNOWN_UNITS
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
        if len(set(seq)) < SCHEME_MIN_HEADINGS or _PAGE_NUMBER_RE.match(f"{keyword} 1"):
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


def _is_unit(line: str) -> bool:
    return _match_unit(line) is not None


def _is_heading(kind: str, match: re.Match[str], line: str) -> bool:
    rest = match.group("rest").strip()
    if not rest:
        return True
    if kind == "annex" and (match.group("num") is None and not match.group("delim").strip()):
        # "Annex Fee schedule", "Anlage Kostenverzeichnis": a title alone on its line.
        return _looks_like_title(line) and rest[0].isupper() and not _REFERENCE_WORDS.match(rest)
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


def _number(raw: str, suffix: str) -> str:
    raw = to_ascii_digits(raw)
    if raw.isdigit():
        value = str(int(raw))
    elif raw and all(c in _ROMAN for c in raw):
        value = str(_roman(raw))
    else:
        value = raw
    return value + _SUFFIXES.get(suffix, suffix.lower())


def _roman(text: str) -> int:
    total = 0
    for i, char in enumerate(text):
        value = _ROMAN[char]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


def _ref(kind: str, match: re.Match[str]) -> str:
    keyword = match.group("kw")
    num = match.group("num") or ""
    suffix = (match.groupdict().get("suffix") or "").strip()
    if "\u1780" <= keyword[0] <= "\u17ff" or keyword == "§":
        base = keyword
    else:
        base = {"article": "Article", "section": "Section"}.get(kind)
        if kind == "article" and not _ARTICLE_RE.match(f"{keyword} 1"):
            base = keyword  # a keyword of the document's own scheme, as it writes it
        base = base or keyword.capitalize()  # Chapter, Title, Book, Part, Annex
    parts = [base, num, suffix]
    return " ".join(p for p in parts if p)


def split_sections(text: str) -> tuple[Section, ...]:
    """Structural units of a legal text, or numbered paragraphs when it has none.

    Title (up to the preamble; the issuer line just before the first "having seen" opens the
    preamble), preamble, chapters, sections, articles (points ``ក.``, ``(a)``, ``1.`` stay in
    their article), closing (place, date, signatory) and annexes. An annex keeps its own
    article-like lines, but an article or chapter numbered right after the body's last one
    ends the annex.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    schemes = _KNOWN_UNITS
    kinds = {found[0] for found in map(_match_unit, lines) if found}
    if not kinds - {"annex"}:
        schemes = (*inferred_units(lines), *_KNOWN_UNITS)
        if len(schemes) == len(_KNOWN_UNITS):
            return _paragraphs(text)
    units: list[_Unit] = [_Unit("title", "Title", "", "", [])]
    chapter = ""
    last: dict[str, int] = {}  # highest number of each kind in the body
    wrapped = _wrapped_width(lines)
    for n, line in enumerate(lines):
        current = units[-1]
        found = _match_unit(line, schemes)
        if found and n and _continues_sentence(lines[n - 1], found[1], wrapped):
            found = None
        if found and current.kind == "annex" and found[0] != "annex":
            found = found if _continues_body(found, last) else None
        if found:
            kind, match = found
            ref = _ref(kind, match)
            if kind == "section" and chapter and match.group("kw") != "§":
                # "§" numbers run through a whole code; a Section numbered within its
                # chapter is named with it.
                ref = f"{chapter}, {ref}"
            if kind == "chapter":
                chapter = ref
            number = _number(match.group("num") or "", match.groupdict().get("suffix") or "")
            if kind in ("article", "chapter") and number.isdigit():
                last[kind] = max(last.get(kind, 0), int(number))
            units.append(_Unit(kind, ref, number, match.group("rest").strip(), [line]))
            continue
        if current.kind == "annex":
            current.lines.append(line)
        elif _CLOSING_RE.match(line) and current.kind != "closing":
            units.append(_Unit("closing", "Closing", "", "", [line]))
        elif _PREAMBLE_RE.match(line) and current.kind in ("title", "preamble"):
            if current.kind == "title":
                preamble = _Unit("preamble", "Preamble", "", "", [])
                if len(current.lines) > 1 and _is_issuer(current.lines[-1]):
                    preamble.lines.append(current.lines.pop())
                units.append(preamble)
            units[-1].lines.append(line)
        else:
            if (
                current.kind in ("chapter", "section", "article")
                and not current.heading
                and len(current.lines) == 1
                and _looks_like_title(line)
            ):
                current.heading = line
            current.lines.append(line)
    units = _fold_head(units)
    sections = []
    seen: Counter[str] = Counter()
    for unit in units:
        if not unit.lines:
            continue
        seen[unit.ref] += 1
        ref = unit.ref if seen[unit.ref] == 1 else f"{unit.ref} ({seen[unit.ref]})"
        body = "\n".join(unit.lines)
        sections.append(Section(ref, unit.heading, body, unit.kind, unit.number))
    return tuple(sections)


def _fold_head(units: list[_Unit]) -> list[_Unit]:
    """Headings before the text that the text repeats with the same number (a page header
    "§88-21 / Definitions." over the section it shows, a table of contents) are part of the
    title, not units of their own: only the later unit, with its body, is the provision."""
    out: list[_Unit] = []
    for k, unit in enumerate(units):
        repeat = next((u for u in units[k + 1 :] if (u.kind, u.ref) == (unit.kind, unit.ref)), None)
        if (
            repeat is not None
            and out
            and out[-1].kind == "title"
            and unit.kind in ("article", "section")
            and len(unit.lines) <= 3
            and _opens_with(repeat.lines, unit.lines, unit.number)
        ):
            out[-1].lines.extend(unit.lines)
            continue
        out.append(unit)
    return out


def _opens_with(body: list[str], head: list[str], number: str) -> bool:
    """Does ``body`` open with the words of ``head``, the unit's number aside?"""

    def words(lines: list[str]) -> list[str]:
        tokens = to_ascii_digits(" ".join(lines)).split()
        return [t for t in tokens if number not in t and any(c.isalnum() for c in t)]

    mine = words(head)
    return words(body[:6])[: len(mine)] == mine


#: A text is wrapped to a width when this share of its longer lines ends near that width;
#: paragraphs one a line (HTML, DOCX, unwrapped PDF text) spread far wider.
WRAPPED_SHARE = 0.6


def _wrapped_width(lines: list[str]) -> float:
    """The length from which a line is a full line of a wrapped paragraph (as in unwrap);
    infinite when the text is not wrapped."""
    lengths = sorted(len(line) for line in lines)
    if len(lengths) < 4:
        return float("inf")
    width = lengths[int(0.9 * (len(lengths) - 1))]
    longer = [n for n in lengths if n >= 0.5 * width]
    near = sum(1 for n in longer if 0.75 * width <= n <= 1.1 * width)
    return 0.7 * width if near >= WRAPPED_SHARE * len(longer) else float("inf")


def _continues_sentence(previous: str, match: re.Match[str], wrapped: float) -> bool:
    """A heading-like line that goes on a sentence the full line before it left open
    ("... nach" / "Anlage 3 Spalte 2 sind ...", "... bestimmen sich nach" / "Anlage 20.") is
    running text, not a heading; a heading after a short title line ("Allgemeine
    Vorschriften" / "§ 1 Zweck") is one."""
    rest, delim = match.group("rest").strip(), match.group("delim").strip()
    if bool(rest) == bool(delim):  # "Article 6" alone, "Article 6. Scope": headings
        return False
    line = match.group(0)
    if rest and not (wrapped <= len(line) <= wrapped / 0.6 and not line.endswith(_TERMINAL)):
        return False  # a short heading, or one longer than the text's wrapped lines
    if delim and not delim.endswith(_TERMINAL):
        return False
    return len(previous) >= wrapped and not previous.endswith(_TERMINAL) and not _is_unit(previous)


def _continues_body(found: tuple[str, re.Match[str]], last: dict[str, int]) -> bool:
    """Inside an annex: is this article/chapter the next one of the body (Article 10 after
    Article 9), rather than the annex's own numbering?"""
    kind, match = found
    if kind not in last:
        return False
    number = to_ascii_digits(match.group("num") or "")
    suffix = (match.groupdict().get("suffix") or "").strip()
    return number.isdigit() and not suffix and int(number) == last[kind] + 1


def _looks_like_title(line: str) -> bool:
    return (
        len(line) <= 60
        and any(c.isalnum() for c in line)
        and not line.endswith(_TERMINAL)
        and not _BULLET_RE.match(line)
    )


def _paragraphs(text: str) -> tuple[Section, ...]:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) <= 1:
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    return tuple(
        Section(f"¶{i}", "", block, "paragraph", str(i)) for i, block in enumerate(blocks, 1)
    )


# ----------------------------------------------------------------------------- OCR'd numbers

# The number slot of a heading as OCR may have read it: Khmer and Arabic digits, and Latin
# letters and marks that OCR puts for a digit (១ read as "9" or "១9", ០ as "o", ៤ as "G", 1 as
# "l" or "|", 0 as "O").
_SLOT_RE = re.compile(
    r"^(?P<kw>[\u1780-\u17df]+?|§|[A-Za-z]+\.?)(?P<gap>[ \t]*(?:ទី[ \t]*)?)"
    r"(?P<num>[0-9០-៩A-Za-z|!]{1,8})(?P<after>(?![0-9០-៩A-Za-z]).*)$"
)
#: Latin letters and marks OCR reads for a digit (0: O o D Q; 1: l I i | !; 2: Z z; 5: S s;
#: 6: b G; 8: B; 9: g q); any other letter after a number is a lettered insertion (12a, 5A).
_DIGIT_LOOKALIKES = frozenset("OoDQlIi|!ZzSsbGBgq")
_SEQUENCE_KINDS = ("article", "chapter", "section")


@dataclass
class _Slot:
    line: int
    key: tuple[str, str]  # kind and keyword: one numbering sequence
    token: str
    start: int  # of the token in its line
    value: int | None = None  # the number, when the token is a plain number of the sequence
    suspect: bool = False


def repair_heading_numbers(text: str, *, ocr: bool) -> tuple[str, tuple[str, ...]]:
    """Heading numbers that OCR broke, put back from the document's own sequence.

    A heading number that mixes digit scripts ("មាត្រា ១9.-") is never genuine. In OCR'd text
    (``ocr``) a number is also suspect when it is in another script than the other headings
    of its sequence (Arabic among Khmer), or holds a letter that OCR puts for a digit ("Article
    1O", "មាត្រា G"), or breaks a run the sequence fixes (Article 5, 8, 7: the middle one can
    only be 6, and reads one digit off it). A suspect number is replaced only when the
    neighbouring plain numbers of the same kind and keyword predict it (one slot between
    them, or the run's first or last slot) and what was read agrees with it; a real gap
    (Article 5 then 7 then 8), a lettered insertion (12a) or a restart keeps its number.
    Returns the text and one warning per repair, or per suspect number left as read.
    """
    lines = text.split("\n")
    sequences: dict[tuple[str, str], list[_Slot]] = {}
    for n, line in enumerate(lines):
        slot = _heading_slot(line, n)
        if slot is not None:
            sequences.setdefault(slot.key, []).append(slot)
    warnings: list[str] = []
    for slots in sequences.values():
        for slot, number in _predicted(slots, ocr):
            line = lines[slot.line]
            end = slot.start + len(slot.token)
            was = line[:end].strip()
            if number is None:
                warnings.append(f"heading number needs check, read as {was!r}")
                continue
            lines[slot.line] = line[: slot.start] + number + line[end:]
            now = lines[slot.line][: slot.start + len(number)].strip()
            warnings.append(
                f"heading number read as {was!r}, repaired to {now!r} from the document's "
                "sequence (needs check)"
            )
    return "\n".join(lines), tuple(warnings)


def _heading_slot(line: str, n: int) -> _Slot | None:
    """The number slot of a heading line, also when OCR put letters or another script in it:
    the line is a heading of a known kind once a plain number stands in the slot."""
    match = _SLOT_RE.match(line)
    if match is None:
        return None
    probe = f"{match['kw']}{match['gap']}1{match['after']}"
    found = _match_unit(probe)
    if found is None or found[0] not in _SEQUENCE_KINDS or found[1].group("num") != "1":
        return None
    return _Slot(n, (found[0], match["kw"]), match["num"], match.start("num"))


def _digits_of(token: str) -> str:
    """The script of a token that is a plain number: ``km``, ``ascii`` or ''."""
    if all(c in "០១២៣៤៥៦៧៨៩" for c in token):
        return "km"
    if token.isascii() and token.isdigit():
        return "ascii"
    return ""


def _predicted(slots: list[_Slot], ocr: bool) -> list[tuple[_Slot, str | None]]:
    """The suspect slots of one sequence with the number the sequence predicts for each
    (None when it predicts none or the reading disagrees)."""
    scripts = Counter(_digits_of(s.token) for s in slots if _digits_of(s.token))
    if not scripts:
        return []
    script = scripts.most_common(1)[0][0]
    khmer_kw = "\u1780" <= slots[0].key[1][0] <= "\u17ff"
    for slot in slots:
        own = _digits_of(slot.token)
        if own == script:
            slot.value = int(to_ascii_digits(slot.token))
            continue
        mixed = own == "" and len({_digits_of(c) for c in slot.token} - {""}) > 1
        letters = [c for c in slot.token if c.isalpha() or c in "|!"]
        lookalike = bool(letters) and (khmer_kw or all(c in _DIGIT_LOOKALIKES for c in letters))
        slot.suspect = mixed or (ocr and (own != "" or lookalike))
    slots = [s for s in slots if s.value is not None or s.suspect]  # 12a, IV: not in it
    out: list[tuple[_Slot, str | None]] = []
    for k, slot in enumerate(slots):
        if slot.suspect:
            number = _from_neighbours(slots, k)
            if number is not None and not _agrees(slot.token, number, script):
                number = None
            if number is None and not any(c.isdigit() for c in slot.token):
                continue  # letters alone with nothing to go by: most likely a real letter
            out.append((slot, None if number is None else _written(number, script)))
        elif ocr and slot.value is not None and 0 < k < len(slots) - 1:
            before, after = slots[k - 1].value, slots[k + 1].value
            if before is None or after is None or after != before + 2:
                continue
            want, have = str(before + 1), to_ascii_digits(slot.token)
            if len(have) == len(want) and sum(map(str.__ne__, have, want)) == 1:
                out.append((slot, _written(before + 1, script)))  # one digit misread
    return out


def _from_neighbours(slots: list[_Slot], k: int) -> int | None:
    """The number the plain numbers around slot ``k`` leave for it: the run of suspects
    it is in must fill exactly the gap between them (or continue the first or last one)."""
    first = k
    while first > 0 and slots[first - 1].value is None:
        first -= 1
    last = k
    while last < len(slots) - 1 and slots[last + 1].value is None:
        last += 1
    before = slots[first - 1].value if first > 0 else None
    after = slots[last + 1].value if last < len(slots) - 1 else None
    if before is not None and after is not None:
        return before + 1 + k - first if after - before == last - first + 2 else None
    if after is not None:
        number = after - (last - k + 1)
        return number if number >= 1 else None
    if before is not None:
        return before + 1 + k - first
    return None


def _agrees(token: str, number: int, script: str) -> bool:
    """Could OCR have read ``number`` as ``token``? The token is not shorter than the
    number, and the digits it holds in the sequence's script appear in the number in order."""
    want = _written(number, script)
    if len(want) > len(token):
        return False
    own = [c for c in token if _digits_of(c) == script]
    rest = iter(want)
    return all(c in rest for c in own)


def _written(number: int, script: str) -> str:
    return to_khmer_digits(str(number)) if script == "km" else str(number)


# ----------------------------------------------------------------------------- metadata

_TYPES = (
    ("inter-ministerial prakas", r"ប្រកាសអន្តរក្រសួង|INTER-MINISTERIAL PRAKAS"),
    ("royal decree", r"ព្រះរាជក្រឹត្យ|ROYAL DECREE"),
    ("royal kram", r"ព្រះរាជក្រម|ROYAL KRAM"),
    ("sub-decree", r"អនុក្រឹត្យ|SUB-DECREE|SUB DECREE"),
    ("law", r"ច្បាប់|LAW"),
    ("prakas", r"ប្រកាស|PRAKAS|PROCLAMATION"),
    ("circular", r"សារាចរ|CIRCULAR"),
    ("decision", r"សេចក្តីសម្រេច|DECISION"),
    ("instruction", r"សេចក្តីណែនាំ|INSTRUCTION|GUIDELINE"),
)
_NUMBER_KEY = r"(?:លេខ|\bNo\b\.?|\bNumber\b|\bN[°º]\.?)"
_NUMBER_RE = re.compile(
    rf"{_NUMBER_KEY}\s*[:៖]?\s*(?P<number>[0-9០-៩][^\s,;]*(?:\s+[^\s,;]*[./][^\s,;]*)?)", re.I
)
_KRAM_RE = re.compile(r"(?<![\w/])(?:NS|នស)/[A-Zក-អ.]+/[0-9០-៩]{4}/[0-9០-៩]+")
_DECIDES = ("សម្រេច", "HEREBY DECIDES", "DECIDES", "សម្រេចថា", "HEREBY DECIDE")
_MONTH_KM_RE = "|".join([*_MONTHS_KM, *_MONTH_KM_VARIANTS])
_DATE_KM_RE = re.compile(
    rf"ថ្ងៃ(?:ទី)?\s*(?P<d>{_D}{{1,2}})\s*ខែ\s*(?P<m>{_MONTH_KM_RE})\s*ឆ្នាំ\s*(?P<y>{_D}{{4}})"
)
_DATE_EN_RE = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_EN_RE})\.?\s*,?\s+"
    rf"(?P<y>\d{{4}})\b"
    rf"|\b(?P<m2>{_MONTH_EN_RE})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(?P<y2>\d{{4}})\b",
    re.I,
)


def instrument_metadata(text: str) -> dict[str, str]:
    """``type``, ``number`` (as printed: ``៣២ អនក្រ.បក``, ``NS/RKM/1119/018``,
    ``165/22 MLVT/Br.K.NSSF``), ``date`` (ISO, from the closing) and ``title`` where found.

    The head is what comes before the preamble or the first article; the number is read from
    a line that starts with it (``លេខ ...``, ``No. ...``), else from the type line
    (``អនុក្រឹត្យលេខ ៣២ អនក្រ.បក``), else from any head line, else a Royal Kram / decree
    number (``NS/RKM/...``, ``នស/រកម/...``).
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head: list[str] = []
    for line in lines[:25]:
        if _PREAMBLE_RE.match(line) or _is_unit(line):
            if head and len(head) > 1 and _PREAMBLE_RE.match(line) and _is_issuer(head[-1]):
                head.pop()
            break
        head.append(line)
    meta: dict[str, str] = {}
    type_at = next((i for i, line in enumerate(head) if _type_of(line)), -1)
    if type_at >= 0:
        meta["type"] = _type_of(head[type_at])
    numbered = [line for line in head if re.match(_NUMBER_KEY, line, re.I)]
    if type_at >= 0:
        numbered.append(head[type_at])
    for line in [*numbered, *head]:
        number = _NUMBER_RE.search(line)
        if number:
            meta["number"] = number.group("number").strip(" .:;,")
            break
    else:
        kram = _KRAM_RE.search("\n".join(head))
        if kram:
            meta["number"] = kram.group(0)
    if type_at >= 0:
        title = []
        for line in head[type_at:]:
            if re.match(_NUMBER_KEY, line, re.I) or line.upper() in _DECIDES:
                continue
            line = _NUMBER_RE.sub("", line).strip() if line is head[type_at] else line
            title.append(line)
        meta["title"] = " ".join(t for t in title if t)
    for i, line in enumerate(lines):
        if _CLOSING_RE.match(line):
            date = _date(line) or _date(" ".join(lines[i + 1 : i + 3]))
            if date:
                meta["date"] = date
                break
    return meta


def _type_of(line: str) -> str:
    """The instrument type a head line announces ("SUB-DECREE", "អនុក្រឹត្យលេខ ...",
    "LAW on ..."), or ''."""
    for name, pattern in _TYPES:
        after = r"(?=\s*(?:លេខ|No\b|Number\b)|\s+on\b|\s*ស្តីពី|\s*$)"
        if re.match(rf"(?:{pattern}){after}", line, flags=re.I):
            return name
    return ""


def _date(line: str) -> str:
    km = _DATE_KM_RE.search(line)
    if km:
        name = _MONTH_KM_VARIANTS.get(km.group("m"), km.group("m"))
        month = _MONTHS_KM.index(name) + 1
        day, year = to_ascii_digits(km.group("d")), to_ascii_digits(km.group("y"))
        return _iso(int(year), month, int(day))
    en = _DATE_EN_RE.search(line)
    if en:
        name = (en.group("m") or en.group("m2")).lower()[:3]
        month = [m[:3] for m in _MONTHS_EN].index(name) + 1
        day, year = en.group("d") or en.group("d2"), en.group("y") or en.group("y2")
        return _iso(int(year), month, int(day))
    return ""


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else ""


def date_in(text: str) -> str:
    """The first date written in ``text`` (Khmer or English), ISO, or ''."""
    return _date(text)
