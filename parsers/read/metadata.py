"""What an instrument says of itself: its type, number, date and title."""

from __future__ import annotations

import re

from parsers.calendar import date_in
from parsers.read.headings import CLOSING_RE, PREAMBLE_RE, is_issuer, is_unit

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
        if PREAMBLE_RE.match(line) or is_unit(line):
            if head and len(head) > 1 and PREAMBLE_RE.match(line) and is_issuer(head[-1]):
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
        if CLOSING_RE.match(line):
            date = date_in(line) or date_in(" ".join(lines[i + 1 : i + 3]))
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
