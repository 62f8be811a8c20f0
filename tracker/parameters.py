"""The parameter registry: each labelled rate, amount and period of an instrument with the
history of its values, one entry per distinct value in time, with its provenance.

Values are recorded by :mod:`tracker.parameter_record`; this module reads them back: the
registry's views, each value's story, and the parameters a change touches.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from tracker.models import Change, Instrument, Parameter, ParameterValue, Version


@dataclass(frozen=True)
class HistoryEntry:
    value: float
    text: str
    version_id: int
    ref: str
    clause: str
    sha256: str
    seen_at: datetime
    effective_date: str


@dataclass(frozen=True)
class ParameterView:
    """A parameter with its history, oldest value first (what pages and exports show)."""

    id: int
    label: str
    unit: str
    ref: str
    heading: str
    positions: tuple[str, ...]
    instrument_id: int
    instrument: str
    in_latest: bool  # the instrument's newest readable version still states it
    history: tuple[HistoryEntry, ...]
    counterpart_id: int | None = None  # the same parameter in the work's official text
    translations: tuple[int, ...] = ()  # the same parameter in the work's translations

    @property
    def current(self) -> HistoryEntry:
        return self.history[-1]


def _latest_readable(session: Session, instrument_ids: Iterable[int]) -> dict[int, int]:
    """Each of ``instrument_ids``' newest readable version id."""
    out: dict[int, int] = {}
    statement = (
        select(Version.instrument_id, Version.id)
        .where(col(Version.document).is_not(None))
        .where(col(Version.instrument_id).in_(set(instrument_ids)))
        .order_by(col(Version.fetched_at), col(Version.id))
    )
    for instrument_id, version_id in session.exec(statement):
        if version_id is not None:
            out[instrument_id] = version_id
    return out


def parameters(
    session: Session,
    *,
    position: str | None = None,
    instrument_id: int | None = None,
    parameter_id: int | None = None,
    parameter_ids: Iterable[int] | None = None,
) -> list[ParameterView]:
    """The registry, by instrument then provision order, each with its history."""
    statement = select(Parameter, Instrument).join(
        Instrument, col(Instrument.id) == col(Parameter.instrument_id)
    )
    if instrument_id is not None:
        statement = statement.where(Parameter.instrument_id == instrument_id)
    if parameter_id is not None:
        statement = statement.where(Parameter.id == parameter_id)
    if parameter_ids is not None:
        statement = statement.where(col(Parameter.id).in_(set(parameter_ids)))
    rows = list(session.exec(statement.order_by(col(Parameter.instrument_id), col(Parameter.id))))
    if position is not None:
        rows = [(p, i) for p, i in rows if position in (p.positions or [])]
    ids = [p.id for p, _ in rows]
    if not ids:
        return []
    values: dict[int, list[HistoryEntry]] = {}
    history = select(ParameterValue).where(col(ParameterValue.parameter_id).in_(ids))
    ordered = history.order_by(col(ParameterValue.seen_at), col(ParameterValue.id))
    for v in session.exec(ordered):
        values.setdefault(v.parameter_id, []).append(
            HistoryEntry(
                value=v.value,
                text=v.text,
                version_id=v.version_id,
                ref=v.ref,
                clause=v.clause,
                sha256=v.sha256,
                seen_at=v.seen_at,
                effective_date=v.effective_date,
            )
        )
    latest = _latest_readable(session, {p.instrument_id for p, _ in rows})
    translations: dict[int, list[int]] = {}
    linked = select(Parameter.id, Parameter.counterpart_id).where(
        col(Parameter.counterpart_id).in_(ids)
    )
    for own_id, target_id in session.exec(linked):
        if own_id is not None and target_id is not None:
            translations.setdefault(target_id, []).append(own_id)
    out: list[ParameterView] = []
    for p, instrument in rows:
        assert p.id is not None
        if not values.get(p.id):
            continue
        out.append(
            ParameterView(
                id=p.id,
                label=p.label,
                unit=p.unit,
                ref=p.ref,
                heading=p.heading,
                positions=tuple(p.positions or ()),
                instrument_id=p.instrument_id,
                instrument=instrument.title,
                in_latest=p.last_version_id == latest.get(p.instrument_id),
                history=tuple(values[p.id]),
                counterpart_id=p.counterpart_id,
                translations=tuple(translations.get(p.id, ())),
            )
        )
    return out


