"""What pdfium's reading of a PDF page needs besides its text: the footer set apart in the
bottom margin, whether a Khmer font is at work (legacy Limon or ABC fonts put Latin codes
for Khmer glyphs), and the hyphens that ended a line, resolved across the document."""

from __future__ import annotations

import ctypes
import itertools
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

#: pdfium's mark for a hyphen that ended a line (it joins the two lines around it).
LINE_BREAK_HYPHEN = "\ufffe"
_BROKEN_WORD_RE = re.compile(r"(\w*)\ufffe(\w*)")


def line_break_hyphens(pages: list[str]) -> list[str]:
    """Resolve pdfium's line-break hyphens (U+FFFE): the hyphen of a compound cut at a line
    end ("Sub-Decree", "lump-sum") stays "-"; a hyphen the typesetter added to cut a word
    ("contri-butions") goes and the word is joined. The document decides: a joined word it
    spells elsewhere without the hyphen was cut; otherwise the hyphen is the author's."""
    if not any(LINE_BREAK_HYPHEN in page for page in pages):
        return pages
    plain = "\n".join(pages).replace(LINE_BREAK_HYPHEN, "\n").casefold()
    words = set(re.findall(r"\w+", plain))
    compounds = set(re.findall(r"\w+-\w+", plain))

    def resolve(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        joined = (left + right).casefold()
        if (
            left.isalpha()
            and right.isalpha()
            and right[0].islower()
            and joined in words
            and f"{left}-{right}".casefold() not in compounds
        ):
            return left + right
        return f"{left}-{right}"

    return [_BROKEN_WORD_RE.sub(resolve, page) for page in pages]


#: A footer lies in this bottom share of the page ...
FOOTER_BAND = 0.08
#: ... apart from the text above it by more than this many times the page's line pitch.
FOOTER_GAP = 1.8
#: Characters of a line whose boxes are looked at, and lines at the foot of the page.
FOOTER_SAMPLE = 8
FOOTER_LINES = 12


def margin_footer(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, text: str) -> tuple[str, ...]:
    """The last lines of the page when they sit apart from the text in the bottom margin (a
    footer such as "NSSF" or "Page 1 of 1"), read from where pdfium puts each line (``text``
    is pdfium's text of the page). A page of its own shows its footer this way, where
    repetition across pages cannot."""
    height = page.get_height()
    last = text.rstrip().rsplit("\r\n", 1)[-1]
    at = len(text.rstrip()) - len(last.lstrip())
    if not last.strip() or textpage.get_charbox(at)[3] >= FOOTER_BAND * height:
        return ()  # the text ends above the margin
    starts, index = [], 0
    for line in text.split("\r\n"):
        starts.append((index, line))
        index += len(line) + 2
    lines: list[tuple[float, str]] = []  # (top of the line's tallest character, line)
    for start, line in starts[-FOOTER_LINES:]:
        tops = [
            textpage.get_charbox(start + k)[3]
            for k, char in enumerate(line[:FOOTER_SAMPLE])
            if not char.isspace()
        ]
        if tops:
            lines.append((max(tops), line))
    if len(lines) < 3 or lines[-1][0] >= FOOTER_BAND * height:
        return ()
    pitches = sorted(a[0] - b[0] for a, b in itertools.pairwise(lines) if a[0] > b[0])
    if not pitches:
        return ()
    pitch = pitches[len(pitches) // 2]
    foot = 0
    while foot < len(lines) - 1 and lines[-1 - foot][0] < FOOTER_BAND * height:
        foot += 1
    if foot > 2 or lines[-1 - foot][0] - lines[-foot][0] <= FOOTER_GAP * pitch:
        return ()
    return tuple(" ".join(line.split()) for _, line in lines[-foot:])


#: Characters per page whose font name is looked at.
FONT_SAMPLE = 32
_KHMER_FONT_RE = re.compile(r"limon|abc-|khmer|(?:^|[+_ -])kh", re.I)


def uses_khmer_font(textpage: pdfium.PdfTextPage) -> bool:
    """True when a sample of the page's characters uses a Khmer font: a Unicode one
    (Khmer OS) or a legacy one (Limon, ABC) whose Latin codes stand for Khmer glyphs."""
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    if count <= 0:
        return False
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    seen: set[bytes] = set()
    for index in range(0, count, max(1, count // FONT_SAMPLE)):
        if pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, buffer, len(buffer), flags):
            seen.add(buffer.value)
    return any(_KHMER_FONT_RE.search(name.decode("latin-1")) for name in seen)
