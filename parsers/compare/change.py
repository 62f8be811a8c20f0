"""The COMPARE stage's output: what changed between two versions of a document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ChangeKind = Literal["added", "removed", "modified", "moved", "renumbered"]


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as written in a text, its value in base units.

    ``KHR 1.2 million`` -> value 1200000.0, unit ``KHR``; ``៤%`` -> 4.0, ``%``;
    ``90 days`` -> 90.0, ``day``. ``start``/``end`` are offsets in the text it came from.
    ``label`` is the row label for a table cell, else empty. ``recurring``: the number is
    the period between two repeats (``every two years``, ``annually``, ``រៀងរាល់ឆ្នាំ``), so
    a longer one means less often.
    """

    value: float
    unit: str
    text: str
    start: int = 0
    end: int = 0
    label: str = ""
    recurring: bool = False


@dataclass(frozen=True)
class NumberChange:
    """A quantity paired across versions; ``old`` or ``new`` is None when one side lacks it.

    ``recurring``: a period between repeats on either side (``every year`` -> ``every two
    years``): its value going up means the thing happens less often.
    """

    old: float | None
    new: float | None
    unit: str
    old_text: str
    new_text: str
    label: str = ""
    recurring: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "old": self.old,
            "new": self.new,
            "unit": self.unit,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "label": self.label,
        }
        if self.recurring:
            data["recurring"] = True
        return data


@dataclass(frozen=True)
class DiffOp:
    """One step of a word-level diff: ``equal``, ``delete``, ``insert`` or ``replace``."""

    tag: Literal["equal", "delete", "insert", "replace"]
    old: str
    new: str

    def to_json(self) -> dict[str, Any]:
        return {"tag": self.tag, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Change:
    """A substantive change to one section.

    ``heading`` is the heading of the provision it sits in (new side, else old side);
    ``ops`` is the word-level redline of the section; ``needs_check`` is true when one side
    was read by OCR, so a person should confirm the change before acting on it;
    ``unit`` names the smallest unit that holds the whole change: the section ref with the
    point path inside it (``Article 5(2)(b)``, ``មាត្រា ៥ ចំណុច ខ``), or the ref itself.
    """

    kind: ChangeKind
    old_ref: str | None
    new_ref: str | None
    old_text: str
    new_text: str
    numbers: tuple[NumberChange, ...] = field(default=())
    heading: str = ""
    ops: tuple[DiffOp, ...] = field(default=())
    needs_check: bool = False
    unit: str = ""

    @property
    def ref(self) -> str:
        return self.new_ref or self.old_ref or ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old_ref": self.old_ref,
            "new_ref": self.new_ref,
            "heading": self.heading,
            "old_text": self.old_text,
            "new_text": self.new_text,
            "numbers": [n.to_json() for n in self.numbers],
            "needs_check": self.needs_check,
            "unit": self.unit or self.ref,
        }
