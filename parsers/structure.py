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

import re
from collections import Counter
from dataclasses import dataclass

from parsers.document import Section
from parsers.khmer import to_ascii_digits

_D = r"[0-9០-៩]"
_DELIM = r"[ \t]*(?:[.:៖\-–—]+[ \t]*)*"
_ARTICLE_RE = re.compile(
    rf"^(?P<kw>មាត្រា|ប្រការ|Article|ARTICLE|Art\.)[ \t]*(?:ទី[ \t]*)?(?P<num>{_D}+)"
    rf"(?:[ \t]*(?P<suffix>bis|ter|quater|ថ្មី|new)(?![A-Za-z\u1780-\u17ff]))?"
    rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
)
_CHAPTER_RE = re.compile(
    rf"^(?P<kw>ជំពូក|CHAPTER|Chapter)[ \t]*(?:ទី[ \t]*)?(?P<num>{_D}+|[IVXLC]+)\b"
    rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
)
_SECTION_RE = re.compile(
    rf"^(?P<kw>ផ្នែក|SECTION|Section)[ \t]*(?:ទី[ \t]*)?(?P<num>{_D}+|[IVXLC]+)\b"
    rf"(?P<delim>{_DELIM})(?P<rest>.*)$"
)
_ANNEX_RE = re.compile(
    rf"^(?P<kw>ឧបសម្ព័ន្ធ|ANNEX|Annex|APPENDIX|Appendix)(?:[ \t]*(?:ទី[ \t]*)?"
    rf"(?P<num>{_D}+|[IVX]+|[A-Z])\b)?(?P<delim>{_DELIM})(?P<rest>.*)$"
)
_PREAMBLE_RE = re.compile(
    r"^[-–•*]?\s*(?:បានឃើញ|បានពិនិត្យ|តាមសំណើ|យោងតាម|Having seen|Having regard|Having reviewed|"
    r"Considering|Pursuant to|Referring to|With reference to|In accordance with the request)",
    re.I,
)
_CLOSING_RE = re.compile(r"^(?:ធ្វើនៅ|Done at|Made at|Phnom Penh,|Issued at)", re.I)
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
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


# ----------------------------------------------------------------------------- furniture