@dataclass(frozen=True)
class ParameterLink:
    """A number of a change as a value of a parameter, told in its history."""

    parameter_id: int
    label: str
    story: str  # "the third increase since 2019"
    also: tuple[ParameterLink, ...] = ()  # further parameters the provision set to this value
    move: Move | None = None  # the story as facts, for words in the reader's language

    def nth(self, k: int) -> ParameterLink | None:
        """The ``k``-th (0-based) parameter of this value in reading order: the second "3%"
        of "the employer pays 3% and the worker 3%" is the worker's."""
        return self if k == 0 else (self.also[k - 1] if 0 < k <= len(self.also) else None)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")  # fmt: skip


def ordinal(n: int) -> str:
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _since(entry: HistoryEntry) -> str:
    """The year a history starts: the year its first value took effect when the text says
    so, else the year it was first seen."""
    return (entry.effective_date or entry.seen_at.date().isoformat())[:4]


@dataclass(frozen=True)
class Move:
    """How a value moved its parameter: ``kind`` is ``first`` (its first value), ``increase``
    or ``decrease``, the ``nth`` move that way, counted since the year ``since``."""

    kind: str
    nth: int
    since: str

    @property
    def story(self) -> str:
        """``the third increase since 2019``, ``first value, 2025`` (the CLI's words)."""
        if self.kind == "first":
            return f"first value, {self.since}"
        return f"the {ordinal(self.nth)} {self.kind} since {self.since}"


def move(view: ParameterView, version_id: int) -> Move:
    """How the value ``version_id`` brought moved the parameter, counted over its history."""
    upto: list[HistoryEntry] = []
    for entry in view.history:
        upto.append(entry)
        if entry.version_id == version_id:
            break
    if len(upto) < 2:
        return Move("first", 1, _since(upto[0]))
    rising = upto[-1].value > upto[-2].value
    same_way = sum(
        1
        for a, b in itertools.pairwise(upto)
        if a.value != b.value and (b.value > a.value) == rising
    )
    return Move("increase" if rising else "decrease", same_way, _since(upto[0]))


def story(view: ParameterView, version_id: int) -> str:
    """How the value ``version_id`` brought moved the parameter, counted over its history:
    "the third increase since 2019", "the first decrease since 2024", "first value, 2025"."""
    return move(view, version_id).story


_TABLE_ROW_RE = re.compile(r'^Table \d+, row "(?P<row>.+?)"(?:, column "(?P<column>.+)")?$')


def links_for_change(
    session: Session, instrument_id: int, version_id: int, ref: str
) -> dict[tuple[str, float], ParameterLink]:
    """The parameters whose value the provision ``ref`` of ``version_id`` brought, by
    (unit, value), in reading order (:meth:`ParameterLink.nth`): what a change page links
    each new number to. A table change (``Table 1, row "Social pension"``) links the
    parameters of that row."""
    statement = (
        select(ParameterValue.parameter_id, ParameterValue.ref, Parameter.label)
        .join(Parameter, col(Parameter.id) == col(ParameterValue.parameter_id))
        .where(Parameter.instrument_id == instrument_id, ParameterValue.version_id == version_id)
        .order_by(col(ParameterValue.id))
    )
    rows = list(session.exec(statement))
    wanted = [parameter_id for parameter_id, at, _ in rows if at == ref]
    if not wanted and (cell := _TABLE_ROW_RE.match(ref)):
        row, column = cell["row"], cell["column"]
        wanted = [
            parameter_id
            for parameter_id, _, label in rows
            if label.startswith(f"{row}, ")
            and (column is None or column.startswith(label[len(row) + 2 :]))
        ]
    found: dict[tuple[str, float], list[ParameterLink]] = {}
    views = {view.id: view for view in parameters(session, parameter_ids=wanted)} if wanted else {}
    for view in (views[i] for i in wanted if i in views):  # in reading order
        value = next(e.value for e in view.history if e.version_id == version_id)
        moved = move(view, version_id)
        link = ParameterLink(view.id, view.label, moved.story, move=moved)
        found.setdefault((view.unit, value), []).append(link)
    return {
        key: dataclasses.replace(links[0], also=tuple(links[1:])) for key, links in found.items()
    }


def links_for_changes(
    session: Session, changes: Iterable[Change]
) -> dict[int, dict[tuple[str, float], ParameterLink]]:
    """:func:`links_for_change` of each stored change, by change id (what an alert page
    links the number pairs of its changes to)."""
    out: dict[int, dict[tuple[str, float], ParameterLink]] = {}
    for change in changes:
        if change.id is not None and change.new_ref:
            links = links_for_change(
                session, change.instrument_id, change.new_version_id, change.new_ref
            )
            if links:
                out[change.id] = links
    return out
