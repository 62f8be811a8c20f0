"""Number phrases over the atoms of one text (:func:`parsers.compare.numerals.lex`): a
number in digits or words with its scale words, the unit next to it, an amount repeated in
brackets. :mod:`parsers.compare.quantities` finds the patterns around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.compare.lexicon import (
    AGE,
    AND,
    CENT,
    CUR,
    INNER,
    LP,
    NUM,
    NW,
    OF,
    OLD,
    PER,
    PERCENTAGE,
    POINT,
    QUAL,
    RP,
    TIME_UNITS,
    UNIT,
)
from parsers.compare.numerals import Atom, words_value
from parsers.khmer import to_ascii_digits

_ENGLISH_DECIMAL_RE = re.compile(r"\d{1,3}\.\d{3}")


@dataclass(frozen=True)
class Phrase:
    """A number in digits or words, with its scale words (``2 million``, ``បួនសែន``)."""

    value: float
    start: int  # atom index
    end: int  # atom index, exclusive
    digits: bool


@dataclass(frozen=True)
class Bracket:
    """An amount repeated in brackets after a number: ``(បួនសែន) រៀល``, ``(USD 100)``."""

    phrase: Phrase
    unit: str
    end: int  # atom index after the closing bracket


class PhraseReader:
    """Patterns over the atoms of one text; one instance per scan."""

    def __init__(self, text: str, atoms: list[Atom]) -> None:
        self.text = text
        self.atoms = atoms
        self.n = len(atoms)

    def kind(self, k: int) -> str:
        return self.atoms[k].kind if 0 <= k < self.n else ""

    def adjacent(self, k: int, *, hyphen: bool = False) -> bool:
        """Atoms ``k`` and ``k + 1`` are separated by whitespace only."""
        if k + 1 >= self.n:
            return False
        gap = self.text[self.atoms[k].end : self.atoms[k + 1].start]
        return not gap.strip(" \t\n\u00a0-" if hyphen else " \t\n\u00a0")

    def follows(self, k: int, kind: str) -> bool:
        return self.kind(k) == kind and self.adjacent(k - 1)

    def phrase(self, i: int) -> Phrase | None:
        a = self.atoms[i]
        if a.kind == NUM:
            value, k = a.value, i + 1
            if self.follows(k, NW) and self.atoms[k].role == "scale":
                digits = to_ascii_digits(self.text[a.start : a.end])
                if (
                    _ENGLISH_DECIMAL_RE.fullmatch(digits)
                    and self.text[self.atoms[k].start].isascii()
                ):
                    value = float(digits)  # "34.497 trillion": an English decimal point
            while self.follows(k, NW) and self.atoms[k].role in ("hundred", "scale"):
                value *= self.atoms[k].value
                k += 1
            return Phrase(value, i, k, True)
        if a.kind != NW or a.role in ("hundred", "scale", INNER):
            return None
        items = [(a.value, a.role)]
        k = i + 1
        while k < self.n and self.adjacent(k - 1, hyphen=True):
            b = self.atoms[k]
            if b.kind == AND and self.kind(k + 1) == NW and self.adjacent(k):
                k += 1
                continue
            if b.kind != NW:
                break
            items.append((b.value, b.role))
            k += 1
        return Phrase(words_value(items), i, k, False)

    def unit(self, k: int) -> tuple[str, int] | None:
        kind = self.kind(k)
        if kind in (UNIT, CUR):
            unit, k = self.atoms[k].unit, k + 1
        elif kind == PER and self.follows(k + 1, CENT):
            unit, k = "%", k + 2
        elif kind == PERCENTAGE and self.follows(k + 1, POINT):
            unit, k = "percentage point", k + 2
        elif kind == QUAL:
            while self.follows(k + 1, QUAL):
                k += 1
            if not (self.follows(k + 1, UNIT) and self.atoms[k + 1].unit in TIME_UNITS):
                return None
            unit, k = self.atoms[k + 1].unit, k + 2
        else:
            return None
        if unit == "year" and self.follows(k, OF) and self.follows(k + 1, AGE):
            unit, k = "age", k + 2
        elif unit == "year" and self.follows(k, OLD):
            unit, k = "age", k + 1
        return unit, k

    def bracket(self, k: int) -> Bracket | None:
        if not self.follows(k, LP):
            return None
        j, unit = k + 1, ""
        if self.follows(j, CUR):
            unit, j = self.atoms[j].unit, j + 1
        if j >= self.n or not self.adjacent(j - 1):
            return None
        phrase = self.phrase(j)
        if phrase is None:
            return None
        j = phrase.end
        if not unit and self.adjacent(j - 1):
            found = self.unit(j)
            if found:
                unit, j = found
        if not self.follows(j, RP):
            return None
        return Bracket(phrase, unit, j + 1)