def remove_furniture(pages: list[str], *, zone: int = 3) -> list[str]:
    """Drop page numbers and running headers/footers (lines that repeat, digits aside, in the
    top or bottom ``zone`` lines of most pages)."""
    split = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for lines in split:
        tops.update({_furniture_key(line) for line in lines[:zone]})
        bottoms.update({_furniture_key(line) for line in lines[-zone:]})
    need = max(2, -(-len(split) * 3 // 5))  # at least 2 pages and 60% of them
    running = {k for k, n in (tops + bottoms).items() if n >= need and len(k) >= 3}
    running = {k for k in running if tops[k] >= need or bottoms[k] >= need}
    cleaned: list[str] = []
    for lines in split:
        keep = []
        for i, line in enumerate(lines):
            edge = i < zone or i >= len(lines) - zone
            if edge and (_PAGE_NUMBER_RE.match(line) or _furniture_key(line) in running):
                continue
            keep.append(line)
        cleaned.append("\n".join(keep))
    return cleaned


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
    out: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        following = next((n for n in lines[i + 1 :] if n), "")
        if out and out[-1] and _continues(out[-1], line, full, following):
            out[-1] = _join(out[-1], line, text)
        else:
            out.append(line)
    return "\n".join(line for line in out if line)


def _continues(previous: str, line: str, full: float, following: str) -> bool:
    if len(previous) < full or previous.endswith(_TERMINAL) or _is_unit(previous):
        return False
    if _starts_block(line):
        return False
    # A short label before a new block ("The Royal Government" before "- Having seen").
    return not (len(line) < full and not line.endswith(_TERMINAL) and _starts_block(following))


def _starts_block(line: str) -> bool:
    return bool(
        _is_unit(line)
        or _BULLET_RE.match(line)
        or _PREAMBLE_RE.match(line)
        or _CLOSING_RE.match(line)
    )


def _join(previous: str, line: str, whole: str) -> str:
    last, first = previous[-1], line[0]
    if "\u1780" <= last <= "\u17ff" and "\u1780" <= first <= "\u17ff":
        return previous + line
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


def _match_unit(line: str) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in (
        ("article", _ARTICLE_RE),
        ("chapter", _CHAPTER_RE),
        ("section", _SECTION_RE),
        ("annex", _ANNEX_RE),
    ):
        match = pattern.match(line)
        if match and _is_heading(kind, match, line):
            return kind, match
    return None


def _is_unit(line: str) -> bool:
    return _match_unit(line) is not None


def _is_heading(kind: str, match: re.Match[str], line: str) -> bool:
    rest = match.group("rest").strip()
    if not rest:
        return True
    if kind == "annex" and (match.group("num") is None and not match.group("delim").strip()):
        return False
    if _REFERENCE_WORDS.match(rest):
        return False
    return bool(match.group("delim").strip()) or len(line) <= 80


def _number(raw: str, suffix: str) -> str:
    raw = to_ascii_digits(raw)
    if raw.isdigit():
        value = str(int(raw))
    elif all(c in _ROMAN for c in raw):
        value = str(_roman(raw))
    else:
        value = raw
    return value + {"ថ្មី": "new", "": ""}.get(suffix, suffix.lower())


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
    if "\u1780" <= keyword[0] <= "\u17ff":
        base = keyword
    else:
        base = {"article": "Article", "chapter": "Chapter", "section": "Section"}.get(kind)
        base = base or keyword.capitalize()
    parts = [base, num, suffix]
    return " ".join(p for p in parts if p)


def split_sections(text: str) -> tuple[Section, ...]:
    """Structural units of a legal text, or numbered paragraphs when it has none."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    kinds = {found[0] for found in map(_match_unit, lines) if found}
    if not kinds - {"annex"}:
        return _paragraphs(text)
    units: list[_Unit] = [_Unit("title", "Title", "", "", [])]
    chapter = ""
    for line in lines:
        current = units[-1]
        found = _match_unit(line) if current.kind != "annex" or _ANNEX_RE.match(line) else None
        if found:
            kind, match = found
            ref = _ref(kind, match)
            if kind == "section" and chapter:
                ref = f"{chapter}, {ref}"
            if kind == "chapter":
                chapter = ref
            number = _number(match.group("num") or "", match.groupdict().get("suffix") or "")
            units.append(_Unit(kind, ref, number, match.group("rest").strip(), [line]))
            continue
        if current.kind == "annex":
            current.lines.append(line)
        elif _CLOSING_RE.match(line) and current.kind != "closing":
            units.append(_Unit("closing", "Closing", "", "", [line]))
        elif _PREAMBLE_RE.match(line) and current.kind in ("title", "preamble"):
            if current.kind == "title":
                units.append(_Unit("preamble", "Preamble", "", "", []))
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


def _looks_like_title(line: str) -> bool:
    return len(line) <= 60 and not line.endswith(_TERMINAL) and not _BULLET_RE.match(line)


def _paragraphs(text: str) -> tuple[Section, ...]:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) <= 1:
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    return tuple(
        Section(f"¶{i}", "", block, "paragraph", str(i)) for i, block in enumerate(blocks, 1)
    )


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
_NUMBER_RE = re.compile(
    r"^(?:លេខ|No\.?|Number)\s*[:៖]?\s*(?P<number>[0-9០-៩][^\s]*(?:\s+[^\s]*[./][^\s]*)?)", re.I
)
_KRAM_RE = re.compile(r"\b(?:NS|នស)/[A-Zក-អ.]+/[0-9០-៩]{4}/[0-9០-៩]+")
_MONTHS_KM = [
    "មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា",
    "វិច្ឆិកា", "ធ្នូ",
]  # fmt: skip
_MONTHS_EN = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
_DATE_KM_RE = re.compile(
    rf"ថ្ងៃទី\s*(?P<d>{_D}{{1,2}})\s*ខែ\s*(?P<m>{'|'.join(_MONTHS_KM)})\s*ឆ្នាំ\s*(?P<y>{_D}{{4}})"
)
_DATE_EN_RE = re.compile(
    rf"(?P<d>\d{{1,2}})\s+(?P<m>{'|'.join(_MONTHS_EN)})\s*,?\s+(?P<y>\d{{4}})", re.I
)


def instrument_metadata(text: str) -> dict[str, str]:
    """``type``, ``number``, ``date`` (ISO, from the closing line) and ``title`` where found."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head: list[str] = []
    for line in lines[:25]:
        if _PREAMBLE_RE.match(line) or _is_unit(line):
            break
        head.append(line)
    meta: dict[str, str] = {}
    type_at = -1
    for i, line in enumerate(head):
        for name, pattern in _TYPES:
            if re.fullmatch(rf"(?:{pattern})", line, flags=re.I):
                meta["type"], type_at = name, i
                break
        if type_at >= 0:
            break
        number = _NUMBER_RE.match(line)
        if number and "number" not in meta:
            meta["number"] = number.group("number").strip()
    if type_at >= 0:
        title_lines = [
            line
            for line in head[type_at:]
            if not _NUMBER_RE.match(line) and line not in ("សម្រេច", "HEREBY DECIDES")
        ]
        meta["title"] = " ".join(title_lines)
    kram = _KRAM_RE.search("\n".join(head))
    if kram and "number" not in meta:
        meta["number"] = kram.group(0)
    for line in lines:
        if _CLOSING_RE.match(line):
            date = _date(line)
            if date:
                meta["date"] = date
                break
    return meta


def _date(line: str) -> str:
    km = _DATE_KM_RE.search(line)
    if km:
        month = _MONTHS_KM.index(km.group("m")) + 1
        day, year = to_ascii_digits(km.group("d")), to_ascii_digits(km.group("y"))
        return f"{int(year):04d}-{month:02d}-{int(day):02d}"
    en = _DATE_EN_RE.search(line)
    if en:
        month = _MONTHS_EN.index(en.group("m").lower()) + 1
        return f"{int(en.group('y')):04d}-{month:02d}-{int(en.group('d')):02d}"
    return ""
