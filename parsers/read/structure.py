"""The structure of legal texts, Khmer and English.

:func:`split_sections` cuts a text into title, preamble, chapters, sections, articles,
closing and annexes, with stable refs (``Article 7``, ``មាត្រា ៥``, ``Chapter 2``); a text
without that structure becomes paragraphs ``¶1``, ``¶2``... Which line is a heading is
:mod:`parsers.read.headings`' to say.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from parsers.document import Section
from parsers.khmer import to_ascii_digits
from parsers.read.headings import (
    ARTICLE_RE,
    CLOSING_RE,
    KNOWN_UNITS,
    PREAMBLE_RE,
    TERMINAL,
    inferred_units,
    is_issuer,
    is_unit,
    looks_like_title,
    match_unit,
)

_SUFFIXES = {"ថ្មី": "new", "ស្ទួន": "bis", "ទ្វេ": "bis", "": ""}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass
class _Unit:
    kind: str
    ref: str
    number: str
    heading: str
    lines: list[str]


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
        if kind == "article" and not ARTICLE_RE.match(f"{keyword} 1"):
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
    schemes = KNOWN_UNITS
    kinds = {found[0] for found in map(match_unit, lines) if found}
    if not kinds - {"annex"}:
        schemes = (*inferred_units(lines), *KNOWN_UNITS)
        if len(schemes) == len(KNOWN_UNITS):
            return _paragraphs(text)
    units: list[_Unit] = [_Unit("title", "Title", "", "", [])]
    chapter = ""
    last: dict[str, int] = {}  # highest number of each kind in the body
    wrapped = _wrapped_width(lines)
    for n, line in enumerate(lines):
        current = units[-1]
        found = match_unit(line, schemes)
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
        elif CLOSING_RE.match(line) and current.kind != "closing":
            units.append(_Unit("closing", "Closing", "", "", [line]))
        elif PREAMBLE_RE.match(line) and current.kind in ("title", "preamble"):
            if current.kind == "title":
                preamble = _Unit("preamble", "Preamble", "", "", [])
                if len(current.lines) > 1 and is_issuer(current.lines[-1]):
                    preamble.lines.append(current.lines.pop())
                units.append(preamble)
            units[-1].lines.append(line)
        else:
            if (
                current.kind in ("chapter", "section", "article")
                and not current.heading
                and len(current.lines) == 1
                and looks_like_title(line)
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
    if rest and not (wrapped <= len(line) <= wrapped / 0.6 and not line.endswith(TERMINAL)):
        return False  # a short heading, or one longer than the text's wrapped lines
    if delim and not delim.endswith(TERMINAL):
        return False
    return len(previous) >= wrapped and not previous.endswith(TERMINAL) and not is_unit(previous)


def _continues_body(found: tuple[str, re.Match[str]], last: dict[str, int]) -> bool:
    """Inside an annex: is this article/chapter the next one of the body (Article 10 after
    Article 9), rather than the annex's own numbering?"""
    kind, match = found
    if kind not in last:
        return False
    number = to_ascii_digits(match.group("num") or "")
    suffix = (match.groupdict().get("suffix") or "").strip()
    return number.isdigit() and not suffix and int(number) == last[kind] + 1


def _paragraphs(text: str) -> tuple[Section, ...]:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) <= 1:
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    return tuple(
        Section(f"¶{i}", "", block, "paragraph", str(i)) for i, block in enumerate(blocks, 1)
    )
