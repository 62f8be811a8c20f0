"""Heading numbers that OCR broke (``មាត្រា ១9.-``, ``Article 1O``), put back from the
document's own sequence of headings."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from parsers.khmer import to_ascii_digits, to_khmer_digits
from parsers.read.headings import match_unit

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
    found = match_unit(probe)
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
