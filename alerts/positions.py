"""The coalition's positions: what the matcher looks for and what alerts quote.

Positions live in ``positions.toml`` so the Secretariat can edit them without code. Loading
checks the file strictly (unknown ids, keys and number kinds are refused, as are positions
without terms and terms that are also exclusions) and says which file, position and key
or term is wrong. A position may give its name, stance and key messages in Khmer too
(``name_km``, ``stance_km``, ``key_messages_km``); readers of Khmer get those, or the
English marked as English where the file gives none (:meth:`Position.stance_in`).
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from alerts.errors import PositionsError
from alerts.wording import Bilingual
from parsers.compare.parameters import ParameterName
from parsers.khmer import is_khmer, khmer_share, match_key, normalize

logger = logging.getLogger(__name__)

POSITION_IDS: tuple[str, ...] = (
    "indexation",
    "vesting",
    "maternity",
    "contribution_rate",
    "informal_coverage",
    "social_pension",
    "child_benefit",
    "disability",
    "benefit_adequacy",
    "unemployment",
    "health_protection",
    "governance",
    "budget",
    "targeting_registry",
    "social_assistance",
    "pension_financing",
    "employment_injury",
    "shock_responsive",
)
NUMBER_KINDS: tuple[str, ...] = ("rate", "amount", "duration", "age", "frequency")
# ``better``: for a number kind, which way is better for the coalition; for ``provision``,
# whether adding (``added``) or removing (``removed``) a provision about it is better.
BETTER_VALUES: dict[str, tuple[str, ...]] = {
    **{kind: ("higher", "lower") for kind in NUMBER_KINDS},
    "provision": ("added", "removed"),
}

_TEXT_KEYS = ("name", "description", "stance")
# the name and the stance in Khmer, for Khmer readers
_OPTIONAL_TEXT_KEYS = ("name_km", "stance_km")
_LIST_KEYS = (
    "key_messages",
    "key_messages_km",  # when given, one per key message, in the same order
    "terms_en",
    "terms_km",
    "exclusions",
    "number_kinds",
    "anchors_en",
    "anchors_km",
)
_BOOL_KEYS = ("only_with_others", "owns_numbers")
_CHOICE_KEYS = ("amount_scale", "weight")
_TABLE_KEYS = ("better",)
_SCALES = ("benefit", "budget")
# how much the coalition puts on a position, for the severity of its alerts (alerts.match.severity)
WEIGHTS = ("core", "normal", "watch")
_REQUIRED = ("name", "description", "stance", "key_messages")


@dataclass(frozen=True)
class Position(Bilingual):
    """One position of the coalition; terms and exclusions are in normalised spelling."""

    id: str
    name: str
    description: str
    stance: str
    key_messages: tuple[str, ...]
    terms_en: tuple[str, ...]
    terms_km: tuple[str, ...]
    exclusions: tuple[str, ...] = ()
    number_kinds: tuple[str, ...] = ()
    # words that tie a number whose value changed to the position, never enough alone
    anchors_en: tuple[str, ...] = ()
    anchors_km: tuple[str, ...] = ()
    # flagged only when the change also touches another position (budget: an allocation
    # matters when it is for social protection)
    only_with_others: bool = False
    # a number its terms name belongs to it: no other position takes it through an anchor,
    # nor reads a direction from it (a contribution rate is not a benefit level)
    owns_numbers: bool = False
    # "benefit": takes no amount of budget size (KHR 1 billion, USD 250,000); "budget": takes
    # a budget-size amount that moved in a row or sentence about social protection
    amount_scale: str = ""
    # which way is better (see BETTER_VALUES), as (key, value) pairs
    better: tuple[tuple[str, str], ...] = ()
    name_km: str = ""  # the name in Khmer ("" when the file gives none)
    # "core" (a key demand of the coalition), "normal" or "watch": raises or lowers the
    # severity of its alerts (alerts.match.severity)
    weight: str = "normal"
    stance_km: str = ""  # the stance in Khmer ("" when the file gives none)
    key_messages_km: tuple[str, ...] = ()  # one per key message, or none

    @property
    def terms(self) -> tuple[str, ...]:
        return self.terms_en + self.terms_km


def load_positions(path: Path) -> tuple[Position, ...]:
    """Read and check a positions file; raise :class:`PositionsError` on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PositionsError(str(path), f"cannot read the file ({exc})") from exc
    return load_positions_text(text, str(path))


