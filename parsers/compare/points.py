"""Points inside a provision, so a change names its smallest unit.

A provision's lines may open with point markers: ``(1)``, ``(a)``, ``(A)``, ``(i)``,
``1.``, ``a)``, ``ក.``, ``(ក)``, ``១.``, ``ចំណុច ក``, ``កថាខណ្ឌ ១``. The levels are
read from the text itself: a marker of a style already open is a sibling at that level
(closing the deeper ones), a marker of a new style opens a level below the current one.
:func:`unit_ref` then names the point that holds every changed offset:
``Article 5(2)(b)``, ``§ 38-2903(a)(1)``, ``មាត្រា ៥ ចំណុច ខ``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

_KM_LETTER = "[ក-អ]"
_KM_DIGITS = "[០-៩]+"
_MARKER_RE = re.compile(
    r"(?m)^[ \t]*(?:"
    rf"(?P<km_kw>ចំណុច|កថាខណ្ឌ)[ \t]*(?:ទី[ \t]*)?(?P<km_label>{_KM_LETTER}|{_KM_DIGITS})"
    r"(?=[ \t.)៖:]|$)"
    rf"|\((?P<paren>[0-9]{{1,3}}[a-z]?|[a-z]{{1,4}}|[A-Z]{{1,3}}|{_KM_LETTER}|{_KM_DIGITS})\)"
    rf"|(?P<close>[0-9]{{1,3}}[a-z]?|[a-z]{{1,2}}|[A-Z]|{_KM_LETTER}|{_KM_DIGITS})[.)](?=[ \t])"
    r")"
)
_ROMAN_RE = re.compile(r"[ivxlc]+|[IVXLC]+")
# Roman numerals that are also the letter after another one: "(i)" after "(h)" is a letter.
_LETTER_BEFORE = {"i": "h", "v": "u", "x": "w", "l": "k", "c": "b"}


@dataclass(frozen=True)
class Point:
    style: str  # how the marker is written and counted: "(a)", "1.", "ចំណុច", ...
    label: str  # as written: "a", "2", "ខ", "៣"


def _style(form: str, label: str, open_styles: list[Point]) -> str:
    """The counting style of a label: digit, Khmer letter/digit, roman or letter."""
    if label[0].isdigit() and label[0] in "0123456789":
        kind = "1"
    elif "០" <= label[0] <= "៩":
        kind = "១"
    elif "ក" <= label[0] <= "អ":
        kind = "ក"
    elif _ROMAN_RE.fullmatch(label) and not _continues_letters(label, form, open_styles):
        kind = "i" if label.islower() else "I"
    else:
        kind = "a" if label.islower() else "A"
    return f"{form}{kind}"


def _continues_letters(label: str, form: str, open_styles: list[Point]) -> bool:
    before = _LETTER_BEFORE.get(label.lower())
    if before is None:
        return False
    wanted = before if label.islower() else before.upper()
    return any(p.style.startswith(form) and p.label == wanted for p in open_styles)


@dataclass(frozen=True)
class Points:
    """Where each point opens in a text (``starts``), the path of points open from there on
    (``paths``) and the spans of the markers themselves (``marks``)."""

    starts: tuple[int, ...]
    paths: tuple[tuple[Point, ...], ...]
    marks: tuple[tuple[int, int], ...]

    def at(self, offset: int) -> tuple[Point, ...]:
        return self.paths[bisect.bisect_right(self.starts, offset) - 1]

    def in_marker(self, offset: int) -> bool:
        """A marker's label is structure: a diff may align it either way ("(B) in deposits.
        (b)" less one point), so it never decides where a change is."""
        k = bisect.bisect_right(self.starts, offset) - 1
        return k > 0 and self.marks[k - 1][0] <= offset < self.marks[k - 1][1]


def read_points(text: str) -> Points:
    """The points of a provision (see the module doc)."""
    starts: list[int] = [0]
    paths: list[tuple[Point, ...]] = [()]
    marks: list[tuple[int, int]] = []
    stack: list[Point] = []
    for m in _MARKER_RE.finditer(text):
        if m.group("km_kw"):
            # "ចំណុច ខ" counts with "ក.", "ខ.": the word only says what the label is.
            form, label = ".", m.group("km_label")
        elif m.group("paren"):
            form, label = "()", m.group("paren")
        else:
            label = m.group("close")
            form = text[m.start("close") + len(label)]  # "1." and "a)" count apart
        style = _style(form, label, stack)
        level = next((k for k, p in enumerate(stack) if p.style == style), len(stack))
        stack = [*stack[:level], Point(style, label)]
        starts.append(m.start())
        paths.append(tuple(stack))
        marks.append(m.span())
    return Points(tuple(starts), tuple(paths), tuple(marks))


def common_path(paths: Iterable[tuple[Point, ...]]) -> tuple[Point, ...]:
    common: tuple[Point, ...] | None = None
    for path in paths:
        if common is None:
            common = path
            continue
        k = 0
        while k < min(len(common), len(path)) and common[k] == path[k]:
            k += 1
        common = common[:k]
    return common or ()


def format_unit(ref: str, path: tuple[Point, ...]) -> str:
    """``Article 5`` + (2), (b) -> ``Article 5(2)(b)``; ``មាត្រា ៥`` + ខ -> ``មាត្រា ៥ ចំណុច ខ``."""
    if not path:
        return ref
    if ref and "\u1780" <= ref[0] <= "\u17ff":
        words = (f"{'កថាខណ្ឌ' if p.style[-1] in '1១' else 'ចំណុច'} {p.label}" for p in path)
        return f"{ref} {' '.join(words)}"
    return ref + "".join(f"({point.label})" for point in path)
