"""The parameter registry: each labelled rate, amount and period of an instrument with the
history of its values, one entry per distinct value in time, with its provenance.

``record`` is called for every version read, in the order the versions were fetched;
``rebuild`` replays every stored version in that order, so a store filled before the
registry existed gets the registry a fresh crawl would have built.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from sqlmodel import Session, col, delete, select

from parsers.compare.parameter_roles import is_khmer, role_signs
from parsers.compare.parameters import Reading
from tracker.history import document_of
from tracker.models import Change, Instrument, Parameter, ParameterValue, Version
from tracker.parameter_languages import link_languages as link_languages


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


def _last_value(session: Session, parameter_id: int) -> ParameterValue | None:
    statement = (
        select(ParameterValue)
        .where(ParameterValue.parameter_id == parameter_id)
        .order_by(col(ParameterValue.seen_at).desc(), col(ParameterValue.id).desc())
    )
    return session.exec(statement).first()


def record(session: Session, version: Version, readings: Sequence[Reading]) -> int:
    """Add ``version``'s readings to its instrument's parameters; the number of new values
    (a value equal to the parameter's last one adds nothing)."""
    assert version.id is not None
    existing = {
        p.key: p
        for p in session.exec(
            select(Parameter).where(Parameter.instrument_id == version.instrument_id)
        )
    }
    reworded = _reworded(session, version, readings, existing)
    added = 0
    for reading in readings:
        parameter = existing.get(reading.key) or reworded.get(reading.key)
        if parameter is not None and parameter.key != reading.key:
            del existing[parameter.key]
            parameter.key = reading.key
            existing[reading.key] = parameter
        if parameter is None:
            parameter = Parameter(
                instrument_id=version.instrument_id, key=reading.key, label="", unit=""
            )
            existing[reading.key] = parameter
        parameter.label, parameter.unit = reading.label, reading.unit
        parameter.ref, parameter.heading = reading.ref, reading.heading
        parameter.positions = list(reading.positions)
        parameter.last_version_id = version.id
        session.add(parameter)
        session.flush()
        assert parameter.id is not None
        last = _last_value(session, parameter.id)
        if last is not None and last.value == reading.value:
            continue
        session.add(
            ParameterValue(
                parameter_id=parameter.id,
                version_id=version.id,
                value=reading.value,
                text=reading.text,
                ref=reading.ref,
                clause=reading.clause,
                sha256=version.sha256,
                seen_at=version.fetched_at,
                effective_date=reading.effective_date,
            )
        )
        added += 1
    session.flush()
    return added


def _previous_version_id(session: Session, version: Version, found: Iterable[Parameter]) -> int:
    """The version recorded before ``version`` (the newest any parameter was last seen in)."""
    ids = {p.last_version_id for p in found if p.last_version_id not in (None, version.id)}
    if not ids:
        return 0
    statement = (
        select(Version.id)
        .where(col(Version.id).in_(ids))
        .order_by(col(Version.fetched_at).desc(), col(Version.id).desc())
    )
    return session.exec(statement).first() or 0


def _alike(a: str, b: str) -> bool:
    """Two labels of one thing reworded: a content word in common ("maternity allowance",
    "maternity benefit"), or for Khmer, written mostly alike."""
    if is_khmer(a) or is_khmer(b):
        return SequenceMatcher(None, a, b, autojunk=False).ratio() >= _KHMER_ALIKE
    return bool(_content_words(a) & _content_words(b))


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.casefold()) if len(w) > 3}


_KHMER_ALIKE = 0.6


def _reworded(
    session: Session, version: Version, readings: Sequence[Reading], existing: dict[str, Parameter]
) -> dict[str, Parameter]:
    """New keys of ``readings`` that continue a parameter the previous version stated and this
    one no longer does, in the same provision and unit: one on each side, the same roles,
    and the same value or labels alike (a reworded clause keeps its parameter's history)."""
    previous = _previous_version_id(session, version, existing.values())
    keys = {r.key for r in readings}
    gone: dict[tuple[str, str], list[Parameter]] = {}
    for p in existing.values():
        if p.last_version_id == previous and p.key not in keys:
            gone.setdefault((p.ref, p.unit), []).append(p)
    fresh: dict[tuple[str, str], list[Reading]] = {}
    for r in readings:
        if r.key not in existing:
            fresh.setdefault((r.ref, r.unit), []).append(r)
    out: dict[str, Parameter] = {}
    for where, [reading] in ((w, rs) for w, rs in fresh.items() if len(rs) == 1):
        if len(candidates := gone.get(where, [])) != 1:
            continue
        parameter = candidates[0]
        assert parameter.id is not None
        last = _last_value(session, parameter.id)
        same_value = last is not None and last.value == reading.value
        if role_signs(parameter.label) == role_signs(reading.label) and (
            same_value or _alike(parameter.label, reading.label)
        ):
            out[reading.key] = parameter
    return out


def rebuild(
    session: Session,
    read: Callable[[Version], Sequence[Reading]],
    instrument_ids: Iterable[int] | None = None,
) -> int:
    """Build the registry anew from every readable stored version, oldest first; ``read``
    gives a version's readings (positions included). The number of values recorded."""
    ids = list(instrument_ids) if instrument_ids is not None else None
    params = select(Parameter.id)
    if ids is not None:
        params = params.where(col(Parameter.instrument_id).in_(ids))
    session.exec(  # type: ignore[call-overload]
        delete(ParameterValue).where(col(ParameterValue.parameter_id).in_(params))
    )
    stale = delete(Parameter)
    if ids is not None:
        stale = stale.where(col(Parameter.instrument_id).in_(ids))
    session.exec(stale)  # type: ignore[call-overload]
    versions = select(Version).where(col(Version.document).is_not(None))
    if ids is not None:
        versions = versions.where(col(Version.instrument_id).in_(ids))
    versions = versions.order_by(col(Version.fetched_at), col(Version.id))
    total = 0
    instruments: set[int] = set()
    for version in session.exec(versions):
        if document_of(version) is not None:
            total += record(session, version, read(version))
            instruments.add(version.instrument_id)
    for instrument_id in sorted(instruments):
        link_languages(session, instrument_id)
    return total


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

    def nth(self, k: int) -> ParameterLink | None:
        """The ``k``-th (0-based) parameter of this value in reading order: the second "3%"
        of "the employer pays 3% and the worker 3%" is the worker's."""
        return self if k == 0 else (self.also[k - 1] if 0 < k <= len(self.also) else None)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")  # fmt: skip


def _ordinal(n: int) -> str:
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _since(entry: HistoryEntry) -> str:
    """The year a history starts: the year its first value took effect when the text says
    so, else the year it was first seen."""
    return (entry.effective_date or entry.seen_at.date().isoformat())[:4]


def story(view: ParameterView, version_id: int) -> str:
    """How the value ``version_id`` brought moved the parameter, counted over its history:
    "the third increase since 2019", "the first decrease since 2024", "first value, 2025"."""
    upto: list[HistoryEntry] = []
    for entry in view.history:
        upto.append(entry)
        if entry.version_id == version_id:
            break
    if len(upto) < 2:
        return f"first value, {_since(upto[0])}"
    rising = upto[-1].value > upto[-2].value
    same_way = sum(
        1
        for a, b in itertools.pairwise(upto)
        if a.value != b.value and (b.value > a.value) == rising
    )
    word = "increase" if rising else "decrease"
    return f"the {_ordinal(same_way)} {word} since {_since(upto[0])}"


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
        link = ParameterLink(view.id, view.label, story(view, version_id))
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
