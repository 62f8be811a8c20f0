"""Layout clean-up: what a page printed around the text, and where it broke the lines.

* :func:`remove_furniture` drops running headers/footers and page numbers from page texts.
* :func:`unwrap` joins the lines of a paragraph that a PDF broke for layout (Khmer lines are
  joined without a space, English ones with a space and line-end hyphens removed), so the
  text no longer depends on font size or margins.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from parsers.khmer import to_ascii_digits
from parsers.read.headings import PAGE_NUMBER_RE, TERMINAL, is_unit, starts_block, unit_of
from parsers.read.words import icu_words, line_joint

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
                if PAGE_NUMBER_RE.match(line):
                    continue
                if is_unit(line) and verbatim[_verbatim(line)] < need:
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
        return ["\n".join(ln for ln in lines if not PAGE_NUMBER_RE.match(ln)) for lines in split]
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
    end = next((j for j, line in enumerate(head) if starts_block(line)), len(head))
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
    found = unit_of(line)
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
    if number is None or len(previous) < full or previous.endswith(TERMINAL):
        return False
    kind, value = number
    return kind in last and value <= last[kind] and not is_unit(previous)


def _continues(previous: str, line: str, full: float, following: str) -> bool:
    if len(previous) < full or previous.endswith(TERMINAL) or is_unit(previous):
        return False
    if starts_block(line):
        return False
    # A short label before a new block ("The Royal Government" before "- Having seen").
    return not (len(line) < full and not line.endswith(TERMINAL) and starts_block(following))


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
