"""Labelled changes for ``sptrack eval match``: the JSON Lines format, its checks, and the
two documents each change becomes.

One change a line::

    {"id": "en-d07", "lang": "en", "split": "dev", "case": "positive",
     "title": "Prakas No. 109 on Contributions to the Social Security Schemes",
     "heading": "Rate of contribution", "old": "... 4% ...", "new": "... 6% ...",
     "before": [{"heading": "Scope", "text": "..."}], "after": [],
     "positions": ["contribution_rate"], "note": "optional"}

``old``/``new`` are the provision's text before and after ("" when it is added or removed);
``before``/``after`` are unchanged provisions around it; ``positions`` is the gold label
(empty for a negative). A bad line raises ValueError naming the file, line and key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alerts.positions import POSITION_IDS
from parsers.khmer import to_khmer_digits
from tracker.kinds import Language

LANGUAGES: tuple[str, ...] = tuple(Language)
SPLITS = ("dev", "held-out", "feedback")
CASE_KINDS = (
    "positive",
    "irrelevant-instrument",
    "unrelated-amendment",
    "boilerplate",
    "feedback",
)
_REQUIRED = ("id", "lang", "heading", "old", "new", "positions")
_OPTIONAL = ("split", "case", "title", "before", "after", "note")
MAX_CASES = 10_000
MAX_TEXT = 200_000  # characters in one provision


@dataclass(frozen=True)
class Provision:
    """An unchanged provision around the labelled one."""

    heading: str
    text: str


@dataclass(frozen=True)
class Case:
    """One labelled change (see the module doc)."""

    id: str
    lang: str
    heading: str
    old: str
    new: str
    positions: frozenset[str]
    split: str = "dev"
    case: str = "positive"
    title: str = ""
    before: tuple[Provision, ...] = ()
    after: tuple[Provision, ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "lang": self.lang,
            "split": self.split,
            "case": self.case,
            "title": self.title,
            "heading": self.heading,
            "old": self.old,
            "new": self.new,
            "positions": sorted(self.positions),
        }
        for key, provisions in (("before", self.before), ("after", self.after)):
            if provisions:
                data[key] = [{"heading": p.heading, "text": p.text} for p in provisions]
        if self.note:
            data["note"] = self.note
        return data


# -- reading a labelled set -----------------------------------------------------------------


def load_cases(path: Path) -> list[Case]:
    """Read a labelled set; a bad line raises ValueError naming the file, line and key."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc})") from exc
    cases: list[Case] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        if len(cases) >= MAX_CASES:
            raise ValueError(f"{where}: more than {MAX_CASES} cases")
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: not JSON ({exc.msg})") from exc
        case = parse_case(raw, where)
        if case.id in seen:
            raise ValueError(f"{where}: id {case.id!r} used twice")
        seen.add(case.id)
        cases.append(case)
    return cases


def load_sets(paths: list[Path], split: str = "all") -> list[Case]:
    """The cases of several labelled sets, only those of ``split`` unless it is ``all``;
    ValueError names a missing file, a bad line, an empty split or an id used twice."""
    cases: list[Case] = []
    for path in paths:
        if not path.is_file():
            raise ValueError(f"{path}: no such file")
        cases += load_cases(path)
    cases = [c for c in cases if split == "all" or c.split == split]
    if not cases:
        raise ValueError(f"no labelled changes in split {split!r}")
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})[0]
        raise ValueError(f"case id used in two files: {twice!r}")
    return cases


def parse_case(raw: object, where: str) -> Case:
    """One labelled change from its JSON object; ValueError names ``where`` and the key."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise ValueError(f"{where}: unknown key {unknown[0]!r}")
    for key in _REQUIRED:
        if key not in raw:
            raise ValueError(f"{where}: missing key {key!r}")

    def text(key: str, default: str = "") -> str:
        value = raw.get(key, default)
        if not isinstance(value, str):
            raise ValueError(f"{where}: {key!r} must be a string, got {type(value).__name__}")
        if len(value) > MAX_TEXT:
            raise ValueError(f"{where}: {key!r} longer than {MAX_TEXT} characters")
        return value

    def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
        value = text(key, default)
        if value not in allowed:
            raise ValueError(f"{where}: {key!r} must be one of {', '.join(allowed)}, got {value!r}")
        return value

    positions = raw["positions"]
    if not isinstance(positions, list) or not all(isinstance(p, str) for p in positions):
        raise ValueError(f"{where}: 'positions' must be a list of position ids")
    for position in positions:
        if position not in POSITION_IDS:
            raise ValueError(f"{where}: unknown position {position!r} in 'positions'")
    old, new = text("old"), text("new")
    if not old.strip() and not new.strip():
        raise ValueError(f"{where}: 'old' and 'new' are both empty")
    case_id = text("id")
    if not case_id.strip():
        raise ValueError(f"{where}: 'id' is empty")
    return Case(
        id=case_id,
        lang=choice("lang", LANGUAGES, "en"),
        heading=text("heading"),
        old=old,
        new=new,
        positions=frozenset(positions),
        split=choice("split", SPLITS, "dev"),
        case=choice("case", CASE_KINDS, "positive"),
        title=text("title"),
        before=_provisions(raw.get("before", []), where, "before"),
        after=_provisions(raw.get("after", []), where, "after"),
        note=text("note"),
    )


def _provisions(value: object, where: str, key: str) -> tuple[Provision, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: {key!r} must be a list of {{heading, text}} objects")
    result = []
    for item in value:
        if (
            not isinstance(item, dict)
            or set(item) - {"heading", "text"}
            or not isinstance(item.get("text"), str)
            or not isinstance(item.get("heading", ""), str)
        ):
            raise ValueError(f"{where}: {key!r} must be a list of {{heading, text}} objects")
        result.append(Provision(item.get("heading", ""), item["text"]))
    return tuple(result)


def article_ref(lang: str, number: int) -> str:
    """The reference the reader gives article ``number`` (``Article 3``, ``មាត្រា ៣``)."""
    return f"មាត្រា {to_khmer_digits(str(number))}" if lang == "km" else f"Article {number}"


def documents(case: Case) -> tuple[str, str, str]:
    """The old and new document texts of ``case`` and the labelled provision's reference.

    Articles keep their numbers on both sides: an added or removed provision leaves a gap
    rather than renumbering the ones after it.
    """
    target = len(case.before) + 1
    sides = []
    for body in (case.old, case.new):
        blocks = [case.title.strip()] if case.title.strip() else []
        provisions = [*case.before, Provision(case.heading, body), *case.after]
        for number, provision in enumerate(provisions, 1):
            if number == target and not body.strip():
                continue
            blocks.append(_article(case.lang, number, provision))
        sides.append("\n\n".join(blocks) + "\n")
    return sides[0], sides[1], article_ref(case.lang, target)


def _article(lang: str, number: int, provision: Provision) -> str:
    heading = " ".join(provision.heading.split())
    if lang == "km":
        head = f"មាត្រា {to_khmer_digits(str(number))}.-" + (f" {heading}" if heading else "")
    else:
        head = f"Article {number}." + (f" {heading}" if heading else "")
    return f"{head}\n{provision.text.strip()}"