def load_positions_text(text: str, source_name: str) -> tuple[Position, ...]:
    """Parse and check the TOML ``text`` of a positions file named ``source_name``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PositionsError(source_name, f"not valid TOML ({exc})") from exc
    unknown = sorted(set(data) - {"positions", "parameters"})
    if unknown:
        raise PositionsError(
            source_name,
            "unknown top-level key",
            key=unknown[0],
            expected="only [positions.<id>] and [[parameters]]",
        )
    parameter_names_of(data, source_name)  # checked with the rest of the file
    tables = data.get("positions")
    if not isinstance(tables, dict) or not tables:
        raise PositionsError(
            source_name,
            "no positions",
            expected="[positions.<id>] tables",
            got=type(tables).__name__ if tables is not None else "nothing",
        )
    positions = []
    for position_id, table in tables.items():
        if position_id not in POSITION_IDS:
            raise PositionsError(
                source_name,
                "unknown position id",
                position=position_id,
                expected="one of " + ", ".join(POSITION_IDS),
                got=repr(position_id),
            )
        if not isinstance(table, dict):
            raise PositionsError(
                source_name,
                "not a table",
                position=position_id,
                expected="a table",
                got=type(table).__name__,
            )
        positions.append(_position(source_name, position_id, table))
    missing = [p for p in POSITION_IDS if p not in tables]
    if missing:
        logger.warning("%s: positions not defined, never flagged: %s", source_name, missing)
    return tuple(positions)


def _position(source: str, position_id: str, table: Mapping[str, object]) -> Position:
    def fail(problem: str, **context: str | None) -> PositionsError:
        return PositionsError(source, problem, position=position_id, **context)

    for key in table:
        known = (
            _TEXT_KEYS + _OPTIONAL_TEXT_KEYS + _LIST_KEYS + _BOOL_KEYS + _TABLE_KEYS + _CHOICE_KEYS
        )
        if key not in known:
            raise fail("unknown key", key=key, expected="one of " + ", ".join(known))
    for key in _BOOL_KEYS:
        if not isinstance(table.get(key, False), bool):
            raise fail("wrong type", key=key, expected="true or false", got=_kind(table[key]))
    for key in _REQUIRED:
        if key not in table:
            raise fail("missing key", key=key)
    texts: dict[str, str] = {}
    for key in _TEXT_KEYS:
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            raise fail("wrong type", key=key, expected="a non-empty string", got=_kind(value))
        texts[key] = " ".join(value.split())
    for key in _OPTIONAL_TEXT_KEYS:
        value = table.get(key, "")
        if not isinstance(value, str):
            raise fail("wrong type", key=key, expected="a string", got=_kind(value))
        texts[key] = " ".join(value.split())
    for key in _OPTIONAL_TEXT_KEYS:
        if texts[key] and khmer_share(texts[key]) < 0.5:
            raise fail(f"{key.removesuffix('_km')} is not Khmer", key=key, term=texts[key])
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LIST_KEYS:
        value = table.get(key, [])
        if not isinstance(value, list):
            raise fail("wrong type", key=key, expected="a list of strings", got=_kind(value))
        items: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise fail("wrong type", key=key, expected="non-empty strings", got=_kind(item))
            clean = normalize(" ".join(item.split()))
            if clean not in items or key == "key_messages_km":
                items.append(clean)
        lists[key] = tuple(items)
    if not lists["key_messages"]:
        raise fail("no key messages", key="key_messages", expected="at least one", got="none")
    written = table["key_messages"]
    assert isinstance(written, list)  # checked above: a list of non-empty strings
    lists["key_messages_km"] = _khmer_messages(written, lists["key_messages_km"], fail)
    if not lists["terms_en"] and not lists["terms_km"]:
        raise fail("position has no terms", key="terms_en", expected="at least one term")
    for key in ("terms_en", "anchors_en"):
        for term in lists[key]:
            if any(is_khmer(c) for c in term):
                raise fail("Khmer term among English terms", key=key, term=term)
    for key in ("terms_km", "anchors_km"):
        for term in lists[key]:
            if khmer_share(term) < 0.5:
                raise fail("term is not Khmer", key=key, term=term)
    for kind in lists["number_kinds"]:
        if kind not in NUMBER_KINDS:
            raise fail(
                "unknown number kind",
                key="number_kinds",
                term=kind,
                expected="one of " + ", ".join(NUMBER_KINDS),
                got=repr(kind),
            )
    excluded = {match_key(e): e for e in lists["exclusions"]}
    for term in lists["terms_en"] + lists["terms_km"]:
        if match_key(term) in excluded:
            raise fail("term is both a term and an exclusion", key="exclusions", term=term)
    for term in lists["anchors_en"] + lists["anchors_km"]:
        if match_key(term) in excluded:
            raise fail("anchor is also an exclusion", key="exclusions", term=term)
    return Position(
        id=position_id,
        name=texts["name"],
        name_km=texts["name_km"],
        description=texts["description"],
        stance=texts["stance"],
        key_messages=lists["key_messages"],
        terms_en=lists["terms_en"],
        terms_km=lists["terms_km"],
        exclusions=lists["exclusions"],
        number_kinds=lists["number_kinds"],
        anchors_en=lists["anchors_en"],
        anchors_km=lists["anchors_km"],
        only_with_others=bool(table.get("only_with_others", False)),
        owns_numbers=bool(table.get("owns_numbers", False)),
        amount_scale=_one_of(
            table.get("amount_scale", ""), "amount_scale", _SCALES, fail, blank=True
        ),
        better=_better(table.get("better", {}), fail),
        weight=_one_of(table.get("weight", "normal"), "weight", WEIGHTS, fail),
        stance_km=texts["stance_km"],
        key_messages_km=lists["key_messages_km"],
    )


def _khmer_messages(
    written: list[str], khmer: tuple[str, ...], fail: Callable[..., PositionsError]
) -> tuple[str, ...]:
    """``key_messages_km``, one by one with ``key_messages`` as written (a repeated English
    message is kept once, and so is its Khmer); none when the file gives none."""
    english = [normalize(" ".join(str(m).split())) for m in written]  # checked a list above
    if khmer and len(khmer) != len(english):
        raise fail(
            "not one Khmer key message per key message",
            key="key_messages_km",
            expected=f"{len(english)}, as key_messages, in the same order",
            got=str(len(khmer)),
        )
    for message in khmer:
        if khmer_share(message) < 0.5:
            raise fail("key message is not Khmer", key="key_messages_km", term=message)
    pairs: dict[str, str] = {}
    for message, said in zip(english, khmer, strict=False):
        pairs.setdefault(message, said)
    return tuple(pairs.values())


def _one_of(
    value: object,
    key: str,
    allowed: tuple[str, ...],
    fail: Callable[..., PositionsError],
    *,
    blank: bool = False,
) -> str:
    """``value`` if it is one of ``allowed`` (or, with ``blank``, empty), else the error."""
    if not (blank and value == "") and value not in allowed:
        raise fail(
            "wrong value",
            key=key,
            expected=" or ".join(repr(v) for v in allowed),
            got=repr(value),
        )
    return str(value)


def _better(value: object, fail: Callable[..., PositionsError]) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise fail("wrong type", key="better", expected="a table", got=_kind(value))
    pairs = []
    for key, direction in value.items():
        if key not in BETTER_VALUES:
            raise fail(
                "unknown key in better",
                key="better",
                term=key,
                expected="one of " + ", ".join(BETTER_VALUES),
            )
        if direction not in BETTER_VALUES[key]:
            raise fail(
                "unknown direction",
                key="better",
                term=key,
                expected=" or ".join(BETTER_VALUES[key]),
                got=repr(direction),
            )
        pairs.append((key, direction))
    return tuple(pairs)


def _kind(value: object) -> str:
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    return type(value).__name__


def parameter_names_of(data: Mapping[str, object], source_name: str) -> tuple[ParameterName, ...]:
    """The ``[[parameters]]`` tables of a positions file: names for parameters (``label``),
    the label words that take the name (``terms``, English and Khmer) and an optional
    ``unit`` (``%``, ``KHR``, ``USD``, ``day``, ``month``, ``year``, ...)."""
    tables = data.get("parameters", [])
    if not isinstance(tables, list):
        raise PositionsError(
            source_name, "not a list of tables", key="parameters", expected="[[parameters]]"
        )
    names = []
    for n, table in enumerate(tables, start=1):
        where = f"parameters #{n}"

        def fail(problem: str, **context: str) -> PositionsError:
            return PositionsError(source_name, problem, position=where, **context)  # noqa: B023

        if not isinstance(table, dict):
            raise fail("not a table", expected="a table", got=type(table).__name__)
        unknown = sorted(set(table) - {"label", "terms", "unit"})
        if unknown:
            raise fail("unknown key", key=unknown[0], expected="label, terms, unit")
        label, terms, unit = table.get("label"), table.get("terms"), table.get("unit", "")
        if not isinstance(label, str) or not label.strip():
            raise fail("missing key", key="label", expected="a non-empty string")
        if (
            not isinstance(terms, list)
            or not terms
            or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
            raise fail("wrong type", key="terms", expected="a list of non-empty strings")
        if not isinstance(unit, str):
            raise fail("wrong type", key="unit", expected="a string", got=_kind(unit))
        names.append(ParameterName(label.strip(), tuple(t.strip() for t in terms), unit.strip()))
    return tuple(names)


def load_parameter_names(path: Path) -> tuple[ParameterName, ...]:
    """The parameter names a positions file gives (none when it gives none)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PositionsError(str(path), f"cannot read the file ({exc})") from exc
    return parameter_names_of(data, str(path))
